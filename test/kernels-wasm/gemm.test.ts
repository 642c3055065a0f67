// WASM GEMM against a float64 triple loop: every transpose combination, edge sizes, offsets,
// leading dimensions, alpha/beta, both SIMD builds, and multi-threaded equal to single-threaded.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { DescentError, ValueError } from '../../src/core/errors.js';
import { createWasmBackend, gemmWithFallback, loadWasmKernels, type WasmKernels } from '../../src/kernels/wasm/index.js';
import { refBackend } from '../../src/kernels/ref/index.js';
import { THREAD_MIN_WORK } from '../../src/kernels/wasm/gemm.js';
import { randomArray } from './helpers.js';

const single = loadWasmKernels({ threads: 1 });
const baseline = loadWasmKernels({ threads: 1, relaxedSimd: false });
const dual = loadWasmKernels({ threads: 2 });
after(() => {
  for (const k of [single, baseline, dual]) k.dispose();
});

interface Case {
  ta: boolean; tb: boolean; m: number; n: number; k: number; alpha: number; beta: number;
  padA: number; padB: number; padC: number; offA: number; offB: number; offC: number;
}

interface Operands {
  a: Float32Array; b: Float32Array; c: Float32Array; lda: number; ldb: number; ldc: number;
}

/** Operands with NaN everywhere outside the stored matrices (gaps, before, after). */
function makeOperands(rng: Rng, cs: Case): Operands {
  const aRows = cs.ta ? cs.k : cs.m, aCols = cs.ta ? cs.m : cs.k;
  const bRows = cs.tb ? cs.n : cs.k, bCols = cs.tb ? cs.k : cs.n;
  const lda = Math.max(1, aCols) + cs.padA, ldb = Math.max(1, bCols) + cs.padB, ldc = Math.max(1, cs.n) + cs.padC;
  const fill = (rows: number, cols: number, ld: number, off: number): Float32Array => {
    const out = new Float32Array(off + rows * ld + 3).fill(NaN);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[off + i * ld + j] = rng.uniform(-1, 1);
    return out;
  };
  return { a: fill(aRows, aCols, lda, cs.offA), b: fill(bRows, bCols, ldb, cs.offB), c: fill(cs.m, cs.n, ldc, cs.offC), lda, ldb, ldc };
}

/** Float64 reference result and a per-element error bound (float32 accumulation over k terms). */
function reference(cs: Case, o: Operands): { expected: Float64Array; tol: Float64Array } {
  const expected = Float64Array.from(o.c);
  const tol = new Float64Array(o.c.length);
  const u = 2 ** -24;
  for (let i = 0; i < cs.m; i++) {
    for (let j = 0; j < cs.n; j++) {
      let s = 0, abs = 0;
      for (let p = 0; p < cs.k; p++) {
        const av = cs.ta ? o.a[cs.offA + p * o.lda + i]! : o.a[cs.offA + i * o.lda + p]!;
        const bv = cs.tb ? o.b[cs.offB + j * o.ldb + p]! : o.b[cs.offB + p * o.ldb + j]!;
        s += av * bv;
        abs += Math.abs(av * bv);
      }
      const q = cs.offC + i * o.ldc + j;
      const cv = cs.beta === 0 ? 0 : o.c[q]!;
      expected[q] = cs.alpha * s + cs.beta * cv;
      tol[q] = 2 * (cs.k + 4) * u * (Math.abs(cs.alpha) * abs + Math.abs(cs.beta * cv)) + 1e-30;
    }
  }
  return { expected, tol };
}

function run(kernels: WasmKernels, cs: Case, o: Operands): Float32Array {
  const c = o.c.slice();
  kernels.gemm(cs.ta, cs.tb, cs.m, cs.n, cs.k, cs.alpha, o.a, cs.offA, o.lda, o.b, cs.offB, o.ldb, cs.beta, c, cs.offC, o.ldc);
  return c;
}

function check(kernels: WasmKernels, rng: Rng, cs: Case): void {
  const o = makeOperands(rng, cs);
  if (cs.beta === 0) for (let i = 0; i < cs.m; i++) for (let j = 0; j < cs.n; j++) o.c[cs.offC + i * o.ldc + j] = NaN;
  const { expected, tol } = reference(cs, o);
  const got = run(kernels, cs, o);
  for (let q = 0; q < got.length; q++) {
    const g = got[q]!, e = expected[q]!;
    const ok = Number.isNaN(e) ? Number.isNaN(g) : Math.abs(g - e) <= tol[q]!;
    if (!ok) assert.fail(`${JSON.stringify(cs)}: c[${q}] = ${g}, expected ${e} ± ${tol[q]}`);
  }
}

function randomCase(rng: Rng, maxM: number, maxN: number, maxK: number): Case {
  const pick = (max: number) => (rng.random() < 0.3 ? 1 + rng.int(9) : 1 + rng.int(max));
  return {
    ta: rng.random() < 0.5, tb: rng.random() < 0.5, m: pick(maxM), n: pick(maxN), k: pick(maxK),
    alpha: [1, -0.5, 2.25][rng.int(3)]!, beta: [0, 1, 0.75][rng.int(3)]!,
    padA: rng.int(3), padB: rng.int(3), padC: rng.int(3), offA: rng.int(4), offB: rng.int(4), offC: rng.int(4),
  };
}

const plain = { alpha: 1, beta: 0, padA: 0, padB: 0, padC: 0, offA: 0, offB: 0, offC: 0 };
const transposes = [[false, false], [true, false], [false, true], [true, true]] as const;

for (const [name, kernels] of [['relaxed-if-supported', single], ['baseline', baseline]] as const) {
  test(`gemm (${name}): random shapes, offsets, leading dimensions, alpha and beta`, () => {
    const rng = new Rng(name.length);
    for (let t = 0; t < 60; t++) check(kernels, rng, randomCase(rng, 70, 70, 90));
  });

  test(`gemm (${name}): every transpose on tile edges (sizes below and around 4 and 8)`, () => {
    const rng = new Rng(7);
    for (const [ta, tb] of transposes) {
      for (const m of [1, 3, 4, 5]) for (const n of [1, 2, 7, 8, 9]) for (const k of [1, 3, 4, 6]) check(kernels, rng, { ...plain, ta, tb, m, n, k, beta: 0.5 });
    }
  });

  test(`gemm (${name}): blocks larger than the cache blocks (k > 256, m > 128, n > 2048)`, () => {
    const rng = new Rng(11);
    for (const [ta, tb] of transposes) {
      check(kernels, rng, { ...plain, ta, tb, m: 133, n: 21, k: 517, beta: 1, padA: 1, offC: 2 });
      check(kernels, rng, { ...plain, ta, tb, m: 3, n: 2057, k: 5, alpha: -1 });
    }
  });
}

test('relaxed SIMD is used when the engine accepts it (Node 20 via a V8 flag); relaxedSimd: false forces baseline', () => {
  assert.equal(baseline.relaxedSimd, false);
  assert.equal(single.relaxedSimd, typeof process.versions.node === 'string' && Number(process.versions.node.split('.')[0]) >= 20);
});

test('gemm: empty sizes; k = 0 scales C by beta and never reads it when beta = 0', () => {
  const c = new Float32Array([1, 2, 3, 4]);
  single.gemm(false, false, 2, 0, 3, 1, new Float32Array(6), 0, 3, new Float32Array(0), 0, 1, 0, c, 0, 1);
  single.gemm(false, false, 0, 2, 3, 1, new Float32Array(0), 0, 3, new Float32Array(6), 0, 2, 0, c, 0, 2);
  assert.deepEqual([...c], [1, 2, 3, 4]);
  single.gemm(false, false, 2, 2, 0, 1, new Float32Array(0), 0, 1, new Float32Array(0), 0, 2, 0.5, c, 0, 2);
  assert.deepEqual([...c], [0.5, 1, 1.5, 2]);
  c.fill(NaN);
  single.gemm(true, true, 2, 2, 0, 1, new Float32Array(0), 0, 2, new Float32Array(0), 0, 1, 0, c, 0, 2);
  assert.deepEqual([...c], [0, 0, 0, 0]);
});

test('gemm: two threads equal one thread, split along m and along n', () => {
  assert.equal(dual.threads, 2);
  const rng = new Rng(3);
  for (const [ta, tb] of transposes) {
    for (const [m, n, k] of [[301, 67, 211], [45, 259, 361]]) {
      assert.ok(m * n * k >= THREAD_MIN_WORK, 'large enough to be split');
      const cs: Case = { ...plain, ta, tb, m, n, k, beta: 0.5, padC: 1, offA: 1 };
      const o = makeOperands(rng, cs);
      const one = run(single, cs, o), two = run(dual, cs, o);
      const { expected, tol } = reference(cs, o);
      for (let q = 0; q < one.length; q++) {
        if (Number.isNaN(expected[q]!)) continue;
        assert.ok(Math.abs(two[q]! - one[q]!) <= tol[q]!, `${JSON.stringify(cs)}: c[${q}] ${two[q]} vs ${one[q]}`);
        assert.ok(Math.abs(two[q]! - expected[q]!) <= tol[q]!, `${JSON.stringify(cs)}: c[${q}] ${two[q]} vs exact ${expected[q]}`);
      }
    }
  }
});

test('gemm: the arena is reused, so memory does not grow across repeated calls', () => {
  const kernels = loadWasmKernels({ threads: 1 });
  const rng = new Rng(5);
  const a = randomArray(rng, 200 * 200), b = randomArray(rng, 200 * 200), c = new Float32Array(200 * 200);
  kernels.gemm(false, false, 200, 200, 200, 1, a, 0, 200, b, 0, 200, 0, c, 0, 200);
  const size = kernels.memoryBytes();
  for (let i = 0; i < 5; i++) kernels.gemm(false, true, 200, 200, 200, 1, a, 0, 200, b, 0, 200, 1, c, 0, 200);
  assert.equal(kernels.memoryBytes(), size);
  // A larger call grows memory; results after the growth are still right.
  const big = randomArray(rng, 700 * 700), out = new Float32Array(700 * 2);
  kernels.gemm(false, false, 2, 700, 700, 1, big, 0, 700, big, 0, 700, 0, out, 0, 700);
  assert.ok(kernels.memoryBytes() > size);
  let s = 0;
  for (let p = 0; p < 700; p++) s += big[p]! * big[p * 700 + 3]!;
  assert.ok(Math.abs(out[3]! - s) < 1e-3, `${out[3]} vs ${s}`);
  kernels.dispose();
});

test('gemm: rejects float64, bad sizes, short arrays and small leading dimensions', () => {
  const f = new Float32Array(16);
  assert.throws(() => single.gemm(false, false, 2, 2, 2, 1, new Float64Array(4) as never, 0, 2, f, 0, 2, 0, f, 0, 2), (e: Error) => e instanceof DescentError && /Float64Array/.test(e.message));
  assert.throws(() => single.gemm(false, false, -1, 2, 2, 1, f, 0, 2, f, 0, 2, 0, f, 0, 2), (e: Error) => e instanceof ValueError && /invalid m -1/.test(e.message));
  assert.throws(() => single.gemm(false, false, 2, 2, 2.5, 1, f, 0, 2, f, 0, 2, 0, f, 0, 2), /invalid k 2.5/);
  assert.throws(() => single.gemm(false, false, 4, 4, 4, 1, f, 1, 4, f, 0, 4, 0, f, 0, 4), /a of length 16 is too short.*expected length >= 17/);
  assert.throws(() => single.gemm(false, true, 2, 3, 4, 1, f, 0, 4, f, 0, 3, 0, f, 0, 3), /invalid ldb 3, expected >= 4/);
  assert.throws(() => single.gemm(1 as never, false, 2, 2, 2, 1, f, 0, 2, f, 0, 2, 0, f, 0, 2), /invalid transA 1/);
  assert.throws(() => single.gemm(false, false, 2, 2, 2, NaN, f, 0, 2, f, 0, 2, 0, f, 0, 2), /invalid alpha NaN/);
});

test('gemmWithFallback sends float64 to the fallback and float32 to WASM; dispose leaves one working thread', () => {
  const calls: string[] = [];
  const gemm = gemmWithFallback(single, (..._args) => void calls.push('fallback'));
  const a = new Float32Array([1, 2, 3, 4]), c = new Float32Array(4);
  gemm(false, false, 2, 2, 2, 1, a, 0, 2, a, 0, 2, 0, c, 0, 2);
  assert.deepEqual([...c], [7, 10, 15, 22]);
  gemm(false, false, 2, 2, 2, 1, new Float64Array(4), 0, 2, a, 0, 2, 0, c, 0, 2);
  assert.deepEqual(calls, ['fallback']);
  const k = loadWasmKernels({ threads: 2 });
  k.dispose();
  assert.equal(k.threads, 1);
  const big = new Float32Array(300 * 300).fill(1), out = new Float32Array(300 * 300);
  k.gemm(false, false, 300, 300, 300, 1, big, 0, 300, big, 0, 300, 0, out, 0, 300);
  assert.equal(out[300 * 300 - 1], 300);
  assert.throws(() => loadWasmKernels({ threads: 0 }), /invalid threads 0/);
});

test('the default thread count honours DESCENT_THREADS', () => {
  const saved = process.env['DESCENT_THREADS'];
  try {
    process.env['DESCENT_THREADS'] = '1';
    const k = loadWasmKernels();
    assert.equal(k.threads, 1);
    k.dispose();
    process.env['DESCENT_THREADS'] = 'two';
    assert.throws(() => loadWasmKernels(), /invalid DESCENT_THREADS "two"/);
  } finally {
    if (saved === undefined) delete process.env['DESCENT_THREADS'];
    else process.env['DESCENT_THREADS'] = saved;
  }
});

test('createWasmBackend: ref backend with WASM gemm (and elementwise kernels) for float32, ref gemm for float64', () => {
  const backend = createWasmBackend(refBackend, { threads: 1 });
  assert.equal(backend.name, 'wasm');
  assert.equal(backend.logSoftmaxAxis, refBackend.logSoftmaxAxis);
  assert.notEqual(backend.unary, refBackend.unary); // float32 on WASM (test/kernels-wasm/elementwise.test.ts)
  const rng = new Rng(9);
  for (const make of [(n: number) => randomArray(rng, n), (n: number) => Float64Array.from(randomArray(rng, n))]) {
    const a = make(6), b = make(6);
    const got = make(4), want = make(4);
    backend.gemm(false, true, 2, 2, 3, 1, a, 0, 3, b, 0, 3, 0, got, 0, 2);
    refBackend.gemm(false, true, 2, 2, 3, 1, a, 0, 3, b, 0, 3, 0, want, 0, 2);
    for (let i = 0; i < 4; i++) assert.ok(Math.abs(got[i]! - want[i]!) < 1e-6, `${got[i]} vs ${want[i]}`);
  }
  backend.kernels.dispose();
});

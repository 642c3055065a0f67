// Arrays allocated in WASM memory: used in place by GEMM and the optimizer steps (same results
// as copied operands, aliasing handled), reused after release, valid across memory growth.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { ValueError } from '../../src/core/errors.js';
import { loadWasmKernels } from '../../src/kernels/wasm/index.js';
import { randomArray } from './helpers.js';

const kernels = loadWasmKernels({ threads: 2 });
after(() => kernels.dispose());

function inWasm(values: Float32Array): Float32Array {
  const out = kernels.allocate(values.length);
  out.set(values);
  return out;
}

test('allocate gives zero-filled arrays; release lets the memory be reused', () => {
  const a = kernels.allocate(1000);
  assert.equal(a.length, 1000);
  assert.ok(a.every((x) => x === 0));
  a.fill(7);
  const size = kernels.memoryBytes();
  kernels.release(a);
  for (let i = 0; i < 20; i++) {
    const b = kernels.allocate(1000);
    assert.ok(b.every((x) => x === 0), 'a reused block is cleared');
    b.fill(3);
    kernels.release(b);
  }
  assert.equal(kernels.memoryBytes(), size);
  assert.throws(() => kernels.release(a), ValueError);
  assert.throws(() => kernels.release(new Float32Array(4)), /expected an array returned by allocate/);
  assert.throws(() => kernels.allocate(-1), /invalid length -1/);
});

test('allocated views stay valid and in place after the memory grows', () => {
  const a = kernels.allocate(16);
  a.set(randomArray(new Rng(1), 16));
  const before = a.slice();
  const big = kernels.allocate(4_000_000); // grows the memory
  assert.deepEqual(a, before);
  const p = a, g = new Float32Array(16).fill(1);
  kernels.sgdStep(p, g, null, { lr: 0.5 });
  for (let i = 0; i < 16; i++) assert.equal(p[i], Math.fround(before[i]! - 0.5));
  kernels.release(big);
  kernels.release(a);
});

test('gemm with operands in WASM memory equals gemm with copied operands, also when C overlaps A', () => {
  const rng = new Rng(2);
  const [m, n, k] = [37, 300, 61];
  const a = randomArray(rng, m * k), b = randomArray(rng, n * k), c = randomArray(rng, m * n);
  const expected = c.slice();
  kernels.gemm(false, true, m, n, k, 0.5, a, 0, k, b, 0, k, 2, expected, 0, n);
  const wa = inWasm(a), wb = inWasm(b), wc = inWasm(c);
  kernels.gemm(false, true, m, n, k, 0.5, wa, 0, k, wb, 0, k, 2, wc, 0, n);
  assert.deepEqual(wc, expected);
  // C is A itself (a square product written over its own left operand): must read the old A.
  const s = 40;
  const sq = randomArray(rng, s * s), id = new Float32Array(s * s);
  for (let i = 0; i < s; i++) id[i * s + i] = 2;
  const wsq = inWasm(sq);
  kernels.gemm(false, false, s, s, s, 1, wsq, 0, s, id, 0, s, 0, wsq, 0, s);
  assert.deepEqual(wsq, sq.map((x) => 2 * x));
  for (const x of [wa, wb, wc, wsq]) kernels.release(x);
});

test('gemm in place on two threads, with row gaps in C (ldc > n), equals the copying path', () => {
  const rng = new Rng(4);
  const [m, n, k, ldc] = [150, 260, 120, 263];
  const a = randomArray(rng, k * m), b = randomArray(rng, k * n), c = randomArray(rng, 2 + m * ldc);
  const expected = c.slice();
  kernels.gemm(true, false, m, n, k, 1, a, 0, m, b, 0, n, 0.5, expected, 2, ldc);
  const wa = inWasm(a), wb = inWasm(b), wc = inWasm(c);
  kernels.gemm(true, false, m, n, k, 1, wa, 0, m, wb, 0, n, 0.5, wc, 2, ldc);
  assert.deepEqual(wc, expected);
  assert.equal(wc[2 + n], c[2 + n], 'the gap after row 0 is untouched');
  for (const x of [wa, wb, wc]) kernels.release(x);
});

test('optimizer steps in place equal the copying path', () => {
  const rng = new Rng(3);
  const n = 300_001;
  const p = randomArray(rng, n), m = new Float32Array(n), v = new Float32Array(n), vmax = new Float32Array(n);
  const wp = inWasm(p), wm = kernels.allocate(n), wv = kernels.allocate(n), wvmax = kernels.allocate(n);
  for (let step = 1; step <= 2; step++) {
    const g = randomArray(rng, n);
    const options = { step, lr: 0.01, weightDecay: 0.1, amsgrad: true };
    kernels.adamStep(p, g, m, v, vmax, options);
    const wg = inWasm(g);
    kernels.adamStep(wp, wg, wm, wv, wvmax, options);
    kernels.release(wg);
  }
  assert.deepEqual(wp, p);
  assert.deepEqual(wm, m);
  assert.deepEqual(wvmax, vmax);
  for (const x of [wp, wm, wv, wvmax]) kernels.release(x);
});

test('in-place steps split across two threads equal the one-thread copying path, over many sizes and allocations', () => {
  const rng = new Rng(9);
  const held: Float32Array[] = [];
  for (let trial = 0; trial < 40; trial++) {
    const n = 1000 + Math.floor(rng.uniform(0, 400_000));
    const p = randomArray(rng, n), g = randomArray(rng, n);
    const cp = p.slice(), cm = new Float32Array(n), cv = new Float32Array(n);
    const wp = inWasm(p), wg = inWasm(g), wm = kernels.allocate(n), wv = kernels.allocate(n);
    // Other allocations come and go, so blocks are reused and the memory grows in between.
    if (trial % 3 === 0) held.push(kernels.allocate(1 << Math.floor(rng.uniform(10, 21))));
    if (trial % 5 === 0 && held.length > 0) kernels.release(held.shift()!);
    for (let step = 1; step <= 2; step++) {
      kernels.adamStep(cp, g, cm, cv, null, { step, lr: 0.01 });
      kernels.adamStep(wp, wg, wm, wv, null, { step, lr: 0.01 });
    }
    assert.deepEqual(wp, cp, `trial ${trial}, n = ${n}`);
    assert.deepEqual(wv, cv, `trial ${trial}, n = ${n}`);
    for (const x of [wp, wg, wm, wv]) kernels.release(x);
  }
  for (const x of held) kernels.release(x);
});

test('worker threads never keep the process alive (no dispose needed)', async () => {
  const { spawnSync } = await import('node:child_process');
  const index = new URL('../../src/kernels/wasm/index.ts', import.meta.url).href;
  const script = `import { loadWasmKernels } from ${JSON.stringify(index)};
const k = loadWasmKernels({ threads: 2 });
const a = k.allocate(1 << 18).fill(1);
k.sgdStep(a, a, null, { lr: 0.5 });
console.log(k.threads, a[0]);`;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.error, undefined, 'the child exits on its own');
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout.trim(), '2 0.5');
});

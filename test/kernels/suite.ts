/**
 * The kernel test suite, runnable against any Backend: every kernel against a naive loop, with
 * sizes 0 and 1, odd remainders, non-zero offsets, both dtypes. float64 must match to ~1e-12;
 * float32 within float32 rounding of the float64 result.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Backend, BinaryOp, Conv2dGeometry, UnaryOp } from '../../src/kernels/backend.js';
import { Rng } from '../../src/core/rng.js';
import type { DType, FloatArray } from '../../src/core/dtype.js';

const SIZES = [0, 1, 2, 3, 5, 8, 17];

function arr(dtype: DType, n: number, rng: Rng, fill = NaN): FloatArray {
  const a = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Number.isNaN(fill) ? rng.normal() : fill;
  return a;
}

/** |actual - expected| <= tol * max(|expected|, scale) elementwise (NaN matches NaN). */
function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string, scale = 1): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (a === e) continue;
    const err = Math.abs(a - e) / Math.max(Math.abs(e), scale);
    assert.ok(err <= tol, `${what}: element ${i} is ${a}, expected ${e} (relative error ${err.toExponential(2)} > ${tol})`);
  }
}

function tolFor(dtype: DType, terms = 1): number {
  return dtype === 'float64' ? 1e-12 * terms : 2 ** -23 * (1 + terms * 0.25);
}

export interface SuiteOptions {
  /** Dtypes to test (default both; a float32-only backend passes ['float32']). */
  dtypes?: DType[];
}

export function kernelSuite(be: Backend, options: SuiteOptions = {}): void {
  const rng = new Rng(2024);
  const DTYPES = options.dtypes ?? (['float64', 'float32'] as DType[]);

  describe(`${be.name}: gemm`, () => {
    for (const dtype of DTYPES) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          test(`${dtype} transA=${transA} transB=${transB}, all sizes, offsets, padding, alpha/beta`, () => {
            let cases = 0;
            for (const m of SIZES) for (const n of SIZES) for (const k of [0, 1, 3, 7, 16]) {
              if ((m * 7 + n * 3 + k) % 3 === 1 && m > 2 && n > 2) continue; // thin the grid, keep edges
              const [ar, ac] = transA ? [k, m] : [m, k];
              const [br, bc] = transB ? [n, k] : [k, n];
              const lda = ac + (m % 2), ldb = bc + (n % 3), ldc = n + 1;
              const ao = 1 + (k % 2), bo = 2, co = 3;
              const a = arr(dtype, ao + ar * lda + 1, rng), b = arr(dtype, bo + br * ldb + 1, rng);
              const alpha = cases % 2 === 0 ? 1 : -0.75;
              const beta = [0, 1, 0.5][cases % 3]!;
              const c = arr(dtype, co + m * ldc + 1, rng);
              if (beta === 0) for (let i = co; i < c.length - 1; i++) c[i] = NaN; // not read when beta == 0
              const expected = Float64Array.from(c);
              for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
                let s = 0;
                for (let p = 0; p < k; p++) {
                  const av = transA ? a[ao + p * lda + i]! : a[ao + i * lda + p]!;
                  const bv = transB ? b[bo + j * ldb + p]! : b[bo + p * ldb + j]!;
                  s += av * bv;
                }
                expected[co + i * ldc + j] = alpha * s + (beta === 0 ? 0 : beta * c[co + i * ldc + j]!);
              }
              be.gemm(transA, transB, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
              assertClose(c, expected, tolFor(dtype, k + 1), `gemm m=${m} n=${n} k=${k}`, Math.sqrt(k + 1));
              cases++;
            }
            assert.ok(cases > 50);
          });
        }
      }
    }
  });

  const unaryRef: Record<UnaryOp, (x: number, p0: number, p1: number) => number> = {
    neg: (x) => -x, exp: Math.exp, log: Math.log, sqrt: Math.sqrt, tanh: Math.tanh,
    sigmoid: (x) => 1 / (1 + Math.exp(-x)), relu: (x) => Math.max(x, 0), abs: Math.abs, square: (x) => x * x,
    sign: (x) => Math.sign(x), reciprocal: (x) => 1 / x, pow: (x, p) => Math.pow(x, p), scale: (x, p) => p * x,
    addScalar: (x, p) => x + p, clamp: (x, lo, hi) => Math.min(Math.max(x, lo), hi),
    stepGt: (x, p) => (x > p ? 1 : 0), inRange: (x, lo, hi) => (x >= lo && x <= hi ? 1 : 0),
  };

  describe(`${be.name}: unary`, () => {
    for (const dtype of DTYPES) {
      for (const op of Object.keys(unaryRef) as UnaryOp[]) {
        test(`${dtype} ${op}`, () => {
          for (const n of SIZES) {
            const x = arr(dtype, n + 2, rng);
            if (op === 'log' || op === 'sqrt' || op === 'pow') for (let i = 0; i < x.length; i++) x[i] = Math.abs(x[i]!) + 0.1;
            if (n > 2) { x[2] = 0; x[3] = -40; }
            if (op === 'log' || op === 'sqrt' || op === 'pow') x[3] = 1e-3;
            const [p0, p1] = op === 'pow' ? [1.5, 0] : op === 'clamp' || op === 'inRange' ? [-0.5, 0.8] : [0.3, 0];
            const out = arr(dtype, n + 1, rng, 7);
            be.unary(op, n, x, 2, out, 1, p0, p1);
            const expected = Float64Array.from(out);
            for (let i = 0; i < n; i++) expected[1 + i] = unaryRef[op](x[2 + i]!, p0, p1);
            assertClose(out, dtype === 'float32' ? Float32Array.from(expected) : expected, dtype === 'float64' ? 1e-15 : 2 ** -22, `${op} n=${n}`, 1e-30);
          }
        });
      }
    }
  });

  const binaryRef: Record<BinaryOp, (a: number, b: number) => number> = {
    add: (a, b) => a + b, sub: (a, b) => a - b, mul: (a, b) => a * b, div: (a, b) => a / b,
    maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
    minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
  };

  describe(`${be.name}: binary with broadcasting`, () => {
    const shapes: [number[], number[], number[]][] = [
      // out shape, a strides, b strides (0 = broadcast)
      [[], [], []],
      [[0, 3], [3, 1], [0, 1]],
      [[7], [1], [1]],
      [[7], [1], [0]],
      [[3, 5], [5, 1], [0, 1]],
      [[3, 5], [1, 0], [5, 1]],
      [[2, 3, 4], [12, 4, 1], [0, 1, 0]],
      [[2, 1, 3], [3, 3, 1], [1, 0, 0]],
      [[4, 3], [1, 4], [3, 1]], // a read transposed
    ];
    for (const dtype of DTYPES) {
      for (const op of Object.keys(binaryRef) as BinaryOp[]) {
        test(`${dtype} ${op}`, () => {
          for (const [shape, sa, sb] of shapes) {
            const n = shape.reduce((p, d) => p * d, 1);
            const a = arr(dtype, 64, rng), b = arr(dtype, 64, rng);
            if (op === 'maximum') a[5] = NaN;
            const out = arr(dtype, n + 2, rng, 9);
            be.binary(op, shape.length, shape, a, 5, sa, b, 3, sb, out, 2);
            const expected = Float64Array.from(out);
            for (let i = 0; i < n; i++) {
              let rem = i, ia = 5, ib = 3;
              for (let d = shape.length - 1; d >= 0; d--) {
                const idx = rem % shape[d]!;
                rem = Math.floor(rem / shape[d]!);
                ia += idx * sa[d]!;
                ib += idx * sb[d]!;
              }
              expected[2 + i] = binaryRef[op](a[ia]!, b[ib]!);
            }
            assertClose(out, dtype === 'float32' ? Float32Array.from(expected) : expected, 0, `${op} ${JSON.stringify(shape)}`);
          }
        });
      }
    }
  });

  describe(`${be.name}: copyStrided, reductions, gather/scatter`, () => {
    for (const dtype of DTYPES) {
      test(`${dtype} copyStrided (permute and expand, offsets)`, () => {
        const x = arr(dtype, 30, rng);
        const out = arr(dtype, 25, rng, 0);
        // permute a [2, 3, 4] tensor at offset 3 into [4, 2, 3]
        be.copyStrided(3, [4, 2, 3], x, 3, [1, 12, 4], out, 1);
        for (let i = 0; i < 4; i++) for (let j = 0; j < 2; j++) for (let k = 0; k < 3; k++) {
          assert.equal(out[1 + i * 6 + j * 3 + k], x[3 + j * 12 + k * 4 + i]);
        }
        be.copyStrided(2, [0, 5], x, 0, [1, 1], out, 0); // n = 0: no write
        assert.equal(out[0], 0);
        be.copyStrided(2, [3, 2], x, 4, [0, 1], out, 0); // expand a row
        assert.deepEqual(Array.from(out.subarray(0, 6)), [x[4], x[5], x[4], x[5], x[4], x[5]]);
      });

      test(`${dtype} sumAxis`, () => {
        for (const [outer, size, inner] of [[1, 0, 1], [2, 1, 3], [3, 5, 1], [2, 7, 3], [0, 3, 2]] as const) {
          const x = arr(dtype, 2 + outer * size * inner, rng);
          const out = arr(dtype, 1 + outer * inner, rng, 5);
          be.sumAxis(outer, size, inner, x, 2, out, 1);
          const expected = Float64Array.from(out);
          for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) {
            let s = 0;
            for (let k = 0; k < size; k++) s += x[2 + (o * size + k) * inner + i]!;
            expected[1 + o * inner + i] = s;
          }
          assertClose(out, expected, tolFor(dtype, size), `sumAxis ${outer} ${size} ${inner}`, Math.sqrt(size + 1));
        }
      });

      test(`${dtype} logSumExpAxis and logSoftmaxAxis (large logits, -Infinity)`, () => {
        const x = dtype === 'float64' ? new Float64Array(9) : new Float32Array(9);
        x.set([0, 1e4, 1e4 - 1, 1e4, -Infinity, 3, -1e4, -1e4, -1e4]);
        const lse = dtype === 'float64' ? new Float64Array(3) : new Float32Array(3);
        be.logSumExpAxis(3, 3, 1, x, 0, lse, 0);
        const l0 = 1e4 + Math.log(1 + Math.exp(-1e4) + Math.exp(-1));
        assertClose(lse, [l0, 1e4 + Math.log(1 + Math.exp(-9997)), -1e4 + Math.log(3)], tolFor(dtype), 'lse');
        const ls = dtype === 'float64' ? new Float64Array(10) : new Float32Array(10);
        be.logSoftmaxAxis(3, 3, 1, x, 0, ls, 1);
        const e1 = Math.log(1 + Math.exp(-1));
        assertClose(ls.subarray(1), [-1e4 - e1, -e1, -1 - e1, 0, -Infinity, 3 - 1e4, -Math.log(3), -Math.log(3), -Math.log(3)], tolFor(dtype, 4), 'logSoftmax');
        // along a middle axis: [2, 3, 2]
        const y = arr(dtype, 12, rng);
        const out = arr(dtype, 4, rng, 0);
        be.logSumExpAxis(2, 3, 2, y, 0, out, 0);
        for (let o = 0; o < 2; o++) for (let i = 0; i < 2; i++) {
          let s = 0;
          for (let k = 0; k < 3; k++) s += Math.exp(y[o * 6 + k * 2 + i]!);
          assertClose([out[o * 2 + i]!], [Math.log(s)], tolFor(dtype, 3), 'lse middle axis');
        }
      });

      test(`${dtype} argmaxAxis (ties to the first, NaN wins)`, () => {
        const x = dtype === 'float64' ? new Float64Array(13) : new Float32Array(13);
        x.set([9, 1, 5, 5, 2, 0, NaN, 7, 3, 3, 3, -1, -2]);
        const idx = new Int32Array(5).fill(-9);
        be.argmaxAxis(4, 3, 1, x, 1, idx, 1);
        assert.deepEqual(Array.from(idx), [-9, 1, 5, 6, 9]);
        const idx2 = new Int32Array(2);
        be.argmaxAxis(1, 2, 2, x, 1, idx2, 0); // [[1, 5], [5, 2]] along dim 0
        assert.deepEqual(Array.from(idx2), [2, 1]);
      });

      test(`${dtype} gather and scatterAdd (duplicates accumulate, offsets)`, () => {
        const x = arr(dtype, 10, rng);
        const index = new Int32Array([9, 0, 3, 3, 1]);
        const out = arr(dtype, 6, rng, 0);
        be.gather(4, x, 1, index, 1, out, 2);
        assert.deepEqual(Array.from(out), [0, 0, x[1], x[4], x[4], x[2]]);
        be.gather(0, x, 0, index, 0, out, 0);
        const acc = arr(dtype, 6, rng, 1);
        const src = dtype === 'float64' ? Float64Array.from([5, 1, 2, 4, 8]) : Float32Array.from([5, 1, 2, 4, 8]);
        be.scatterAdd(4, src, 1, index, 1, acc, 1);
        assert.deepEqual(Array.from(acc), [1, 2, 9, 1, 7, 1]);
      });
    }
  });

  describe(`${be.name}: im2col, col2im, maxPool2d`, () => {
    const geoms: Conv2dGeometry[] = [];
    const mk = (n: number, c: number, h: number, w: number, kh: number, kw: number, sh: number, sw: number, ph: number, pw: number) =>
      geoms.push({ n, c, h, w, kh, kw, sh, sw, ph, pw, oh: Math.floor((h + 2 * ph - kh) / sh) + 1, ow: Math.floor((w + 2 * pw - kw) / sw) + 1 });
    mk(1, 1, 1, 1, 1, 1, 1, 1, 0, 0);
    mk(2, 3, 5, 4, 3, 3, 1, 1, 1, 1);
    mk(1, 2, 7, 6, 3, 2, 2, 3, 1, 1);
    mk(2, 1, 4, 4, 2, 2, 2, 2, 0, 0);
    mk(0, 2, 3, 3, 2, 2, 1, 1, 0, 0);
    for (const dtype of DTYPES) {
      test(`${dtype} im2col vs naive, col2im is its adjoint`, () => {
        for (const g of geoms) {
          const { n, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow } = g;
          const x = arr(dtype, 1 + n * c * h * w, rng);
          const rows = n * oh * ow, width = c * kh * kw;
          const col = arr(dtype, 2 + rows * width, rng, 0);
          be.im2col(g, x, 1, col, 2);
          for (let b = 0; b < n; b++) for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++)
            for (let ch = 0; ch < c; ch++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
              const y = oy * sh - ph + i, xx = ox * sw - pw + j;
              const v = y >= 0 && y < h && xx >= 0 && xx < w ? x[1 + ((b * c + ch) * h + y) * w + xx]! : 0;
              assert.equal(col[2 + ((b * oh + oy) * ow + ox) * width + (ch * kh + i) * kw + j], v);
            }
          // <im2col(x), r> == <x, col2im(r)>
          const r = arr(dtype, rows * width, rng);
          const back = arr(dtype, 3 + n * c * h * w, rng, 0);
          be.col2im(g, r, 0, back, 3);
          let lhs = 0, rhs = 0;
          for (let i = 0; i < rows * width; i++) lhs += col[2 + i]! * r[i]!;
          for (let i = 0; i < n * c * h * w; i++) rhs += x[1 + i]! * back[3 + i]!;
          assert.ok(Math.abs(lhs - rhs) <= tolFor(dtype, 50) * Math.max(1, Math.abs(lhs)) * 10, `adjoint: ${lhs} vs ${rhs}`);
        }
      });

      test(`${dtype} maxPool2d vs naive (ties to the first)`, () => {
        for (const g of geoms) {
          if (2 * g.ph > g.kh || 2 * g.pw > g.kw) continue;
          const { n, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow } = g;
          const x = arr(dtype, 2 + n * c * h * w, rng);
          for (let i = 0; i < x.length; i += 3) x[i] = 0.5; // create ties
          const out = arr(dtype, n * c * oh * ow, rng, 0);
          const index = new Int32Array(out.length);
          be.maxPool2d(g, x, 2, out, 0, index, 0);
          let q = 0;
          for (let p = 0; p < n * c; p++) for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) {
            let best = -1, m = -Infinity;
            for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
              const y = oy * sh - ph + i, xx = ox * sw - pw + j;
              if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
              const at = (p * h + y) * w + xx;
              if (best < 0 || x[2 + at]! > m) { m = x[2 + at]!; best = at; }
            }
            assert.equal(index[q], best, `argmax at ${q}`);
            assert.equal(out[q], m);
            q++;
          }
        }
      });
    }
  });

  describe(`${be.name}: conv2d and its gradients`, () => {
    // Geometry, output channels; n = 9 spans two groups of the WASM weight gradient.
    const cases: [Conv2dGeometry, number][] = [];
    const mk = (n: number, c: number, h: number, w: number, kh: number, kw: number, sh: number, sw: number, ph: number, pw: number, o: number) =>
      cases.push([{ n, c, h, w, kh, kw, sh, sw, ph, pw, oh: Math.floor((h + 2 * ph - kh) / sh) + 1, ow: Math.floor((w + 2 * pw - kw) / sw) + 1 }, o]);
    mk(1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1);
    mk(2, 3, 5, 4, 3, 3, 1, 1, 1, 1, 5);
    mk(9, 2, 7, 6, 3, 2, 2, 3, 1, 1, 3);
    mk(3, 4, 6, 6, 5, 5, 1, 1, 2, 2, 7);
    mk(0, 2, 3, 3, 2, 2, 1, 1, 0, 0, 2);
    for (const dtype of DTYPES) {
      for (const withBias of [true, false]) {
        test(`${dtype} ${withBias ? 'with' : 'without'} bias: forward, input and weight gradients vs naive loops, at offsets`, () => {
          for (const [g, o] of cases) {
            const { n, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow } = g;
            const at = (b: number, ch: number, y: number, xx: number) => ((b * c + ch) * h + y) * w + xx;
            const x = arr(dtype, 1 + n * c * h * w, rng), wt = arr(dtype, 2 + o * c * kh * kw, rng);
            const bias = withBias ? arr(dtype, 3 + o, rng) : null;
            const out = arr(dtype, 4 + n * o * oh * ow, rng); // garbage: must be overwritten
            be.conv2d(g, o, x, 1, wt, 2, bias, 3, out, 4);
            const gy = arr(dtype, 1 + n * o * oh * ow, rng);
            const dx = arr(dtype, 2 + n * c * h * w, rng), dw = arr(dtype, 1 + o * c * kh * kw, rng);
            const db = withBias ? arr(dtype, 2 + o, rng) : null;
            be.conv2dBackwardInput(g, o, gy, 1, wt, 2, dx, 2);
            be.conv2dBackwardWeight(g, o, x, 1, gy, 1, dw, 1, db, 2);
            const eOut = new Float64Array(n * o * oh * ow), eDx = new Float64Array(n * c * h * w);
            const eDw = new Float64Array(o * c * kh * kw), eDb = new Float64Array(o);
            for (let b = 0; b < n; b++) for (let q = 0; q < o; q++) for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) {
              const oi = ((b * o + q) * oh + oy) * ow + ox;
              let acc = bias ? bias[3 + q]! : 0;
              const gv = gy[1 + oi]!;
              eDb[q] += gv;
              for (let ch = 0; ch < c; ch++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
                const y = oy * sh - ph + i, xx = ox * sw - pw + j;
                if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
                const wi = ((q * c + ch) * kh + i) * kw + j;
                acc += wt[2 + wi]! * x[1 + at(b, ch, y, xx)]!;
                eDx[at(b, ch, y, xx)] += wt[2 + wi]! * gv;
                eDw[wi] += x[1 + at(b, ch, y, xx)]! * gv;
              }
              eOut[oi] = acc;
            }
            const terms = c * kh * kw + n * oh * ow;
            const tol = tolFor(dtype, terms);
            const scale = 4;
            assertClose(out.subarray(4), eOut, tol, `conv2d ${JSON.stringify(g)} o=${o}`, scale);
            assertClose(dx.subarray(2), eDx, tol, `conv2dBackwardInput ${JSON.stringify(g)}`, scale);
            assertClose(dw.subarray(1), eDw, tol, `conv2dBackwardWeight ${JSON.stringify(g)}`, scale);
            if (db) assertClose(db.subarray(2), eDb, tol, `conv2dBackwardWeight bias ${JSON.stringify(g)}`, scale);
          }
        });
      }
      test(`${dtype} conv2d refuses bad operands with the kernel and the operand named`, () => {
        const g: Conv2dGeometry = { n: 1, c: 1, h: 3, w: 3, kh: 2, kw: 2, sh: 1, sw: 1, ph: 0, pw: 0, oh: 2, ow: 2 };
        const a = (k: number) => arr(dtype, k, rng);
        assert.throws(() => be.conv2d(g, 2, a(9), 0, a(8), 0, null, 0, a(7), 0), /conv2d: out of length 7 is too short for 8 elements/);
        assert.throws(() => be.conv2d(g, 0, a(9), 0, a(8), 0, null, 0, a(8), 0), /conv2d: invalid output channels 0/);
        assert.throws(() => be.conv2dBackwardWeight(g, 2, a(9), 0, a(8), 0, a(8), 0, a(1), 0), /conv2dBackwardWeight: dBias of length 1 is too short for 2 elements/);
      });
    }
  });
}

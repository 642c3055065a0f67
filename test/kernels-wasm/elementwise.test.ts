// The WASM backend passes the shared kernel suite, and its elementwise kernels (unary, binary,
// sumAxis) give bit-identical float32 results to the reference backend: on plain arrays (copied
// through WASM memory) and on arrays living in WASM memory, at sizes with vector remainders, with
// NaN, ±Infinity and -0 among the inputs.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { refBackend } from '../../src/kernels/ref/index.js';
import { createWasmBackend } from '../../src/kernels/wasm/index.js';
import type { BinaryOp, UnaryOp } from '../../src/kernels/backend.js';
import { kernelSuite } from '../kernels/suite.js';

const be = createWasmBackend(refBackend, { threads: 1 });
after(() => be.kernels.dispose());

kernelSuite(be);

const rng = new Rng(7);

function values(n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal() * 3;
  const specials = [NaN, Infinity, -Infinity, -0, 0, 1e-40, -1e-40, 3e38];
  for (let i = 0; i < specials.length && i * 7 < n; i++) a[i * 7] = specials[i]!;
  return a;
}

/** Bitwise equality (NaN payloads aside; -0 differs from +0). */
function assertSame(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    if (Number.isNaN(a) && Number.isNaN(e)) continue;
    assert.ok(Object.is(a, e), `${what}: element ${i} is ${a}, expected ${e}`);
  }
}

/** A plain copy, or a copy living in WASM memory. */
function place(x: Float32Array, inWasm: boolean): Float32Array {
  if (!inWasm) return x.slice();
  const y = be.kernels.allocate(x.length);
  y.set(x);
  return y;
}

describe('wasm elementwise kernels equal the reference bit for bit (float32)', () => {
  const unaryOps: [UnaryOp, number][] = [
    ['neg', 0], ['abs', 0], ['square', 0], ['sqrt', 0], ['reciprocal', 0], ['relu', 0],
    ['stepGt', 0], ['stepGt', 0.25], ['scale', 0.5], ['scale', 0.1], ['addScalar', -1.5], ['addScalar', 0.1],
    ['exp', 0], ['clamp', -0.5],
  ];
  for (const inWasm of [false, true]) {
    test(`unary (${inWasm ? 'in WASM memory' : 'copied'})`, () => {
      for (const [op, p0] of unaryOps) {
        for (const n of [1, 3, 4, 7, 16, 1001]) {
          const x = values(n + 3);
          const expected = new Float32Array(n + 2).fill(9);
          refBackend.unary(op, n, x, 3, expected, 2, p0, 2);
          const xs = place(x, inWasm), out = place(new Float32Array(n + 2).fill(9), inWasm);
          be.unary(op, n, xs, 3, out, 2, p0, 2);
          assertSame(out, expected, `${op}(${p0}) n=${n}`);
        }
      }
    });

    test(`binary, contiguous and row-broadcast (${inWasm ? 'in WASM memory' : 'copied'})`, () => {
      const layouts: [number[], number[], number[]][] = [
        [[1001], [1], [1]],
        [[37, 129], [129, 1], [0, 1]], // bias add: b is a row
        [[37, 129], [0, 1], [129, 1]],
        [[37, 129], [129, 1], [1, 0]], // b is a column
        [[5, 6], [8, 1], [6, 1]], // a with padded rows
        [[9], [1], [0]], // scalar b
        [[3, 4, 5], [20, 5, 1], [0, 5, 1]], // falls back (3-D after collapsing)
      ];
      for (const op of ['add', 'sub', 'mul', 'div', 'maximum'] as BinaryOp[]) {
        for (const [shape, sa, sb] of layouts) {
          const n = shape.reduce((p, d) => p * d, 1);
          const a = values(2 + n * 2), b = values(1 + n);
          const expected = new Float32Array(n + 1).fill(9);
          refBackend.binary(op, shape.length, shape, a, 2, sa, b, 1, sb, expected, 1);
          const out = place(new Float32Array(n + 1).fill(9), inWasm);
          be.binary(op, shape.length, shape, place(a, inWasm), 2, sa, place(b, inWasm), 1, sb, out, 1);
          assertSame(out, expected, `${op} ${JSON.stringify(shape)}`);
        }
      }
    });

    test(`sumAxis (${inWasm ? 'in WASM memory' : 'copied'})`, () => {
      for (const [outer, size, inner] of [[1, 128, 1000], [3, 5, 1], [2, 7, 13], [1, 1, 600], [4, 0, 3]] as const) {
        const x = values(2 + outer * size * inner);
        const expected = new Float32Array(1 + outer * inner).fill(9);
        refBackend.sumAxis(outer, size, inner, x, 2, expected, 1);
        const out = place(new Float32Array(1 + outer * inner).fill(9), inWasm);
        be.sumAxis(outer, size, inner, place(x, inWasm), 2, out, 1);
        assertSame(out, expected, `sumAxis ${outer}×${size}×${inner}`);
      }
    });
  }

  test('copyStrided (permute, expand; falls back past 3-D)', () => {
    const cases: [number[], number[]][] = [
      [[4, 6, 5], [30, 1, 6]], // [n, o, oh*ow] read from [n, oh*ow, o]
      [[7, 3], [1, 7]],
      [[5, 9], [0, 1]], // expand
      [[2, 3, 4, 5], [60, 1, 15, 3]], // 4-D after merging: reference
      [[11], [1]],
    ];
    for (const inWasm of [false, true]) {
      for (const [shape, strides] of cases) {
        const n = shape.reduce((p, d) => p * d, 1);
        const x = values(3 + shape.reduce((p, d, i) => p + (d - 1) * strides[i]!, 1));
        const expected = new Float32Array(n + 1).fill(9);
        refBackend.copyStrided(shape.length, shape, x, 3, strides, expected, 1);
        const out = place(new Float32Array(n + 1).fill(9), inWasm);
        be.copyStrided(shape.length, shape, place(x, inWasm), 3, strides, out, 1);
        assertSame(out, expected, `copyStrided ${JSON.stringify(shape)} ${JSON.stringify(strides)}`);
      }
    }
  });

  test('im2col, col2im and maxPool2d (padding, strides; copied and in WASM memory)', () => {
    const geometries = [
      { n: 2, c: 3, h: 7, w: 6, kh: 5, kw: 5, sh: 1, sw: 1, ph: 2, pw: 2 },
      { n: 1, c: 2, h: 9, w: 8, kh: 3, kw: 2, sh: 2, sw: 3, ph: 1, pw: 0 },
      { n: 3, c: 1, h: 4, w: 4, kh: 4, kw: 4, sh: 1, sw: 1, ph: 3, pw: 3 },
    ];
    for (const inWasm of [false, true]) {
      for (const geo of geometries) {
        const g = { ...geo, oh: Math.floor((geo.h + 2 * geo.ph - geo.kh) / geo.sh) + 1, ow: Math.floor((geo.w + 2 * geo.pw - geo.kw) / geo.sw) + 1 };
        const xCount = g.n * g.c * g.h * g.w, colCount = g.n * g.oh * g.ow * g.c * g.kh * g.kw;
        const x = values(xCount + 1);
        const colRef = new Float32Array(colCount + 2).fill(9);
        refBackend.im2col(g, x, 1, colRef, 2);
        const col = place(new Float32Array(colCount + 2).fill(9), inWasm);
        be.im2col(g, place(x, inWasm), 1, col, 2);
        assertSame(col, colRef, `im2col ${JSON.stringify(geo)}`);
        const cols = values(colCount + 1), base = values(xCount + 2);
        const xRef = base.slice();
        refBackend.col2im(g, cols, 1, xRef, 2);
        const xs = place(base, inWasm);
        be.col2im(g, place(cols, inWasm), 1, xs, 2);
        assertSame(xs, xRef, `col2im ${JSON.stringify(geo)}`);
        if (g.ph * 2 <= g.kh && g.pw * 2 <= g.kw) {
          const pg = { ...g, c: g.c, oh: g.oh, ow: g.ow };
          const poolCount = g.n * g.c * g.oh * g.ow;
          const xp = values(xCount + 1);
          xp[5] = xp[6]; // a tie
          const outRef = new Float32Array(poolCount + 1).fill(9), indexRef = new Int32Array(poolCount + 1).fill(-7);
          refBackend.maxPool2d(pg, xp, 1, outRef, 1, indexRef, 1);
          const out = place(new Float32Array(poolCount + 1).fill(9), inWasm), index = new Int32Array(poolCount + 1).fill(-7);
          be.maxPool2d(pg, place(xp, inWasm), 1, out, 1, index, 1);
          assertSame(out, outRef, `maxPool2d ${JSON.stringify(geo)}`);
          assert.deepEqual(Array.from(index), Array.from(indexRef), `maxPool2d index ${JSON.stringify(geo)}`);
        }
      }
    }
  });

  test('float64 operands go to the reference backend', () => {
    const x = Float64Array.from([1, -2, 3]);
    const out = new Float64Array(3);
    be.unary('relu', 3, x, 0, out, 0, 0, 0);
    assert.deepEqual(Array.from(out), [1, 0, 3]);
  });
});

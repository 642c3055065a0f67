// The WASM fused convolution on two threads gives the same bits as on one (threads claim
// images; the weight gradient sums fixed groups of images in group order), for operands in
// JavaScript memory and in WASM memory, and agrees with the reference backend within float32
// rounding on a DeepOBS-sized layer.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { refBackend } from '../../src/kernels/ref/index.js';
import { createWasmBackend } from '../../src/kernels/wasm/index.js';
import type { Conv2dGeometry } from '../../src/kernels/backend.js';

const one = createWasmBackend(refBackend, { threads: 1 });
const two = createWasmBackend(refBackend, { threads: 2 });
after(() => {
  one.kernels.dispose();
  two.kernels.dispose();
});

const rng = new Rng(3);
const draw = (n: number) => rng.fillNormal(new Float32Array(n));

// 12 images of 16×16×16, 24 filters of 3×3 ('same'): ~10M multiply-adds, above the threading threshold.
const g: Conv2dGeometry = { n: 12, c: 16, h: 16, w: 16, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1, oh: 16, ow: 16 };
const o = 24;
const x = draw(g.n * g.c * g.h * g.w), w = draw(o * g.c * 9), b = draw(o), gy = draw(g.n * o * 256);

function run(be: typeof one, inWasm: boolean) {
  const place = (a: Float32Array) => {
    if (!inWasm) return a;
    const v = be.kernels.allocate(a.length);
    v.set(a);
    return v;
  };
  const out = new Float32Array(gy.length), dx = new Float32Array(x.length), dw = new Float32Array(w.length), db = new Float32Array(o);
  be.conv2d(g, o, place(x), 0, place(w), 0, place(b), 0, out, 0);
  be.conv2dBackwardInput(g, o, place(gy), 0, place(w), 0, dx, 0);
  be.conv2dBackwardWeight(g, o, place(x), 0, place(gy), 0, dw, 0, db, 0);
  return { out, dx, dw, db };
}

test('two threads give the same bits as one, in JavaScript or WASM memory', () => {
  assert.equal(two.kernels.threads, 2);
  const ref = run(one, false);
  for (const inWasm of [false, true]) {
    const r = run(two, inWasm);
    for (const k of ['out', 'dx', 'dw', 'db'] as const) assert.deepEqual(r[k], ref[k], `${k} (${inWasm ? 'WASM' : 'JS'} memory)`);
  }
});

test('agrees with the reference backend within float32 rounding', () => {
  const r = run(two, false);
  const out = new Float32Array(gy.length), dx = new Float32Array(x.length), dw = new Float32Array(w.length), db = new Float32Array(o);
  refBackend.conv2d(g, o, x, 0, w, 0, b, 0, out, 0);
  refBackend.conv2dBackwardInput(g, o, gy, 0, w, 0, dx, 0);
  refBackend.conv2dBackwardWeight(g, o, x, 0, gy, 0, dw, 0, db, 0);
  for (const [k, expected] of Object.entries({ out, dx, dw, db })) {
    const actual = r[k as keyof typeof r];
    let scale = 0, err = 0;
    for (let i = 0; i < expected.length; i++) {
      scale = Math.max(scale, Math.abs(expected[i]!));
      err = Math.max(err, Math.abs(expected[i]! - actual[i]!));
    }
    assert.ok(err <= 1e-5 * scale, `${k}: max error ${err} against max |value| ${scale}`);
  }
});

/**
 * Reference fused convolution: conv2d and its two gradients, one image at a time (the columns
 * of one image, col_b [oh*ow, c*kh*kw] from im2col, then one gemm), so no kernel holds the
 * columns of the whole batch:
 *
 *   forward       out[b] [o, oh*ow] = W [o, ckk] · col_bᵀ  (+ bias[o] on row o)
 *   input grad    dx[b] = col2im(dOut[b]ᵀ · W)
 *   weight grad   dW = Σ_b dOut[b] · col_b;  dBias[o] = Σ_b Σ_pixels dOut[b, o]
 */
import { allocate, dtypeOf, type FloatArray } from '../../core/dtype.js';
import { ValueError, show } from '../../core/errors.js';
import type { Conv2dGeometry } from '../backend.js';
import { checkGeometry, checkSpan } from './check.js';
import { col2im, im2col } from './conv.js';
import { gemm } from './gemm.js';

/** Checks the geometry, the output channels and every operand's span; returns the sizes. */
export function checkConv2d(kernel: string, g: Conv2dGeometry, o: number, spans: Record<string, [ArrayLike<number> | null, number, 'x' | 'weight' | 'bias' | 'out']>): { pix: number; ckk: number } {
  checkGeometry(kernel, g);
  if (!Number.isInteger(o) || o < 1) throw new ValueError(`${kernel}: invalid output channels ${show(o)}, expected an integer >= 1`);
  const pix = g.oh * g.ow, ckk = g.c * g.kh * g.kw;
  const counts = { x: g.n * g.c * g.h * g.w, weight: o * ckk, bias: o, out: g.n * o * pix };
  for (const [name, [array, offset, kind]] of Object.entries(spans)) {
    if (array !== null) checkSpan(kernel, name, array, offset, counts[kind]);
  }
  return { pix, ckk };
}

/** Geometry of one image of the batch. */
function single(g: Conv2dGeometry): Conv2dGeometry {
  return { ...g, n: 1 };
}

export function conv2d(g: Conv2dGeometry, o: number, x: FloatArray, xo: number, w: FloatArray, wo: number, bias: FloatArray | null, bo: number, out: FloatArray, oo: number): void {
  const { pix, ckk } = checkConv2d('conv2d', g, o, { x: [x, xo, 'x'], weight: [w, wo, 'weight'], bias: [bias, bo, 'bias'], out: [out, oo, 'out'] });
  const col = allocate(dtypeOf(x), pix * ckk);
  const one = single(g);
  for (let b = 0; b < g.n; b++) {
    im2col(one, x, xo + b * g.c * g.h * g.w, col, 0);
    const ob = oo + b * o * pix;
    gemm(false, true, o, pix, ckk, 1, w, wo, ckk, col, 0, ckk, 0, out, ob, pix);
    if (bias !== null) {
      for (let r = 0; r < o; r++) {
        const v = bias[bo + r]!;
        for (let j = ob + r * pix, end = j + pix; j < end; j++) out[j] += v;
      }
    }
  }
}

export function conv2dBackwardInput(g: Conv2dGeometry, o: number, dOut: FloatArray, go: number, w: FloatArray, wo: number, dx: FloatArray, dxo: number): void {
  const { pix, ckk } = checkConv2d('conv2dBackwardInput', g, o, { dOut: [dOut, go, 'out'], weight: [w, wo, 'weight'], dx: [dx, dxo, 'x'] });
  const col = allocate(dtypeOf(dx), pix * ckk);
  const one = single(g);
  const image = g.c * g.h * g.w;
  for (let b = 0; b < g.n; b++) {
    gemm(true, false, pix, ckk, o, 1, dOut, go + b * o * pix, pix, w, wo, ckk, 0, col, 0, ckk);
    dx.fill(0, dxo + b * image, dxo + (b + 1) * image);
    col2im(one, col, 0, dx, dxo + b * image);
  }
}

export function conv2dBackwardWeight(g: Conv2dGeometry, o: number, x: FloatArray, xo: number, dOut: FloatArray, go: number, dw: FloatArray, dwo: number, dBias: FloatArray | null, dbo: number): void {
  const { pix, ckk } = checkConv2d('conv2dBackwardWeight', g, o, { x: [x, xo, 'x'], dOut: [dOut, go, 'out'], dWeight: [dw, dwo, 'weight'], dBias: [dBias, dbo, 'bias'] });
  const col = allocate(dtypeOf(x), pix * ckk);
  const one = single(g);
  dw.fill(0, dwo, dwo + o * ckk);
  if (dBias !== null) dBias.fill(0, dbo, dbo + o);
  for (let b = 0; b < g.n; b++) {
    const db = go + b * o * pix;
    im2col(one, x, xo + b * g.c * g.h * g.w, col, 0);
    gemm(false, false, o, ckk, pix, 1, dOut, db, pix, col, 0, ckk, 1, dw, dwo, ckk);
    if (dBias !== null) {
      for (let r = 0; r < o; r++) {
        let s = 0;
        for (let j = db + r * pix, end = j + pix; j < end; j++) s += dOut[j]!;
        dBias[dbo + r] += s;
      }
    }
  }
}

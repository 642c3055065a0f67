/** Reference convolution and pooling kernels: im2col, its adjoint col2im, max pooling. */
import type { FloatArray } from '../../core/dtype.js';
import type { Conv2dGeometry } from '../backend.js';
import { checkGeometry, checkSpan } from './check.js';

export function im2col(g: Conv2dGeometry, x: FloatArray, xo: number, col: FloatArray, co: number): void {
  checkGeometry('im2col', g);
  checkSpan('im2col', 'x', x, xo, g.n * g.c * g.h * g.w);
  checkSpan('im2col', 'col', col, co, g.n * g.oh * g.ow * g.c * g.kh * g.kw);
  const { n, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow } = g;
  const width = c * kh * kw;
  let row = co;
  for (let b = 0; b < n; b++) {
    const xb = xo + b * c * h * w;
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        let p = row;
        for (let ch = 0; ch < c; ch++) {
          const xc = xb + ch * h * w;
          for (let i = 0; i < kh; i++) {
            const y = oy * sh - ph + i;
            if (y < 0 || y >= h) {
              for (let j = 0; j < kw; j++) col[p + j] = 0;
            } else {
              const xr = xc + y * w;
              for (let j = 0; j < kw; j++) {
                const xx = ox * sw - pw + j;
                col[p + j] = xx >= 0 && xx < w ? x[xr + xx]! : 0;
              }
            }
            p += kw;
          }
        }
        row += width;
      }
    }
  }
}

export function col2im(g: Conv2dGeometry, col: FloatArray, co: number, x: FloatArray, xo: number): void {
  checkGeometry('col2im', g);
  checkSpan('col2im', 'x', x, xo, g.n * g.c * g.h * g.w);
  checkSpan('col2im', 'col', col, co, g.n * g.oh * g.ow * g.c * g.kh * g.kw);
  const { n, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow } = g;
  const width = c * kh * kw;
  let row = co;
  for (let b = 0; b < n; b++) {
    const xb = xo + b * c * h * w;
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        let p = row;
        for (let ch = 0; ch < c; ch++) {
          const xc = xb + ch * h * w;
          for (let i = 0; i < kh; i++) {
            const y = oy * sh - ph + i;
            if (y >= 0 && y < h) {
              const xr = xc + y * w;
              for (let j = 0; j < kw; j++) {
                const xx = ox * sw - pw + j;
                if (xx >= 0 && xx < w) x[xr + xx] += col[p + j]!;
              }
            }
            p += kw;
          }
        }
        row += width;
      }
    }
  }
}

export function maxPool2d(g: Conv2dGeometry, x: FloatArray, xo: number, out: FloatArray, oo: number, index: Int32Array, io: number): void {
  checkGeometry('maxPool2d', g);
  checkSpan('maxPool2d', 'x', x, xo, g.n * g.c * g.h * g.w);
  checkSpan('maxPool2d', 'out', out, oo, g.n * g.c * g.oh * g.ow);
  checkSpan('maxPool2d', 'index', index, io, g.n * g.c * g.oh * g.ow);
  const { n, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow } = g;
  let q = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * h * w;
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        let m = -Infinity;
        let best = -1;
        for (let i = 0; i < kh; i++) {
          const y = oy * sh - ph + i;
          if (y < 0 || y >= h) continue;
          for (let j = 0; j < kw; j++) {
            const xx = ox * sw - pw + j;
            if (xx < 0 || xx >= w) continue;
            const at = base + y * w + xx;
            const v = x[xo + at]!;
            if (best < 0 || v > m || (v !== v && m === m)) {
              m = v;
              best = at;
            }
          }
        }
        out[oo + q] = m;
        index[io + q] = best;
        q++;
      }
    }
  }
}

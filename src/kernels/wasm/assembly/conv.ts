// im2col and its adjoint col2im for float32 [n, c, h, w] images, in the reference kernels' loop
// order (col2im adds in exactly the same order, so both give the reference's bits).
// Geometry as in kernels/backend.ts Conv2dGeometry; pointers are byte addresses.

// col [n*oh*ow, c*kh*kw]: row (b, oy, ox), column (ch, i, j) = x[b, ch, oy*sh - ph + i, ox*sw - pw + j] or 0.
export function im2col32(
  n: i32, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32,
  x: usize, col: usize,
): void {
  let p = col;
  const plane = <usize>(h * w) << 2;
  for (let b = 0; b < n; b++) {
    const xb = x + <usize>b * <usize>c * plane;
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const x0 = ox * sw - pw;
        // Columns j in [j0, j1) fall inside the image.
        const j0 = x0 < 0 ? -x0 : 0;
        const j1 = w - x0 < kw ? w - x0 : kw;
        for (let ch = 0; ch < c; ch++) {
          const xc = xb + <usize>ch * plane;
          for (let i = 0; i < kh; i++) {
            const y = oy * sh - ph + i;
            if (y < 0 || y >= h || j0 >= j1) {
              for (let j = 0; j < kw; j++) store<f32>(p + (<usize>j << 2), 0);
            } else {
              const xr = xc + (<usize>(y * w + x0) << 2);
              for (let j = 0; j < j0; j++) store<f32>(p + (<usize>j << 2), 0);
              for (let j = j0; j < j1; j++) store<f32>(p + (<usize>j << 2), load<f32>(xr + (<usize>j << 2)));
              for (let j = j1; j < kw; j++) store<f32>(p + (<usize>j << 2), 0);
            }
            p += <usize>kw << 2;
          }
        }
      }
    }
  }
}

// x[b, ch, y, x] += every col entry im2col32 read from it, in im2col's order.
export function col2im32(
  n: i32, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32,
  col: usize, x: usize,
): void {
  let p = col;
  const plane = <usize>(h * w) << 2;
  for (let b = 0; b < n; b++) {
    const xb = x + <usize>b * <usize>c * plane;
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const x0 = ox * sw - pw;
        const j0 = x0 < 0 ? -x0 : 0;
        const j1 = w - x0 < kw ? w - x0 : kw;
        for (let ch = 0; ch < c; ch++) {
          const xc = xb + <usize>ch * plane;
          for (let i = 0; i < kh; i++) {
            const y = oy * sh - ph + i;
            if (y >= 0 && y < h) {
              const xr = xc + (<usize>(y * w + x0) << 2);
              for (let j = j0; j < j1; j++) {
                const q = xr + (<usize>j << 2);
                store<f32>(q, load<f32>(q) + load<f32>(p + (<usize>j << 2)));
              }
            }
            p += <usize>kw << 2;
          }
        }
      }
    }
  }
}

// Max pooling of x [n, c, h, w] into out [n, c, oh, ow] (padding is -Infinity); index[q] = flat
// index into x of the maximum, ties to the first, a NaN wins (the reference's rule and order).
export function maxPool2d32(
  n: i32, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32,
  x: usize, out: usize, index: usize,
): void {
  let q: usize = 0;
  const planes = n * c;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * h * w;
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        let m: f32 = -Infinity;
        let best: i32 = -1;
        for (let i = 0; i < kh; i++) {
          const y = oy * sh - ph + i;
          if (y < 0 || y >= h) continue;
          for (let j = 0; j < kw; j++) {
            const xx = ox * sw - pw + j;
            if (xx < 0 || xx >= w) continue;
            const at = base + y * w + xx;
            const v = load<f32>(x + (<usize>at << 2));
            if (best < 0 || v > m || (v != v && m == m)) {
              m = v;
              best = at;
            }
          }
        }
        store<f32>(out + (q << 2), m);
        store<i32>(index + (q << 2), best);
        q++;
      }
    }
  }
}

// ---------------------------------------------------------------- fused convolution
// Cross-correlation of x [n, c, h, w] with weight [o, c, kh, kw], one image at a time, so the
// columns of an image (col [oh*ow, c*kh*kw], im2col32's layout) stay in a per-thread buffer:
//   forward       out[b] [o, oh*ow] = W [o, ckk] · col_bᵀ (+ bias[o] on row o)
//   input grad    dcol_b = dOut[b]ᵀ · W;  dx[b] = col2im(dcol_b)
//   weight grad   dW = Σ_b dOut[b] · col_b;  dbias[o] = Σ_b Σ_pixels dOut[b, o]
// Threads claim images (or groups of CONV_GROUP images for the weight gradient) through the
// atomic counter at `counter`. The weight gradient sums each group into its own partial
// (`parts`, group g at g * (o*ckk + o) floats), and convReduce32 adds the partials in group
// order: the result does not depend on which thread took which group, nor on the thread count.

import { gemm } from './gemm';

export const CONV_GROUP: i32 = 8;

export function conv2dForward32(
  n: i32, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32, o: i32,
  x: usize, wt: usize, bias: usize, out: usize, col: usize, work: usize, counter: usize,
): void {
  const pix = oh * ow, ckk = c * kh * kw;
  const imageBytes = <usize>(c * h * w) << 2, outBytes = <usize>(o * pix) << 2;
  for (;;) {
    const b = atomic.add<i32>(counter, 1);
    if (b >= n) return;
    im2col32(1, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow, x + <usize>b * imageBytes, col);
    const ob = out + <usize>b * outBytes;
    gemm(false, true, o, pix, ckk, 1, wt, ckk, col, ckk, 0, ob, pix, work);
    if (bias != 0) {
      for (let r = 0; r < o; r++) {
        const row = ob + (<usize>(r * pix) << 2);
        const bv = load<f32>(bias + (<usize>r << 2));
        const v = f32x4.splat(bv);
        let j = 0;
        for (; j + 4 <= pix; j += 4) {
          const q = row + (<usize>j << 2);
          v128.store(q, f32x4.add(v128.load(q), v));
        }
        for (; j < pix; j++) {
          const q = row + (<usize>j << 2);
          store<f32>(q, load<f32>(q) + bv);
        }
      }
    }
  }
}

export function conv2dBackwardInput32(
  n: i32, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32, o: i32,
  dOut: usize, wt: usize, dx: usize, col: usize, work: usize, counter: usize,
): void {
  const pix = oh * ow, ckk = c * kh * kw;
  const imageBytes = <usize>(c * h * w) << 2, outBytes = <usize>(o * pix) << 2;
  for (;;) {
    const b = atomic.add<i32>(counter, 1);
    if (b >= n) return;
    gemm(true, false, pix, ckk, o, 1, dOut + <usize>b * outBytes, pix, wt, ckk, 0, col, ckk, work);
    const dxb = dx + <usize>b * imageBytes;
    memory.fill(dxb, 0, imageBytes);
    col2im32(1, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow, col, dxb);
  }
}

export function conv2dBackwardWeight32(
  n: i32, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32, o: i32,
  x: usize, dOut: usize, parts: usize, col: usize, work: usize, counter: usize,
): void {
  const pix = oh * ow, ckk = c * kh * kw;
  const imageBytes = <usize>(c * h * w) << 2, outBytes = <usize>(o * pix) << 2;
  const partBytes = <usize>(o * ckk + o) << 2;
  const groups = (n + CONV_GROUP - 1) / CONV_GROUP;
  for (;;) {
    const g = atomic.add<i32>(counter, 1);
    if (g >= groups) return;
    const part = parts + <usize>g * partBytes;
    const dbias = part + (<usize>(o * ckk) << 2);
    memory.fill(part, 0, partBytes);
    const end = min(n, (g + 1) * CONV_GROUP);
    for (let b = g * CONV_GROUP; b < end; b++) {
      const db = dOut + <usize>b * outBytes;
      im2col32(1, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow, x + <usize>b * imageBytes, col);
      gemm(false, false, o, ckk, pix, 1, db, pix, col, ckk, 1, part, ckk, work);
      for (let r = 0; r < o; r++) {
        const row = db + (<usize>(r * pix) << 2);
        let s: f32 = 0;
        for (let j = 0; j < pix; j++) s += load<f32>(row + (<usize>j << 2));
        const q = dbias + (<usize>r << 2);
        store<f32>(q, load<f32>(q) + s);
      }
    }
  }
}

// out[i] = Σ_g parts[g * size + i] for g in [0, groups), added in group order.
export function convReduce32(groups: i32, size: i32, parts: usize, out: usize): void {
  const bytes = <usize>size << 2;
  memory.copy(out, parts, bytes);
  for (let g = 1; g < groups; g++) {
    const src = parts + <usize>g * bytes;
    let i = 0;
    for (; i + 4 <= size; i += 4) {
      const q = out + (<usize>i << 2);
      v128.store(q, f32x4.add(v128.load(q), v128.load(src + (<usize>i << 2))));
    }
    for (; i < size; i++) {
      const q = out + (<usize>i << 2);
      store<f32>(q, load<f32>(q) + load<f32>(src + (<usize>i << 2)));
    }
  }
}

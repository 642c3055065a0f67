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

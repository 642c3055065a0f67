// GEMM, row-major: C = alpha * op(A) * op(B) + beta * C (float32).
//
// The classic blocked layout (Goto & van de Geijn): for each NC-wide column block of C and each
// KC-deep slice of k, op(B) is packed into NR-wide column panels; for each MC-tall row block,
// op(A) is packed into MR-tall row panels; then a register-blocked MR×NR micro-kernel sweeps the
// block. Transposes happen in the packing, so the micro-kernel sees one layout only.
//
// The micro-kernel holds a 6×8 tile of C in twelve f32x4 accumulators: per k step it loads two
// vectors of B, broadcasts six values of A and issues twelve multiply-adds (twelve independent
// chains hide the multiply-add latency; 4×8 left the units idle a fifth of the time).
//
// Edges (m, n, k not multiples of the tile) are handled by zero-padding the packed panels and
// writing back only the valid part of the tile. C is first scaled by beta (set to zero when
// beta == 0, so C is not read), then each KC slice adds alpha * (its partial product).
//
// All pointers are byte addresses into linear memory; leading dimensions are in elements.
// `work` must hold GEMM_WORK_BYTES bytes: packed A, packed B and a 32-float edge buffer.

import { madd, min32 } from './simd';

export const MR: i32 = 6;
export const NR: i32 = 8;
export const KC: i32 = 256;
export const MC: i32 = 144;
export const NC: i32 = 2048;
export const GEMM_WORK_BYTES: i32 = (MC * KC + KC * NC + MR * NR) * 4 + 64;

// Stores the transpose of the 4×4 block with rows r0..r3: column q goes to dst + q * stride.
// @ts-ignore: decorator
@inline
function transpose4Store(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, stride: usize): void {
  const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5); // r0[0] r1[0] r0[1] r1[1]
  const t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7); // r0[2] r1[2] r0[3] r1[3]
  const t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, f32x4.shuffle(t0, t2, 0, 1, 4, 5));
  v128.store(dst + stride, f32x4.shuffle(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * stride, f32x4.shuffle(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * stride, f32x4.shuffle(t1, t3, 2, 3, 6, 7));
}

// Packs the mc×kc block of op(A) whose top-left element is at `a` into MR-row panels:
// panel q holds, for each p, the MR values op(A)[q*MR + r][p] (zero past mc).
// op(A)[i][p] = transA ? a[p*lda + i] : a[i*lda + p].
function packA(transA: bool, mc: i32, kc: i32, a: usize, lda: i32, dst: usize): void {
  const ldaB = <usize>lda << 2;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const h = min32(MR, mc - i0);
    if (transA) {
      let src = a + (<usize>i0 << 2);
      if (h == MR) {
        for (let p = 0; p < kc; p++) {
          v128.store(dst, v128.load(src));
          store<u64>(dst + 16, load<u64>(src + 16));
          src += ldaB;
          dst += MR << 2;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let r = 0; r < MR; r++) store<f32>(dst + (<usize>r << 2), r < h ? load<f32>(src + (<usize>r << 2)) : 0);
          src += ldaB;
          dst += MR << 2;
        }
      }
    } else {
      const row = a + <usize>i0 * ldaB;
      if (h == MR) {
        let p = 0;
        for (; p + 4 <= kc; p += 4) {
          const s = row + (<usize>p << 2);
          // Rows 0-3 by a 4×4 transpose, rows 4 and 5 one value at a time.
          transpose4Store(v128.load(s), v128.load(s + ldaB), v128.load(s + 2 * ldaB), v128.load(s + 3 * ldaB), dst, MR << 2);
          const r4 = s + 4 * ldaB, r5 = s + 5 * ldaB;
          for (let q: usize = 0; q < 4; q++) {
            const d = dst + q * (MR << 2);
            store<f32>(d + 16, load<f32>(r4 + (q << 2)));
            store<f32>(d + 20, load<f32>(r5 + (q << 2)));
          }
          dst += 4 * (MR << 2);
        }
        for (; p < kc; p++) {
          const s = row + (<usize>p << 2);
          for (let r = 0; r < MR; r++) store<f32>(dst + (<usize>r << 2), load<f32>(s + <usize>r * ldaB));
          dst += MR << 2;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const s = row + (<usize>p << 2);
          for (let r = 0; r < MR; r++) store<f32>(dst + (<usize>r << 2), r < h ? load<f32>(s + <usize>r * ldaB) : 0);
          dst += MR << 2;
        }
      }
    }
  }
}

// Packs the kc×nc block of op(B) whose top-left element is at `b` into NR-column panels:
// panel q holds, for each p, the NR values op(B)[p][q*NR + j] (zero past nc).
// op(B)[p][j] = transB ? b[j*ldb + p] : b[p*ldb + j].
function packB(transB: bool, kc: i32, nc: i32, b: usize, ldb: i32, dst: usize): void {
  const ldbB = <usize>ldb << 2;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const w = min32(NR, nc - j0);
    if (!transB) {
      let src = b + (<usize>j0 << 2);
      if (w == NR) {
        for (let p = 0; p < kc; p++) {
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
          src += ldbB;
          dst += 32;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let j = 0; j < NR; j++) store<f32>(dst + (<usize>j << 2), j < w ? load<f32>(src + (<usize>j << 2)) : 0);
          src += ldbB;
          dst += 32;
        }
      }
    } else {
      const col = b + <usize>j0 * ldbB; // row j0 of B = column j0 of op(B)
      if (w == NR) {
        let p = 0;
        for (; p + 4 <= kc; p += 4) {
          const s = col + (<usize>p << 2);
          transpose4Store(v128.load(s), v128.load(s + ldbB), v128.load(s + 2 * ldbB), v128.load(s + 3 * ldbB), dst, 32);
          const s4 = s + 4 * ldbB;
          transpose4Store(v128.load(s4), v128.load(s4 + ldbB), v128.load(s4 + 2 * ldbB), v128.load(s4 + 3 * ldbB), dst + 16, 32);
          dst += 128;
        }
        for (; p < kc; p++) {
          const s = col + (<usize>p << 2);
          for (let j = 0; j < NR; j++) store<f32>(dst + (<usize>j << 2), load<f32>(s + <usize>j * ldbB));
          dst += 32;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const s = col + (<usize>p << 2);
          for (let j = 0; j < NR; j++) store<f32>(dst + (<usize>j << 2), j < w ? load<f32>(s + <usize>j * ldbB) : 0);
          dst += 32;
        }
      }
    }
  }
}

// C[0:mr, 0:nr] += alpha * (packed A panel) * (packed B panel), over kc steps.
function kernel6x8(kc: i32, pa: usize, pb: usize, c: usize, ldcB: usize, alpha: f32, mr: i32, nr: i32, tmp: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  let c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    a = v128.load32_splat(pa, 16);
    c40 = madd(a, b0, c40);
    c41 = madd(a, b1, c41);
    a = v128.load32_splat(pa, 20);
    c50 = madd(a, b0, c50);
    c51 = madd(a, b1, c51);
    pa += 24;
    pb += 32;
  }
  const va = f32x4.splat(alpha);
  if (mr == MR && nr == NR) {
    let r = c;
    v128.store(r, madd(va, c00, v128.load(r)));
    v128.store(r, madd(va, c01, v128.load(r, 16)), 16);
    r += ldcB;
    v128.store(r, madd(va, c10, v128.load(r)));
    v128.store(r, madd(va, c11, v128.load(r, 16)), 16);
    r += ldcB;
    v128.store(r, madd(va, c20, v128.load(r)));
    v128.store(r, madd(va, c21, v128.load(r, 16)), 16);
    r += ldcB;
    v128.store(r, madd(va, c30, v128.load(r)));
    v128.store(r, madd(va, c31, v128.load(r, 16)), 16);
    r += ldcB;
    v128.store(r, madd(va, c40, v128.load(r)));
    v128.store(r, madd(va, c41, v128.load(r, 16)), 16);
    r += ldcB;
    v128.store(r, madd(va, c50, v128.load(r)));
    v128.store(r, madd(va, c51, v128.load(r, 16)), 16);
    return;
  }
  v128.store(tmp, c00);
  v128.store(tmp, c01, 16);
  v128.store(tmp, c10, 32);
  v128.store(tmp, c11, 48);
  v128.store(tmp, c20, 64);
  v128.store(tmp, c21, 80);
  v128.store(tmp, c30, 96);
  v128.store(tmp, c31, 112);
  v128.store(tmp, c40, 128);
  v128.store(tmp, c41, 144);
  v128.store(tmp, c50, 160);
  v128.store(tmp, c51, 176);
  for (let i = 0; i < mr; i++) {
    const row = c + <usize>i * ldcB;
    const t = tmp + (<usize>(i * NR) << 2);
    for (let j = 0; j < nr; j++) {
      const q = row + (<usize>j << 2);
      store<f32>(q, load<f32>(q) + alpha * load<f32>(t + (<usize>j << 2)));
    }
  }
}

// C[0:m, 0:n] *= beta; beta == 0 writes zeros without reading C.
function scaleC(m: i32, n: i32, beta: f32, c: usize, ldcB: usize): void {
  if (beta == 1) return;
  const vb = f32x4.splat(beta);
  const zero = f32x4.splat(0);
  for (let i = 0; i < m; i++) {
    const row = c + <usize>i * ldcB;
    let j = 0;
    if (beta == 0) {
      for (; j + 4 <= n; j += 4) v128.store(row + (<usize>j << 2), zero);
      for (; j < n; j++) store<f32>(row + (<usize>j << 2), 0);
    } else {
      for (; j + 4 <= n; j += 4) {
        const q = row + (<usize>j << 2);
        v128.store(q, f32x4.mul(vb, v128.load(q)));
      }
      for (; j < n; j++) {
        const q = row + (<usize>j << 2);
        store<f32>(q, beta * load<f32>(q));
      }
    }
  }
}

export function gemm(
  transA: bool, transB: bool, m: i32, n: i32, k: i32, alpha: f32,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f32, c: usize, ldc: i32, work: usize,
): void {
  if (m <= 0 || n <= 0) return;
  const ldcB = <usize>ldc << 2;
  scaleC(m, n, beta, c, ldcB);
  if (k <= 0) return;
  const pa = (work + 15) & ~<usize>15;
  const pb = pa + (<usize>(MC * KC) << 2);
  const tmp = pb + (<usize>(KC * NC) << 2);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min32(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min32(KC, k - pc);
      const bBlock = transB ? b + ((<usize>jc * <usize>ldb + <usize>pc) << 2) : b + ((<usize>pc * <usize>ldb + <usize>jc) << 2);
      packB(transB, kc, nc, bBlock, ldb, pb);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min32(MC, m - ic);
        const aBlock = transA ? a + ((<usize>pc * <usize>lda + <usize>ic) << 2) : a + ((<usize>ic * <usize>lda + <usize>pc) << 2);
        packA(transA, mc, kc, aBlock, lda, pa);
        const cBlock = c + <usize>ic * ldcB + (<usize>jc << 2);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min32(NR, nc - jr);
          const pbPanel = pb + (<usize>(jr * kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min32(MR, mc - ir);
            kernel6x8(kc, pa + (<usize>(ir * kc) << 2), pbPanel, cBlock + <usize>ir * ldcB + (<usize>jr << 2), ldcB, alpha, mr, nr, tmp);
          }
        }
      }
    }
  }
}

// The same product shared between threads: every thread calls this with the same arguments;
// each repeatedly claims the next `chunk` columns of C (alongN) or rows (otherwise) through the
// atomic counter at `counter` (set to 0 before the threads start) and computes them with gemm.
// A thread that starts late or runs slowly simply claims fewer chunks.
export function gemmShared(
  transA: bool, transB: bool, m: i32, n: i32, k: i32, alpha: f32,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f32, c: usize, ldc: i32, work: usize,
  counter: usize, chunk: i32, alongN: bool,
): void {
  const total = alongN ? n : m;
  for (;;) {
    const start = atomic.add<i32>(counter, chunk);
    if (start >= total) return;
    const size = min32(chunk, total - start);
    const s = <usize>start;
    if (alongN) {
      const bs = transB ? b + ((s * <usize>ldb) << 2) : b + (s << 2);
      gemm(transA, transB, m, size, k, alpha, a, lda, bs, ldb, beta, c + (s << 2), ldc, work);
    } else {
      const as = transA ? a + (s << 2) : a + ((s * <usize>lda) << 2);
      gemm(transA, transB, size, n, k, alpha, as, lda, b, ldb, beta, c + ((s * <usize>ldc) << 2), ldc, work);
    }
  }
}

/**
 * Reference GEMM: C = alpha op(A) op(B) + beta C, row-major, every transpose combination.
 * Each output row is accumulated in float64 and rounded once on store, so float32 results
 * are the correctly rounded value of a float64 accumulation (up to summation order).
 * op(B) is first packed row-major when transB, so the inner loop always streams rows of op(B);
 * four rows of C take four rows of op(B) per pass (a 4×4 block: 16 multiply-adds per 8 loads).
 */
import type { FloatArray } from '../../core/dtype.js';
import { ValueError, show } from '../../core/errors.js';

function checkDim(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0) throw new ValueError(`gemm: invalid ${name} ${show(value)}, expected an integer >= 0`);
}

function checkOperand(name: string, arr: FloatArray, offset: number, ld: number, rows: number, cols: number): void {
  checkDim(offset, `${name}Offset`);
  if (rows === 0 || cols === 0) return;
  if (!Number.isInteger(ld) || ld < cols) throw new ValueError(`gemm: invalid ld${name} ${show(ld)}, expected an integer >= ${cols}`);
  const last = offset + (rows - 1) * ld + cols;
  if (last > arr.length) {
    throw new ValueError(`gemm: ${name} of length ${arr.length} is too short for ${rows}x${cols} at offset ${offset} with ld${name} ${ld} (needs ${last})`);
  }
}

/** B^T packed as a k×n row-major Float64Array (B is n×k with row stride ldb). */
function packTransposed(b: FloatArray, bOffset: number, ldb: number, n: number, k: number): Float64Array {
  const out = new Float64Array(k * n);
  const T = 32; // tiles keep both the reads and the writes in cache
  for (let j0 = 0; j0 < n; j0 += T) {
    const j1 = Math.min(n, j0 + T);
    for (let p0 = 0; p0 < k; p0 += T) {
      const p1 = Math.min(k, p0 + T);
      for (let j = j0; j < j1; j++) {
        const row = bOffset + j * ldb;
        for (let p = p0; p < p1; p++) out[p * n + j] = b[row + p]!;
      }
    }
  }
  return out;
}

/** C row = alpha * acc[from .. from + n) + beta * C row (C not read when beta == 0). */
function store(c: FloatArray, cRow: number, acc: Float64Array, from: number, n: number, alpha: number, beta: number): void {
  if (beta === 0) {
    for (let j = 0; j < n; j++) c[cRow + j] = alpha * acc[from + j]!;
  } else {
    for (let j = 0; j < n; j++) c[cRow + j] = alpha * acc[from + j]! + beta * c[cRow + j]!;
  }
}

/** Few rows of C with op(B) = Bᵀ: plain dot products of rows, no packing. */
function gemmDotRows(
  transA: boolean, m: number, n: number, k: number, alpha: number,
  a: FloatArray, aOffset: number, lda: number, b: FloatArray, bOffset: number, ldb: number,
  beta: number, c: FloatArray, cOffset: number, ldc: number,
): void {
  const aStep = transA ? lda : 1;
  const aRow = transA ? 1 : lda;
  for (let i = 0; i < m; i++) {
    const ai = aOffset + i * aRow;
    const cRow = cOffset + i * ldc;
    for (let j = 0; j < n; j++) {
      const bj = bOffset + j * ldb;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ai + p * aStep]! * b[bj + p]!;
      c[cRow + j] = beta === 0 ? alpha * s : alpha * s + beta * c[cRow + j]!;
    }
  }
}

export function gemm(
  transA: boolean, transB: boolean,
  m: number, n: number, k: number,
  alpha: number,
  a: FloatArray, aOffset: number, lda: number,
  b: FloatArray, bOffset: number, ldb: number,
  beta: number,
  c: FloatArray, cOffset: number, ldc: number,
): void {
  checkDim(m, 'm');
  checkDim(n, 'n');
  checkDim(k, 'k');
  checkOperand('a', a, aOffset, lda, transA ? k : m, transA ? m : k);
  checkOperand('b', b, bOffset, ldb, transB ? n : k, transB ? k : n);
  checkOperand('c', c, cOffset, ldc, m, n);
  if (m === 0 || n === 0) return;
  if (transB && m < 4) {
    gemmDotRows(transA, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    return;
  }
  // Rows of op(B) are rows of bb starting at bo + p * ld.
  let bb: FloatArray = b;
  let bo = bOffset;
  let ld = ldb;
  if (transB && k > 0) {
    bb = packTransposed(b, bOffset, ldb, n, k);
    bo = 0;
    ld = n;
  }
  // op(A)[i, p] = a[ai + p * aStep]. Rows of C are done four at a time so each load of
  // an op(B) element feeds four accumulators; the remaining rows one at a time.
  const aStep = transA ? lda : 1;
  const aRow = transA ? 1 : lda;
  const acc = new Float64Array(4 * n);
  const acc0 = acc.subarray(0, n), acc1 = acc.subarray(n, 2 * n), acc2 = acc.subarray(2 * n, 3 * n), acc3 = acc.subarray(3 * n);
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    acc.fill(0);
    const ai = aOffset + i * aRow;
    let p = 0;
    for (; p + 4 <= k; p += 4) {
      const at0 = ai + p * aStep, at1 = at0 + aStep, at2 = at1 + aStep, at3 = at2 + aStep;
      const a00 = a[at0]!, a10 = a[at0 + aRow]!, a20 = a[at0 + 2 * aRow]!, a30 = a[at0 + 3 * aRow]!;
      const a01 = a[at1]!, a11 = a[at1 + aRow]!, a21 = a[at1 + 2 * aRow]!, a31 = a[at1 + 3 * aRow]!;
      const a02 = a[at2]!, a12 = a[at2 + aRow]!, a22 = a[at2 + 2 * aRow]!, a32 = a[at2 + 3 * aRow]!;
      const a03 = a[at3]!, a13 = a[at3 + aRow]!, a23 = a[at3 + 2 * aRow]!, a33 = a[at3 + 3 * aRow]!;
      const r0 = bo + p * ld, r1 = r0 + ld, r2 = r1 + ld, r3 = r2 + ld;
      for (let j = 0; j < n; j++) {
        const b0 = bb[r0 + j]!, b1 = bb[r1 + j]!, b2 = bb[r2 + j]!, b3 = bb[r3 + j]!;
        acc0[j] += a00 * b0 + a01 * b1 + a02 * b2 + a03 * b3;
        acc1[j] += a10 * b0 + a11 * b1 + a12 * b2 + a13 * b3;
        acc2[j] += a20 * b0 + a21 * b1 + a22 * b2 + a23 * b3;
        acc3[j] += a30 * b0 + a31 * b1 + a32 * b2 + a33 * b3;
      }
    }
    for (; p < k; p++) {
      const at = ai + p * aStep;
      const a0 = a[at]!, a1 = a[at + aRow]!, a2 = a[at + 2 * aRow]!, a3 = a[at + 3 * aRow]!;
      const r = bo + p * ld;
      for (let j = 0; j < n; j++) {
        const bv = bb[r + j]!;
        acc0[j] += a0 * bv;
        acc1[j] += a1 * bv;
        acc2[j] += a2 * bv;
        acc3[j] += a3 * bv;
      }
    }
    for (let q = 0; q < 4; q++) store(c, cOffset + (i + q) * ldc, acc, q * n, n, alpha, beta);
  }
  const k4 = k - (k % 4);
  for (; i < m; i++) {
    acc.fill(0, 0, n);
    const ai = aOffset + i * aRow;
    let p = 0;
    for (; p < k4; p += 4) {
      const a0 = a[ai + p * aStep]!, a1 = a[ai + (p + 1) * aStep]!, a2 = a[ai + (p + 2) * aStep]!, a3 = a[ai + (p + 3) * aStep]!;
      const r0 = bo + p * ld, r1 = r0 + ld, r2 = r1 + ld, r3 = r2 + ld;
      for (let j = 0; j < n; j++) acc[j] += a0 * bb[r0 + j]! + a1 * bb[r1 + j]! + a2 * bb[r2 + j]! + a3 * bb[r3 + j]!;
    }
    for (; p < k; p++) {
      const a0 = a[ai + p * aStep]!;
      const r0 = bo + p * ld;
      for (let j = 0; j < n; j++) acc[j] += a0 * bb[r0 + j]!;
    }
    store(c, cOffset + i * ldc, acc, 0, n, alpha, beta);
  }
}

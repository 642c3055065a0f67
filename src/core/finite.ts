/** Finiteness checks over typed arrays (optimizers refuse non-finite gradients with them). */
import type { FloatArray } from './dtype.js';

/** Index of the first NaN/Inf in a[lo, hi), or -1. One multiply-add per element when all are finite. */
export function firstNonFinite(a: FloatArray, lo: number, hi: number): number {
  // x * 0 is 0 for finite x and NaN otherwise; four sums keep the adds independent.
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  let i = lo;
  for (; i + 3 < hi; i += 4) {
    a0 += a[i]! * 0;
    a1 += a[i + 1]! * 0;
    a2 += a[i + 2]! * 0;
    a3 += a[i + 3]! * 0;
  }
  for (; i < hi; i++) a0 += a[i]! * 0;
  if (a0 + a1 + a2 + a3 === 0) return -1;
  for (let i = lo; i < hi; i++) if (!Number.isFinite(a[i]!)) return i;
  return -1;
}

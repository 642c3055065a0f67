/**
 * The kernel backend: every hot loop of descent goes through this interface.
 * Kernels take flat typed arrays with explicit offsets and strides (BLAS style), never
 * per-element callbacks, so a WebAssembly SIMD backend can implement the same signatures.
 * The reference backend (kernels/ref) defines the numbers; faster backends must agree
 * with it within float32 rounding, proven by the shared kernel test suite.
 *
 * The engine owner extends this interface with further kernels (elementwise, reductions,
 * convolution, pooling, ...); a backend that lacks a fast version of a kernel delegates to ref.
 */
import type { FloatArray } from '../core/dtype.js';

export interface GemmBackend {
  /**
   * C = alpha * op(A) * op(B) + beta * C, row-major.
   * op(A) is m×k (A is m×k, or k×m when transA), op(B) is k×n (B is k×n, or n×k when transB).
   * lda/ldb/ldc are the row strides of A, B, C as stored. When beta == 0, C is not read
   * (NaN in C does not propagate).
   */
  gemm(
    transA: boolean, transB: boolean,
    m: number, n: number, k: number,
    alpha: number,
    a: FloatArray, aOffset: number, lda: number,
    b: FloatArray, bOffset: number, ldb: number,
    beta: number,
    c: FloatArray, cOffset: number, ldc: number,
  ): void;
}

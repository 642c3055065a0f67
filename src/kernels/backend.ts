/**
 * The kernel backend: every hot loop of descent goes through this interface.
 * Kernels take flat typed arrays with explicit offsets and strides (BLAS style), never
 * per-element callbacks, so a WebAssembly SIMD backend can implement the same signatures.
 * The reference backend (kernels/ref) defines the numbers; faster backends must agree
 * with it within float32 rounding, proven by the shared kernel test suite.
 *
 * Conventions: outputs are contiguous from their offset; index arrays (Int32Array) hold
 * flat element indices relative to the offset of the array they index.
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

/** out = a ∘ b elementwise. `maximum`/`minimum` propagate NaN like torch. */
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'maximum' | 'minimum';

/**
 * out = f(x; p0, p1) elementwise:
 *   neg -x · exp · log · sqrt · tanh · sigmoid 1/(1+e^-x) · relu max(x,0) · abs · square x² ·
 *   sign (0 at 0) · reciprocal 1/x · pow x^p0 · scale p0·x · addScalar x+p0 ·
 *   clamp min(max(x,p0),p1) · stepGt (x > p0 ? 1 : 0) · inRange (p0 <= x <= p1 ? 1 : 0)
 */
export type UnaryOp =
  | 'neg' | 'exp' | 'log' | 'sqrt' | 'tanh' | 'sigmoid' | 'relu' | 'abs' | 'square' | 'sign'
  | 'reciprocal' | 'pow' | 'scale' | 'addScalar' | 'clamp' | 'stepGt' | 'inRange';

/** Geometry of a 2-D convolution or pooling window over an [n, c, h, w] input (no dilation). */
export interface Conv2dGeometry {
  n: number; c: number; h: number; w: number;
  kh: number; kw: number;
  /** Strides. */
  sh: number; sw: number;
  /** Zero (conv) or -Infinity (pooling) padding on each side. */
  ph: number; pw: number;
  /** Output size: oh = floor((h + 2 ph - kh) / sh) + 1, likewise ow. */
  oh: number; ow: number;
}

export interface Backend extends GemmBackend {
  readonly name: string;

  unary(op: UnaryOp, n: number, x: FloatArray, xOffset: number, out: FloatArray, outOffset: number, p0: number, p1: number): void;

  /**
   * Broadcasting binary op over an `ndim`-dimensional output of `shape` (contiguous in `out`).
   * aStrides/bStrides are element strides of a and b per output dim (0 on broadcast dims).
   */
  binary(
    op: BinaryOp, ndim: number, shape: ArrayLike<number>,
    a: FloatArray, aOffset: number, aStrides: ArrayLike<number>,
    b: FloatArray, bOffset: number, bStrides: ArrayLike<number>,
    out: FloatArray, outOffset: number,
  ): void;

  /** Contiguous copy of a strided view (permute, expand): out[i...] = x[xOffset + Σ i_d xStrides_d]. */
  copyStrided(ndim: number, shape: ArrayLike<number>, x: FloatArray, xOffset: number, xStrides: ArrayLike<number>, out: FloatArray, outOffset: number): void;

  /** x viewed as [outer, size, inner]: out[o, i] = Σ_s x[o, s, i]. */
  sumAxis(outer: number, size: number, inner: number, x: FloatArray, xOffset: number, out: FloatArray, outOffset: number): void;

  /** x viewed as [outer, size, inner]: out[o, i] = log Σ_s exp(x[o, s, i]), stable (max shifted). */
  logSumExpAxis(outer: number, size: number, inner: number, x: FloatArray, xOffset: number, out: FloatArray, outOffset: number): void;

  /**
   * x viewed as [outer, size, inner]: out[o, s, i] = (x[o, s, i] - m) - log Σ_s' exp(x[o, s', i] - m)
   * with m the max over s (log-softmax, accurate for large logits in float32 too).
   */
  logSoftmaxAxis(outer: number, size: number, inner: number, x: FloatArray, xOffset: number, out: FloatArray, outOffset: number): void;

  /**
   * x viewed as [outer, size, inner]: index[o, i] = flat index (relative to xOffset) of the
   * maximum of x[o, :, i]; ties go to the first; a NaN counts as the maximum.
   */
  argmaxAxis(outer: number, size: number, inner: number, x: FloatArray, xOffset: number, index: Int32Array, indexOffset: number): void;

  /** out[j] = x[xOffset + index[indexOffset + j]] for j < n. */
  gather(n: number, x: FloatArray, xOffset: number, index: Int32Array, indexOffset: number, out: FloatArray, outOffset: number): void;

  /** out[outOffset + index[indexOffset + j]] += src[srcOffset + j] for j < n, in order of j. */
  scatterAdd(n: number, src: FloatArray, srcOffset: number, index: Int32Array, indexOffset: number, out: FloatArray, outOffset: number): void;

  /**
   * Unfolds x [n, c, h, w] into col [n*oh*ow, c*kh*kw]: row (b, y, x), column (ch, i, j) holds
   * x[b, ch, y*sh - ph + i, x*sw - pw + j], or 0 outside the input.
   */
  im2col(g: Conv2dGeometry, x: FloatArray, xOffset: number, col: FloatArray, colOffset: number): void;

  /** The adjoint of im2col: x[...] += every col entry that im2col read from it. x is accumulated into. */
  col2im(g: Conv2dGeometry, col: FloatArray, colOffset: number, x: FloatArray, xOffset: number): void;

  /**
   * Max pooling of x [n, c, h, w] into out [n, c, oh, ow] (padding is -Infinity); index receives,
   * per output, the flat index into x of the maximum (ties to the first in row-major window order).
   */
  maxPool2d(g: Conv2dGeometry, x: FloatArray, xOffset: number, out: FloatArray, outOffset: number, index: Int32Array, indexOffset: number): void;
}

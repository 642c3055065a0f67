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

  /**
   * Fused optimizer steps over float32 buffers, where the backend has them (the WASM backend
   * does). Optimizers use them for float32 parameters and fall back to their own loops otherwise.
   */
  readonly optimizerSteps?: OptimizerSteps;

  /**
   * Memory the backend's kernels work on in place (the WASM backend's linear memory), where it
   * has one. Layers allocate float32 parameters here, autograd their gradients and optimizers
   * their state (kernels/memory.ts), so the hot loops skip their copies in and out.
   */
  readonly memory?: BackendMemory;

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
   * Convolution (cross-correlation, as torch's conv2d) of x [n, c, h, w] with weight
   * [o, c, kh, kw], plus bias [o] when given: out [n, o, oh, ow], overwritten.
   */
  conv2d(g: Conv2dGeometry, o: number, x: FloatArray, xOffset: number, weight: FloatArray, weightOffset: number, bias: FloatArray | null, biasOffset: number, out: FloatArray, outOffset: number): void;

  /** The gradient of conv2d with respect to its input: dx [n, c, h, w], overwritten, for dOut [n, o, oh, ow]. */
  conv2dBackwardInput(g: Conv2dGeometry, o: number, dOut: FloatArray, dOutOffset: number, weight: FloatArray, weightOffset: number, dx: FloatArray, dxOffset: number): void;

  /**
   * The gradients of conv2d with respect to its weight and bias: dWeight [o, c, kh, kw] and, when
   * given, dBias [o], both overwritten, for input x [n, c, h, w] and dOut [n, o, oh, ow].
   */
  conv2dBackwardWeight(g: Conv2dGeometry, o: number, x: FloatArray, xOffset: number, dOut: FloatArray, dOutOffset: number, dWeight: FloatArray, dWeightOffset: number, dBias: FloatArray | null, dBiasOffset: number): void;

  /**
   * Max pooling of x [n, c, h, w] into out [n, c, oh, ow] (padding is -Infinity); index receives,
   * per output, the flat index into x of the maximum (ties to the first in row-major window order).
   */
  maxPool2d(g: Conv2dGeometry, x: FloatArray, xOffset: number, out: FloatArray, outOffset: number, index: Int32Array, indexOffset: number): void;
}

/**
 * A backend's own memory. Its arrays are ordinary Float32Arrays to all other code; a block goes
 * back to the memory when its array is garbage-collected (keep the array itself reachable while
 * any subarray of it is in use).
 */
export interface BackendMemory {
  /**
   * A zero-filled float32 array of `length` elements in this memory; an ordinary array when
   * the memory's budget for such arrays is spent (arrays collected are returned to it only
   * when the event loop turns, so a synchronous loop building model after model meets it).
   */
  allocate(length: number): Float32Array;
  /** Whether `array` is a view of this memory. */
  holds(array: FloatArray): boolean;
}

/**
 * Fused optimizer steps over flat Float32Arrays, following torch.optim 1.13's single-tensor
 * formulas with every op rounded to float32 (scalars computed in float64, then rounded):
 *
 *   adam     g ← −g (maximize); AdamW: p ← p·(1 − lr·wd), else g ← g + wd·p
 *            m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;  v̂ ← max(v̂, v) (amsgrad)
 *            p ← p − lr/(1 − β1ᵗ) · m / (sqrt(v or v̂)/sqrt(1 − β2ᵗ) + eps)
 *   sgd      g ← −g (maximize); g ← g + wd·p;  b ← g on the first step, else μ·b + (1 − τ)·g
 *            d ← g + μ·b (nesterov) or b;  p ← p − lr·d   (no buffer when μ = 0: d = g)
 *   adagrad  g ← −g; g ← g + wd·p;  s ← s + g²;  p ← p − lr/(1 + (t − 1)·decay) · g / (sqrt(s) + eps)
 *   rmsprop  g ← −g; g ← g + wd·p;  a ← α·a + (1 − α)·g²;  centered: ḡ ← α·ḡ + (1 − α)·g, r = sqrt(a − ḡ²) + eps,
 *            else r = sqrt(a) + eps;  momentum: b ← μ·b + g/r, p ← p − lr·b;  else p ← p − lr·g/r
 *   adadelta g ← −g; g ← g + wd·p;  a ← ρ·a + (1 − ρ)·g²;  δ = sqrt(u + eps)/sqrt(a + eps)·g
 *            u ← ρ·u + (1 − ρ)·δ²;  p ← p − lr·δ
 *
 * `step` is torch's state step after its increment (1 on the first step). All buffers have the
 * parameter's length; state buffers are updated in place.
 */
export interface OptimizerSteps {
  adamStep(param: Float32Array, grad: Float32Array, expAvg: Float32Array, expAvgSq: Float32Array, maxExpAvgSq: Float32Array | null, options: AdamStepOptions): void;
  sgdStep(param: Float32Array, grad: Float32Array, momentumBuffer: Float32Array | null, options: SgdStepOptions): void;
  adagradStep(param: Float32Array, grad: Float32Array, stateSum: Float32Array, options: AdagradStepOptions): void;
  rmspropStep(param: Float32Array, grad: Float32Array, squareAvg: Float32Array, gradAvg: Float32Array | null, momentumBuffer: Float32Array | null, options: RmspropStepOptions): void;
  adadeltaStep(param: Float32Array, grad: Float32Array, squareAvg: Float32Array, accDelta: Float32Array, options: AdadeltaStepOptions): void;
  /** Index of the first NaN or ±Infinity in x[from, to), or -1 (optimizers check gradients with it before a step). */
  firstNonFinite(x: Float32Array, from: number, to: number): number;
}

export interface AdamStepOptions {
  step: number;
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
  /** AdamW: decay the parameter by lr·weightDecay instead of adding weightDecay·p to the gradient. */
  decoupledWeightDecay?: boolean;
  amsgrad?: boolean;
  maximize?: boolean;
}

export interface SgdStepOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
  maximize?: boolean;
  /** True on the parameter's first step: the momentum buffer is set to the gradient. */
  firstStep?: boolean;
}

export interface AdagradStepOptions {
  step: number;
  lr: number;
  lrDecay?: number;
  weightDecay?: number;
  eps?: number;
  maximize?: boolean;
}

export interface RmspropStepOptions {
  lr: number;
  alpha?: number;
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  centered?: boolean;
  maximize?: boolean;
}

export interface AdadeltaStepOptions {
  /** Default 1 (torch's default). */
  lr?: number;
  rho?: number;
  eps?: number;
  weightDecay?: number;
  maximize?: boolean;
}


/**
 * DeepOBS's noisy quadratic `quadratic_deep` (Schneider, Balles & Hennig, "DeepOBS: A Deep
 * Learning Optimizer Benchmark Suite", ICLR 2019; deepobs/tensorflow/testproblems/quadratic_deep.py
 * and datasets/quadratic.py). What DeepOBS defines, and what this module implements:
 *
 *   per-example loss   l(theta; x) = 1/2 (theta - x)^T Q (theta - x),  theta, x in R^100
 *   mini-batch loss    the mean of l over the batch; its gradient is Q (theta - mean(x))
 *   Hessian            Q = R^T diag(lambda) R, with 90 eigenvalues ~ U(0, 1) and 10 ~ U(30, 60)
 *                      (a spectrum like those reported for deep networks, arXiv:1611.01838),
 *                      R a uniformly random (Haar) rotation
 *   data               x ~ N(0, 0.6^2 I): 1,000 training points and a separate 1,000 test points
 *   start              theta_0 = (1, ..., 1); DeepOBS trains it with batch size 128
 *
 * The full training loss is 1/2 (theta - m)^T Q (theta - m) + const, where m is the mean of the
 * training points; its minimizer is theta* = m (close to 0).
 *
 * Deliberate differences: DeepOBS draws with numpy's RandomState(42) (Hessian and training data)
 * and RandomState(43) (test data), and builds R with the Diaconis-Shahshahani subgroup algorithm;
 * we draw from descent's `Rng` (streams split('hessian'), split('train'), split('test') of the
 * seed, default 42) and build R by Gram-Schmidt on a Gaussian matrix, which is also Haar
 * distributed. So the distribution is the same, the numbers are not. `dim` other than 100 keeps
 * the 90 % / 10 % split (rounded). Eigenvalues are listed small ones first, as drawn.
 */
import { type DType, type FloatArray, allocate, checkDType } from '../core/dtype.js';
import { ValueError, show } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { checkInteger, checkNonNegative } from '../core/validate.js';
import type { Dataset } from './dataset.js';
import { type RandomSource, rngFrom } from './random-source.js';

export interface QuadraticDeepOptions extends RandomSource {
  /** Dimension, default 100. */
  dim?: number;
  /** Points in each of the training and test sets, default 1000. */
  samples?: number;
  /** Standard deviation of the data points, default 0.6. */
  noise?: number;
  /** dtype of the data points, default float32 (as DeepOBS). The Hessian is always float64. */
  dtype?: DType;
}

export interface QuadraticDeep {
  dim: number;
  /** Q, row-major [dim, dim], symmetric positive definite. */
  hessian: Float64Array;
  /** lambda, the eigenvalues of Q (row i of `rotation` is the eigenvector of lambda_i). */
  eigenvalues: Float64Array;
  /** R, row-major [dim, dim], orthogonal: Q = R^T diag(lambda) R. */
  rotation: Float64Array;
  /** Training points, x [samples, dim], y empty (unlabelled). */
  train: Dataset;
  /** Test points, drawn independently of the training points. */
  test: Dataset;
  /** The starting point, all ones. */
  theta0: Float64Array;
  /** Mean loss of `theta` over the `rows` points stored in `x` (row-major [rows, dim]). */
  loss(theta: Float64Array, x: FloatArray, rows?: number): number;
  /** Writes the gradient Q (theta - mean x) of the mean loss into `grad` and returns the loss. */
  lossAndGradient(theta: Float64Array, x: FloatArray, grad: Float64Array, rows?: number): number;
}

export function makeQuadraticDeep(options: QuadraticDeepOptions = {}): QuadraticDeep {
  if (options === null || typeof options !== 'object') throw new ValueError(`makeQuadraticDeep: invalid options ${show(options)}, expected {dim?, samples?, noise?, seed? | rng?, dtype?}`);
  const dim = checkInteger(options.dim ?? 100, 'makeQuadraticDeep dim', 2);
  const samples = checkInteger(options.samples ?? 1000, 'makeQuadraticDeep samples', 1);
  const noise = checkNonNegative(options.noise ?? 0.6, 'makeQuadraticDeep noise');
  const dtype = checkDType(options.dtype ?? 'float32', 'makeQuadraticDeep');
  const root = rngFrom(options, 'makeQuadraticDeep', 42);

  const hessianRng = root.split('hessian');
  const small = Math.round(0.9 * dim);
  const eigenvalues = new Float64Array(dim);
  for (let i = 0; i < dim; i++) eigenvalues[i] = i < small ? hessianRng.uniform(0, 1) : hessianRng.uniform(30, 60);
  const rotation = randomOrthogonal(dim, hessianRng);
  const hessian = new Float64Array(dim * dim);
  for (let k = 0; k < dim; k++) {
    const lambda = eigenvalues[k]!;
    for (let i = 0; i < dim; i++) {
      const a = lambda * rotation[k * dim + i]!;
      for (let j = 0; j < dim; j++) hessian[i * dim + j]! += a * rotation[k * dim + j]!;
    }
  }
  // Symmetrize exactly (the sums above are symmetric up to rounding order only).
  for (let i = 0; i < dim; i++) for (let j = 0; j < i; j++) hessian[j * dim + i] = hessian[i * dim + j]!;

  const points = (rng: Rng): Dataset => {
    const x = allocate(dtype, samples * dim);
    rng.fillNormal(x, 0, noise);
    return { x, y: new Float32Array(0), n: samples, featureShape: [dim], classes: 0 };
  };
  const u = new Float64Array(dim);
  const v = new Float64Array(dim);

  const evaluate = (theta: Float64Array, x: FloatArray, grad: Float64Array | null, rowsArg: number | undefined, where: string): number => {
    if (!(theta instanceof Float64Array) || theta.length !== dim) throw new ValueError(`${where}: invalid theta ${show(theta)}, expected a Float64Array of length ${dim}`);
    if (!(x instanceof Float32Array || x instanceof Float64Array)) throw new ValueError(`${where}: invalid x ${show(x)}, expected a Float32Array or Float64Array`);
    const rows = rowsArg ?? x.length / dim;
    checkInteger(rows, `${where} rows`, 1);
    if (rows * dim > x.length) throw new ValueError(`${where}: x has ${x.length} values, expected at least rows * dim = ${rows * dim}`);
    if (grad !== null && (!(grad instanceof Float64Array) || grad.length !== dim)) throw new ValueError(`${where}: invalid grad ${show(grad)}, expected a Float64Array of length ${dim}`);
    if (grad !== null) grad.fill(0);
    let total = 0;
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < dim; i++) u[i] = theta[i]! - x[r * dim + i]!;
      let quad = 0;
      for (let i = 0; i < dim; i++) {
        let s = 0;
        for (let j = 0; j < dim; j++) s += hessian[i * dim + j]! * u[j]!;
        v[i] = s;
        quad += u[i]! * s;
      }
      total += 0.5 * quad;
      if (grad !== null) for (let i = 0; i < dim; i++) grad[i]! += v[i]!;
    }
    if (grad !== null) for (let i = 0; i < dim; i++) grad[i]! /= rows;
    return total / rows;
  };

  return {
    dim, hessian, eigenvalues, rotation,
    train: points(root.split('train')),
    test: points(root.split('test')),
    theta0: new Float64Array(dim).fill(1),
    loss: (theta, x, rows) => evaluate(theta, x, null, rows, 'QuadraticDeep.loss'),
    lossAndGradient: (theta, x, grad, rows) => evaluate(theta, x, grad, rows, 'QuadraticDeep.lossAndGradient'),
  };
}

/** A Haar-random orthogonal matrix (row-major): modified Gram-Schmidt on the rows of a Gaussian matrix. */
export function randomOrthogonal(dim: number, rng: Rng): Float64Array {
  checkInteger(dim, 'randomOrthogonal dim', 1);
  const m = rng.fillNormal(new Float64Array(dim * dim)) as Float64Array;
  for (let k = 0; k < dim; k++) {
    const row = m.subarray(k * dim, (k + 1) * dim);
    // Two passes of orthogonalization against the previous rows for accuracy.
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < k; p++) {
        const prev = m.subarray(p * dim, (p + 1) * dim);
        let dot = 0;
        for (let i = 0; i < dim; i++) dot += row[i]! * prev[i]!;
        for (let i = 0; i < dim; i++) row[i]! -= dot * prev[i]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < dim; i++) norm += row[i]! * row[i]!;
    norm = Math.sqrt(norm);
    for (let i = 0; i < dim; i++) row[i]! /= norm;
  }
  return m;
}

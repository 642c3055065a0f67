/**
 * Sparse logistic regression with Zipf-distributed binary features: the setting where adaptive
 * methods (Adagrad) shine, because rare features need larger steps than frequent ones.
 *
 *   feature j (1-based, j = 1..d) of each example is 1 with probability p_j = min(0.5, 0.5 / j),
 *   independently, else 0;
 *   true weights w_j = +2 or -2 with equal probability (no bias);
 *   label y = 1 with probability sigmoid(w . x) = 1 / (1 + exp(-w . x)), else 0.
 *
 * The expected number of active features per example is about 0.5 (1 + ln d) (3.6 for d = 500).
 * Draw order (fixed, so a seed fixes the set): the d signs of w, then per example its d feature
 * draws followed by its label draw.
 */
import { type DType, allocate, checkDType } from '../core/dtype.js';
import { ValueError, show } from '../core/errors.js';
import { checkInteger } from '../core/validate.js';
import type { Dataset } from './dataset.js';
import { type RandomSource, rngFrom } from './random-source.js';

export interface SparseLogisticOptions extends RandomSource {
  samples: number;
  /** Number of features d, default 500. */
  features?: number;
  dtype?: DType;
}

export interface SparseLogisticDataset extends Dataset {
  y: Int32Array;
  classes: 2;
  /** The same x in compressed sparse rows: row i's active features are indices[indptr[i] .. indptr[i+1]), all with value 1. */
  csr: { indptr: Int32Array; indices: Int32Array };
  /** The weights the labels were drawn from, length d. */
  trueWeights: Float64Array;
}

/** p_j = min(0.5, 0.5 / j) for 1-based feature j: the probability that feature j is active. */
export function zipfFeatureProbability(j: number): number {
  return Math.min(0.5, 0.5 / j);
}

export function makeSparseLogistic(options: SparseLogisticOptions): SparseLogisticDataset {
  if (options === null || typeof options !== 'object') throw new ValueError(`makeSparseLogistic: invalid options ${show(options)}, expected {samples, features?, seed? | rng?, dtype?}`);
  const n = checkInteger(options.samples, 'makeSparseLogistic samples', 1);
  const d = checkInteger(options.features ?? 500, 'makeSparseLogistic features', 1);
  const dtype = checkDType(options.dtype ?? 'float32', 'makeSparseLogistic');
  const rng = rngFrom(options, 'makeSparseLogistic');
  const p = Float64Array.from({ length: d }, (_, j) => zipfFeatureProbability(j + 1));
  const w = new Float64Array(d);
  for (let j = 0; j < d; j++) w[j] = rng.random() < 0.5 ? -2 : 2;
  const x = allocate(dtype, n * d);
  const y = new Int32Array(n);
  const indptr = new Int32Array(n + 1);
  let indices = new Int32Array(Math.max(16, Math.ceil(n * 0.5 * (2 + Math.log(d)))));
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    let z = 0;
    for (let j = 0; j < d; j++) {
      if (rng.random() < p[j]!) {
        x[i * d + j] = 1;
        z += w[j]!;
        if (nnz === indices.length) {
          const grown = new Int32Array(indices.length * 2);
          grown.set(indices);
          indices = grown;
        }
        indices[nnz++] = j;
      }
    }
    y[i] = rng.random() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    indptr[i + 1] = nnz;
  }
  return {
    x, y, n, featureShape: [d], classes: 2,
    csr: { indptr, indices: indices.slice(0, nnz) },
    trueWeights: w,
  };
}

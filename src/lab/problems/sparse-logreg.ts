/**
 * Sparse logistic regression (src/data/sparse-logistic.ts): d = 500 binary features, feature j
 * active with probability min(0.5, 0.5/j) (Zipf), labels from true weights w* = ±2. The setting
 * where Adagrad's per-coordinate steps pay off: rare features get few, small gradients, and a
 * single global learning rate cannot suit both the frequent and the rare ones.
 *
 * Model: p(y = 1 | x) = σ(wᵀx), w ∈ R^500 from 0 (no bias, like the data). Loss: the mean
 * logistic loss. Training set: 5,000 examples, also the train-eval set; test set: 2,000 more from
 * the same draw. Mini-batches of 32 drawn uniformly (with replacement) from the seed's generator (`sgd1`: one example); `gd` uses the mean over the training set.
 *
 * Metric: the excess loss L(w) − L(w*) on the train-eval set, w* the true weights (it can go
 * below 0: on a finite sample the empirical minimizer fits the rare features' noise). Target:
 * excess loss <= 0.01. Computed by hand on the sparse rows (no tensors): a step costs
 * O(batch × active features).
 */
import { Rng } from '../../core/rng.js';
import { checkInteger } from '../../core/validate.js';
import { ValueError, show } from '../../core/errors.js';
import { type SparseLogisticDataset, makeSparseLogistic } from '../../data/sparse-logistic.js';
import { type LabProblem, type LabProblemInstance, type LabProblemOptions, gradOf, makeParameter } from '../problem.js';
import { DATA_MEASURES } from './data.js';

const D = 500;
const TRAIN = 5_000;
const TEST = 2_000;
const BATCH = 32;

/** log(1 + e^z), stable. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

export interface Rows {
  indptr: Int32Array;
  indices: Int32Array;
  y: Int32Array;
  n: number;
}

export interface SparseData {
  train: Rows;
  test: Rows;
  trueWeights: Float64Array;
  /** Loss of the true weights on the first k training rows, per k used. */
  trueLoss: Map<number, number>;
}

let cached: SparseData | null = null;

function rowsOf(all: SparseLogisticDataset, from: number, to: number): Rows {
  const base = all.csr.indptr[from]!;
  const indptr = Int32Array.from({ length: to - from + 1 }, (_, i) => all.csr.indptr[from + i]! - base);
  return { indptr, indices: all.csr.indices.slice(base, all.csr.indptr[to]!), y: all.y.slice(from, to), n: to - from };
}

/** The problem's data (generated once per process): sparse rows, true weights. */
export function sparseLogregData(): SparseData {
  if (cached) return cached;
  const all = makeSparseLogistic({ samples: TRAIN + TEST, features: D, rng: new Rng(0).split('sparse-logreg'), dtype: 'float32' });
  cached = { train: rowsOf(all, 0, TRAIN), test: rowsOf(all, TRAIN, TRAIN + TEST), trueWeights: all.trueWeights, trueLoss: new Map() };
  return cached;
}

/** Mean logistic loss and accuracy of w on the first n rows. */
export function sparseLoss(w: ArrayLike<number>, rows: Rows, n = rows.n): { loss: number; accuracy: number } {
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let z = 0;
    for (let k = rows.indptr[i]!; k < rows.indptr[i + 1]!; k++) z += w[rows.indices[k]!]!;
    loss += rows.y[i] === 1 ? softplus(-z) : softplus(z);
    if ((z > 0 ? 1 : 0) === rows.y[i]) correct++;
  }
  return { loss: loss / n, accuracy: correct / n };
}

/** Adds (1/scale) ∇ of the logistic loss of row i to grad; returns the row's loss. */
function addRowGradient(w: ArrayLike<number>, rows: Rows, i: number, scale: number, grad: Float64Array): number {
  let z = 0;
  for (let k = rows.indptr[i]!; k < rows.indptr[i + 1]!; k++) z += w[rows.indices[k]!]!;
  const y = rows.y[i]!;
  const g = (1 / (1 + Math.exp(-z)) - y) / scale; // dℓ/dz = σ(z) − y
  for (let k = rows.indptr[i]!; k < rows.indptr[i + 1]!; k++) grad[rows.indices[k]!]! += g;
  return y === 1 ? softplus(-z) : softplus(z);
}

export function sparseLogregProblem(): LabProblem {
  return {
    name: 'sparse-logreg',
    description: `Logistic regression on ${D} Zipf-sparse binary features (feature j active w.p. min(0.5, 0.5/j)), labels from true weights ±2; ${TRAIN.toLocaleString('en-US')} training (= train-eval) and ${TEST.toLocaleString('en-US')} test examples, batches of ${BATCH} (drawn with replacement), w from 0; records the excess loss L(w) − L(w*) over the true weights on the train-eval set; target <= 0.01.`,
    kind: 'stochastic',
    dim: D,
    defaultBudget: 1000,
    target: { metric: 'loss', value: 0.01 },
    start: [],
    evalEvery: 10,
    stepsPerEpoch: Math.ceil(TRAIN / BATCH),
    trainSize: TRAIN,
    measures: DATA_MEASURES,
    create(seed: number, options: LabProblemOptions = {}): LabProblemInstance {
      checkInteger(seed, 'seed', 0);
      if (options.start !== undefined) throw new ValueError(`problem sparse-logreg: takes no start ${show(options.start)}, expected w = 0 (no start option)`);
      const { train, test, trueWeights, trueLoss } = sparseLogregData();
      const evalN = options.evalExamples === undefined ? train.n : Math.min(checkInteger(options.evalExamples, 'evalExamples', 1), train.n);
      const testN = Math.min(evalN, test.n);
      if (!trueLoss.has(evalN)) trueLoss.set(evalN, sparseLoss(trueWeights, train, evalN).loss);
      const reference = trueLoss.get(evalN)!;
      const param = makeParameter(new Float64Array(D), 'w');
      const w = param.data as Float64Array;
      const rng = new Rng(seed).split('batches');
      let trainEvalAccuracy = Number.NaN;
      return {
        params: [param],
        lossAndGradient(_step, mode) {
          const grad = gradOf(param);
          grad.fill(0);
          let loss = 0;
          if (mode === 'full') {
            for (let i = 0; i < train.n; i++) loss += addRowGradient(w, train, i, train.n, grad);
            return loss / train.n;
          }
          const size = mode === 'example' ? 1 : BATCH; // sgd1: one example per step
          for (let b = 0; b < size; b++) loss += addRowGradient(w, train, rng.int(train.n), size, grad);
          return loss / size;
        },
        metric() {
          const e = sparseLoss(w, train, evalN);
          trainEvalAccuracy = e.accuracy;
          return e.loss - reference;
        },
        measures() {
          const e = sparseLoss(w, test, testN);
          return { 'train-eval accuracy': trainEvalAccuracy, 'test loss': e.loss, 'test accuracy': e.accuracy };
        },
      };
    },
  };
}

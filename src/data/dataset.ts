/**
 * Datasets: rows of features and targets in flat row-major typed arrays.
 *
 * Example i has features `x[i*F .. (i+1)*F)` with F = product(featureShape), and targets
 * `y[i*T .. (i+1)*T)` with T = y.length / n: T = 1 for class labels (Int32Array) or scalar
 * regression targets; T = 0 (an empty `y`) for unlabelled data such as the noisy quadratic.
 * `classes` is the number of classes for labelled data, 0 otherwise.
 */
import { type FloatArray, dtypeOf, allocate } from '../core/dtype.js';
import { ValueError, show } from '../core/errors.js';
import { checkInteger, checkFinite } from '../core/validate.js';
import { type RandomSource, rngFrom } from './random-source.js';

export interface Dataset {
  /** Features, row-major [n, ...featureShape]. */
  x: FloatArray;
  /** Class labels (Int32Array, one per row), regression targets, or empty for unlabelled data. */
  y: Int32Array | FloatArray;
  /** Number of examples. */
  n: number;
  /** Shape of one example's features, e.g. [2] or [1, 28, 28]. */
  featureShape: number[];
  /** Number of classes (labels are 0..classes-1), or 0 for unlabelled / regression data. */
  classes: number;
}

export function datasetFeatureSize(dataset: Dataset): number {
  return dataset.featureShape.reduce((a, b) => a * b, 1);
}

/** Targets per example: 1 for labels, 0 for unlabelled data, k for k regression outputs. */
export function datasetTargetSize(dataset: Dataset): number {
  return dataset.n === 0 ? 0 : dataset.y.length / dataset.n;
}

/** Checks the invariants of a dataset; throws a ValueError naming the first broken one. */
export function checkDataset(dataset: Dataset, where: string): Dataset {
  if (dataset === null || typeof dataset !== 'object') throw new ValueError(`${where}: invalid dataset ${show(dataset)}, expected {x, y, n, featureShape, classes}`);
  const { x, y, n, featureShape, classes } = dataset;
  checkInteger(n, `${where} dataset.n`, 0);
  if (!Array.isArray(featureShape) || !featureShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ValueError(`${where}: invalid featureShape ${show(featureShape)}, expected an array of positive integers`);
  }
  if (!(x instanceof Float32Array || x instanceof Float64Array)) throw new ValueError(`${where}: dataset.x must be a Float32Array or Float64Array, got ${show(x)}`);
  if (!(y instanceof Int32Array || y instanceof Float32Array || y instanceof Float64Array)) {
    throw new ValueError(`${where}: dataset.y must be an Int32Array, Float32Array or Float64Array, got ${show(y)}`);
  }
  const f = datasetFeatureSize(dataset);
  if (x.length !== n * f) throw new ValueError(`${where}: dataset.x has ${x.length} values, expected n * ${f} = ${n * f} for featureShape ${show(featureShape)}`);
  if (n > 0 && y.length % n !== 0) throw new ValueError(`${where}: dataset.y has ${y.length} values, expected a multiple of n = ${n}`);
  checkInteger(classes, `${where} dataset.classes`, 0);
  return dataset;
}

/** A new dataset holding copies of the rows `indices` (in that order), or of the first `count` rows. */
export function subsetDataset(dataset: Dataset, selection: number | ArrayLike<number>): Dataset {
  checkDataset(dataset, 'subsetDataset');
  let indices: ArrayLike<number>;
  if (typeof selection === 'number') {
    checkInteger(selection, 'subsetDataset count', 0);
    if (selection > dataset.n) throw new ValueError(`subsetDataset: count ${selection} exceeds the dataset's n = ${dataset.n}`);
    indices = Int32Array.from({ length: selection }, (_, i) => i);
  } else {
    indices = selection;
    if (indices === null || typeof indices !== 'object' || typeof indices.length !== 'number') {
      throw new ValueError(`subsetDataset: invalid selection ${show(selection)}, expected a count or an array of row indices`);
    }
  }
  return gatherRows(dataset, indices, 'subsetDataset');
}

export interface SplitOptions extends RandomSource {
  /** Size of the second part: a fraction in (0, 1), or an integer count >= 1. */
  validation: number;
  /** Shuffle before splitting (default true); false keeps the last rows for validation. */
  shuffle?: boolean;
}

/**
 * Splits a dataset into `{ train, validation }` (both copies). With `shuffle` (default) the rows are
 * assigned by a seeded permutation; the order within each part follows that permutation.
 */
export function splitDataset(dataset: Dataset, options: SplitOptions): { train: Dataset; validation: Dataset } {
  checkDataset(dataset, 'splitDataset');
  const v = checkFinite(options?.validation, 'splitDataset validation');
  let count: number;
  if (v > 0 && v < 1) count = Math.round(v * dataset.n);
  else if (Number.isInteger(v) && v >= 1 && v < dataset.n) count = v;
  else throw new ValueError(`splitDataset: invalid validation ${v}, expected a fraction in (0, 1) or an integer count in [1, ${dataset.n - 1}]`);
  if (count === 0 || count === dataset.n) {
    throw new ValueError(`splitDataset: validation ${v} of n = ${dataset.n} leaves an empty part, expected both parts non-empty`);
  }
  const shuffle = options.shuffle ?? true;
  let order: Int32Array;
  if (shuffle) order = rngFrom(options, 'splitDataset').permutation(dataset.n);
  else order = Int32Array.from({ length: dataset.n }, (_, i) => i);
  const cut = dataset.n - count;
  return {
    train: gatherRows(dataset, order.subarray(0, cut), 'splitDataset'),
    validation: gatherRows(dataset, order.subarray(cut), 'splitDataset'),
  };
}

function gatherRows(dataset: Dataset, indices: ArrayLike<number>, where: string): Dataset {
  const f = datasetFeatureSize(dataset);
  const t = datasetTargetSize(dataset);
  const m = indices.length;
  const x = allocate(dtypeOf(dataset.x), m * f);
  const y = new (dataset.y.constructor as Int32ArrayConstructor | Float32ArrayConstructor | Float64ArrayConstructor)(m * t);
  for (let r = 0; r < m; r++) {
    const i = indices[r]!;
    if (!Number.isInteger(i) || i < 0 || i >= dataset.n) {
      throw new ValueError(`${where}: invalid row index ${show(i)} at position ${r}, expected an integer in [0, ${dataset.n})`);
    }
    x.set(dataset.x.subarray(i * f, (i + 1) * f), r * f);
    if (t > 0) y.set(dataset.y.subarray(i * t, (i + 1) * t), r * t);
  }
  return { x, y, n: m, featureShape: [...dataset.featureShape], classes: dataset.classes };
}

/**
 * Data problems: a classification model (an nn `Module`) trained by cross-entropy on a `Dataset`.
 *
 * - Stochastic gradient: mini-batches of `batchSize` from a `DataLoader` seeded by the trial's
 *   seed (reshuffled every epoch); `batch: 'example'` (sgd1) one example at a time from a loader
 *   with the same seed (the same order of examples); `batch: 'full'` (gd) is the mean gradient
 *   over the whole training set, accumulated in chunks.
 * - The seed also fixes the model's initialization (seed s builds the model from seed s).
 * - `metric()` is the mean loss on the train-eval set (a pass over it, so the runner evaluates
 *   it only every `evalEvery` steps); it is what selection and targets use. The test set is only
 *   ever read by `measures()`, for the report: train-eval accuracy, test loss, test accuracy.
 */
import { ValueError, show } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { checkInteger } from '../../core/validate.js';
import type { Dataset } from '../../data/dataset.js';
import { subsetDataset } from '../../data/dataset.js';
import { DataLoader } from '../../data/loader.js';
import type { Module } from '../../nn/module.js';
import { crossEntropy } from '../../tensor/functional/losses.js';
import { Tensor } from '../../tensor/tensor.js';
import { evaluate } from '../../train/trainer.js';
import type { LabMeasureTarget, LabProblem, LabProblemInstance, LabProblemOptions, LabTarget } from '../problem.js';

/** What a data problem's builder returns for one seed. */
export interface DataProblemParts {
  model: Module;
  train: Dataset;
  trainEval: Dataset;
  test: Dataset;
  /** Shape of one input as the model takes it ([2], [784], [1, 28, 28]). */
  inputShape: number[];
}

export interface DataProblemSpec {
  name: string;
  description: string;
  /** Number of parameters of the model. */
  dim: number;
  /** Training examples (for steps per epoch). */
  trainSize: number;
  batchSize: number;
  defaultBudget: number;
  evalEvery: number;
  target: LabTarget;
  measureTarget?: LabMeasureTarget;
  noFullBatch?: string;
  unavailable?: () => string | null;
  build(seed: number): DataProblemParts;
}

export const DATA_MEASURES = ['train-eval accuracy', 'test loss', 'test accuracy'] as const;

/** The first `n` examples of a dataset (all of it when n is undefined or larger). */
function head(dataset: Dataset, n: number | undefined): Dataset {
  return n === undefined || n >= dataset.n ? dataset : subsetDataset(dataset, n);
}

export function dataProblem(spec: DataProblemSpec): LabProblem {
  checkInteger(spec.batchSize, `${spec.name} batchSize`, 1);
  checkInteger(spec.evalEvery, `${spec.name} evalEvery`, 1);
  return {
    name: spec.name,
    description: spec.description,
    kind: 'stochastic',
    dim: spec.dim,
    defaultBudget: spec.defaultBudget,
    target: spec.target,
    start: [],
    evalEvery: spec.evalEvery,
    stepsPerEpoch: Math.ceil(spec.trainSize / spec.batchSize),
    trainSize: spec.trainSize,
    measures: DATA_MEASURES,
    ...(spec.measureTarget ? { measureTarget: spec.measureTarget } : {}),
    ...(spec.noFullBatch ? { noFullBatch: spec.noFullBatch } : {}),
    ...(spec.unavailable ? { unavailable: spec.unavailable } : {}),
    create(seed: number, options: LabProblemOptions = {}): LabProblemInstance {
      checkInteger(seed, 'seed', 0);
      if (options.start !== undefined) throw new ValueError(`problem ${spec.name}: a data problem takes no start ${show(options.start)}, expected the seeded initialization (no start option)`);
      const evalExamples = options.evalExamples === undefined ? undefined : checkInteger(options.evalExamples, 'evalExamples', 1);
      const why = spec.unavailable?.();
      if (why) throw new ValueError(`problem ${spec.name} cannot run: ${why}`);
      const parts = spec.build(seed);
      const { model, train, inputShape } = parts;
      const trainEval = head(parts.trainEval, evalExamples);
      const test = head(parts.test, evalExamples);
      const features = train.x.length / train.n;
      const loaderSeed = new Rng(seed).split('batches').nextUint32() >>> 1;
      const loader = new DataLoader(train, { batchSize: Math.min(spec.batchSize, train.n), seed: loaderSeed });
      let single: DataLoader | null = null;
      const params = model.parameters();
      const labels = train.y as Int32Array;
      const lossOf = (x: Dataset['x'], y: Int32Array, size: number): Tensor =>
        crossEntropy(model.call(new Tensor(x.subarray(0, size * features), [size, ...inputShape])), y.subarray(0, size));
      let trainEvalAccuracy = Number.NaN;
      return {
        params,
        lossAndGradient(_step, mode) {
          model.zeroGrad();
          if (mode === 'stochastic' || mode === 'example') {
            const b = mode === 'stochastic' ? loader.next() : (single ??= new DataLoader(train, { batchSize: 1, seed: loaderSeed })).next();
            const loss = lossOf(b.x, b.y as Int32Array, b.size);
            const value = loss.item();
            loss.backward();
            return value;
          }
          // Full batch: the mean over the training set, as the sum of chunk means weighted by chunk / n.
          let total = 0;
          const chunk = 1000;
          for (let start = 0; start < train.n; start += chunk) {
            const size = Math.min(chunk, train.n - start);
            const weighted = lossOf(train.x.subarray(start * features), labels.subarray(start), size).mul(size / train.n);
            total += weighted.item();
            weighted.backward();
          }
          return total;
        },
        metric() {
          const e = evaluate(model, trainEval, inputShape);
          trainEvalAccuracy = e.accuracy;
          return e.loss;
        },
        measures() {
          const e = evaluate(model, test, inputShape);
          return { 'train-eval accuracy': trainEvalAccuracy, 'test loss': e.loss, 'test accuracy': e.accuracy };
        },
      };
    },
  };
}

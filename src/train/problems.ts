/**
 * Training problems: a dataset and the model trained on it, built from one seed.
 *
 * The Fashion-MNIST problems follow DeepOBS (Schneider et al., 2019) exactly: pixels / 255,
 * no augmentation, and a train-eval set (the first 10,000 training images, as large as the
 * test set) on which training progress is measured.
 *   fmnist-logreg  784→10 softmax regression, weights and biases initialised to zero.
 *   fmnist-mlp     784-1000-500-100-10 with ReLU, weights truncated normal σ = 0.03, biases 0.
 *   fmnist-2c2d    conv 5×5×32 'same' + ReLU + max-pool 2, conv 5×5×64 'same' + ReLU + max-pool 2,
 *                  dense 1024 + ReLU, dense 10; weights truncated normal σ = 0.05, biases 0.05.
 * Their models come from `fmnistLogregModel`, `fmnistMlpModel` and `fmnist2c2dModel`, which need
 * no data. Small problems that need no download: `spiral-mlp` (3-class spiral, 2-64-64-3 tanh
 * MLP) and `sparse-logreg` (Zipf-sparse binary features, d = 500, a linear two-class model).
 */
import { DataError, ValueError, show } from '../core/errors.js';
import type { DType } from '../core/dtype.js';
import { Rng } from '../core/rng.js';
import type { Dataset } from '../data/dataset.js';
import { subsetDataset } from '../data/dataset.js';
import { loadFashionMnist } from '../data/fashion-mnist.js';
import { makeSpiral } from '../data/synthetic-2d.js';
import { makeSparseLogistic } from '../data/sparse-logistic.js';
import { Module } from '../nn/module.js';
import { Linear } from '../nn/layers/linear.js';
import { Conv2d } from '../nn/layers/conv.js';
import { MaxPool2d } from '../nn/layers/pooling.js';
import { Sequential, Flatten } from '../nn/layers/container.js';
import { ReLU, Tanh } from '../nn/layers/activation.js';
import * as init from '../nn/init.js';

export interface TrainingProblem {
  name: string;
  description: string;
  model: Module;
  train: Dataset;
  /** A subset of the training set on which training loss/accuracy are evaluated. */
  trainEval: Dataset;
  test: Dataset;
  /** Shape of one input as the model takes it (e.g. [784] or [1, 28, 28]). */
  inputShape: number[];
}

export interface TrainingProblemOptions {
  seed?: number;
  dtype?: DType;
  /** Fashion-MNIST directory (see loadFashionMnist). */
  dataDir?: string;
  /** Use only the first `trainLimit` training / `testLimit` test examples. */
  trainLimit?: number;
  testLimit?: number;
}

interface ProblemSpec {
  description: string;
  build(options: Required<Pick<TrainingProblemOptions, 'seed' | 'dtype'>> & TrainingProblemOptions): TrainingProblem;
}

const TRAIN_EVAL_SIZE = 10_000;

function fashion(options: TrainingProblemOptions): { train: Dataset; trainEval: Dataset; test: Dataset } {
  const train = loadFashionMnist({ dir: options.dataDir, split: 'train', limit: options.trainLimit });
  const test = loadFashionMnist({ dir: options.dataDir, split: 'test', limit: options.testLimit });
  const trainEval = subsetDataset(train, Math.min(TRAIN_EVAL_SIZE, train.n));
  return { train, trainEval, test };
}

function imagesAs(dataset: Dataset, featureShape: number[]): Dataset {
  return { ...dataset, featureShape };
}

/** Weights truncated normal(0, std) and biases constant, DeepOBS-style. */
function initDeepObs(model: Module, std: number, bias: number, rng: Rng): void {
  for (const [name, p] of model.namedParameters()) {
    if (name.endsWith('bias')) init.constant(p, bias);
    else init.truncatedNormal(p, 0, std, { rng });
  }
}

/** Options of the model builders: the seed of the initialization and the parameters' dtype. */
export interface ModelOptions {
  seed?: number;
  dtype?: DType;
}

function modelOptions(options: ModelOptions): { seed: number; dtype: DType } {
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0) throw new ValueError(`invalid seed ${show(seed)}, expected an integer >= 0`);
  return { seed, dtype: options.dtype ?? 'float32' };
}

/** DeepOBS fmnist_logreg: Linear 784→10, weights and biases zero. Input [n, 784]. */
export function fmnistLogregModel(options: ModelOptions = {}): Sequential {
  const o = modelOptions(options);
  const model = new Sequential(new Linear(784, 10, { dtype: o.dtype, rng: new Rng(o.seed).split('init') }));
  for (const p of model.parameters()) init.zeros(p);
  return model;
}

/** DeepOBS fmnist_mlp: 784-1000-500-100-10 ReLU, weights truncated normal σ = 0.03, biases 0. Input [n, 784]. */
export function fmnistMlpModel(options: ModelOptions = {}): Sequential {
  const o = modelOptions(options);
  const rng = new Rng(o.seed).split('init');
  const model = new Sequential(
    new Linear(784, 1000, { dtype: o.dtype, rng }), new ReLU(),
    new Linear(1000, 500, { dtype: o.dtype, rng }), new ReLU(),
    new Linear(500, 100, { dtype: o.dtype, rng }), new ReLU(),
    new Linear(100, 10, { dtype: o.dtype, rng }),
  );
  initDeepObs(model, 0.03, 0, rng);
  return model;
}

/**
 * DeepOBS fmnist_2c2d: conv 5×5×32 'same' + ReLU + max-pool 2, conv 5×5×64 'same' + ReLU +
 * max-pool 2, dense 1024 + ReLU, dense 10; weights truncated normal σ = 0.05, biases 0.05.
 * Input [n, 1, 28, 28].
 */
export function fmnist2c2dModel(options: ModelOptions = {}): Sequential {
  const o = modelOptions(options);
  const rng = new Rng(o.seed).split('init');
  const model = new Sequential(
    new Conv2d(1, 32, 5, { padding: 'same', dtype: o.dtype, rng }), new ReLU(), new MaxPool2d(2),
    new Conv2d(32, 64, 5, { padding: 'same', dtype: o.dtype, rng }), new ReLU(), new MaxPool2d(2),
    new Flatten(),
    new Linear(7 * 7 * 64, 1024, { dtype: o.dtype, rng }), new ReLU(),
    new Linear(1024, 10, { dtype: o.dtype, rng }),
  );
  initDeepObs(model, 0.05, 0.05, rng);
  return model;
}

const PROBLEMS: Record<string, ProblemSpec> = {
  'fmnist-logreg': {
    description: 'Fashion-MNIST, multinomial logistic regression 784→10, zero init (DeepOBS fmnist_logreg)',
    build(o) {
      const data = fashion(o);
      const model = fmnistLogregModel(o);
      return { name: 'fmnist-logreg', description: this.description, model, ...data, inputShape: [784] };
    },
  },
  'fmnist-mlp': {
    description: 'Fashion-MNIST, MLP 784-1000-500-100-10 ReLU, truncated normal σ=0.03 (DeepOBS fmnist_mlp)',
    build(o) {
      const data = fashion(o);
      const model = fmnistMlpModel(o);
      return { name: 'fmnist-mlp', description: this.description, model, ...data, inputShape: [784] };
    },
  },
  'fmnist-2c2d': {
    description: 'Fashion-MNIST, 2 conv + 2 dense layers, truncated normal σ=0.05, biases 0.05 (DeepOBS fmnist_2c2d)',
    build(o) {
      const { train, trainEval, test } = fashion(o);
      const model = fmnist2c2dModel(o);
      const shape = [1, 28, 28];
      return {
        name: 'fmnist-2c2d', description: this.description, model,
        train: imagesAs(train, shape), trainEval: imagesAs(trainEval, shape), test: imagesAs(test, shape), inputShape: shape,
      };
    },
  },
  'spiral-mlp': {
    description: '3-class 2-D spiral (1,500 points, noise 0.02), MLP 2-64-64-3 with tanh; no download needed',
    build(o) {
      const rng = new Rng(o.seed);
      const all = makeSpiral({ samples: o.trainLimit ?? 1500, classes: 3, noise: 0.02, rng: rng.split('data'), dtype: o.dtype });
      const test = makeSpiral({ samples: o.testLimit ?? 600, classes: 3, noise: 0.02, rng: rng.split('test'), dtype: o.dtype });
      const init = rng.split('init');
      const model = new Sequential(
        new Linear(2, 64, { dtype: o.dtype, rng: init }), new Tanh(),
        new Linear(64, 64, { dtype: o.dtype, rng: init }), new Tanh(),
        new Linear(64, 3, { dtype: o.dtype, rng: init }),
      );
      return { name: 'spiral-mlp', description: this.description, model, train: all, trainEval: all, test, inputShape: [2] };
    },
  },
  'sparse-logreg': {
    description: 'Sparse logistic regression: 500 Zipf-distributed binary features, true weights ±2, linear model',
    build(o) {
      const rng = new Rng(o.seed);
      // One draw of the true weights: train and test come from the same generated set.
      const all = makeSparseLogistic({ samples: (o.trainLimit ?? 4000) + (o.testLimit ?? 2000), rng: rng.split('data'), dtype: o.dtype });
      const nTrain = o.trainLimit ?? 4000;
      const train = subsetDataset(all, nTrain);
      const test = subsetDataset(all, Int32Array.from({ length: all.n - nTrain }, (_, i) => nTrain + i));
      const model = new Sequential(new Linear(all.featureShape[0]!, 2, { dtype: o.dtype, rng: rng.split('init') }));
      for (const p of model.parameters()) init.zeros(p);
      return { name: 'sparse-logreg', description: this.description, model, train, trainEval: train, test, inputShape: [all.featureShape[0]!] };
    },
  },
};

export const TRAINING_PROBLEMS: readonly string[] = Object.keys(PROBLEMS);

export function describeTrainingProblems(): Array<{ name: string; description: string }> {
  return Object.entries(PROBLEMS).map(([name, p]) => ({ name, description: p.description }));
}

export function createTrainingProblem(name: string, options: TrainingProblemOptions = {}): TrainingProblem {
  const spec = PROBLEMS[name];
  if (spec === undefined) {
    throw new ValueError(`unknown problem ${show(name)}, expected one of ${TRAINING_PROBLEMS.map((p) => JSON.stringify(p)).join(', ')}`);
  }
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0) throw new ValueError(`invalid seed ${show(seed)}, expected an integer >= 0`);
  for (const key of ['trainLimit', 'testLimit'] as const) {
    const v = options[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new ValueError(`invalid ${key} ${show(v)}, expected a positive integer`);
  }
  const problem = spec.build({ ...options, seed, dtype: options.dtype ?? 'float32' });
  if (problem.train.n === 0) throw new DataError(`problem ${name}: the training set is empty`);
  return problem;
}

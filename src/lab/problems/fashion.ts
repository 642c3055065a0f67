/**
 * The DeepOBS Fashion-MNIST problems (src/train/problems.ts builds the models and the data):
 * `fmnist-logreg`, `fmnist-mlp`, `fmnist-2c2d`, batches of 128, 469 steps per epoch. They are
 * registered always, and report "not run" when the data is not installed.
 *
 * The metric is the train-eval loss (the first 10,000 training images, or `evalExamples`), used
 * for selection; the test set is only read for the report (`measures()`), whose `measureTarget`
 * is a test accuracy. Budgets and targets (DeepOBS's epochs; the loss targets are round values a
 * tuned optimizer reaches within them):
 *
 *   problem         budget                    target (train-eval loss)   test accuracy target
 *   fmnist-logreg   20 epochs (9,380 steps)   <= 0.45                    >= 0.84
 *   fmnist-mlp      100 epochs (46,900)       <= 0.2                     >= 0.88
 *   fmnist-2c2d     100 epochs (46,900)       <= 0.15                    >= 0.91
 *
 * Every step of `gd` would be a pass over the 60,000 training images, so `gd` does not run here.
 * The metric is evaluated once per epoch by default (`--eval-every` changes it).
 */
import { findFashionMnist } from '../../data/fashion-mnist.js';
import { createTrainingProblem } from '../../train/problems.js';
import type { Dataset } from '../../data/dataset.js';
import type { LabProblem } from '../problem.js';
import { dataProblem } from './data.js';

const TRAIN = 60_000;
const BATCH = 128;
const EPOCH = Math.ceil(TRAIN / BATCH);

export const FASHION_MISSING = 'Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)';

/** The data, loaded once per process and name (the models differ by seed, the data do not). */
const cache = new Map<string, { train: Dataset; trainEval: Dataset; test: Dataset }>();

interface FashionSpec {
  name: 'fmnist-logreg' | 'fmnist-mlp' | 'fmnist-2c2d';
  what: string;
  dim: number;
  epochs: number;
  targetLoss: number;
  testAccuracy: number;
}

function fashionProblem(spec: FashionSpec): LabProblem {
  return dataProblem({
    name: spec.name,
    description: `Fashion-MNIST, ${spec.what} (DeepOBS ${spec.name.replace('-', '_')}), batches of ${BATCH}; records the train-eval loss (first 10,000 training images); target <= ${spec.targetLoss}; reports test accuracy (target >= ${spec.testAccuracy}); budget ${spec.epochs} epochs.`,
    dim: spec.dim,
    trainSize: TRAIN,
    batchSize: BATCH,
    defaultBudget: spec.epochs * EPOCH,
    evalEvery: EPOCH,
    target: { metric: 'loss', value: spec.targetLoss },
    measureTarget: { measure: 'test accuracy', value: spec.testAccuracy, direction: 'above' },
    noFullBatch: `every full-batch step is a pass over ${TRAIN.toLocaleString('en-US')} images`,
    unavailable: () => (findFashionMnist() === null ? FASHION_MISSING : null),
    build(seed) {
      let data = cache.get(spec.name);
      if (!data) {
        const full = createTrainingProblem(spec.name, { seed: 0 });
        data = { train: full.train, trainEval: full.trainEval, test: full.test };
        cache.set(spec.name, data);
      }
      // The model for this seed; the one-image limits keep this from loading the data again.
      const model = createTrainingProblem(spec.name, { seed, trainLimit: 1, testLimit: 1 });
      return { model: model.model, ...data, inputShape: model.inputShape };
    },
  });
}

export const fashionProblems: LabProblem[] = [
  fashionProblem({ name: 'fmnist-logreg', what: 'softmax regression 784→10, zero init', dim: 7850, epochs: 20, targetLoss: 0.45, testAccuracy: 0.84 }),
  fashionProblem({ name: 'fmnist-mlp', what: 'MLP 784-1000-500-100-10, ReLU', dim: 1_336_610, epochs: 100, targetLoss: 0.2, testAccuracy: 0.88 }),
  fashionProblem({ name: 'fmnist-2c2d', what: '2 conv + 2 dense layers', dim: 3_274_634, epochs: 100, targetLoss: 0.15, testAccuracy: 0.91 }),
];

/**
 * Small networks on the 2-D classification sets (src/data/synthetic-2d.ts): cheap stochastic
 * problems with a real loss landscape (no download, a few ms per step).
 *
 *   spiral-net  3-arm spiral, 300 training / 300 test points (noise 0.05), MLP 2-32-32-3, tanh
 *   moons-net   two moons, 200 training / 200 test points (noise 0.1), MLP 2-16-16-2, tanh
 *
 * The data are fixed (generated from seed 0); the trial's seed draws the initialization
 * (PyTorch's default uniform init of `Linear`) and the batch order. Batches of 32; the training
 * set is also the train-eval set (it is small); the metric is the train-eval loss, and the target
 * a loss low enough that the net separates the classes.
 */
import { Rng } from '../../core/rng.js';
import type { Dataset } from '../../data/dataset.js';
import { makeMoons, makeSpiral } from '../../data/synthetic-2d.js';
import { Tanh } from '../../nn/layers/activation.js';
import { Sequential } from '../../nn/layers/container.js';
import { Linear } from '../../nn/layers/linear.js';
import type { LabProblem } from '../problem.js';
import { dataProblem } from './data.js';

function mlp(sizes: readonly number[], seed: number): Sequential {
  const rng = new Rng(seed).split('init');
  const layers = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new Linear(sizes[i]!, sizes[i + 1]!, { dtype: 'float32', rng }));
    if (i + 2 < sizes.length) layers.push(new Tanh());
  }
  return new Sequential(...layers);
}

function parameterCount(sizes: readonly number[]): number {
  let n = 0;
  for (let i = 0; i + 1 < sizes.length; i++) n += sizes[i]! * sizes[i + 1]! + sizes[i + 1]!;
  return n;
}

interface NetSpec {
  name: string;
  description: string;
  sizes: readonly number[];
  samples: number;
  make(samples: number, rng: Rng): Dataset;
  budget: number;
  targetLoss: number;
}

function netProblem(spec: NetSpec): LabProblem {
  let data: { train: Dataset; test: Dataset } | null = null;
  return dataProblem({
    name: spec.name,
    description: spec.description,
    dim: parameterCount(spec.sizes),
    trainSize: spec.samples,
    batchSize: 32,
    defaultBudget: spec.budget,
    evalEvery: 10,
    target: { metric: 'loss', value: spec.targetLoss },
    build(seed) {
      const rng = new Rng(0);
      data ??= { train: spec.make(spec.samples, rng.split('train')), test: spec.make(spec.samples, rng.split('test')) };
      return { model: mlp(spec.sizes, seed), train: data.train, trainEval: data.train, test: data.test, inputShape: [2] };
    },
  });
}

export const spiralNetProblem = (): LabProblem => netProblem({
  name: 'spiral-net',
  description: '3-arm 2-D spiral (300 training, 300 test points, noise 0.05), MLP 2-32-32-3 with tanh, batches of 32; records the train-eval loss (cross-entropy); target loss <= 0.1.',
  sizes: [2, 32, 32, 3],
  samples: 300,
  make: (samples, rng) => makeSpiral({ samples, classes: 3, noise: 0.05, rng, dtype: 'float32' }),
  budget: 1000,
  targetLoss: 0.1,
});

export const moonsNetProblem = (): LabProblem => netProblem({
  name: 'moons-net',
  description: 'Two moons (200 training, 200 test points, noise 0.1), MLP 2-16-16-2 with tanh, batches of 32; records the train-eval loss (cross-entropy); target loss <= 0.05.',
  sizes: [2, 16, 16, 2],
  samples: 200,
  make: (samples, rng) => makeMoons({ samples, noise: 0.1, rng, dtype: 'float32' }),
  budget: 300,
  targetLoss: 0.05,
});

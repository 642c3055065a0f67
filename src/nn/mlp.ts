/**
 * mlp([784, 128, 10]) = Sequential(Linear(784, 128), ReLU(), Linear(128, 10)): Linear layers
 * between consecutive sizes with an activation between them (none after the last).
 */
import { ValueError, show } from '../core/errors.js';
import type { Module } from './module.js';
import { Identity, ReLU, Sigmoid, Tanh } from './layers/activation.js';
import { Sequential } from './layers/container.js';
import { Linear } from './layers/linear.js';
import { type LayerOptions, checkOptions, layerDType, layerRng } from './layers/options.js';

export type ActivationName = 'relu' | 'tanh' | 'sigmoid' | 'identity';

export interface MlpOptions extends LayerOptions {
  /** Between hidden layers: a name, or a factory making a fresh module each time (default 'relu'). */
  activation?: ActivationName | (() => Module);
  /** Whether the Linear layers have biases (default true). */
  bias?: boolean;
}

const ACTIVATIONS: Record<ActivationName, () => Module> = {
  relu: () => new ReLU(),
  tanh: () => new Tanh(),
  sigmoid: () => new Sigmoid(),
  identity: () => new Identity(),
};

export function mlp(sizes: readonly number[], options: MlpOptions = {}): Sequential {
  const where = 'mlp';
  if (!Array.isArray(sizes) || sizes.length < 2) {
    throw new ValueError(`${where}: invalid sizes ${show(sizes)}, expected at least two layer sizes like [784, 128, 10]`);
  }
  checkOptions(options, where, ['dtype', 'rng', 'activation', 'bias']);
  const activation = options.activation ?? 'relu';
  let make: () => Module;
  if (typeof activation === 'function') {
    make = activation;
  } else if (typeof activation === 'string' && Object.prototype.hasOwnProperty.call(ACTIVATIONS, activation)) {
    make = ACTIVATIONS[activation];
  } else {
    throw new ValueError(`${where}: invalid activation ${show(activation)}, expected 'relu', 'tanh', 'sigmoid', 'identity' or a function returning a Module`);
  }
  const dtype = layerDType(options, where);
  const rng = layerRng(options, where);
  const net = new Sequential();
  for (let i = 0; i + 1 < sizes.length; i++) {
    if (i > 0) net.append(make());
    net.append(new Linear(sizes[i]!, sizes[i + 1]!, { dtype, rng, bias: options.bias ?? true }));
  }
  return net;
}

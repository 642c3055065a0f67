/**
 * nn: modules and layers (torch.nn-shaped), initializers, and flat parameter packing.
 *
 *   const net = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
 *   const fc = new nn.Linear(4, 2); nn.init.heNormal(fc.weight, { rng });
 */
export { Module, type StateDict, type StateEntry, type LoadStateDictResult } from './module.js';
export { Linear, type LinearOptions } from './layers/linear.js';
export { Conv2d, type Conv2dOptions, type Padding } from './layers/conv.js';
export { MaxPool2d, type MaxPool2dOptions } from './layers/pooling.js';
export { BatchNorm1d, BatchNorm2d, type BatchNormOptions } from './layers/batchnorm.js';
export { Dropout } from './layers/dropout.js';
export { Embedding } from './layers/embedding.js';
export { Sequential, Flatten } from './layers/container.js';
export { ReLU, Tanh, Sigmoid, Softmax, LogSoftmax, Identity } from './layers/activation.js';
export type { LayerOptions } from './layers/options.js';
export { mlp, type MlpOptions, type ActivationName } from './mlp.js';
export { packParameters, isPacked, type PackedParameters, type PackedView } from './pack.js';
export * as init from './init.js';

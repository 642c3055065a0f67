/** Data: the IDX reader, Fashion-MNIST, synthetic sets and the mini-batch loader. */
export * from './dataset.js';
export type { RandomSource } from './random-source.js';
export * from './idx.js';
export * from './fashion-mnist.js';
export * from './pixels.js';
export * from './synthetic-2d.js';
export * from './sparse-logistic.js';
export * from './quadratic-deep.js';
export * from './loader.js';

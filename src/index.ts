/**
 * descent: optimization algorithms that train neural networks.
 *
 *   import { tensor, nn, functional, Adam } from 'descent';
 */
export * from './core/index.js';
export * from './kernels/index.js';
export * from './tensor/index.js';
export * from './autograd/index.js';
export * as nn from './nn/index.js';
export * from './optim/index.js';
export * from './data/index.js';
export * from './train/index.js';
export * from './lab/index.js';

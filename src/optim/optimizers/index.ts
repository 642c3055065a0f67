/** The torch-shaped optimizers, built from the transforms in ../transforms. */
export * from './optimizer.js';
export * from './state-codec.js';
export type { Hyper } from './hyper.js';
export { isScheduleMarker, type ScheduleMarker } from './group-codec.js';
export * from './transform-optimizer.js';
export * from './sgd.js';
export * from './adam.js';
export * from './adagrad.js';
export * from './adadelta.js';
export * from './rmsprop.js';
export * from './adamax.js';
export * from './nadam.js';
export * from './radam.js';
export * from './asgd.js';
export * from './rprop.js';
export * from './sparse-adam.js';
export * from './fused.js';
export * from './chain-optimizer.js';

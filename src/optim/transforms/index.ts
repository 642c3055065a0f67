/** The composable core: optax-style transforms over flat typed arrays. */
export * from './types.js';
export * from './chain.js';
export * from './flip-sign.js';
export * from './add-decayed-weights.js';
export * from './scale-by-learning-rate.js';
export * from './trace.js';
export * from './scale-by-adam.js';
export * from './scale-by-rms.js';
export * from './scale-by-adagrad.js';
export * from './scale-by-adadelta.js';
export * from './scale-by-adamax.js';
export * from './scale-by-nadam.js';
export * from './scale-by-radam.js';
export * from './scale-by-asgd.js';
export * from './scale-by-rprop.js';

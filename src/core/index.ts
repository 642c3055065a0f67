export * from './dtype.js';
export * from './errors.js';
export * from './validate.js';
export * from './param.js';
export * from './rng.js';
export * from './schedule.js';
export * from './spec.js';

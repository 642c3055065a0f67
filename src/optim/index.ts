export * from './transforms/index.js';
export * from './optimizers/index.js';
export * from './schedules/index.js';
export * from './averaging/index.js';
export * from './second-order/index.js';
export * from './utils/index.js';
export * from './registry.js';
export * from './scheduler-registry.js';

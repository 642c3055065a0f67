export * from './checkpoint.js';
export * from './progress.js';
export * from './problems.js';
export * from './trainer.js';
export * from './lr-find.js';
export * from './graph-size.js';

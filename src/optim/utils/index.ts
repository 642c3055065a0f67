/** Optimization utilities: gradient clipping. */
export { clipGradNorm, clipGradValue } from './clip-grad.js';
export type { NormType, ClipGradNormOptions } from './clip-grad.js';

export { isGradEnabled, noGrad, enableGrad } from './mode.js';
export { backward, grad } from './engine.js';
export type { GradOptions } from './engine.js';
export { hvp } from './hvp.js';
export type { GradFn } from './node.js';

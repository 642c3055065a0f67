export { Tensor } from './tensor.js';
export type { Dims } from './tensor.js';
export * from './factories.js';
export * as functional from './functional.js';

/** Weight averaging: SWA / Polyak (equal weights) and EMA, as torch's AveragedModel. */
export { AveragedModel } from './averaged-model.js';
export type { AveragedModelOptions, AveragedModelState, AvgFunction } from './averaged-model.js';

/**
 * Learning-rate schedules: plain functions `(step) => value` usable anywhere a number is,
 * and torch-shaped scheduler classes that drive an optimizer's param groups.
 * Formulas: docs/schedules.md.
 */
export { LRScheduler } from './scheduler.js';
export type { SchedulableGroup, SchedulableOptimizer, SchedulerState, ChainableScheduler } from './scheduler.js';
export { StepLR, MultiStepLR, ExponentialLR, ConstantLR, LinearLR, PolynomialLR } from './decay-schedulers.js';
export type {
  StepLROptions, MultiStepLROptions, ExponentialLROptions, ConstantLROptions, LinearLROptions, PolynomialLROptions,
} from './decay-schedulers.js';
export { CosineAnnealingLR, CosineAnnealingWarmRestarts } from './cosine-schedulers.js';
export type { CosineAnnealingLROptions, CosineAnnealingWarmRestartsOptions } from './cosine-schedulers.js';
export { LambdaLR, MultiplicativeLR } from './lambda-schedulers.js';
export type { LrLambda, LambdaLROptions } from './lambda-schedulers.js';
export { OneCycleLR } from './one-cycle.js';
export type { OneCycleLROptions } from './one-cycle.js';
export { CyclicLR } from './cyclic.js';
export type { CyclicLROptions, CyclicMode, ScaleMode } from './cyclic.js';
export { SequentialLR, ChainedScheduler } from './composite.js';
export type { SequentialLROptions } from './composite.js';
export { ReduceLROnPlateau } from './plateau.js';
export type { ReduceLROnPlateauOptions } from './plateau.js';
export { SWALR } from './swalr.js';
export type { SWALROptions } from './swalr.js';
export {
  constantSchedule, piecewiseConstantSchedule, stepDecaySchedule, exponentialDecaySchedule, cosineDecaySchedule,
  polynomialSchedule, linearSchedule, searchThenConverge, inverseTimeDecay,
} from './decay-functions.js';
export type { ExponentialDecayOptions } from './decay-functions.js';
export { joinSchedules, withWarmup, linearWarmup, warmupCosine, inverseSqrtSchedule } from './join-functions.js';
export { cyclicSchedule, oneCycleSchedule } from './cycle-functions.js';
export type { CyclicScheduleOptions, OneCycleScheduleOptions } from './cycle-functions.js';

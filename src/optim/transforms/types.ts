/**
 * The composable core, optax-style. A transform is a pair of functions over one flat
 * typed array (a parameter's data, its gradient and its state all have the same length):
 *
 *   const state = t.init(params);            // preallocates typed-array state
 *   t.update(updates, state, params, ctx);   // rewrites `updates` (and `state`) in place
 *
 * Sign convention (stated once): `updates` starts as the gradient and ends as the delta
 * ADDED to the parameters (`applyUpdates`: p += u). `scaleByLearningRate(lr)` is the step
 * that multiplies by -lr; every other transform keeps the descent direction's sign.
 *
 * `update` never allocates (beyond a buffer some transforms create lazily on first use,
 * the way torch creates `momentum_buffer` on the first step).
 */
import type { FloatArray } from '../../core/dtype.js';
import type { ScalarOrSchedule } from '../../core/schedule.js';
import { ValueError, show } from '../../core/errors.js';

export interface UpdateContext {
  /** 1-based number of the update being computed (torch's `step` after its increment). */
  step: number;
  /**
   * Row-sparse updates: only these rows along dim 0 are read and written (torch's sparse
   * semantics: state of untouched rows does not move). `null` means every element.
   */
  rows: Int32Array | null;
  /** Elements per row when `rows` is set. */
  rowSize: number;
}

export interface Transform<S = unknown> {
  /** Short name, for error messages. */
  readonly name: string;
  init(params: FloatArray): S;
  update(updates: FloatArray, state: S, params: FloatArray, ctx: UpdateContext): void;
}

/** A boolean hyperparameter fixed or read at each update (torch groups are mutable). */
export type Flag = boolean | (() => boolean);

export function flagAt(flag: Flag): boolean {
  return typeof flag === 'function' ? flag() : flag;
}

/** The value of a hyperparameter at update `ctx.step` (schedules are 0-based). */
export function hyperAt(value: ScalarOrSchedule, ctx: UpdateContext): number {
  return typeof value === 'function' ? value(ctx.step - 1) : value;
}

/** A fresh context for dense updates; reuse it across steps to avoid allocation. */
export function denseContext(step = 1): UpdateContext {
  return { step, rows: null, rowSize: 0 };
}

/** Checks a hyperparameter given to a transform: a finite number (checked with `check`) or a function. */
export function checkHyper(value: unknown, name: string, where: string, check?: (v: number) => boolean, expected?: string): ScalarOrSchedule {
  if (typeof value === 'function') return value as ScalarOrSchedule;
  if (typeof value !== 'number' || !Number.isFinite(value) || (check && !check(value))) {
    throw new ValueError(`${where}: invalid ${name} ${show(value)}, expected ${expected ?? 'a finite number'} or a schedule (step) => number`);
  }
  return value;
}

export function checkFlag(value: unknown, name: string, where: string): Flag {
  if (typeof value === 'boolean' || typeof value === 'function') return value as Flag;
  throw new ValueError(`${where}: invalid ${name} ${show(value)}, expected a boolean or a function () => boolean`);
}

/** Throws unless `params` is a Float32Array or Float64Array (what `init` accepts). */
export function checkParams(params: unknown, where: string): asserts params is FloatArray {
  if (!(params instanceof Float32Array || params instanceof Float64Array)) {
    throw new ValueError(`${where}: params is ${show(Object.prototype.toString.call(params))}, expected a Float32Array or Float64Array`);
  }
}

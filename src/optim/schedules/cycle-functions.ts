/**
 * Cyclical schedules as functions: cyclicSchedule (CyclicLR's lr) and oneCycleSchedule
 * (OneCycleLR's lr). They share their definitions with the scheduler classes.
 */
import { ValueError, show } from '../../core/errors.js';
import type { Schedule } from '../../core/schedule.js';
import { checkAnnealStrategy } from './cosine-schedulers.js';
import { checkCyclicMode, checkStepSize, cyclicPosition, modeScale, type CyclicMode } from './cyclic.js';
import { num, options, pos, stepArg, steps } from './function-checks.js';
import { annealCos, annealLinear, checkPctStart, oneCyclePhases, oneCyclePosition } from './one-cycle.js';

export interface CyclicScheduleOptions {
  /** Steps in the falling half (default stepSizeUp). */
  stepSizeDown?: number;
  mode?: CyclicMode;
  /** exp_range decay per step (default 1). */
  gamma?: number;
}

/** Triangle wave between baseValue and maxValue (torch's CyclicLR lr as a function of the step). */
export function cyclicSchedule(baseValue: number, maxValue: number, stepSizeUp: number, opts?: CyclicScheduleOptions): Schedule {
  const where = 'cyclicSchedule';
  const o = options(opts, ['stepSizeDown', 'mode', 'gamma'], where);
  const base = num(baseValue, 'baseValue', where);
  const max = num(maxValue, 'maxValue', where);
  const up = checkStepSize(stepSizeUp, 'stepSizeUp', where);
  const down = o['stepSizeDown'] === undefined ? up : checkStepSize(o['stepSizeDown'], 'stepSizeDown', where);
  const mode = checkCyclicMode(o['mode'] ?? 'triangular', where);
  const { scaleFn, scaleMode } = modeScale(mode, pos(o['gamma'] ?? 1, 'gamma', where));
  return (step) => {
    const t = stepArg(step, where);
    const { cycle, height } = cyclicPosition(t, up, down);
    return base + (max - base) * height * scaleFn(scaleMode === 'cycle' ? cycle : t);
  };
}

export interface OneCycleScheduleOptions {
  pctStart?: number;
  divFactor?: number;
  finalDivFactor?: number;
  annealStrategy?: 'cos' | 'linear';
  threePhase?: boolean;
}

/**
 * OneCycleLR's lr as a function: from maxValue/divFactor up to maxValue, then down to
 * maxValue/(divFactor*finalDivFactor) at step totalSteps - 1, held after.
 */
export function oneCycleSchedule(maxValue: number, totalSteps: number, opts?: OneCycleScheduleOptions): Schedule {
  const where = 'oneCycleSchedule';
  const o = options(opts, ['pctStart', 'divFactor', 'finalDivFactor', 'annealStrategy', 'threePhase'], where);
  const max = num(maxValue, 'maxValue', where);
  const T = steps(totalSteps, 'totalSteps', where);
  const pctStart = checkPctStart(o['pctStart'] ?? 0.3, where);
  const initial = max / pos(o['divFactor'] ?? 25, 'divFactor', where);
  const min = initial / pos(o['finalDivFactor'] ?? 1e4, 'finalDivFactor', where);
  const anneal = checkAnnealStrategy(o['annealStrategy'] ?? 'cos', where) === 'cos' ? annealCos : annealLinear;
  const threePhase = o['threePhase'] ?? false;
  if (typeof threePhase !== 'boolean') throw new ValueError(`${where}: invalid threePhase ${show(threePhase)}, expected true or false`);
  const phases = oneCyclePhases(T, pctStart, threePhase);
  const at = { initial, max, min };
  return (step) => {
    const { phase, pct } = oneCyclePosition(phases, Math.min(stepArg(step, where), T - 1));
    return anneal(at[phase.startLr], at[phase.endLr], pct);
  };
}

/**
 * Decay schedules as plain functions `(step) => value`, step 0-based (the value at the first
 * update is `schedule(0)`). Formulas: docs/schedules.md.
 */
import { ValueError, show } from '../../core/errors.js';
import type { Schedule } from '../../core/schedule.js';
import { num, options, pos, stepArg, steps } from './function-checks.js';

/** value, at every step. */
export function constantSchedule(value: number): Schedule {
  const v = num(value, 'value', 'constantSchedule');
  return (step) => (stepArg(step, 'constantSchedule'), v);
}

/** values[i] for boundaries[i-1] <= step < boundaries[i]; boundaries increasing, one fewer than values. */
export function piecewiseConstantSchedule(values: number[], boundaries: number[]): Schedule {
  const where = 'piecewiseConstantSchedule';
  if (!Array.isArray(values) || values.length === 0) throw new ValueError(`${where}: invalid values ${show(values)}, expected a non-empty array of numbers`);
  values.forEach((v, i) => num(v, `values[${i}]`, where));
  if (!Array.isArray(boundaries) || boundaries.length !== values.length - 1) {
    throw new ValueError(`${where}: boundaries ${show(boundaries)}, expected ${values.length - 1} increasing step(s), one fewer than values`);
  }
  boundaries.forEach((b, i) => {
    if (typeof b !== 'number' || !Number.isFinite(b) || b < 0 || (i > 0 && b <= boundaries[i - 1]!)) {
      throw new ValueError(`${where}: boundaries ${show(boundaries)} are not increasing finite steps >= 0`);
    }
  });
  const vs = [...values];
  const bs = [...boundaries];
  return (step) => {
    const t = stepArg(step, where);
    let i = 0;
    while (i < bs.length && t >= bs[i]!) i++;
    return vs[i]!;
  };
}

/** initValue * gamma^floor(step / stepSize): torch's StepLR as a function. */
export function stepDecaySchedule(initValue: number, stepSize: number, gamma = 0.1): Schedule {
  const where = 'stepDecaySchedule';
  const v0 = num(initValue, 'initValue', where);
  const size = steps(stepSize, 'stepSize', where);
  const g = pos(gamma, 'gamma', where);
  return (step) => v0 * g ** Math.floor(stepArg(step, where) / size);
}

export interface ExponentialDecayOptions {
  /** Steps per factor of gamma (default 1). */
  transitionSteps?: number;
  /** Decay in whole transitions (floor). */
  staircase?: boolean;
  /** Bound the value is clipped at (a floor when gamma < 1, a ceiling when gamma > 1). */
  endValue?: number;
}

/** initValue * gamma^(step / transitionSteps), optionally floored and clipped at endValue. */
export function exponentialDecaySchedule(initValue: number, gamma: number, opts?: ExponentialDecayOptions): Schedule {
  const where = 'exponentialDecaySchedule';
  const o = options(opts, ['transitionSteps', 'staircase', 'endValue'], where);
  const v0 = num(initValue, 'initValue', where);
  const g = pos(gamma, 'gamma', where);
  const every = pos(o['transitionSteps'] ?? 1, 'transitionSteps', where);
  const staircase = o['staircase'] ?? false;
  if (typeof staircase !== 'boolean') throw new ValueError(`${where}: invalid staircase ${show(staircase)}, expected true or false`);
  const end = o['endValue'] === undefined ? undefined : num(o['endValue'], 'endValue', where);
  return (step) => {
    const p = stepArg(step, where) / every;
    const v = v0 * g ** (staircase ? Math.floor(p) : p);
    if (end === undefined) return v;
    return g < 1 ? Math.max(v, end) : Math.min(v, end);
  };
}

/** endValue + (initValue - endValue) (1 + cos(pi min(step, decaySteps) / decaySteps)) / 2. */
export function cosineDecaySchedule(initValue: number, decaySteps: number, opts?: { endValue?: number }): Schedule {
  const where = 'cosineDecaySchedule';
  const o = options(opts, ['endValue'], where);
  const v0 = num(initValue, 'initValue', where);
  const T = steps(decaySteps, 'decaySteps', where);
  const end = num(o['endValue'] ?? 0, 'endValue', where);
  return (step) => {
    const t = Math.min(stepArg(step, where), T);
    return end + ((v0 - end) * (1 + Math.cos((Math.PI * t) / T))) / 2;
  };
}

/** endValue + (initValue - endValue) (1 - min(step, transitionSteps) / transitionSteps)^power. */
export function polynomialSchedule(initValue: number, endValue: number, power: number, transitionSteps: number): Schedule {
  const where = 'polynomialSchedule';
  const v0 = num(initValue, 'initValue', where);
  const end = num(endValue, 'endValue', where);
  const p = pos(power, 'power', where);
  const T = steps(transitionSteps, 'transitionSteps', where);
  return (step) => end + (v0 - end) * (1 - Math.min(stepArg(step, where), T) / T) ** p;
}

/** Linear from initValue to endValue over transitionSteps, then endValue. */
export function linearSchedule(initValue: number, endValue: number, transitionSteps: number): Schedule {
  const where = 'linearSchedule';
  const v0 = num(initValue, 'initValue', where);
  const end = num(endValue, 'endValue', where);
  const T = steps(transitionSteps, 'transitionSteps', where);
  return (step) => v0 + ((end - v0) * Math.min(stepArg(step, where), T)) / T;
}

/** Search-then-converge (Darken & Moody, 1992): initValue / (1 + step / tau). */
export function searchThenConverge(initValue: number, tau: number): Schedule {
  const where = 'searchThenConverge';
  const v0 = num(initValue, 'initValue', where);
  const t0 = pos(tau, 'tau', where);
  return (step) => v0 / (1 + stepArg(step, where) / t0);
}

/** initValue / (1 + decayRate * step / decaySteps) (floored to whole decaySteps with staircase). */
export function inverseTimeDecay(initValue: number, decayRate: number, opts?: { decaySteps?: number; staircase?: boolean }): Schedule {
  const where = 'inverseTimeDecay';
  const o = options(opts, ['decaySteps', 'staircase'], where);
  const v0 = num(initValue, 'initValue', where);
  const rate = num(decayRate, 'decayRate', where);
  if (rate < 0) throw new ValueError(`${where}: invalid decayRate ${rate}, expected decayRate >= 0`);
  const every = pos(o['decaySteps'] ?? 1, 'decaySteps', where);
  const staircase = o['staircase'] ?? false;
  if (typeof staircase !== 'boolean') throw new ValueError(`${where}: invalid staircase ${show(staircase)}, expected true or false`);
  return (step) => {
    const p = stepArg(step, where) / every;
    return v0 / (1 + rate * (staircase ? Math.floor(p) : p));
  };
}

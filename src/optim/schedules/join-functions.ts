/**
 * Combinators and warmup schedules: joinSchedules, withWarmup, linearWarmup, warmupCosine,
 * inverseSqrtSchedule. Step 0-based. Formulas: docs/schedules.md.
 */
import { ValueError, show } from '../../core/errors.js';
import { valueAt, type Schedule, type ScalarOrSchedule } from '../../core/schedule.js';
import { cosineDecaySchedule } from './decay-functions.js';
import { num, options, stepArg, steps } from './function-checks.js';

function checkScalarOrSchedule(value: unknown, name: string, where: string): ScalarOrSchedule {
  if (typeof value === 'function') return value as Schedule;
  return num(value, name, where);
}

/**
 * schedules[0] before boundaries[0]; from boundaries[i-1] on, schedules[i] evaluated at
 * (step - boundaries[i-1]), so each piece starts from its own step 0.
 */
export function joinSchedules(schedules: ScalarOrSchedule[], boundaries: number[]): Schedule {
  const where = 'joinSchedules';
  if (!Array.isArray(schedules) || schedules.length === 0) {
    throw new ValueError(`${where}: invalid schedules ${show(schedules)}, expected a non-empty array of schedules or numbers`);
  }
  const parts = schedules.map((s, i) => checkScalarOrSchedule(s, `schedules[${i}]`, where));
  if (!Array.isArray(boundaries) || boundaries.length !== parts.length - 1) {
    throw new ValueError(`${where}: boundaries ${show(boundaries)}, expected ${parts.length - 1} increasing step(s), one fewer than schedules`);
  }
  boundaries.forEach((b, i) => {
    if (typeof b !== 'number' || !Number.isFinite(b) || b < 0 || (i > 0 && b <= boundaries[i - 1]!)) {
      throw new ValueError(`${where}: boundaries ${show(boundaries)} are not increasing finite steps >= 0`);
    }
  });
  const bs = [...boundaries];
  return (step) => {
    const t = stepArg(step, where);
    let i = 0;
    while (i < bs.length && t >= bs[i]!) i++;
    return valueAt(parts[i]!, i === 0 ? t : t - bs[i - 1]!);
  };
}

/** Linear from initValue to peakValue over warmupSteps, then peakValue. */
export function linearWarmup(peakValue: number, warmupSteps: number, opts?: { initValue?: number }): Schedule {
  const where = 'linearWarmup';
  const o = options(opts, ['initValue'], where);
  const peak = num(peakValue, 'peakValue', where);
  const W = steps(warmupSteps, 'warmupSteps', where, 0);
  const v0 = num(o['initValue'] ?? 0, 'initValue', where);
  return (step) => {
    const t = stepArg(step, where);
    return t >= W ? peak : v0 + ((peak - v0) * t) / W;
  };
}

/**
 * Linear warmup in front of any schedule: from initValue to schedule(0) over warmupSteps,
 * then schedule(step - warmupSteps).
 */
export function withWarmup(schedule: ScalarOrSchedule, warmupSteps: number, opts?: { initValue?: number }): Schedule {
  const where = 'withWarmup';
  const o = options(opts, ['initValue'], where);
  const inner = checkScalarOrSchedule(schedule, 'schedule', where);
  const W = steps(warmupSteps, 'warmupSteps', where, 0);
  const v0 = num(o['initValue'] ?? 0, 'initValue', where);
  return (step) => {
    const t = stepArg(step, where);
    if (t >= W) return valueAt(inner, t - W);
    return v0 + ((valueAt(inner, 0) - v0) * t) / W;
  };
}

/**
 * Linear warmup from initValue to peakValue over warmupSteps, then cosine decay to endValue
 * at totalSteps (held after).
 */
export function warmupCosine(
  peakValue: number,
  warmupSteps: number,
  totalSteps: number,
  opts?: { initValue?: number; endValue?: number },
): Schedule {
  const where = 'warmupCosine';
  const o = options(opts, ['initValue', 'endValue'], where);
  const peak = num(peakValue, 'peakValue', where);
  const W = steps(warmupSteps, 'warmupSteps', where, 0);
  const T = steps(totalSteps, 'totalSteps', where);
  if (T <= W) throw new ValueError(`${where}: totalSteps ${T} <= warmupSteps ${W}, expected totalSteps > warmupSteps`);
  const decay = cosineDecaySchedule(peak, T - W, { endValue: num(o['endValue'] ?? 0, 'endValue', where) });
  return withWarmup(decay, W, { initValue: num(o['initValue'] ?? 0, 'initValue', where) });
}

/**
 * Inverse square root with linear warmup (the Transformer schedule, Vaswani et al. 2017):
 * linear from initValue to peakValue over warmupSteps, then peakValue * sqrt(warmupSteps / step).
 */
export function inverseSqrtSchedule(peakValue: number, warmupSteps: number, opts?: { initValue?: number }): Schedule {
  const where = 'inverseSqrtSchedule';
  const o = options(opts, ['initValue'], where);
  const peak = num(peakValue, 'peakValue', where);
  const W = steps(warmupSteps, 'warmupSteps', where);
  const v0 = num(o['initValue'] ?? 0, 'initValue', where);
  return (step) => {
    const t = stepArg(step, where);
    return t >= W ? peak * Math.sqrt(W / t) : v0 + ((peak - v0) * t) / W;
  };
}

/** Argument checks shared by the schedule functions (each names the function and the value). */
import { ValueError, show } from '../../core/errors.js';

export function num(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValueError(`${where}: invalid ${name} ${show(value)}, expected a finite number`);
  }
  return value;
}

export function pos(value: unknown, name: string, where: string): number {
  const v = num(value, name, where);
  if (v <= 0) throw new ValueError(`${where}: invalid ${name} ${v}, expected ${name} > 0`);
  return v;
}

export function steps(value: unknown, name: string, where: string, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ValueError(`${where}: invalid ${name} ${show(value)}, expected an integer >= ${min}`);
  }
  return value;
}

export function options(value: unknown, allowed: readonly string[], where: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValueError(`${where}: invalid options ${show(value)}, expected an object`);
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new ValueError(`${where}: unknown option ${JSON.stringify(key)}, expected one of ${allowed.join(', ')}`);
  }
  return value as Record<string, unknown>;
}

/** The step a schedule is evaluated at: a finite number >= 0. */
export function stepArg(step: unknown, where: string): number {
  if (typeof step !== 'number' || !Number.isFinite(step) || step < 0) {
    throw new ValueError(`${where}: invalid step ${show(step)}, expected a finite number >= 0`);
  }
  return step;
}

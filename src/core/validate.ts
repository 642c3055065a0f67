/** Validation helpers: each throws a ValueError naming the value and what was expected. */
import { ValueError, show } from './errors.js';

export function checkFinite(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValueError(`Invalid ${name}: ${show(value)}, expected a finite number`);
  }
  return value;
}

export function checkNonNegative(value: unknown, name: string): number {
  const v = checkFinite(value, name);
  if (v < 0) throw new ValueError(`Invalid ${name}: ${v}, expected ${name} >= 0`);
  return v;
}

export function checkPositive(value: unknown, name: string): number {
  const v = checkFinite(value, name);
  if (v <= 0) throw new ValueError(`Invalid ${name}: ${v}, expected ${name} > 0`);
  return v;
}

export function checkInteger(value: unknown, name: string, min = -Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    const bound = min === -Infinity ? '' : ` >= ${min}`;
    throw new ValueError(`Invalid ${name}: ${show(value)}, expected an integer${bound}`);
  }
  return value;
}

/** Checks lo <= value < hi (or <= hi when `closed`). */
export function checkInRange(value: unknown, name: string, lo: number, hi: number, closed = false): number {
  const v = checkFinite(value, name);
  if (v < lo || (closed ? v > hi : v >= hi)) {
    throw new ValueError(`Invalid ${name}: ${v}, expected ${lo} <= ${name} ${closed ? '<=' : '<'} ${hi}`);
  }
  return v;
}

export function checkOneOf<T extends string>(value: unknown, name: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ValueError(`Invalid ${name}: ${show(value)}, expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }
  return value as T;
}

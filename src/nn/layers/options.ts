/** Options shared by layers, and the argument checks their constructors use. */
import { type DType, checkDType } from '../../core/dtype.js';
import { ValueError, show } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import { defaultRng } from '../random.js';

export interface LayerOptions {
  /** 'float32' (default) or 'float64'. */
  dtype?: DType;
  /** The generator for the initial weights; default the global one (see manualSeed). */
  rng?: Rng;
}

export function layerDType(options: LayerOptions | undefined, where: string): DType {
  return options?.dtype === undefined ? 'float32' : checkDType(options.dtype, where);
}

export function layerRng(options: LayerOptions | undefined, where: string): Rng {
  const rng = options?.rng;
  if (rng === undefined) return defaultRng();
  if (rng === null || typeof rng !== 'object' || typeof (rng as Rng).random !== 'function') {
    throw new ValueError(`${where}: invalid rng ${show(rng)}, expected an Rng`);
  }
  return rng;
}

/** Options must be an object (or undefined) whose keys are all `known`: a misspelt or foreign key is refused, not ignored. */
export function checkOptions(options: unknown, where: string, known: readonly string[]): void {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new ValueError(`${where}: invalid options ${show(options)}, expected an object`);
  }
  if (options === undefined) return;
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      const hint = key === 'seed' && known.includes('rng') ? ' (seed the initialization with rng: new Rng(seed), or manualSeed)' : '';
      throw new ValueError(`${where}: unknown option ${show(key)}, expected one of ${known.join(', ')}${hint}`);
    }
  }
}

export function positiveInt(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ValueError(`${where}: invalid ${name} ${show(value)}, expected a positive integer`);
  }
  return value;
}

export function nonNegativeInt(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ValueError(`${where}: invalid ${name} ${show(value)}, expected an integer >= 0`);
  }
  return value;
}

export function checkBool(value: unknown, name: string, where: string): boolean {
  if (typeof value !== 'boolean') throw new ValueError(`${where}: invalid ${name} ${show(value)}, expected true or false`);
  return value;
}

/** A size given as n or [h, w], as [h, w] of positive (or, with `allowZero`, non-negative) integers. */
export function pair(value: unknown, name: string, where: string, allowZero = false): [number, number] {
  const check = allowZero ? nonNegativeInt : positiveInt;
  if (typeof value === 'number') {
    const v = check(value, name, where);
    return [v, v];
  }
  if (Array.isArray(value) && value.length === 2) {
    return [check(value[0], name, where), check(value[1], name, where)];
  }
  throw new ValueError(`${where}: invalid ${name} ${show(value)}, expected ${allowZero ? 'an integer >= 0' : 'a positive integer'} or a pair [h, w] of them`);
}

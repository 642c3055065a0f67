/** Splits a constructor's options into group defaults and optimizer-level options. */
import { ValueError, show } from '../../core/errors.js';
import type { OptimizerOptions } from './optimizer.js';

export function resolveOptions(
  name: string,
  options: unknown,
  defaults: Record<string, unknown>,
): { defaults: Record<string, unknown>; optimizer: OptimizerOptions } {
  if (options === undefined) options = {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValueError(`${name}: invalid options ${show(options)}, expected an object such as { lr: 0.01 }`);
  }
  const merged: Record<string, unknown> = { ...defaults };
  const optimizer: OptimizerOptions = {};
  for (const [k, v] of Object.entries(options as Record<string, unknown>)) {
    if (k === 'nonFinite') {
      optimizer.nonFinite = v as OptimizerOptions['nonFinite'];
      continue;
    }
    if (!(k in defaults)) {
      throw new ValueError(`${name}: unknown option ${show(k)}, expected one of ${[...Object.keys(defaults), 'nonFinite'].join(', ')}`);
    }
    if (v !== undefined) merged[k] = Array.isArray(v) ? [...v] : v;
  }
  return { defaults: merged, optimizer };
}

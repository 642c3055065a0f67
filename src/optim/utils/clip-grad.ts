/**
 * Gradient clipping, as torch.nn.utils.clip_grad_norm_ / clip_grad_value_ (1.13) do it.
 * Both modify `param.grad` in place and skip parameters whose grad is null.
 */
import { ValueError, show } from '../../core/errors.js';
import type { Parameter } from '../../core/param.js';

/** A p-norm order: a positive number, Infinity, or the string 'inf'. */
export type NormType = number | 'inf';

function gradsOf(params: Parameter | Iterable<Parameter>, where: string): Array<Float32Array | Float64Array> {
  const list = isParameter(params) ? [params] : params;
  if (list === null || typeof list !== 'object' || typeof (list as Iterable<Parameter>)[Symbol.iterator] !== 'function') {
    throw new ValueError(`${where}: invalid params ${show(params)}, expected a Parameter or an iterable of Parameters`);
  }
  const grads: Array<Float32Array | Float64Array> = [];
  let i = 0;
  for (const p of list as Iterable<Parameter>) {
    if (!isParameter(p)) throw new ValueError(`${where}: params[${i}] is ${show(p)}, expected a Parameter {data, grad}`);
    if (p.grad !== null && p.grad !== undefined) grads.push(p.grad);
    i++;
  }
  return grads;
}

function isParameter(value: unknown): value is Parameter {
  return value !== null && typeof value === 'object' && 'data' in value && 'grad' in value;
}

function checkNormType(value: unknown, where: string): number {
  const p = value === 'inf' ? Infinity : value;
  if (typeof p !== 'number' || Number.isNaN(p) || p <= 0) {
    throw new ValueError(`${where}: invalid normType ${show(value)}, expected a number > 0 or Infinity`);
  }
  return p;
}

/** ||g||_p of one array (max |g| for p = Infinity). */
function vectorNorm(g: ArrayLike<number>, p: number): number {
  if (p === Infinity) {
    let m = 0;
    for (let i = 0; i < g.length; i++) {
      const a = Math.abs(g[i]!);
      if (a > m || Number.isNaN(a)) m = a;
    }
    return m;
  }
  let s = 0;
  if (p === 2) for (let i = 0; i < g.length; i++) s += g[i]! * g[i]!;
  else if (p === 1) for (let i = 0; i < g.length; i++) s += Math.abs(g[i]!);
  else for (let i = 0; i < g.length; i++) s += Math.abs(g[i]!) ** p;
  return p === 2 ? Math.sqrt(s) : p === 1 ? s : s ** (1 / p);
}

export interface ClipGradNormOptions {
  /** Throw if the total norm is NaN or infinite (default false: scale anyway, as torch). */
  errorIfNonfinite?: boolean;
}

/**
 * Scales all gradients together so that their total p-norm is at most `maxNorm`.
 * total = || (||g_1||_p, ..., ||g_n||_p) ||_p; every grad is multiplied by
 * min(maxNorm / (total + 1e-6), 1). Returns the total norm before clipping (0 when no
 * parameter has a gradient).
 */
export function clipGradNorm(
  params: Parameter | Iterable<Parameter>,
  maxNorm: number,
  normType: NormType = 2,
  options: ClipGradNormOptions = {},
): number {
  const where = 'clipGradNorm';
  if (typeof maxNorm !== 'number' || Number.isNaN(maxNorm) || maxNorm < 0) {
    throw new ValueError(`${where}: invalid maxNorm ${show(maxNorm)}, expected a number >= 0`);
  }
  const p = checkNormType(normType, where);
  const errorIfNonfinite = options.errorIfNonfinite ?? false;
  if (typeof errorIfNonfinite !== 'boolean') {
    throw new ValueError(`${where}: invalid errorIfNonfinite ${show(errorIfNonfinite)}, expected true or false`);
  }
  const grads = gradsOf(params, where);
  if (grads.length === 0) return 0;
  const norms = grads.map((g) => vectorNorm(g, p));
  const total = vectorNorm(norms, p);
  if (errorIfNonfinite && !Number.isFinite(total)) {
    throw new ValueError(`${where}: the total norm of order ${show(normType)} of the gradients is ${show(total)}, expected a finite number (errorIfNonfinite is true)`);
  }
  const coef = Math.min(maxNorm / (total + 1e-6), 1);
  for (const g of grads) for (let i = 0; i < g.length; i++) g[i] = g[i]! * coef;
  return total;
}

/** Clamps every gradient entry to [-clipValue, clipValue]. */
export function clipGradValue(params: Parameter | Iterable<Parameter>, clipValue: number): void {
  const where = 'clipGradValue';
  if (typeof clipValue !== 'number' || Number.isNaN(clipValue) || clipValue < 0) {
    throw new ValueError(`${where}: invalid clipValue ${show(clipValue)}, expected a number >= 0`);
  }
  for (const g of gradsOf(params, where)) {
    for (let i = 0; i < g.length; i++) {
      const v = g[i]!;
      if (v > clipValue) g[i] = clipValue;
      else if (v < -clipValue) g[i] = -clipValue;
    }
  }
}

/**
 * Flat views over a list of parameters, for the methods that see all parameters as one
 * vector x (L-BFGS): gather the gradient, add a scaled direction, save and restore x.
 * Small dense-vector helpers (dot, axpy, max-abs) live here too.
 */
import type { FloatArray } from '../../core/dtype.js';
import type { Parameter } from '../../core/param.js';
import { ValueError, show } from '../../core/errors.js';

/** Checks that `params` is a non-empty list of parameters with typed-array data and returns the total length. */
export function checkParameters(params: unknown, where: string): number {
  if (!Array.isArray(params) || params.length === 0) {
    throw new ValueError(`${where}: invalid params ${describe(params)}, expected a non-empty array of parameters`);
  }
  let total = 0;
  params.forEach((p: unknown, i: number) => {
    const data = (p as Parameter | null)?.data;
    if (!(data instanceof Float32Array || data instanceof Float64Array)) {
      throw new ValueError(`${where}: invalid parameter at index ${i}: ${describe(p)}, expected {data: Float32Array | Float64Array, grad}`);
    }
    total += data.length;
  });
  return total;
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return show(value);
  return Array.isArray(value) ? `array of length ${value.length}` : `object with keys [${Object.keys(value).join(', ')}]`;
}

/** Copies every parameter's gradient into `out` (zeros for a `null` gradient, as torch does). */
export function gatherFlatGrad(params: readonly Parameter[], out: FloatArray): FloatArray {
  let offset = 0;
  for (const p of params) {
    const n = p.data.length;
    const g = p.grad;
    if (g === null || g === undefined) {
      out.fill(0, offset, offset + n);
    } else {
      if (g.length !== n) throw new ValueError(`gradient of ${p.name ?? 'a parameter'} has length ${g.length}, expected ${n} (the length of its data)`);
      out.set(g, offset);
    }
    offset += n;
  }
  return out;
}

/** p += step * update, parameter by parameter over the flat `update`. */
export function addToParams(params: readonly Parameter[], step: number, update: FloatArray): void {
  let offset = 0;
  for (const p of params) {
    const data = p.data;
    for (let i = 0; i < data.length; i++) data[i] = data[i]! + step * update[offset + i]!;
    offset += data.length;
  }
}

/** Copies the parameters' data into the flat `out`. */
export function copyParamsTo(params: readonly Parameter[], out: FloatArray): void {
  let offset = 0;
  for (const p of params) {
    out.set(p.data, offset);
    offset += p.data.length;
  }
}

/** Overwrites the parameters' data from the flat `x`. */
export function setParamsFrom(params: readonly Parameter[], x: FloatArray): void {
  let offset = 0;
  for (const p of params) {
    p.data.set(x.subarray(offset, offset + p.data.length));
    offset += p.data.length;
  }
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]!);
    if (v > m || Number.isNaN(v)) m = v;
  }
  return m;
}

export function sumAbs(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]!);
  return s;
}

export function norm2(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/** y += alpha * x */
export function axpy(alpha: number, x: ArrayLike<number>, y: FloatArray): void {
  for (let i = 0; i < y.length; i++) y[i] = y[i]! + alpha * x[i]!;
}

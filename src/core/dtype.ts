/**
 * Data types. `float32` is the default for training; `float64` exists to verify
 * descent against float64 references (PyTorch trajectories) to 1e-10.
 */
import { DescentError } from './errors.js';

export type DType = 'float32' | 'float64';
export type FloatArray = Float32Array | Float64Array;

export const DTYPES: readonly DType[] = ['float32', 'float64'];

export function isDType(value: unknown): value is DType {
  return value === 'float32' || value === 'float64';
}

export function checkDType(value: unknown, where: string): DType {
  if (!isDType(value)) {
    throw new DescentError(`${where}: invalid dtype ${JSON.stringify(value)}, expected 'float32' or 'float64'`);
  }
  return value;
}

/** A zero-filled array of `length` elements of `dtype`. */
export function allocate(dtype: DType, length: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(length) : new Float32Array(length);
}

export function dtypeOf(array: FloatArray): DType {
  return array instanceof Float64Array ? 'float64' : 'float32';
}

/** Rounds to the precision of `dtype` (identity for float64). */
export function roundTo(dtype: DType): (x: number) => number {
  return dtype === 'float32' ? Math.fround : (x: number) => x;
}

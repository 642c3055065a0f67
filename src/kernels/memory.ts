/**
 * Where long-lived arrays are allocated: in the current backend's own memory when it has one
 * (Backend.memory, the WASM linear memory), so the kernels use them in place. Parameters,
 * their gradients and optimizer state go there; temporaries stay in ordinary arrays.
 *
 *   const w = allocateParameter('float32', 1000 * 784); // in WASM memory on the wasm backend
 *   const m = zerosBeside(w);                            // the same memory as w, zero-filled
 */
import { type DType, type FloatArray, allocate } from '../core/dtype.js';
import { getBackend } from './registry.js';

/** A zero-filled array for a new parameter: in the backend's memory for float32 where it has one. */
export function allocateParameter(dtype: DType, length: number): FloatArray {
  const memory = dtype === 'float32' ? getBackend().memory : undefined;
  return memory === undefined ? allocate(dtype, length) : memory.allocate(length);
}

/**
 * A zero-filled array of the dtype and length of `like`, in the current backend's memory when
 * `like` lives there (a parameter's gradient, an optimizer's state), else an ordinary array.
 */
export function zerosBeside(like: FloatArray): FloatArray {
  if (like instanceof Float64Array) return new Float64Array(like.length);
  const memory = getBackend().memory;
  return memory !== undefined && memory.holds(like) ? memory.allocate(like.length) : new Float32Array(like.length);
}

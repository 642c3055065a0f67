/**
 * Argument checks for the reference kernels: O(1) (or O(ndim)) per call, so they cost nothing
 * next to the loops, and an out-of-range read never turns silently into NaN.
 */
import type { FloatArray } from '../../core/dtype.js';
import { ValueError, show } from '../../core/errors.js';
import type { Conv2dGeometry } from '../backend.js';

export function checkCount(kernel: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) throw new ValueError(`${kernel}: invalid ${name} ${show(value)}, expected an integer >= 0`);
}

/** `count` elements from `offset` must lie inside `arr`. */
export function checkSpan(kernel: string, name: string, arr: ArrayLike<number>, offset: number, count: number): void {
  if (!Number.isInteger(offset) || offset < 0) throw new ValueError(`${kernel}: invalid ${name} offset ${show(offset)}, expected an integer >= 0`);
  if (count > 0 && offset + count > arr.length) {
    throw new ValueError(`${kernel}: ${name} of length ${arr.length} is too short for ${count} elements at offset ${offset}`);
  }
}

/** The elements a strided view of `shape` reads must lie inside `arr`. */
export function checkStrided(kernel: string, name: string, arr: FloatArray, offset: number, ndim: number, shape: ArrayLike<number>, strides: ArrayLike<number>): number {
  let n = 1;
  let last = offset;
  for (let d = 0; d < ndim; d++) {
    const size = shape[d]!;
    const stride = strides[d]!;
    checkCount(kernel, `shape[${d}]`, size);
    if (!Number.isInteger(stride) || stride < 0) throw new ValueError(`${kernel}: invalid ${name} stride ${show(stride)} at dim ${d}, expected an integer >= 0`);
    n *= size;
    last += (size - 1) * stride;
  }
  if (n > 0) checkSpan(kernel, name, arr, offset, last - offset + 1);
  return n;
}

export function checkGeometry(kernel: string, g: Conv2dGeometry): void {
  if (g === null || typeof g !== 'object') throw new ValueError(`${kernel}: invalid geometry ${show(g)}, expected a Conv2dGeometry`);
  for (const key of ['n', 'c', 'h', 'w', 'kh', 'kw', 'sh', 'sw', 'ph', 'pw', 'oh', 'ow'] as const) checkCount(kernel, key, g[key]);
  const oh = Math.floor((g.h + 2 * g.ph - g.kh) / g.sh) + 1;
  const ow = Math.floor((g.w + 2 * g.pw - g.kw) / g.sw) + 1;
  if (g.sh < 1 || g.sw < 1 || g.kh < 1 || g.kw < 1 || g.oh !== oh || g.ow !== ow) {
    throw new ValueError(`${kernel}: inconsistent geometry ${show(g)}, expected kernel and stride >= 1 and output ${oh}x${ow}`);
  }
}

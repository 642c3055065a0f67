/** Small helpers shared by tensor ops: output allocation, operand checks, scalar wrapping. */
import { type DType, allocate } from '../../core/dtype.js';
import { ValueError, show } from '../../core/errors.js';
import { Tensor } from '../tensor.js';
import { numelOf } from '../shape.js';

/** A fresh zero-filled tensor (no grad) of `shape` and `dtype`. */
export function empty(shape: readonly number[], dtype: DType): Tensor {
  return new Tensor(allocate(dtype, numelOf(shape)), shape);
}

export function checkTensor(value: unknown, op: string, name = 'input'): Tensor {
  if (!(value instanceof Tensor)) {
    throw new ValueError(`${op}: invalid ${name} ${show(typeof value === 'object' ? Object.prototype.toString.call(value) : value)}, expected a Tensor`);
  }
  return value;
}

export function checkSameDtype(a: Tensor, b: Tensor, op: string): void {
  if (a.dtype !== b.dtype) throw new ValueError(`${op}: dtypes ${a.dtype} and ${b.dtype} do not match: expected both the same (convert one first)`);
}

/** A tensor or a number (as a 0-d constant of `like`'s dtype). */
export function toOperand(value: Tensor | number, like: Tensor, op: string): Tensor {
  if (typeof value === 'number') {
    const t = empty([], like.dtype);
    t.data[0] = value;
    return t;
  }
  checkTensor(value, op, 'other');
  checkSameDtype(like, value, op);
  return value;
}

/** A constant tensor sharing `data` (no grad), e.g. a mask computed by a kernel. */
export function constant(data: Float32Array | Float64Array, shape: readonly number[]): Tensor {
  return new Tensor(data, shape);
}

/** Forward-time input checks shared by layers: each names the layer, the shape and what was expected. */
import { ShapeError, ValueError, show } from '../../core/errors.js';
import type { DType } from '../../core/dtype.js';
import { Tensor } from '../../tensor/tensor.js';

export function checkTensor(input: unknown, where: string): Tensor {
  if (!(input instanceof Tensor)) throw new ValueError(`${where}: invalid input ${show(typeof input)}, expected a Tensor`);
  return input;
}

export function checkDTypeMatch(input: Tensor, dtype: DType, where: string): void {
  if (input.dtype !== dtype) {
    throw new ValueError(`${where}: input is ${input.dtype} but the layer's weights are ${dtype}, expected the same dtype`);
  }
}

/** Requires one of the dim counts in `ndims` ("expected [N, C, H, W]" comes from `layout`). */
export function checkNDim(input: Tensor, ndims: readonly number[], layout: string, where: string): void {
  if (!ndims.includes(input.shape.length)) {
    throw new ShapeError(`${where}: input has shape ${show(input.shape)} (${input.shape.length} dims), expected ${layout}`);
  }
}

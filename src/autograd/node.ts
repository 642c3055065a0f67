/**
 * A tape entry: the op that made a tensor, its inputs, and its backward rule.
 * Backward rules are written with differentiable Tensor ops, so running them with taping
 * on (createGraph) records the gradient computation itself: that gives double backward.
 */
import type { FloatArray } from '../core/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { isGradEnabled } from './mode.js';

export interface GradFn {
  /** The op's name, for error messages and debugging. */
  readonly name: string;
  readonly inputs: readonly Tensor[];
  /**
   * Given dL/d(output), returns dL/d(input_i) for each input (null where the input needs none).
   * `wanted[i] === false` says input i's gradient is not needed (the rule may return null there).
   */
  backward(gradOutput: Tensor, wanted?: readonly boolean[]): (Tensor | null)[];
  /**
   * Optional fast path for a leaf input: adds dL/d(input_i) into `dst` (the input's grad array,
   * its shape, contiguous) without making a gradient tensor, and returns true; or returns false
   * to decline. `zero` says dst holds only zeros (the rule may then overwrite it). Used by
   * backward() without createGraph when input i gets its gradient from this op alone.
   */
  backwardInto?(gradOutput: Tensor, i: number, dst: FloatArray, zero: boolean): boolean;
  /**
   * Row-sparse marker (embedding): the sorted unique rows of input 0 that the gradient touches.
   * A leaf reached only through such ops gets `gradRows` set to their union.
   */
  readonly sparseRows?: Int32Array;
}

/** True when an op on `inputs` must be recorded: grad mode is on and some input requires grad. */
export function needsGrad(inputs: readonly Tensor[]): boolean {
  if (!isGradEnabled()) return false;
  for (const t of inputs) if (t.requiresGrad) return true;
  return false;
}

/** Marks `out` as produced by `fn` when recording is needed; returns out. */
export function record(out: Tensor, fn: GradFn): Tensor {
  if (needsGrad(fn.inputs)) {
    out.requiresGrad = true;
    out.gradFn = fn;
  }
  return out;
}

/**
 * A tape entry: the op that made a tensor, its inputs, and its backward rule.
 * Backward rules are written with differentiable Tensor ops, so running them with taping
 * on (createGraph) records the gradient computation itself: that gives double backward.
 */
import type { Tensor } from '../tensor/tensor.js';
import { isGradEnabled } from './mode.js';

export interface GradFn {
  /** The op's name, for error messages and debugging. */
  readonly name: string;
  readonly inputs: readonly Tensor[];
  /** Given dL/d(output), returns dL/d(input_i) for each input (null where the input needs none). */
  backward(gradOutput: Tensor): (Tensor | null)[];
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

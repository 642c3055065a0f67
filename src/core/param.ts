/**
 * The contract between models and optimizers: a parameter is anything with a
 * `data` typed array and a `grad` of the same type and length (or `null`, which
 * means "no gradient this step": optimizers skip the parameter entirely, as torch does).
 * Tensors satisfy it; so do plain objects, which is how optimizers are tested.
 */
import type { FloatArray } from './dtype.js';

export interface Parameter {
  data: FloatArray;
  grad: FloatArray | null;
  /** Shape, row-major; `[data.length]` when absent. */
  readonly shape?: readonly number[];
  name?: string;
  /**
   * Row-sparse gradients (from nn.Embedding): the indices along dim 0 whose gradient
   * rows may be non-zero, each listed once. `null`/absent means the gradient is dense.
   * Sparse-aware optimizers touch only these rows.
   */
  gradRows?: Int32Array | null;
}

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
   * rows may be non-zero, in strictly increasing order (each listed once); `grad` is zero
   * in every other row. `null`/absent means the gradient is dense. Sparse-aware optimizers
   * and zeroGrad touch only these rows.
   */
  gradRows?: Int32Array | null;
}

/** Elements per row along dim 0 (the whole array for a 0-d or 1-d shape without rows). */
export function rowSizeOf(p: Parameter): number {
  const rows = p.shape && p.shape.length > 0 ? p.shape[0]! : p.data.length;
  return rows === 0 ? 0 : p.data.length / rows;
}

/**
 * Fills `p.grad` with zeros. A row-sparse gradient is zero outside `p.gradRows` (the contract
 * above), so only those rows are cleared: the cost is proportional to the rows touched, not
 * to the table. Rows that are not valid indices fall back to clearing everything.
 * Leaves `gradRows` to the caller.
 */
export function clearGrad(p: Parameter): void {
  const grad = p.grad;
  if (grad === null || grad === undefined) return;
  const rows = p.gradRows;
  const rowSize = rowSizeOf(p);
  if (!(rows instanceof Int32Array) || rowSize === 0 || !rowsInRange(rows, grad.length / rowSize)) {
    grad.fill(0);
    return;
  }
  for (let r = 0; r < rows.length; r++) {
    const lo = rows[r]! * rowSize;
    grad.fill(0, lo, lo + rowSize);
  }
}

function rowsInRange(rows: Int32Array, nRows: number): boolean {
  for (let r = 0; r < rows.length; r++) if (rows[r]! < 0 || rows[r]! >= nRows) return false;
  return true;
}

/**
 * How much memory one recorded graph holds, for refusing runs that would record too much at
 * once. `graphValues(loss)` counts the values of every tensor the loss was computed through
 * (the activations autograd keeps for backward), each storage once (views share theirs);
 * leaves (parameters, inputs) are not counted, they exist anyway.
 *
 * The batch regime with an optimizer that needs the loss as a tensor (`newton`, `hessianfree`:
 * Hessian- or Gauss-Newton-vector products by double backward) records the whole training set
 * in one graph, so its memory grows with the training set instead of with `chunkSize`. The
 * trainer refuses that above `FULL_BATCH_GRAPH_LIMIT` values: 2^26 = 67,108,864 (256 MiB of
 * float32 activations; the recorded backward graphs of the curvature products add several
 * times that: a Gauss-Newton product on fmnist-mlp holds ~90 MB per 1,000 examples). Per
 * example the forward graph holds ~32 values for fmnist-logreg, ~400 for spiral-mlp, ~4,800
 * for fmnist-mlp and ~88,000 for fmnist-2c2d, so the limit admits all 60,000 fmnist-logreg
 * examples, ~13,900 fmnist-mlp ones (~1.3 GB with Gauss-Newton products) and ~760 fmnist-2c2d
 * ones.
 */
import type { Tensor } from '../tensor/tensor.js';

/** Values in one recorded graph the trainer accepts in the batch regime with `stepWithLoss` optimizers. */
export const FULL_BATCH_GRAPH_LIMIT = 2 ** 26;

/** Values held by the non-leaf tensors of the graph that computed `loss`, each storage counted once. */
export function graphValues(loss: Tensor): number {
  const seen = new Set<Tensor>();
  const storages = new Set<ArrayLike<number>>();
  const stack: Tensor[] = [loss];
  let total = 0;
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (t.gradFn === null || seen.has(t)) continue;
    seen.add(t);
    if (!storages.has(t.data)) {
      storages.add(t.data);
      total += t.data.length;
    }
    for (const input of t.gradFn.inputs) stack.push(input);
  }
  return total;
}

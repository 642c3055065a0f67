/**
 * Reverse-mode sweep. The graph is sorted with an explicit stack (no recursion, so chains of
 * 100k ops are fine), then gradients flow from the output to the inputs in reverse
 * topological order, accumulating with +=. With `createGraph`, the backward rules run with
 * taping on, so the gradients are themselves differentiable (double backward, hvp).
 */
import { allocate, type FloatArray } from '../core/dtype.js';
import { ShapeError, ValueError, show } from '../core/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { add } from '../tensor/ops/elementwise.js';
import { reshape } from '../tensor/ops/movement.js';
import { zerosBeside } from '../kernels/memory.js';
import { setGradEnabled } from './mode.js';
import type { GradFn } from './node.js';

export interface GradOptions {
  /** Record the backward pass so the result can be differentiated again (default false). */
  createGraph?: boolean;
}

/** Every tensor that requires grad and that `root` depends on, inputs before outputs. */
function topoOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>([root]);
  const nodes: Tensor[] = [root];
  const next: number[] = [0];
  while (nodes.length > 0) {
    const top = nodes.length - 1;
    const t = nodes[top]!;
    const inputs = t.gradFn ? t.gradFn.inputs : [];
    const i = next[top]!;
    if (i < inputs.length) {
      next[top] = i + 1;
      const c = inputs[i]!;
      if (c.requiresGrad && !visited.has(c)) {
        visited.add(c);
        nodes.push(c);
        next.push(0);
      }
    } else {
      nodes.pop();
      next.pop();
      order.push(t);
    }
  }
  return order;
}

function unionRows(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let i = 0, j = 0, k = 0;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    if (i < a.length && a[i] === v) i++;
    if (j < b.length && b[j] === v) j++;
    out[k++] = v;
  }
  return out.slice(0, k);
}

/** dst += src elementwise (one loop per array type, so each stays monomorphic). */
function accumulate(dst: FloatArray, src: FloatArray): void {
  if (dst instanceof Float32Array && src instanceof Float32Array) accumulate32(dst, src);
  else for (let j = 0; j < dst.length; j++) dst[j] += src[j]!;
}

function accumulate32(dst: Float32Array, src: Float32Array): void {
  for (let j = 0; j < dst.length; j++) dst[j] += src[j]!;
}

/** Per-tensor gradient sums, plus the row-sparsity of each (null = dense). */
interface Sweep {
  grads: Map<Tensor, Tensor>;
  rows: Map<Tensor, Int32Array | null>;
}

/**
 * The direct path of backward(): each leaf input of `fn` whose gradient comes from `fn` alone
 * (uses == 1) and that `fn.backwardInto` accepts gets its gradient added straight into
 * `leaf.grad`. A row-sparse op (embedding) writes only its rows, so that leaf's backward costs
 * the rows touched, not the table. Returns which inputs still need a gradient tensor.
 */
function writeLeafGrads(fn: GradFn, g: Tensor, uses: Map<Tensor, number>): boolean[] {
  const wanted: boolean[] = [];
  for (let i = 0; i < fn.inputs.length; i++) {
    const input = fn.inputs[i]!;
    wanted.push(true);
    if (input.gradFn !== null || !input.requiresGrad || uses.get(input) !== 1) continue;
    if (input.grad !== null && input.grad.length !== input.numel) continue; // the normal path reports it
    const zero = input.grad === null || input.gradZeroed;
    if (input.grad === null) input.grad = zerosBeside(input.data);
    if (fn.backwardInto!(g, i, input.grad, zero)) {
      wanted[i] = false;
      const sparse = i === 0 && fn.sparseRows ? fn.sparseRows : null;
      input.gradRows = leafRows(input, sparse, zero);
      input.gradZeroed = false;
    }
  }
  return wanted;
}

/** A leaf's `gradRows` after adding a gradient touching `rows` (null: dense) to it. */
function leafRows(leaf: Tensor, rows: Int32Array | null, fresh: boolean): Int32Array | null {
  if (rows === null) return null;
  if (fresh) return rows;
  return leaf.gradRows ? unionRows(leaf.gradRows, rows) : null;
}

/** How many recorded edges lead into each tensor of `order`. */
function countUses(order: readonly Tensor[]): Map<Tensor, number> {
  const uses = new Map<Tensor, number>();
  for (const t of order) {
    if (t.gradFn === null) continue;
    for (const input of t.gradFn.inputs) if (input.requiresGrad) uses.set(input, (uses.get(input) ?? 0) + 1);
  }
  return uses;
}

function sweep(root: Tensor, createGraph: boolean, keep: Set<Tensor> | null, onLeaf: ((leaf: Tensor, g: Tensor, rows: Int32Array | null) => void) | null, direct = false): Sweep {
  const order = topoOrder(root);
  const uses = direct ? countUses(order) : new Map<Tensor, number>();
  const grads = new Map<Tensor, Tensor>();
  const rows = new Map<Tensor, Int32Array | null>();
  // Sums this sweep made for a given tensor, safe to add into in place (not yet handed out).
  const owned = new Map<Tensor, Tensor>();
  const seed = new Tensor(allocate(root.dtype, root.numel), root.shape);
  seed.data[0] = 1;
  grads.set(root, seed);
  const prev = setGradEnabled(createGraph);
  try {
    for (let k = order.length - 1; k >= 0; k--) {
      const t = order[k]!;
      const g = grads.get(t);
      if (g === undefined) continue;
      const fn = t.gradFn;
      if (fn === null) {
        if (onLeaf) onLeaf(t, g, rows.get(t) ?? null);
        continue;
      }
      if (!keep || !keep.has(t)) {
        grads.delete(t);
        rows.delete(t);
      }
      const wanted = direct && fn.backwardInto ? writeLeafGrads(fn, g, uses) : undefined;
      const results = fn.backward(g, wanted);
      for (let i = 0; i < fn.inputs.length; i++) {
        const input = fn.inputs[i]!;
        const r = results[i];
        if (!input.requiresGrad || r === null || r === undefined || wanted?.[i] === false) continue;
        const sparse = i === 0 && fn.sparseRows ? fn.sparseRows : null;
        const existing = grads.get(input);
        if (existing === undefined) {
          grads.set(input, r);
          rows.set(input, sparse);
          continue;
        }
        const before = rows.get(input) ?? null;
        rows.set(input, before && sparse ? unionRows(before, sparse) : null);
        if (!createGraph && owned.get(input) === existing) {
          accumulate(existing.data, r.data);
        } else {
          const sum = add(existing, r);
          grads.set(input, sum);
          owned.set(input, sum);
        }
      }
    }
  } finally {
    setGradEnabled(prev);
  }
  return { grads, rows };
}

function checkRoot(root: unknown, op: string): Tensor {
  if (!(root instanceof Tensor)) throw new ValueError(`${op}: invalid output ${show(root)}, expected a Tensor`);
  if (root.numel !== 1) {
    throw new ShapeError(`${op}: output of shape ${show(root.shape)} is not a scalar: expected a tensor with exactly one element (reduce it with sum() or mean() first)`);
  }
  if (!root.requiresGrad) {
    throw new ValueError(`${op}: output does not require grad: no tensor it was computed from has requiresGrad (or it was computed under noGrad)`);
  }
  return root;
}

/** Accumulates d(root)/d(leaf) into `leaf.grad` for every leaf that requires grad. */
export function backward(root: Tensor, options: GradOptions = {}): void {
  checkRoot(root, 'backward');
  const createGraph = options.createGraph ?? false;
  sweep(root, createGraph, null, (leaf, g, rows) => {
    const fresh = leaf.grad === null || leaf.gradZeroed;
    if (leaf.grad === null) leaf.grad = zerosBeside(leaf.data);
    const dst = leaf.grad;
    const src = g.data;
    if (dst.length !== src.length) throw new ShapeError(`backward: gradient of shape ${show(g.shape)} does not fit grad of length ${dst.length}`);
    accumulate(dst, src);
    leaf.gradRows = leafRows(leaf, rows, fresh);
    leaf.gradZeroed = false;
  }, !createGraph);
}

/**
 * The gradients of the scalar `output` with respect to `inputs`, as tensors (`.grad` is not
 * touched). Inputs the output does not depend on get zeros. With createGraph the results are
 * differentiable.
 */
export function grad(output: Tensor, inputs: readonly Tensor[], options: GradOptions = {}): Tensor[] {
  checkRoot(output, 'grad');
  if (!Array.isArray(inputs) || !inputs.every((t) => t instanceof Tensor)) {
    throw new ValueError(`grad: invalid inputs ${show(inputs)}, expected an array of Tensors`);
  }
  inputs.forEach((t, i) => {
    if (!t.requiresGrad) throw new ValueError(`grad: input ${i} (shape ${show(t.shape)}${t.name ? `, ${t.name}` : ''}) does not require grad`);
  });
  const keep = new Set(inputs);
  const { grads } = sweep(output, options.createGraph ?? false, keep, null);
  return inputs.map((t) => {
    const g = grads.get(t);
    if (g === undefined) return new Tensor(allocate(t.dtype, t.numel), t.shape);
    if (g.shape.length === t.shape.length && g.shape.every((d, i) => d === t.shape[i])) return g;
    const prev = setGradEnabled(options.createGraph ?? false);
    try {
      return reshape(g, t.shape);
    } finally {
      setGradEnabled(prev);
    }
  });
}

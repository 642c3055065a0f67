/** Reductions: sum, mean, max (values, gradient to the argmax), argmax, and sumTo (adjoint of expand). */
import { ShapeError, show } from '../../core/errors.js';
import { getBackend } from '../../kernels/registry.js';
import { record } from '../../autograd/node.js';
import { Tensor } from '../tensor.js';
import { normalizeDim, normalizeDims, numelOf, sameShape } from '../shape.js';
import { checkTensor, empty } from './util.js';
import { expand, reshape } from './movement.js';
import { gatherFlat } from './indexing.js';
import { div } from './elementwise.js';

type Dims = number | readonly number[] | undefined;

function keptShape(shape: readonly number[], dims: readonly number[]): number[] {
  return shape.map((d, i) => (dims.includes(i) ? 1 : d));
}

function finalShape(shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] {
  return keepdim ? keptShape(shape, dims) : shape.filter((_, i) => !dims.includes(i));
}

/** Forward sum over `dims` (sorted), merging runs of adjacent dims into one kernel call each. */
function sumForward(x: Tensor, dims: readonly number[]): Tensor {
  const be = getBackend();
  let shape = x.shape.slice();
  let data = x.data;
  // Runs of consecutive dims, processed from the last so earlier indices stay valid.
  const runs: [number, number][] = [];
  for (const d of dims) {
    const last = runs[runs.length - 1];
    if (last && last[1] === d - 1) last[1] = d;
    else runs.push([d, d]);
  }
  for (let r = runs.length - 1; r >= 0; r--) {
    const [lo, hi] = runs[r]!;
    const outer = numelOf(shape.slice(0, lo));
    const size = numelOf(shape.slice(lo, hi + 1));
    const inner = numelOf(shape.slice(hi + 1));
    const next = shape.slice(0, lo).concat(new Array<number>(hi - lo + 1).fill(1), shape.slice(hi + 1));
    const out = empty(next, x.dtype);
    be.sumAxis(outer, size, inner, data, 0, out.data, 0);
    shape = next;
    data = out.data;
  }
  return new Tensor(data === x.data ? data.slice() : data, shape);
}

export function sum(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  checkTensor(x, 'sum');
  const dims = normalizeDims(dim, x.ndim, 'sum');
  const kept = sumForward(x, dims);
  const out = new Tensor(kept.data, finalShape(x.shape, dims, keepdim));
  return record(out, {
    name: 'sum', inputs: [x],
    backward: (g) => [expand(reshape(g, keptShape(x.shape, dims)), x.shape)],
  });
}

export function mean(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  checkTensor(x, 'mean');
  const dims = normalizeDims(dim, x.ndim, 'mean');
  let count = 1;
  for (const d of dims) count *= x.shape[d]!;
  return div(sum(x, dims, keepdim), count);
}

/** Flat indices of the maxima of x along `dim` (or over everything), and the [outer, size, inner] split. */
function argmaxFlat(x: Tensor, dim: number | undefined, op: string): { index: Int32Array; size: number; inner: number; dims: number[] } {
  if (x.numel === 0) throw new ShapeError(`${op}: tensor of shape ${show(x.shape)} is empty, expected at least one element`);
  if (dim === undefined || x.ndim === 0) {
    const index = new Int32Array(1);
    getBackend().argmaxAxis(1, x.numel, 1, x.data, 0, index, 0);
    return { index, size: x.numel, inner: 1, dims: x.shape.map((_, i) => i) };
  }
  const d = normalizeDim(dim, x.ndim, op);
  const outer = numelOf(x.shape.slice(0, d));
  const size = x.shape[d]!;
  const inner = numelOf(x.shape.slice(d + 1));
  if (size === 0) throw new ShapeError(`${op}: dim ${dim} of shape ${show(x.shape)} is empty, expected at least one element`);
  const index = new Int32Array(outer * inner);
  getBackend().argmaxAxis(outer, size, inner, x.data, 0, index, 0);
  return { index, size, inner, dims: [d] };
}

/** Max values over all elements (dim undefined) or along `dim`; gradient to the argmax, ties to the first. */
export function max(x: Tensor, dim?: number, keepdim = false): Tensor {
  checkTensor(x, 'max');
  const { index, dims } = argmaxFlat(x, dim, 'max');
  const shape = dim === undefined ? (keepdim ? x.shape.map(() => 1) : []) : finalShape(x.shape, dims, keepdim);
  return gatherFlat(x, index, shape);
}

/** Indices of the maxima (as a float tensor, like torch's int64 result); no gradient. */
export function argmax(x: Tensor, dim?: number, keepdim = false): Tensor {
  checkTensor(x, 'argmax');
  const { index, size, inner, dims } = argmaxFlat(x, dim, 'argmax');
  const shape = dim === undefined ? (keepdim ? x.shape.map(() => 1) : []) : finalShape(x.shape, dims, keepdim);
  const out = empty(shape, x.dtype);
  for (let i = 0; i < index.length; i++) out.data[i] = dim === undefined ? index[i]! : Math.floor(index[i]! / inner) % size;
  return out;
}

/** Sums `x` down to `shape`, which must broadcast to x.shape (the adjoint of expand). */
export function sumTo(x: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(x.shape, shape)) return x;
  const lead = x.ndim - shape.length;
  const ok = lead >= 0 && shape.every((d, i) => d === x.shape[i + lead] || d === 1);
  if (!ok) throw new ShapeError(`sumTo: shape ${show(x.shape)} cannot be summed to ${show(shape)}: expected ${show(shape)} to broadcast to ${show(x.shape)}`);
  const dims: number[] = [];
  for (let i = 0; i < x.ndim; i++) if (i < lead || (shape[i - lead] === 1 && x.shape[i] !== 1)) dims.push(i);
  return reshape(sum(x, dims, true), shape);
}

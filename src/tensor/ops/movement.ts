/** Shape ops: reshape/view (share data), permute/transpose/expand (copy via copyStrided), (un)squeeze, flatten. */
import { ShapeError, ValueError, show } from '../../core/errors.js';
import { getBackend } from '../../kernels/registry.js';
import { record } from '../../autograd/node.js';
import { Tensor } from '../tensor.js';
import { normalizeDim, resolveReshape, sameShape, stridesOf } from '../shape.js';
import { checkTensor, empty } from './util.js';
import { sumTo } from './reduce.js';

/** Accepts f(2, 3) and f([2, 3]) call styles. */
export function shapeArgs(args: readonly (number | readonly number[])[]): number[] {
  if (args.length === 1 && Array.isArray(args[0])) return (args[0] as readonly number[]).slice();
  return args as number[];
}

export function dimIndex(dim: number, ndim: number, op: string): number {
  return normalizeDim(dim, ndim, op);
}

/** Same data, new shape (one -1 allowed). Shares `data` with x. */
export function reshape(x: Tensor, shape: readonly number[], op = 'reshape'): Tensor {
  checkTensor(x, op);
  const to = resolveReshape(x.shape, shape, op);
  if (sameShape(to, x.shape) && !x.requiresGrad) return x;
  const out = new Tensor(x.data, to);
  return record(out, { name: op, inputs: [x], backward: (g) => [reshape(g, x.shape)] });
}

export function permute(x: Tensor, dims: readonly number[]): Tensor {
  checkTensor(x, 'permute');
  const n = x.ndim;
  const perm = Array.isArray(dims) ? dims.map((d) => normalizeDim(d, n, 'permute')) : [];
  if (perm.length !== n || new Set(perm).size !== n) {
    throw new ShapeError(`permute: invalid dims ${show(dims)} for a tensor of shape ${show(x.shape)}, expected a permutation of ${n} dims`);
  }
  const shape = perm.map((d) => x.shape[d]!);
  const xs = stridesOf(x.shape);
  const out = empty(shape, x.dtype);
  getBackend().copyStrided(n, shape, x.data, 0, perm.map((d) => xs[d]!), out.data, 0);
  const inverse = new Array<number>(n);
  perm.forEach((d, i) => { inverse[d] = i; });
  return record(out, { name: 'permute', inputs: [x], backward: (g) => [permute(g, inverse)] });
}

export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  checkTensor(x, 'transpose');
  const a = normalizeDim(dim0, x.ndim, 'transpose');
  const b = normalizeDim(dim1, x.ndim, 'transpose');
  if (a === b) return x;
  const perm = x.shape.map((_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return permute(x, perm);
}

export function t(x: Tensor): Tensor {
  checkTensor(x, 't');
  if (x.ndim > 2) throw new ShapeError(`t: tensor of shape ${show(x.shape)} has ${x.ndim} dims, expected at most 2 (use transpose)`);
  return x.ndim < 2 ? x : transpose(x, 0, 1);
}

export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  checkTensor(x, 'flatten');
  if (x.ndim === 0) return reshape(x, [1], 'flatten');
  const s = normalizeDim(startDim, x.ndim, 'flatten');
  const e = normalizeDim(endDim, x.ndim, 'flatten');
  if (s > e) throw new ValueError(`flatten: startDim ${startDim} comes after endDim ${endDim} for shape ${show(x.shape)}`);
  let mid = 1;
  for (let i = s; i <= e; i++) mid *= x.shape[i]!;
  return reshape(x, [...x.shape.slice(0, s), mid, ...x.shape.slice(e + 1)], 'flatten');
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  checkTensor(x, 'unsqueeze');
  const d = normalizeDim(dim, x.ndim + 1, 'unsqueeze');
  const shape = x.shape.slice();
  shape.splice(d, 0, 1);
  return reshape(x, shape, 'unsqueeze');
}

/** Removes dim `dim` if it has size 1 (like torch, a no-op otherwise), or every size-1 dim. */
export function squeeze(x: Tensor, dim?: number): Tensor {
  checkTensor(x, 'squeeze');
  if (dim === undefined) return reshape(x, x.shape.filter((s) => s !== 1), 'squeeze');
  if (x.ndim === 0) return x;
  const d = normalizeDim(dim, x.ndim, 'squeeze');
  if (x.shape[d] !== 1) return x;
  return reshape(x, x.shape.filter((_, i) => i !== d), 'squeeze');
}

/** Broadcasts x to `shape` (materialized copy); -1 keeps a dim. Gradient: sumTo. */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor(x, 'expand');
  if (!Array.isArray(shape) || shape.length < x.ndim || !shape.every((d) => Number.isInteger(d) && d >= -1)) {
    throw new ShapeError(`expand: cannot expand shape ${show(x.shape)} to ${show(shape)}: expected at least ${x.ndim} dims of integers >= -1`);
  }
  const lead = shape.length - x.ndim;
  const to = shape.map((d, i) => (d === -1 && i >= lead ? x.shape[i - lead]! : d));
  const xs = stridesOf(x.shape);
  const strides = to.map((d, i) => {
    if (i < lead) {
      if (d < 0) throw new ShapeError(`expand: cannot expand shape ${show(x.shape)} to ${show(shape)}: -1 is not allowed in a new leading dim`);
      return 0;
    }
    const s = x.shape[i - lead]!;
    if (s === d) return s === 1 ? 0 : xs[i - lead]!;
    if (s === 1) return 0;
    throw new ShapeError(`expand: cannot expand shape ${show(x.shape)} to ${show(shape)}: dim ${i} is ${s}, expected 1 or ${d}`);
  });
  if (sameShape(to, x.shape)) return x;
  const out = empty(to, x.dtype);
  getBackend().copyStrided(to.length, to, x.data, 0, strides, out.data, 0);
  return record(out, { name: 'expand', inputs: [x], backward: (g) => [sumTo(g, x.shape)] });
}

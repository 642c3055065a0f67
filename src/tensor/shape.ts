/** Shape arithmetic shared by tensor ops: sizes, strides, broadcasting, dim normalisation. */
import { ShapeError, ValueError, show } from '../core/errors.js';

export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (contiguous) element strides of `shape`. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d]!;
  }
  return s;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function checkShape(shape: unknown, where: string): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ShapeError(`${where}: invalid shape ${show(shape)}, expected an array of integers >= 0`);
  }
  return shape.slice() as number[];
}

/** The broadcast shape of a and b (numpy/torch rules), or a ShapeError naming the op and both shapes. */
export function broadcastShapes(a: readonly number[], b: readonly number[], op: string): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)]!;
    const db = i < n - b.length ? 1 : b[i - (n - b.length)]!;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`${op}: shapes ${show(a)} and ${show(b)} cannot be broadcast: dim ${i - n} is ${da} vs ${db}`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides to read a contiguous tensor of `shape` as if it had the (broadcast) shape `target`. */
export function broadcastStrides(shape: readonly number[], target: readonly number[]): number[] {
  const s = stridesOf(shape);
  const off = target.length - shape.length;
  const out = new Array<number>(target.length).fill(0);
  for (let d = 0; d < shape.length; d++) out[d + off] = shape[d] === 1 ? 0 : s[d]!;
  return out;
}

/** A dim in [-ndim, ndim) as a non-negative index, or an error naming op, dim and range. */
export function normalizeDim(dim: number, ndim: number, op: string): number {
  const n = Math.max(ndim, 1);
  if (!Number.isInteger(dim) || dim < -n || dim >= n) {
    throw new ValueError(`${op}: invalid dim ${show(dim)} for a tensor of ${ndim} dims, expected an integer in [${-n}, ${n - 1}]`);
  }
  return dim < 0 ? dim + n : dim;
}

/** Sorted unique non-negative dims; undefined means all dims. */
export function normalizeDims(dims: number | readonly number[] | undefined, ndim: number, op: string): number[] {
  if (dims === undefined) return Array.from({ length: ndim }, (_, i) => i);
  if (typeof dims === 'number' && ndim > 0) return [normalizeDim(dims, ndim, op)];
  const list = typeof dims === 'number' ? [dims] : dims;
  if (!Array.isArray(list)) throw new ValueError(`${op}: invalid dim ${show(dims)}, expected a number or an array of numbers`);
  const out = [...new Set(list.map((d) => normalizeDim(d, ndim, op)))].sort((x, y) => x - y);
  return out.filter((d) => d < ndim);
}

/** Resolves a reshape target (one -1 allowed) for the elements of `from`, or a ShapeError. */
export function resolveReshape(from: readonly number[], to: readonly number[], op: string): number[] {
  const numel = numelOf(from);
  if (!Array.isArray(to) || !to.every((d) => Number.isInteger(d) && d >= -1)) {
    throw new ShapeError(`${op}: invalid shape ${show(to)}, expected integers >= 0 (and at most one -1)`);
  }
  const out = to.slice();
  const free = out.indexOf(-1);
  if (free !== out.lastIndexOf(-1)) throw new ShapeError(`${op}: shape ${show(to)} has more than one -1`);
  if (free >= 0) {
    const rest = numelOf(out.filter((_, i) => i !== free));
    if (rest === 0 || numel % rest !== 0) {
      throw new ShapeError(`${op}: cannot reshape ${show(from)} (${numel} elements) into ${show(to)}`);
    }
    out[free] = numel / rest;
  }
  if (numelOf(out) !== numel) {
    throw new ShapeError(`${op}: cannot reshape ${show(from)} (${numel} elements) into ${show(to)} (${numelOf(out)} elements)`);
  }
  return out;
}

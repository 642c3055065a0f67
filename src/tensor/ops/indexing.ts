/**
 * Gather/scatter by flat index, the dual pair behind max, max pooling, cross-entropy picks,
 * indexSelect and embedding: the gradient of gatherFlat is scatterAddFlat and vice versa.
 */
import { allocate, type FloatArray } from '../../core/dtype.js';
import { ValueError, show } from '../../core/errors.js';
import { getBackend } from '../../kernels/registry.js';
import { record, type GradFn } from '../../autograd/node.js';
import type { Tensor } from '../tensor.js';
import { normalizeDim, numelOf } from '../shape.js';
import { checkTensor, empty } from './util.js';

function checkIndex(index: Int32Array, limit: number, op: string): void {
  if (!(index instanceof Int32Array)) throw new ValueError(`${op}: invalid index ${show(index)}, expected an Int32Array`);
  for (let i = 0; i < index.length; i++) {
    const v = index[i]!;
    if (v < 0 || v >= limit) throw new ValueError(`${op}: index ${v} at position ${i} is out of range, expected 0 <= index < ${limit}`);
  }
}

/**
 * out (of `shape`) [j] = x.flat[index[j]]. `sparseRows`, when given, marks the gradient of x as
 * touching only those rows (see GradFn.sparseRows): they must be sorted, unique, and hold every
 * row of dim 0 that `index` reaches. backward() then adds the gradient into a leaf x's grad row
 * by row (`backwardInto`), at a cost proportional to index.length, not to x. Indices are
 * trusted when `checked` is true.
 */
export function gatherFlat(x: Tensor, index: Int32Array, shape: readonly number[], sparseRows?: Int32Array, checked = false): Tensor {
  checkTensor(x, 'gatherFlat');
  if (!checked) checkIndex(index, x.numel, 'gatherFlat');
  if (numelOf(shape) !== index.length) throw new ValueError(`gatherFlat: shape ${show(shape)} has ${numelOf(shape)} elements but index has ${index.length}`);
  const out = empty(shape, x.dtype);
  getBackend().gather(index.length, x.data, 0, index, 0, out.data, 0);
  const fn: GradFn = {
    name: 'gather', inputs: [x],
    backward: (g, wanted) => [wanted?.[0] === false ? null : scatterAddFlat(g, index, x.shape, true)],
  };
  if (!sparseRows) return record(out, fn);
  return record(out, {
    ...fn,
    sparseRows,
    backwardInto: (g, i, dst) => i === 0 && scatterRowsInto(g, index, x, sparseRows, dst),
  });
}

/**
 * dst (x's grad, contiguous) += scatterAddFlat(g, index, x.shape) on the rows `rows` only. The
 * contributions are summed per row in a compact buffer, in index order with the same kernel,
 * then added to dst: the same numbers as the dense path, bit for bit, in O(index.length + rows
 * touched). Declines (false, dst untouched) when `rows` does not cover an index.
 */
function scatterRowsInto(g: Tensor, index: Int32Array, x: Tensor, rows: Int32Array, dst: FloatArray): boolean {
  const nRows = x.ndim === 0 ? 0 : x.shape[0]!;
  if (nRows === 0 || g.numel !== index.length || dst.length !== x.numel) return false;
  const rowSize = x.numel / nRows;
  const compact = new Int32Array(index.length);
  let lastRow = -1, lastPos = -1;
  for (let j = 0; j < index.length; j++) {
    const flat = index[j]!;
    const row = Math.floor(flat / rowSize);
    if (row !== lastRow) {
      lastPos = findRow(rows, row);
      if (lastPos < 0) return false;
      lastRow = row;
    }
    compact[j] = lastPos * rowSize + (flat - row * rowSize);
  }
  const sums = allocate(x.dtype, rows.length * rowSize);
  getBackend().scatterAdd(index.length, g.data, 0, compact, 0, sums, 0);
  if (dst instanceof Float32Array && sums instanceof Float32Array) addRows32(dst, sums, rows, rowSize);
  else addRows(dst, sums, rows, rowSize);
  return true;
}

/** Position of `row` in the sorted `rows`, or -1. */
function findRow(rows: Int32Array, row: number): number {
  let lo = 0, hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = rows[mid]!;
    if (v === row) return mid;
    if (v < row) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** dst[row rows[p]] += sums[row p] (one loop per array type, so each stays monomorphic). */
function addRows(dst: FloatArray, sums: FloatArray, rows: Int32Array, rowSize: number): void {
  for (let p = 0; p < rows.length; p++) {
    const d = rows[p]! * rowSize, s = p * rowSize;
    for (let i = 0; i < rowSize; i++) dst[d + i] += sums[s + i]!;
  }
}

function addRows32(dst: Float32Array, sums: Float32Array, rows: Int32Array, rowSize: number): void {
  for (let p = 0; p < rows.length; p++) {
    const d = rows[p]! * rowSize, s = p * rowSize;
    for (let i = 0; i < rowSize; i++) dst[d + i] += sums[s + i]!;
  }
}

/** A zero tensor of `shape` with src[j] added at flat position index[j]. */
export function scatterAddFlat(src: Tensor, index: Int32Array, shape: readonly number[], checked = false): Tensor {
  checkTensor(src, 'scatterAddFlat');
  if (!checked) checkIndex(index, numelOf(shape), 'scatterAddFlat');
  if (src.numel !== index.length) throw new ValueError(`scatterAddFlat: src has ${src.numel} elements but index has ${index.length}`);
  const out = empty(shape, src.dtype);
  getBackend().scatterAdd(index.length, src.data, 0, index, 0, out.data, 0);
  return record(out, { name: 'scatterAdd', inputs: [src], backward: (g) => [gatherFlat(g, index, src.shape, undefined, true)] });
}

/** Converts and range-checks indices along a dim of size `size`. */
export function toIndexArray(indices: Int32Array | readonly number[], size: number, op: string): Int32Array {
  if (!(indices instanceof Int32Array) && !Array.isArray(indices)) {
    throw new ValueError(`${op}: invalid indices ${show(indices)}, expected an Int32Array or an array of integers`);
  }
  const out = indices instanceof Int32Array ? indices : new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= size) {
      throw new ValueError(`${op}: index ${show(v)} at position ${i} is out of range, expected an integer in [0, ${size - 1}]`);
    }
    out[i] = v;
  }
  return out;
}

/** Flat indices selecting `idx` along `dim` of a tensor of `shape`. */
export function selectIndex(shape: readonly number[], dim: number, idx: Int32Array): Int32Array {
  const outer = numelOf(shape.slice(0, dim));
  const size = shape[dim]!;
  const inner = numelOf(shape.slice(dim + 1));
  const flat = new Int32Array(outer * idx.length * inner);
  let q = 0;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < idx.length; j++) {
      const base = (o * size + idx[j]!) * inner;
      for (let i = 0; i < inner; i++) flat[q++] = base + i;
    }
  }
  return flat;
}

/** Slices along `dim` picked by `indices` (like torch.index_select). */
export function indexSelect(x: Tensor, dim: number, indices: Int32Array | readonly number[]): Tensor {
  checkTensor(x, 'indexSelect');
  const d = normalizeDim(dim, x.ndim, 'indexSelect');
  const idx = toIndexArray(indices, x.shape[d]!, 'indexSelect');
  const shape = x.shape.slice();
  shape[d] = idx.length;
  return gatherFlat(x, selectIndex(x.shape, d, idx), shape, undefined, true);
}

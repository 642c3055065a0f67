/**
 * Tensor: a shape, a dtype and a contiguous row-major typed array, plus what reverse-mode
 * autograd needs (`requiresGrad`, `grad`, `gradFn`). A Tensor satisfies the `Parameter`
 * contract of core/param.ts, so optimizers update tensors directly.
 *
 * `grad` is a typed array of the same type and length as `data`, allocated on the first
 * accumulation; later backward passes add INTO it (never replace it), so parameters packed
 * into one flat buffer with subarray views keep working. `view`/`reshape` share `data`.
 */
import { type DType, type FloatArray, dtypeOf } from '../core/dtype.js';
import { ShapeError, ValueError, show } from '../core/errors.js';
import { clearGrad, type Parameter } from '../core/param.js';
import type { GradFn } from '../autograd/node.js';
import { backward as runBackward, type GradOptions } from '../autograd/engine.js';
import { numelOf } from './shape.js';
import * as ew from './ops/elementwise.js';
import * as red from './ops/reduce.js';
import * as mv from './ops/movement.js';
import * as mm from './ops/matmul.js';
import * as ix from './ops/indexing.js';
import * as sm from './ops/softmax.js';

/** A dim or a list of dims (negative counts from the end). */
export type Dims = number | readonly number[];

export class Tensor implements Parameter {
  data: FloatArray;
  readonly shape: number[];
  readonly dtype: DType;
  grad: FloatArray | null = null;
  requiresGrad: boolean;
  /** Row-sparse gradient marker (see core/param.ts): rows of dim 0 whose gradient may be non-zero. */
  gradRows: Int32Array | null = null;
  name?: string;
  /** The op that produced this tensor, when it was recorded on the tape (null for leaves). */
  gradFn: GradFn | null = null;
  /**
   * Set by zeroGrad: `grad` holds only zeros, so the next backward may mark it row-sparse.
   * Engine bookkeeping.
   */
  gradZeroed = false;

  /**
   * Wraps `data` (not copied) as a tensor of `shape` (default [data.length]).
   * The factories `tensor`, `zeros`, `randn`, ... are the everyday way to make tensors.
   */
  constructor(data: FloatArray, shape?: readonly number[], options: { requiresGrad?: boolean; name?: string } = {}) {
    if (!(data instanceof Float32Array || data instanceof Float64Array)) {
      throw new ValueError(`Tensor: invalid data ${show(Object.prototype.toString.call(data))}, expected a Float32Array or Float64Array`);
    }
    const s = shape === undefined ? [data.length] : Array.from(shape);
    if (!s.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new ShapeError(`Tensor: invalid shape ${show(s)}, expected an array of integers >= 0`);
    }
    if (numelOf(s) !== data.length) {
      throw new ShapeError(`Tensor: shape ${show(s)} has ${numelOf(s)} elements but data has ${data.length}`);
    }
    this.data = data;
    this.shape = s;
    this.dtype = dtypeOf(data);
    this.requiresGrad = options.requiresGrad ?? false;
    if (options.name !== undefined) this.name = options.name;
  }

  /** The number of elements. */
  get numel(): number { return this.data.length; }
  get ndim(): number { return this.shape.length; }
  /** True for tensors not produced by a recorded op (parameters, inputs, constants). */
  get isLeaf(): boolean { return this.gradFn === null; }

  /** The size of dim `dim` (negative counts from the end), or the whole shape. */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number | number[] {
    if (dim === undefined) return this.shape.slice();
    return this.shape[mv.dimIndex(dim, this.shape.length, 'size')]!;
  }

  /** The value of a one-element tensor. */
  item(): number {
    if (this.data.length !== 1) throw new ShapeError(`item: tensor of shape ${show(this.shape)} has ${this.data.length} elements, expected exactly 1`);
    return this.data[0]!;
  }

  /** The elements as a flat number array (row-major). */
  toArray(): number[] { return Array.from(this.data); }

  /** The same data, cut from the tape (requiresGrad false). Shares `data`. */
  detach(): Tensor { return new Tensor(this.data, this.shape); }

  /** A copy of the data; differentiable (the gradient passes through). */
  clone(): Tensor { return ew.clone(this); }

  /**
   * Fills `grad` with zeros (keeping the array, so views stay valid) and clears `gradRows`.
   * A row-sparse gradient has only its `gradRows` rows cleared (the rest are zero already).
   */
  zeroGrad(): void {
    clearGrad(this);
    this.gradRows = null;
    this.gradZeroed = true;
  }

  /** Sets requiresGrad and returns this, like torch's `requires_grad_()`. */
  requiresGrad_(flag = true): this {
    if (!this.isLeaf && !flag) throw new ValueError(`requiresGrad_: cannot set requiresGrad = false on a non-leaf tensor (made by ${this.gradFn!.name})`);
    this.requiresGrad = flag;
    return this;
  }

  /** Reverse-mode sweep from this scalar: accumulates d(this)/d(leaf) into every leaf's `grad`. */
  backward(options: GradOptions = {}): void { runBackward(this, options); }

  // elementwise (broadcasting like torch)
  add(other: Tensor | number): Tensor { return ew.add(this, other); }
  sub(other: Tensor | number): Tensor { return ew.sub(this, other); }
  mul(other: Tensor | number): Tensor { return ew.mul(this, other); }
  div(other: Tensor | number): Tensor { return ew.div(this, other); }
  maximum(other: Tensor | number): Tensor { return ew.maximum(this, other); }
  minimum(other: Tensor | number): Tensor { return ew.minimum(this, other); }
  neg(): Tensor { return ew.neg(this); }
  pow(exponent: number): Tensor { return ew.pow(this, exponent); }
  exp(): Tensor { return ew.exp(this); }
  log(): Tensor { return ew.log(this); }
  sqrt(): Tensor { return ew.sqrt(this); }
  tanh(): Tensor { return ew.tanh(this); }
  sigmoid(): Tensor { return ew.sigmoid(this); }
  relu(): Tensor { return ew.relu(this); }
  abs(): Tensor { return ew.abs(this); }
  square(): Tensor { return ew.square(this); }
  reciprocal(): Tensor { return ew.reciprocal(this); }
  /** Elementwise sign (-1, 0, 1); not differentiable (a constant). */
  sign(): Tensor { return ew.sign(this); }
  /** Clamps to [min, max] (either bound optional); the gradient passes where min <= x <= max. */
  clamp(min?: number | null, max?: number | null): Tensor { return ew.clamp(this, min ?? undefined, max ?? undefined); }

  // reductions (dim: number | number[], negative ok; undefined = all dims)
  sum(dim?: Dims, keepdim = false): Tensor { return red.sum(this, dim, keepdim); }
  mean(dim?: Dims, keepdim = false): Tensor { return red.mean(this, dim, keepdim); }
  /** Max values (over all elements, or along `dim`); the gradient goes to the argmax, ties to the first. */
  max(dim?: number, keepdim = false): Tensor { return red.max(this, dim, keepdim); }
  /** Indices of the max along `dim` (or into the flattened tensor), as a float tensor; no gradient. */
  argmax(dim?: number, keepdim = false): Tensor { return red.argmax(this, dim, keepdim); }
  /** Sums broadcast dims away so the result has `shape` (the adjoint of expand). */
  sumTo(shape: readonly number[]): Tensor { return red.sumTo(this, shape); }

  // shape
  reshape(...shape: number[] | [readonly number[]]): Tensor { return mv.reshape(this, mv.shapeArgs(shape)); }
  view(...shape: number[] | [readonly number[]]): Tensor { return mv.reshape(this, mv.shapeArgs(shape), 'view'); }
  transpose(dim0: number, dim1: number): Tensor { return mv.transpose(this, dim0, dim1); }
  /** Transpose of a 2-D tensor (1-D and 0-D are returned as they are), like torch's `t()`. */
  t(): Tensor { return mv.t(this); }
  permute(...dims: number[] | [readonly number[]]): Tensor { return mv.permute(this, mv.shapeArgs(dims)); }
  flatten(startDim = 0, endDim = -1): Tensor { return mv.flatten(this, startDim, endDim); }
  unsqueeze(dim: number): Tensor { return mv.unsqueeze(this, dim); }
  squeeze(dim?: number): Tensor { return mv.squeeze(this, dim); }
  /** Broadcasts to `shape` (a copy; -1 keeps a dim), like torch's `expand`. */
  expand(...shape: number[] | [readonly number[]]): Tensor { return mv.expand(this, mv.shapeArgs(shape)); }
  broadcastTo(shape: readonly number[]): Tensor { return mv.expand(this, shape); }

  // linear algebra and indexing
  /** Matrix product like torch.matmul: 1-D and 2-D operands, and batched [..., m, k] @ [..., k, n]. */
  matmul(other: Tensor): Tensor { return mm.matmul(this, other); }
  /** Slices along `dim` picked by `indices`, like torch.index_select. */
  indexSelect(dim: number, indices: Int32Array | readonly number[]): Tensor { return ix.indexSelect(this, dim, indices); }
  softmax(dim: number): Tensor { return sm.softmax(this, dim); }
  logSoftmax(dim: number): Tensor { return sm.logSoftmax(this, dim); }
  logsumexp(dim: number, keepdim = false): Tensor { return sm.logsumexp(this, dim, keepdim); }

  toString(): string {
    const head = Array.from(this.data.subarray(0, 8), (v) => +v.toPrecision(5)).join(', ');
    return `Tensor(shape=${show(this.shape)}, dtype=${this.dtype}, data=[${head}${this.data.length > 8 ? ', ...' : ''}]${this.requiresGrad ? ', requiresGrad' : ''})`;
  }
}

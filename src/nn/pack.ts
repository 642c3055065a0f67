/**
 * Flat parameter packing: moves every parameter into ONE contiguous typed array, and every
 * gradient into another, so a fused optimizer step can sweep a single array. Each
 * parameter's `data` and `grad` become subarray views of the flat arrays (values kept), so
 * the model, autograd (which accumulates INTO an existing `grad`) and per-tensor optimizers
 * all keep working on the same memory.
 *
 *   const packed = packParameters(model);
 *   // packed.data[packed.views[i].offset + j] === model.parameters()[i].data[j]
 *
 * A parameter without a gradient gets a zero-filled gradient view (it is no longer `null`).
 * Replacing a parameter's `data` or `grad` array afterwards (instead of writing into it)
 * detaches it from the flat buffer.
 */
import { type DType, type FloatArray, allocate, dtypeOf } from '../core/dtype.js';
import { ValueError, show } from '../core/errors.js';
import type { Parameter } from '../core/param.js';
import { Module } from './module.js';

export interface PackedView {
  /** The dotted parameter name (from the module), or the parameter's `name`, or its index. */
  name: string;
  /** First element of this parameter in the flat arrays. */
  offset: number;
  length: number;
  shape: number[];
}

export interface PackedParameters {
  /** All parameter values, concatenated in parameter order. */
  data: FloatArray;
  /** All gradients, same layout as `data`. */
  grad: FloatArray;
  views: PackedView[];
  dtype: DType;
}

function isFloatArray(x: unknown): x is FloatArray {
  return x instanceof Float32Array || x instanceof Float64Array;
}

/**
 * Packs the parameters of `source` (a Module, or a list of tensors/parameters) into one flat
 * data array and one flat grad array; see the file comment. All parameters must share a dtype.
 */
export function packParameters(source: Module | readonly Parameter[]): PackedParameters {
  const where = 'packParameters';
  let named: [string, Parameter][];
  if (source instanceof Module) {
    named = source.namedParameters();
  } else if (Array.isArray(source)) {
    const seen = new Set<Parameter>();
    named = [];
    source.forEach((p, i) => {
      if (p === null || typeof p !== 'object' || !isFloatArray((p as Parameter).data)) {
        throw new ValueError(`${where}: invalid parameter at index ${i}: ${show(typeof p)}, expected a Tensor or {data, grad}`);
      }
      if (seen.has(p)) return;
      seen.add(p);
      named.push([p.name ?? String(i), p]);
    });
  } else {
    throw new ValueError(`${where}: invalid source ${show(typeof source)}, expected a Module or an array of parameters`);
  }
  if (named.length === 0) throw new ValueError(`${where}: no parameters to pack, expected at least one`);

  const dtype = dtypeOf(named[0]![1].data);
  let total = 0;
  for (const [name, p] of named) {
    if (dtypeOf(p.data) !== dtype) {
      throw new ValueError(`${where}: parameter ${show(name)} is ${dtypeOf(p.data)} but ${show(named[0]![0])} is ${dtype}, expected one dtype`);
    }
    if (p.grad !== null && p.grad !== undefined && (!isFloatArray(p.grad) || p.grad.length !== p.data.length || dtypeOf(p.grad) !== dtype)) {
      throw new ValueError(`${where}: parameter ${show(name)} has a grad that does not match its data (${p.data.length} ${dtype} values)`);
    }
    total += p.data.length;
  }

  const data = allocate(dtype, total);
  const grad = allocate(dtype, total);
  const views: PackedView[] = [];
  let offset = 0;
  for (const [name, p] of named) {
    const n = p.data.length;
    const dataView = data.subarray(offset, offset + n);
    const gradView = grad.subarray(offset, offset + n);
    dataView.set(p.data);
    if (p.grad) gradView.set(p.grad);
    p.data = dataView;
    p.grad = gradView;
    views.push({ name, offset, length: n, shape: p.shape ? p.shape.slice() : [n] });
    offset += n;
  }
  return { data, grad, views, dtype };
}

/** True when every parameter of `source` still views `packed` at its recorded offset. */
export function isPacked(source: Module | readonly Parameter[], packed: PackedParameters): boolean {
  const params = source instanceof Module ? source.parameters() : [...new Set(source)];
  if (params.length !== packed.views.length) return false;
  return params.every((p, i) => {
    const v = packed.views[i]!;
    const g = p.grad;
    return (
      p.data.buffer === packed.data.buffer && p.data.byteOffset === packed.data.byteOffset + v.offset * packed.data.BYTES_PER_ELEMENT &&
      p.data.length === v.length &&
      g !== null && g.buffer === packed.grad.buffer && g.byteOffset === packed.grad.byteOffset + v.offset * packed.grad.BYTES_PER_ELEMENT
    );
  });
}

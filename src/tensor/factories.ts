/**
 * Tensor factories, torch-shaped: tensor, zeros, ones, full, zerosLike, onesLike, randn, rand,
 * arange, and manualSeed for the global generator used when no `rng` is given.
 */
import { type DType, allocate, checkDType } from '../core/dtype.js';
import { ShapeError, ValueError, show } from '../core/errors.js';
import { Rng, checkSeed } from '../core/rng.js';
import { Tensor } from './tensor.js';
import { checkShape, numelOf } from './shape.js';

export interface TensorOptions {
  /** 'float32' (default) or 'float64'. */
  dtype?: DType;
  requiresGrad?: boolean;
  name?: string;
}

export interface RandomOptions extends TensorOptions {
  /** The generator to draw from; default the global one (see manualSeed). */
  rng?: Rng;
}

export type NestedArray = number | readonly NestedArray[];

let globalRng = new Rng(0);

/** Reseeds the global generator used by randn/rand when no `rng` is given. */
export function manualSeed(seed: number): void {
  globalRng = new Rng(checkSeed(seed, 'manualSeed'));
}

/** The global generator (seeded by manualSeed; seed 0 at start). */
export function globalGenerator(): Rng {
  return globalRng;
}

function dtypeFrom(options: TensorOptions, where: string): DType {
  return options.dtype === undefined ? 'float32' : checkDType(options.dtype, where);
}

function make(data: Float32Array | Float64Array, shape: readonly number[], options: TensorOptions): Tensor {
  const t = new Tensor(data, shape, { requiresGrad: options.requiresGrad ?? false });
  if (options.name !== undefined) t.name = options.name;
  return t;
}

function inferShape(data: NestedArray, where: string): number[] {
  const shape: number[] = [];
  let level: NestedArray = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0] as NestedArray;
  }
  return shape;
}

function flattenInto(data: NestedArray, shape: readonly number[], depth: number, out: number[], where: string): void {
  if (depth === shape.length) {
    if (typeof data !== 'number') throw new ValueError(`${where}: invalid element ${show(data)}, expected a number`);
    out.push(data);
    return;
  }
  if (!Array.isArray(data) || data.length !== shape[depth]) {
    throw new ShapeError(`${where}: ragged nested array: expected ${shape[depth]} elements at depth ${depth}, got ${show(Array.isArray(data) ? data.length : data)}`);
  }
  for (const item of data) flattenInto(item as NestedArray, shape, depth + 1, out, where);
}

/**
 * A tensor from numbers: a flat or nested array, a typed array, or a single number (0-d).
 * `shape` reshapes flat data; by default the nested structure gives the shape. Data is copied.
 * The dtype defaults to float32, or float64 for a Float64Array.
 */
export function tensor(
  data: NestedArray | ArrayLike<number>,
  shape?: readonly number[] | null,
  options: TensorOptions = {},
): Tensor {
  // A Float64Array keeps its precision unless a dtype is given (like torch.tensor of a float64 array).
  const dtype = options.dtype === undefined && data instanceof Float64Array ? 'float64' : dtypeFrom(options, 'tensor');
  let flat: ArrayLike<number>;
  let inferred: number[];
  if (typeof data === 'number') {
    flat = [data];
    inferred = [];
  } else if (ArrayBuffer.isView(data)) {
    flat = data as unknown as ArrayLike<number>;
    inferred = [flat.length];
  } else if (Array.isArray(data)) {
    inferred = inferShape(data as NestedArray, 'tensor');
    const out: number[] = [];
    flattenInto(data as NestedArray, inferred, 0, out, 'tensor');
    flat = out;
  } else {
    throw new ValueError(`tensor: invalid data ${show(data)}, expected a number, an array or a typed array`);
  }
  const finalShape = shape == null ? inferred : checkShape(shape, 'tensor');
  if (numelOf(finalShape) !== flat.length) {
    throw new ShapeError(`tensor: shape ${show(finalShape)} has ${numelOf(finalShape)} elements but data has ${flat.length}`);
  }
  const arr = allocate(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v !== 'number') throw new ValueError(`tensor: invalid element ${show(v)} at ${i}, expected a number`);
    arr[i] = v;
  }
  return make(arr, finalShape, options);
}

/** A tensor of `shape` filled with `value`; `where` is the public function called, for errors. */
function filled(shape: readonly number[], value: number, options: TensorOptions, where: string): Tensor {
  const s = checkShape(shape, where);
  if (typeof value !== 'number') throw new ValueError(`${where}: invalid value ${show(value)}, expected a number`);
  const arr = allocate(dtypeFrom(options, where), numelOf(s));
  if (value !== 0) arr.fill(value);
  return make(arr, s, options);
}

/** The options of a `...Like` factory: `t`'s dtype unless `options` give one. */
function likeOptions(t: Tensor, options: TensorOptions, where: string): TensorOptions {
  if (!(t instanceof Tensor)) throw new ValueError(`${where}: invalid tensor ${show(t)}, expected a Tensor`);
  return { dtype: t.dtype, ...options };
}

export function full(shape: readonly number[], value: number, options: TensorOptions = {}): Tensor {
  return filled(shape, value, options, 'full');
}

export function zeros(shape: readonly number[], options: TensorOptions = {}): Tensor {
  return filled(shape, 0, options, 'zeros');
}

export function ones(shape: readonly number[], options: TensorOptions = {}): Tensor {
  return filled(shape, 1, options, 'ones');
}

export function zerosLike(t: Tensor, options: TensorOptions = {}): Tensor {
  const o = likeOptions(t, options, 'zerosLike');
  return filled(t.shape, 0, o, 'zerosLike');
}

export function onesLike(t: Tensor, options: TensorOptions = {}): Tensor {
  const o = likeOptions(t, options, 'onesLike');
  return filled(t.shape, 1, o, 'onesLike');
}

/** Standard normal samples. */
export function randn(shape: readonly number[], options: RandomOptions = {}): Tensor {
  const s = checkShape(shape, 'randn');
  const arr = allocate(dtypeFrom(options, 'randn'), numelOf(s));
  (options.rng ?? globalRng).fillNormal(arr);
  return make(arr, s, options);
}

/** Uniform samples in [0, 1). */
export function rand(shape: readonly number[], options: RandomOptions = {}): Tensor {
  const s = checkShape(shape, 'rand');
  const arr = allocate(dtypeFrom(options, 'rand'), numelOf(s));
  (options.rng ?? globalRng).fillUniform(arr);
  return make(arr, s, options);
}

/** start, start + step, ... below end (1-D), like torch.arange; arange(n) is 0..n-1. */
export function arange(start: number, end?: number, step = 1, options: TensorOptions = {}): Tensor {
  if (end === undefined) {
    end = start;
    start = 0;
  }
  for (const [name, v] of [['start', start], ['end', end], ['step', step]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`arange: invalid ${name} ${show(v)}, expected a finite number`);
  }
  if (step === 0) throw new ValueError('arange: invalid step 0, expected a non-zero number');
  const n = Math.max(0, Math.ceil((end - start) / step));
  const arr = allocate(dtypeFrom(options, 'arange'), n);
  for (let i = 0; i < n; i++) arr[i] = start + i * step;
  return make(arr, [n], options);
}

/**
 * Weight initializers, in place and seeded. Each takes a target (a Tensor, anything with
 * `data` and `shape`, or a bare typed array) and returns it after filling `data`.
 *
 *   uniform(a, b)          w ~ U(a, b)
 *   normal(mean, std)      w ~ N(mean, std²)
 *   truncatedNormal        N(mean, std²) with draws beyond 2 std redrawn (TensorFlow/DeepOBS)
 *   glorotUniform          U(-b, b),  b = gain·√(6 / (fanIn + fanOut))      (xavier_uniform_)
 *   glorotNormal           N(0, σ²),  σ = gain·√(2 / (fanIn + fanOut))      (xavier_normal_)
 *   heUniform              U(-b, b),  b = gain·√(3 / fan),  gain = √2       (kaiming_uniform_, relu)
 *   heNormal               N(0, σ²),  σ = gain / √fan                        (kaiming_normal_, relu)
 *
 * Fans follow torch's `_calculate_fan_in_and_fan_out`: for a shape [out, in, k1, k2, ...],
 * fanIn = in·k1·k2·…, fanOut = out·k1·k2·…. A bare typed array has no shape, so the fans are
 * passed as options (`{ fanIn, fanOut }`), which also override those from a shape.
 *
 * The random stream is `options.rng`, or the engine's global generator (`manualSeed`).
 */
import type { FloatArray } from '../core/dtype.js';
import { ValueError, show } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { defaultRng } from './random.js';

/** Anything initializers can fill: a Tensor, a `{data, shape}` record, or a typed array. */
export type InitTarget = FloatArray | { data: FloatArray; readonly shape?: readonly number[] };

export interface RandomInitOptions {
  rng?: Rng;
}

export interface FanOptions extends RandomInitOptions {
  /** Scale factor; see `calculateGain`. */
  gain?: number;
  /** Override (or supply, for a bare typed array) the fans computed from the shape. */
  fanIn?: number;
  fanOut?: number;
}

export interface HeOptions extends FanOptions {
  /** Which fan to preserve the variance of: forward pass ('fanIn', the default) or backward ('fanOut'). */
  mode?: 'fanIn' | 'fanOut';
}

function isFloatArray(x: unknown): x is FloatArray {
  return x instanceof Float32Array || x instanceof Float64Array;
}

function dataOf(target: InitTarget, where: string): FloatArray {
  if (isFloatArray(target)) return target;
  if (target !== null && typeof target === 'object' && isFloatArray((target as { data?: unknown }).data)) {
    return target.data;
  }
  throw new ValueError(`${where}: invalid target ${show(typeof target)}, expected a Tensor, {data, shape} or a Float32Array/Float64Array`);
}

function shapeOf(target: InitTarget): readonly number[] | undefined {
  return isFloatArray(target) ? undefined : target.shape;
}

function checkNumber(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValueError(`${where}: invalid ${name} ${show(value)}, expected a finite number`);
  }
  return value;
}

function checkStd(value: unknown, where: string): number {
  const std = checkNumber(value, 'std', where);
  if (std < 0) throw new ValueError(`${where}: invalid std ${std}, expected std >= 0`);
  return std;
}

function checkGain(value: unknown, where: string): number {
  const g = checkNumber(value, 'gain', where);
  if (g < 0) throw new ValueError(`${where}: invalid gain ${g}, expected gain >= 0`);
  return g;
}

function rngOf(options: RandomInitOptions | undefined, where: string): Rng {
  const rng = options?.rng;
  if (rng === undefined) return defaultRng();
  if (rng === null || typeof rng !== 'object' || typeof (rng as Rng).random !== 'function') {
    throw new ValueError(`${where}: invalid rng ${show(rng)}, expected an Rng`);
  }
  return rng;
}

/**
 * torch's fan computation for a weight of `shape` = [out, in, ...kernel]:
 * fanIn = in · prod(kernel), fanOut = out · prod(kernel). Needs at least 2 dims.
 */
export function calculateFanInAndFanOut(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ValueError(`calculateFanInAndFanOut: invalid shape ${show(shape)}, expected an array of integers >= 0`);
  }
  if (shape.length < 2) {
    throw new ValueError(`calculateFanInAndFanOut: shape ${show(shape)} has ${shape.length} dims, expected at least 2 ([out, in, ...kernel])`);
  }
  let receptive = 1;
  for (let d = 2; d < shape.length; d++) receptive *= shape[d]!;
  return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive };
}

export type Nonlinearity = 'linear' | 'identity' | 'conv' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'selu';

/** torch's `calculate_gain`: the recommended scale for a nonlinearity (`param` = leaky slope, default 0.01). */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'identity':
    case 'conv':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leakyRelu': {
      const slope = param === undefined ? 0.01 : checkNumber(param, 'negative slope', 'calculateGain');
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new ValueError(
        `calculateGain: invalid nonlinearity ${show(nonlinearity)}, expected one of 'linear', 'identity', 'conv', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'selu'`,
      );
  }
}

function fansOf(target: InitTarget, options: FanOptions | undefined, where: string): { fanIn: number; fanOut: number } {
  const shape = shapeOf(target);
  let fans: { fanIn: number; fanOut: number } | undefined;
  if (shape !== undefined && shape.length >= 2) fans = calculateFanInAndFanOut(shape);
  const fanIn = options?.fanIn ?? fans?.fanIn;
  const fanOut = options?.fanOut ?? fans?.fanOut;
  if (fanIn === undefined || fanOut === undefined) {
    throw new ValueError(
      `${where}: cannot compute fans of ${shape === undefined ? 'a typed array' : `shape ${show(shape)}`}, expected a shape of at least 2 dims or options {fanIn, fanOut}`,
    );
  }
  for (const [name, v] of [['fanIn', fanIn], ['fanOut', fanOut]] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new ValueError(`${where}: invalid ${name} ${show(v)}, expected a positive integer`);
  }
  return { fanIn, fanOut };
}

/** Fills with zeros. */
export function zeros<T extends InitTarget>(target: T): T {
  dataOf(target, 'init.zeros').fill(0);
  return target;
}

/** Fills with ones. */
export function ones<T extends InitTarget>(target: T): T {
  dataOf(target, 'init.ones').fill(1);
  return target;
}

/** Fills with `value`. */
export function constant<T extends InitTarget>(target: T, value: number): T {
  const data = dataOf(target, 'init.constant');
  data.fill(checkNumber(value, 'value', 'init.constant'));
  return target;
}

/** w ~ U(a, b). */
export function uniform<T extends InitTarget>(target: T, a = 0, b = 1, options?: RandomInitOptions): T {
  const where = 'init.uniform';
  const data = dataOf(target, where);
  checkNumber(a, 'a', where);
  checkNumber(b, 'b', where);
  if (a > b) throw new ValueError(`${where}: invalid bounds a = ${a}, b = ${b}, expected a <= b`);
  rngOf(options, where).fillUniform(data, a, b);
  return target;
}

/** w ~ N(mean, std²). */
export function normal<T extends InitTarget>(target: T, mean = 0, std = 1, options?: RandomInitOptions): T {
  const where = 'init.normal';
  const data = dataOf(target, where);
  checkNumber(mean, 'mean', where);
  checkStd(std, where);
  rngOf(options, where).fillNormal(data, mean, std);
  return target;
}

/** w ~ N(mean, std²) restricted to [mean - 2 std, mean + 2 std] by redrawing (TensorFlow's truncated_normal). */
export function truncatedNormal<T extends InitTarget>(target: T, mean = 0, std = 1, options?: RandomInitOptions): T {
  const where = 'init.truncatedNormal';
  const data = dataOf(target, where);
  checkNumber(mean, 'mean', where);
  checkStd(std, where);
  rngOf(options, where).fillTruncatedNormal(data, mean, std);
  return target;
}

/** Glorot/Xavier uniform: U(-b, b), b = gain·√(6 / (fanIn + fanOut)). */
export function glorotUniform<T extends InitTarget>(target: T, options?: FanOptions): T {
  const where = 'init.glorotUniform';
  const data = dataOf(target, where);
  const { fanIn, fanOut } = fansOf(target, options, where);
  const gain = checkGain(options?.gain ?? 1, where);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  rngOf(options, where).fillUniform(data, -bound, bound);
  return target;
}

/** Glorot/Xavier normal: N(0, σ²), σ = gain·√(2 / (fanIn + fanOut)). */
export function glorotNormal<T extends InitTarget>(target: T, options?: FanOptions): T {
  const where = 'init.glorotNormal';
  const data = dataOf(target, where);
  const { fanIn, fanOut } = fansOf(target, options, where);
  const gain = checkGain(options?.gain ?? 1, where);
  rngOf(options, where).fillNormal(data, 0, gain * Math.sqrt(2 / (fanIn + fanOut)));
  return target;
}

function heFan(target: InitTarget, options: HeOptions | undefined, where: string): number {
  const mode = options?.mode ?? 'fanIn';
  if (mode !== 'fanIn' && mode !== 'fanOut') throw new ValueError(`${where}: invalid mode ${show(mode)}, expected 'fanIn' or 'fanOut'`);
  // A typed array with only the needed fan given is fine: fill the other with 1.
  const filled: HeOptions = { ...options };
  if (mode === 'fanIn' && filled.fanIn !== undefined && filled.fanOut === undefined && shapeOf(target) === undefined) filled.fanOut = 1;
  if (mode === 'fanOut' && filled.fanOut !== undefined && filled.fanIn === undefined && shapeOf(target) === undefined) filled.fanIn = 1;
  const fans = fansOf(target, filled, where);
  return mode === 'fanIn' ? fans.fanIn : fans.fanOut;
}

/** He/Kaiming uniform: U(-b, b), b = gain·√(3 / fan); gain √2 (relu) unless given. */
export function heUniform<T extends InitTarget>(target: T, options?: HeOptions): T {
  const where = 'init.heUniform';
  const data = dataOf(target, where);
  const fan = heFan(target, options, where);
  const gain = checkGain(options?.gain ?? Math.SQRT2, where);
  const bound = gain * Math.sqrt(3 / fan);
  rngOf(options, where).fillUniform(data, -bound, bound);
  return target;
}

/** He/Kaiming normal: N(0, σ²), σ = gain / √fan; gain √2 (relu) unless given. */
export function heNormal<T extends InitTarget>(target: T, options?: HeOptions): T {
  const where = 'init.heNormal';
  const data = dataOf(target, where);
  const fan = heFan(target, options, where);
  const gain = checkGain(options?.gain ?? Math.SQRT2, where);
  rngOf(options, where).fillNormal(data, 0, gain / Math.sqrt(fan));
  return target;
}

/** torch aliases. */
export const xavierUniform = glorotUniform;
export const xavierNormal = glorotNormal;
export const kaimingUniform = heUniform;
export const kaimingNormal = heNormal;

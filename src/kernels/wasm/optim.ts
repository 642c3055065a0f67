/** The fused optimizer steps of the Backend interface (kernels/backend.ts, OptimizerSteps) on the WASM kernels. */
import { ValueError, show } from '../../core/errors.js';
import { firstNonFinite } from '../../core/finite.js';
import type { KernelContext } from './context.js';
import type { AdamStepOptions, AdagradStepOptions, AdadeltaStepOptions, OptimizerSteps, RmspropStepOptions, SgdStepOptions } from '../backend.js';
import { checkBuffers, runStreamed } from './stream.js';

type Range = 'nonneg' | 'unit' | 'unitClosed';

function num(where: string, options: object, key: string, fallback: number | null, range: Range): number {
  const value = (options as Record<string, unknown>)[key] ?? fallback;
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= 0 &&
    (range === 'nonneg' || (range === 'unit' ? value < 1 : value <= 1));
  if (!ok) {
    const expected = range === 'nonneg' ? 'a finite number >= 0' : range === 'unit' ? 'a number in [0, 1)' : 'a number in [0, 1]';
    throw new ValueError(`${where}: invalid ${key} ${show(value)}, expected ${expected}`);
  }
  return value as number;
}

function flag(where: string, options: object, key: string): boolean {
  const value = (options as Record<string, unknown>)[key] ?? false;
  if (typeof value !== 'boolean') throw new ValueError(`${where}: invalid ${key} ${show(value)}, expected true or false`);
  return value;
}

function stepCount(where: string, options: object): number {
  const value = (options as Record<string, unknown>)['step'];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ValueError(`${where}: invalid step ${show(value)}, expected an integer >= 1 (the step count after its increment)`);
  }
  return value;
}

function checkOptions(where: string, options: unknown): object {
  if (options === null || typeof options !== 'object') throw new ValueError(`${where}: invalid options ${show(options)}, expected an object`);
  return options;
}

export function makeOptimizerSteps(ctx: KernelContext): OptimizerSteps {
  return {
    firstNonFinite(x: Float32Array, from: number, to: number): number {
      if (!(x instanceof Float32Array)) throw new ValueError(`wasm firstNonFinite: invalid x ${show(x)}, expected a Float32Array`);
      if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > x.length || from > to) {
        throw new ValueError(`wasm firstNonFinite: invalid range [${show(from)}, ${show(to)}), expected 0 <= from <= to <= ${x.length}`);
      }
      const address = ctx.arena.addressOf(x);
      // In WASM memory: one SIMD pass in place. Elsewhere copying it in would cost more than the JS loop.
      if (address < 0) return firstNonFinite(x, from, to);
      const i = ctx.exports.firstNonFinite32(to - from, address + 4 * from);
      return i < 0 ? -1 : from + i;
    },

    adamStep(param: Float32Array, grad: Float32Array, expAvg: Float32Array, expAvgSq: Float32Array, maxExpAvgSq: Float32Array | null, options: AdamStepOptions): void {
      const where = 'wasm adamStep';
      const o = checkOptions(where, options);
      const step = stepCount(where, o);
      const lr = num(where, o, 'lr', null, 'nonneg');
      const beta1 = num(where, o, 'beta1', 0.9, 'unit');
      const beta2 = num(where, o, 'beta2', 0.999, 'unit');
      const eps = num(where, o, 'eps', 1e-8, 'nonneg');
      const wd = num(where, o, 'weightDecay', 0, 'nonneg');
      const amsgrad = flag(where, o, 'amsgrad');
      const decoupled = flag(where, o, 'decoupledWeightDecay');
      const maximize = flag(where, o, 'maximize');
      const n = checkBuffers(where, { param, grad, expAvg, expAvgSq, maxExpAvgSq: amsgrad ? maxExpAvgSq : null }, ['param', 'grad', 'expAvg', 'expAvgSq', ...(amsgrad ? ['maxExpAvgSq'] : [])]);
      const flags = (maximize ? 1 : 0) | (amsgrad ? 2 : 0) | (decoupled ? 4 : 0);
      const stepSize = lr / (1 - beta1 ** step);
      const bc2Sqrt = Math.sqrt(1 - beta2 ** step);
      runStreamed(ctx, 'adam', n, [
        { array: param, written: true }, { array: grad, written: false }, { array: expAvg, written: true },
        { array: expAvgSq, written: true }, { array: amsgrad ? maxExpAvgSq : null, written: true },
      ], [flags, beta1, 1 - beta1, beta2, 1 - beta2, wd, 1 - lr * wd, eps, -stepSize, bc2Sqrt]);
    },

    sgdStep(param: Float32Array, grad: Float32Array, momentumBuffer: Float32Array | null, options: SgdStepOptions): void {
      const where = 'wasm sgdStep';
      const o = checkOptions(where, options);
      const lr = num(where, o, 'lr', null, 'nonneg');
      const momentum = num(where, o, 'momentum', 0, 'nonneg');
      const dampening = num(where, o, 'dampening', 0, 'nonneg');
      const wd = num(where, o, 'weightDecay', 0, 'nonneg');
      const nesterov = flag(where, o, 'nesterov');
      const maximize = flag(where, o, 'maximize');
      const first = flag(where, o, 'firstStep');
      if (nesterov && (momentum <= 0 || dampening !== 0)) {
        throw new ValueError(`${where}: nesterov needs momentum > 0 and dampening 0, got momentum ${show(momentum)} and dampening ${show(dampening)}`);
      }
      const hasMomentum = momentum !== 0;
      const n = checkBuffers(where, { param, grad, momentumBuffer: hasMomentum ? momentumBuffer : null }, ['param', 'grad', ...(hasMomentum ? ['momentumBuffer'] : [])]);
      const flags = (maximize ? 1 : 0) | (nesterov ? 2 : 0) | (first ? 4 : 0) | (hasMomentum ? 8 : 0);
      runStreamed(ctx, 'sgd', n, [
        { array: param, written: true }, { array: grad, written: false }, { array: hasMomentum ? momentumBuffer : null, written: true },
      ], [flags, momentum, 1 - dampening, wd, -lr]);
    },

    adagradStep(param: Float32Array, grad: Float32Array, stateSum: Float32Array, options: AdagradStepOptions): void {
      const where = 'wasm adagradStep';
      const o = checkOptions(where, options);
      const step = stepCount(where, o);
      const lr = num(where, o, 'lr', null, 'nonneg');
      const lrDecay = num(where, o, 'lrDecay', 0, 'nonneg');
      const wd = num(where, o, 'weightDecay', 0, 'nonneg');
      const eps = num(where, o, 'eps', 1e-10, 'nonneg');
      const maximize = flag(where, o, 'maximize');
      const n = checkBuffers(where, { param, grad, stateSum }, ['param', 'grad', 'stateSum']);
      const clr = lr / (1 + (step - 1) * lrDecay);
      runStreamed(ctx, 'adagrad', n, [
        { array: param, written: true }, { array: grad, written: false }, { array: stateSum, written: true },
      ], [maximize ? 1 : 0, wd, eps, -clr]);
    },

    rmspropStep(param: Float32Array, grad: Float32Array, squareAvg: Float32Array, gradAvg: Float32Array | null, momentumBuffer: Float32Array | null, options: RmspropStepOptions): void {
      const where = 'wasm rmspropStep';
      const o = checkOptions(where, options);
      const lr = num(where, o, 'lr', null, 'nonneg');
      const alpha = num(where, o, 'alpha', 0.99, 'unitClosed');
      const eps = num(where, o, 'eps', 1e-8, 'nonneg');
      const wd = num(where, o, 'weightDecay', 0, 'nonneg');
      const momentum = num(where, o, 'momentum', 0, 'nonneg');
      const centered = flag(where, o, 'centered');
      const maximize = flag(where, o, 'maximize');
      const hasMomentum = momentum > 0;
      const n = checkBuffers(
        where,
        { param, grad, squareAvg, gradAvg: centered ? gradAvg : null, momentumBuffer: hasMomentum ? momentumBuffer : null },
        ['param', 'grad', 'squareAvg', ...(centered ? ['gradAvg'] : []), ...(hasMomentum ? ['momentumBuffer'] : [])],
      );
      const flags = (maximize ? 1 : 0) | (centered ? 2 : 0) | (hasMomentum ? 8 : 0);
      runStreamed(ctx, 'rmsprop', n, [
        { array: param, written: true }, { array: grad, written: false }, { array: squareAvg, written: true },
        { array: centered ? gradAvg : null, written: true }, { array: hasMomentum ? momentumBuffer : null, written: true },
      ], [flags, alpha, 1 - alpha, wd, eps, momentum, -lr]);
    },

    adadeltaStep(param: Float32Array, grad: Float32Array, squareAvg: Float32Array, accDelta: Float32Array, options: AdadeltaStepOptions): void {
      const where = 'wasm adadeltaStep';
      const o = checkOptions(where, options);
      const lr = num(where, o, 'lr', 1, 'nonneg');
      const rho = num(where, o, 'rho', 0.9, 'unitClosed');
      const eps = num(where, o, 'eps', 1e-6, 'nonneg');
      const wd = num(where, o, 'weightDecay', 0, 'nonneg');
      const maximize = flag(where, o, 'maximize');
      const n = checkBuffers(where, { param, grad, squareAvg, accDelta }, ['param', 'grad', 'squareAvg', 'accDelta']);
      runStreamed(ctx, 'adadelta', n, [
        { array: param, written: true }, { array: grad, written: false }, { array: squareAvg, written: true }, { array: accDelta, written: true },
      ], [maximize ? 1 : 0, rho, 1 - rho, wd, eps, -lr]);
    },
  };
}


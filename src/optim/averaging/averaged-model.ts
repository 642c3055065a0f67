/**
 * Weight averaging over a list of parameters, as torch.optim.swa_utils.AveragedModel (1.13)
 * does it for a model's parameters.
 *
 *   'swa' (default; Polyak averaging, SWA): avg_n = avg_{n-1} + (p - avg_{n-1}) / n
 *   'ema': avg_n = decay * avg_{n-1} + (1 - decay) * p
 *
 * The first `updateParameters` copies the parameters. The averaged copies have the
 * parameters' dtype and shapes; `copyTo(params)` writes them into a model.
 */
import { ValueError, show } from '../../core/errors.js';
import type { FloatArray } from '../../core/dtype.js';
import type { Parameter } from '../../core/param.js';

/** Elementwise averaging rule: the new average from the old one, the parameter and the count so far. */
export type AvgFunction = (averaged: number, param: number, nAveraged: number) => number;

export interface AveragedModelOptions {
  /** 'swa' (equal weights, default), 'ema' (uses `decay`), or a custom rule. */
  avgFn?: 'swa' | 'ema' | AvgFunction;
  /** EMA decay in [0, 1); default 0.999. Only for avgFn 'ema'. */
  decay?: number;
}

export interface AveragedModelState {
  avgFn: 'swa' | 'ema' | 'custom';
  decay: number;
  nAveraged: number;
  /** One plain array per parameter. */
  averages: number[][];
}

function checkParams(params: unknown, where: string): Parameter[] {
  if (!Array.isArray(params) || params.length === 0) {
    throw new ValueError(`${where}: invalid params ${show(params)}, expected a non-empty array of Parameters`);
  }
  params.forEach((p: unknown, i) => {
    const data = (p as { data?: unknown } | null)?.data;
    if (!(data instanceof Float32Array || data instanceof Float64Array)) {
      throw new ValueError(`${where}: params[${i}].data is ${show(data)}, expected a Float32Array or Float64Array`);
    }
  });
  return params as Parameter[];
}

export class AveragedModel {
  /** The averaged copies, one per parameter, same dtype and shape. */
  readonly averages: FloatArray[];
  readonly shapes: Array<readonly number[]>;
  readonly avgFn: 'swa' | 'ema' | 'custom';
  readonly decay: number;
  /** How many times `updateParameters` has run. */
  nAveraged = 0;
  private readonly rule: AvgFunction;

  constructor(params: Parameter[], options: AveragedModelOptions = {}) {
    const where = 'AveragedModel';
    const ps = checkParams(params, where);
    if (options === null || typeof options !== 'object') throw new ValueError(`${where}: invalid options ${show(options)}, expected an object`);
    for (const key of Object.keys(options)) {
      if (key !== 'avgFn' && key !== 'decay') throw new ValueError(`${where}: unknown option ${JSON.stringify(key)}, expected avgFn or decay`);
    }
    const avgFn = options.avgFn ?? 'swa';
    const decay = options.decay ?? 0.999;
    if (typeof decay !== 'number' || !(decay >= 0 && decay < 1)) {
      throw new ValueError(`${where}: invalid decay ${show(decay)}, expected 0 <= decay < 1`);
    }
    if (typeof avgFn === 'function') {
      this.avgFn = 'custom';
      this.rule = avgFn;
    } else if (avgFn === 'swa') {
      this.avgFn = 'swa';
      this.rule = (avg, p, n) => avg + (p - avg) / (n + 1);
    } else if (avgFn === 'ema') {
      this.avgFn = 'ema';
      this.rule = (avg, p) => decay * avg + (1 - decay) * p;
    } else {
      throw new ValueError(`${where}: invalid avgFn ${show(avgFn)}, expected "swa", "ema" or a function (averaged, param, nAveraged) => number`);
    }
    this.decay = decay;
    this.averages = ps.map((p) => (p.data instanceof Float64Array ? new Float64Array(p.data.length) : new Float32Array(p.data.length)));
    this.shapes = ps.map((p) => [...(p.shape ?? [p.data.length])]);
  }

  private checkMatch(params: unknown, where: string): Parameter[] {
    const ps = checkParams(params, where);
    if (ps.length !== this.averages.length) {
      throw new ValueError(`${where}: got ${ps.length} params, expected ${this.averages.length} (as at construction)`);
    }
    ps.forEach((p, i) => {
      if (p.data.length !== this.averages[i]!.length) {
        throw new ValueError(`${where}: params[${i}] has ${p.data.length} elements, expected ${this.averages[i]!.length}`);
      }
    });
    return ps;
  }

  /** Folds the current parameter values into the average (the first call copies them). */
  updateParameters(params: Parameter[]): void {
    const ps = this.checkMatch(params, 'AveragedModel.updateParameters');
    const n = this.nAveraged;
    ps.forEach((p, i) => {
      const avg = this.averages[i]!;
      const data = p.data;
      if (n === 0) avg.set(data);
      else for (let j = 0; j < avg.length; j++) avg[j] = this.rule(avg[j]!, data[j]!, n);
    });
    this.nAveraged += 1;
  }

  /** Writes the averaged values into `params` (e.g. the model, before evaluating it). */
  copyTo(params: Parameter[]): void {
    const ps = this.checkMatch(params, 'AveragedModel.copyTo');
    ps.forEach((p, i) => p.data.set(this.averages[i]!));
  }

  /** The averages as Parameters with null gradients (views of the averaged buffers). */
  parameters(): Parameter[] {
    return this.averages.map((data, i) => ({ data, grad: null, shape: this.shapes[i] }));
  }

  /** Plain JSON data. A custom avgFn is not saved (pass it again when constructing). */
  stateDict(): AveragedModelState {
    return {
      avgFn: this.avgFn,
      decay: this.decay,
      nAveraged: this.nAveraged,
      averages: this.averages.map((a) => Array.from(a)),
    };
  }

  loadStateDict(state: AveragedModelState): void {
    const where = 'AveragedModel.loadStateDict';
    const ok = state !== null && typeof state === 'object' && Number.isInteger(state.nAveraged) && state.nAveraged >= 0 &&
      Array.isArray(state.averages) && state.averages.length === this.averages.length &&
      state.averages.every((a, i) => Array.isArray(a) && a.length === this.averages[i]!.length);
    if (!ok) {
      throw new ValueError(`${where}: invalid state ${show(state).slice(0, 200)}, expected {nAveraged, averages} from stateDict() of a model with ${this.averages.length} params of lengths ${show(this.averages.map((a) => a.length))}`);
    }
    if (state.avgFn !== this.avgFn || (state.avgFn === 'ema' && state.decay !== this.decay)) {
      throw new ValueError(`${where}: state was saved with avgFn ${show(state.avgFn)} decay ${show(state.decay)}, expected avgFn ${show(this.avgFn)} decay ${this.decay}`);
    }
    this.nAveraged = state.nAveraged;
    state.averages.forEach((a, i) => this.averages[i]!.set(a));
  }
}

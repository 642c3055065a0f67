/**
 * L-BFGS, numerically the same as torch 1.13's `torch.optim.LBFGS`.
 *
 * Each `step(closure)` runs up to `maxIter` quasi-Newton iterations on the flat parameter
 * vector x. The direction d = -H g comes from the two-loop recursion over the last
 * `historySize` curvature pairs (s = x_{k+1} - x_k, y = g_{k+1} - g_k, kept only if y·s > 1e-10),
 * with the initial inverse Hessian H0 = (y·s / y·y) I. The step is `lr` (the first iteration
 * ever: min(1, 1/‖g‖₁)·lr), or found by the strong Wolfe line search.
 *
 * Torch-shaped: one parameter group only, options camelCased, and the state kept (as torch
 * does) under the FIRST parameter in `stateDict().state[0]`.
 */
import type { FloatArray } from '../../core/dtype.js';
import { allocate, dtypeOf } from '../../core/dtype.js';
import type { Parameter } from '../../core/param.js';
import { DataError, ValueError, show } from '../../core/errors.js';
import { checkFinite, checkInteger, checkNonNegative } from '../../core/validate.js';
import { addToParams, axpy, checkParameters, copyParamsTo, dot, gatherFlatGrad, maxAbs, setParamsFrom, sumAbs } from './flat.js';
import { strongWolfe } from './strong-wolfe.js';

export type LBFGSLineSearch = 'strong_wolfe' | null;

export interface LBFGSOptions {
  lr?: number;
  maxIter?: number;
  /** Default floor(maxIter * 5 / 4). */
  maxEval?: number | null;
  toleranceGrad?: number;
  toleranceChange?: number;
  historySize?: number;
  lineSearchFn?: LBFGSLineSearch;
}

export interface LBFGSParamGroup {
  params: Parameter[];
  lr: number;
  maxIter: number;
  maxEval: number;
  toleranceGrad: number;
  toleranceChange: number;
  historySize: number;
  lineSearchFn: LBFGSLineSearch;
}

/** The serializable state (torch's names camelCased); arrays are copies. */
export interface LBFGSState {
  funcEvals: number;
  nIter: number;
  d?: number[];
  t?: number;
  oldDirs?: number[][];
  oldStps?: number[][];
  ro?: number[];
  hDiag?: number;
  prevFlatGrad?: number[];
  prevLoss?: number;
}

export interface LBFGSStateDict {
  state: { [paramIndex: number]: LBFGSState };
  paramGroups: Array<Omit<LBFGSParamGroup, 'params'> & { params: number[] }>;
}

/** Evaluates the loss at the current parameters and fills their `.grad`. */
export type LossClosure = () => number;

function resolveOptions(options: unknown, where: string): Omit<LBFGSParamGroup, 'params'> {
  if (options === null || typeof options !== 'object') throw new ValueError(`${where}: invalid options ${show(options)}, expected an object`);
  const o = options as LBFGSOptions;
  const lr = checkNonNegative(o.lr ?? 1, 'learning rate (lr)');
  const maxIter = checkInteger(o.maxIter ?? 20, 'maxIter', 1);
  const maxEval = o.maxEval === undefined || o.maxEval === null ? Math.floor((maxIter * 5) / 4) : checkInteger(o.maxEval, 'maxEval', 1);
  const toleranceGrad = checkNonNegative(o.toleranceGrad ?? 1e-7, 'toleranceGrad');
  const toleranceChange = checkNonNegative(o.toleranceChange ?? 1e-9, 'toleranceChange');
  const historySize = checkInteger(o.historySize ?? 100, 'historySize', 1);
  const lineSearchFn = o.lineSearchFn ?? null;
  if (lineSearchFn !== null && lineSearchFn !== 'strong_wolfe') {
    throw new ValueError(`Invalid lineSearchFn: ${show(lineSearchFn)}, expected null or 'strong_wolfe'`);
  }
  return { lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn };
}

export class LBFGS {
  readonly paramGroups: LBFGSParamGroup[];
  private readonly params: Parameter[];
  private readonly numel: number;
  private readonly flatGrad: FloatArray;
  private readonly xInit: FloatArray;
  // Torch's state, kept for the first parameter.
  private funcEvals = 0;
  private nIter = 0;
  private started = false;
  private d: FloatArray | null = null;
  private t = 0;
  private oldDirs: FloatArray[] = [];
  private oldStps: FloatArray[] = [];
  private ro: number[] = [];
  private al: number[] = [];
  private hDiag = 1;
  private prevFlatGrad: FloatArray | null = null;
  private prevLoss = 0;
  private yScratch: FloatArray | null = null;
  private sScratch: FloatArray | null = null;

  constructor(params: Parameter[] | Array<Partial<LBFGSParamGroup> & { params: Parameter[] }>, options: LBFGSOptions = {}) {
    const defaults = resolveOptions(options, 'LBFGS');
    if (!Array.isArray(params) || params.length === 0) throw new ValueError(`LBFGS: invalid params ${show(params)}, expected a non-empty array of parameters or of one parameter group`);
    const isGroup = (p: unknown): boolean => p !== null && typeof p === 'object' && Array.isArray((p as { params?: unknown }).params);
    let group: Partial<LBFGSParamGroup> & { params: Parameter[] };
    if (isGroup(params[0])) {
      if (params.length !== 1) throw new ValueError(`LBFGS doesn't support per-parameter options (parameter groups): got ${params.length} groups, expected 1`);
      group = params[0] as Partial<LBFGSParamGroup> & { params: Parameter[] };
    } else {
      group = { params: params as Parameter[] };
    }
    const { params: groupParams, ...groupOptions } = group;
    this.numel = checkParameters(groupParams, 'LBFGS');
    const resolved = resolveOptions({ ...options, ...groupOptions, maxEval: groupOptions.maxEval ?? defaults.maxEval }, 'LBFGS');
    this.params = [...groupParams];
    this.paramGroups = [{ params: this.params, ...resolved }];
    const dtype = dtypeOf(this.params[0]!.data);
    this.flatGrad = allocate(dtype, this.numel);
    this.xInit = allocate(dtype, this.numel);
  }

  /** Fills every gradient with zeros (torch 1.13's default), or sets it to null with `setToNone`. */
  zeroGrad(setToNone = false): void {
    for (const p of this.params) {
      if (setToNone) p.grad = null;
      else p.grad?.fill(0);
    }
  }

  private group(): LBFGSParamGroup {
    if (this.paramGroups.length !== 1) throw new ValueError(`LBFGS: paramGroups has ${this.paramGroups.length} groups, expected 1`);
    const g = this.paramGroups[0]!;
    resolveOptions(g, 'LBFGS.step'); // hyperparameters may have been edited (schedulers): re-validate
    return g;
  }

  private evaluate(closure: LossClosure): number {
    const loss = closure();
    if (typeof loss !== 'number') throw new ValueError(`LBFGS.step: the closure returned ${show(loss)}, expected the loss as a number`);
    return loss;
  }

  /** Runs up to `maxIter` iterations; returns the loss at the parameters it started from. */
  step(closure: LossClosure): number {
    if (typeof closure !== 'function') throw new ValueError(`LBFGS.step: invalid closure ${show(closure)}, expected a function that re-evaluates the loss and fills .grad`);
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn } = this.group();
    const params = this.params;
    this.started = true;

    const origLoss = this.evaluate(closure);
    let loss = origLoss;
    let currentEvals = 1;
    this.funcEvals += 1;

    let flatGrad = gatherFlatGrad(params, this.flatGrad);
    let optCond = maxAbs(flatGrad) <= toleranceGrad;
    if (optCond) return origLoss;

    let d = this.d;
    let t = this.t;
    let nIter = 0;
    while (nIter < maxIter) {
      nIter += 1;
      this.nIter += 1;

      // Direction.
      if (this.nIter === 1 || d === null || this.prevFlatGrad === null) {
        d ??= allocate(dtypeOf(flatGrad), this.numel);
        for (let i = 0; i < d.length; i++) d[i] = -flatGrad[i]!;
        this.oldDirs = [];
        this.oldStps = [];
        this.ro = [];
        this.hDiag = 1;
      } else {
        this.updateMemory(flatGrad, this.prevFlatGrad, d, t, historySize);
        this.twoLoop(flatGrad, d, historySize);
      }
      if (this.prevFlatGrad === null) this.prevFlatGrad = flatGrad.slice();
      else this.prevFlatGrad.set(flatGrad);
      this.prevLoss = loss;

      // Step length.
      t = this.nIter === 1 ? Math.min(1, 1 / sumAbs(flatGrad)) * lr : lr;
      const gtd = dot(flatGrad, d);
      if (gtd > -toleranceChange) break;

      let lsFuncEvals = 0;
      if (lineSearchFn === 'strong_wolfe') {
        copyParamsTo(params, this.xInit);
        const xInit = this.xInit;
        const dir = d;
        const evaluate = (tt: number) => {
          addToParams(params, tt, dir);
          const value = this.evaluate(closure);
          const grad = gatherFlatGrad(params, allocate(dtypeOf(flatGrad), this.numel));
          setParamsFrom(params, xInit);
          return { loss: value, grad };
        };
        const result = strongWolfe(evaluate, t, d, loss, flatGrad, gtd);
        loss = result.loss;
        t = result.t;
        lsFuncEvals = result.funcEvals;
        this.flatGrad.set(result.grad);
        flatGrad = this.flatGrad;
        addToParams(params, t, d);
        optCond = maxAbs(flatGrad) <= toleranceGrad;
      } else {
        addToParams(params, t, d);
        if (nIter !== maxIter) {
          // No evaluation after the last iteration (in a stochastic setting it would be wasted).
          loss = this.evaluate(closure);
          flatGrad = gatherFlatGrad(params, this.flatGrad);
          optCond = maxAbs(flatGrad) <= toleranceGrad;
          lsFuncEvals = 1;
        }
      }
      currentEvals += lsFuncEvals;
      this.funcEvals += lsFuncEvals;

      // Stopping conditions.
      if (nIter === maxIter) break;
      if (currentEvals >= maxEval) break;
      if (optCond) break;
      if (Math.abs(t) * maxAbs(d) <= toleranceChange) break;
      if (Math.abs(loss - this.prevLoss) < toleranceChange) break;
    }
    this.d = d;
    this.t = t;
    return origLoss;
  }

  /** Stores the pair (y, s) = (g - gPrev, t d) when y·s > 1e-10, dropping the oldest when full. */
  private updateMemory(flatGrad: FloatArray, prevFlatGrad: FloatArray, d: FloatArray, t: number, historySize: number): void {
    this.yScratch ??= allocate(dtypeOf(flatGrad), this.numel);
    this.sScratch ??= allocate(dtypeOf(flatGrad), this.numel);
    const y = this.yScratch;
    const s = this.sScratch;
    for (let i = 0; i < y.length; i++) {
      y[i] = flatGrad[i]! - prevFlatGrad[i]!;
      s[i] = d[i]! * t;
    }
    const ys = dot(y, s);
    if (!(ys > 1e-10)) return;
    // The pair joins the history; an evicted pair's buffers become the next scratch.
    this.yScratch = null;
    this.sScratch = null;
    while (this.oldDirs.length >= historySize) {
      this.yScratch = this.oldDirs.shift()!;
      this.sScratch = this.oldStps.shift()!;
      this.ro.shift();
    }
    this.oldDirs.push(y);
    this.oldStps.push(s);
    this.ro.push(1 / ys);
    this.hDiag = ys / dot(y, y);
  }

  /** d = -H g by the two-loop recursion (one buffer, as torch). */
  private twoLoop(flatGrad: FloatArray, d: FloatArray, historySize: number): void {
    const n = this.oldDirs.length;
    if (this.al.length < historySize) this.al = new Array<number>(historySize).fill(0);
    const al = this.al;
    for (let i = 0; i < d.length; i++) d[i] = -flatGrad[i]!;
    for (let i = n - 1; i >= 0; i--) {
      al[i] = dot(this.oldStps[i]!, d) * this.ro[i]!;
      axpy(-al[i]!, this.oldDirs[i]!, d);
    }
    const hDiag = this.hDiag;
    for (let i = 0; i < d.length; i++) d[i] = d[i]! * hDiag;
    for (let i = 0; i < n; i++) {
      const be = dot(this.oldDirs[i]!, d) * this.ro[i]!;
      axpy(al[i]! - be, this.oldStps[i]!, d);
    }
  }

  stateDict(): LBFGSStateDict {
    const { params: _params, ...options } = this.paramGroups[0]!;
    const groups = [{ ...options, params: this.params.map((_, i) => i) }];
    if (!this.started) return { state: {}, paramGroups: groups };
    const s: LBFGSState = { funcEvals: this.funcEvals, nIter: this.nIter };
    if (this.d !== null) {
      s.d = Array.from(this.d);
      s.t = this.t;
      s.oldDirs = this.oldDirs.map((a) => Array.from(a));
      s.oldStps = this.oldStps.map((a) => Array.from(a));
      s.ro = [...this.ro];
      s.hDiag = this.hDiag;
      s.prevFlatGrad = this.prevFlatGrad === null ? [] : Array.from(this.prevFlatGrad);
      s.prevLoss = this.prevLoss;
    }
    return { state: { 0: s }, paramGroups: groups };
  }

  loadStateDict(dict: LBFGSStateDict): void {
    if (dict === null || typeof dict !== 'object' || !Array.isArray(dict.paramGroups) || dict.paramGroups.length !== 1) {
      throw new DataError(`LBFGS.loadStateDict: invalid state dict ${show(dict)}, expected {state, paramGroups: [one group]}`);
    }
    const group = dict.paramGroups[0]!;
    if (!Array.isArray(group.params) || group.params.length !== this.params.length) {
      throw new DataError(`LBFGS.loadStateDict: the saved group has ${show(group.params?.length)} parameters, expected ${this.params.length}`);
    }
    const { params: _p, ...options } = group;
    Object.assign(this.paramGroups[0]!, resolveOptions(options, 'LBFGS.loadStateDict'));
    const s = dict.state?.[0];
    const dtype = dtypeOf(this.params[0]!.data);
    const vector = (a: unknown, what: string): FloatArray => {
      if (!Array.isArray(a) || a.length !== this.numel) throw new DataError(`LBFGS.loadStateDict: invalid ${what} of length ${show((a as unknown[] | undefined)?.length)}, expected ${this.numel} numbers`);
      const out = allocate(dtype, this.numel);
      out.set(a as number[]);
      return out;
    };
    this.started = s !== undefined;
    this.funcEvals = s === undefined ? 0 : checkInteger(s.funcEvals, 'funcEvals', 0);
    this.nIter = s === undefined ? 0 : checkInteger(s.nIter, 'nIter', 0);
    if (s === undefined || s.d === undefined) {
      this.d = null;
      this.prevFlatGrad = null;
      this.oldDirs = [];
      this.oldStps = [];
      this.ro = [];
      this.hDiag = 1;
      this.t = 0;
      this.prevLoss = 0;
      return;
    }
    this.d = vector(s.d, 'd');
    this.t = checkFinite(s.t, 't');
    this.oldDirs = (s.oldDirs ?? []).map((a) => vector(a, 'oldDirs entry'));
    this.oldStps = (s.oldStps ?? []).map((a) => vector(a, 'oldStps entry'));
    this.ro = (s.ro ?? []).map((r) => checkFinite(r, 'ro entry'));
    if (this.oldStps.length !== this.oldDirs.length || this.ro.length !== this.oldDirs.length) {
      throw new DataError(`LBFGS.loadStateDict: oldDirs, oldStps and ro have lengths ${this.oldDirs.length}, ${this.oldStps.length}, ${this.ro.length}, expected equal lengths`);
    }
    this.hDiag = checkFinite(s.hDiag, 'hDiag');
    this.prevFlatGrad = vector(s.prevFlatGrad, 'prevFlatGrad');
    this.prevLoss = typeof s.prevLoss === 'number' ? s.prevLoss : 0;
  }
}

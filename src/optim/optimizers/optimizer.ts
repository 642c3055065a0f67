/**
 * The torch-shaped optimizer base class: parameter groups with per-group options,
 * `step(closure?)`, `zeroGrad()`, `addParamGroup()`, `stateDict()` / `loadStateDict()`.
 *
 *   const opt = new Adam([{ params: [w], lr: 1e-2 }, { params: [b] }], { lr: 1e-3 });
 *   opt.paramGroups[0].lr = 5e-3;   // options are plain, mutable between steps
 *   const loss = opt.step(() => computeLossAndGrads());
 *
 * Subclasses give the defaults, validate a group (`validateGroup`) and implement the
 * parameter update (`update`). The base class runs the closure, applies the non-finite
 * policy before anything is modified, and serializes per-parameter state.
 */
import { clearGrad, rowSizeOf, type Parameter } from '../../core/param.js';
import type { FloatArray } from '../../core/dtype.js';
import { firstNonFinite } from '../../core/finite.js';
import { getBackend } from '../../kernels/registry.js';
import { DataError, ValueError, show } from '../../core/errors.js';
import { decodeArray, encodeArray, isEncodedArray, type EncodedStateValue, type StateValue } from './state-codec.js';
import { encodeOption, mergeOption } from './group-codec.js';

export { rowSizeOf };

/**
 * One parameter group: its parameters and its options (torch names, camelCased). The options
 * each optimizer lists may be schedules `(t) => value` (see `hyper.ts`); their group types
 * say `Hyper` (number | Schedule), except `lr`: it is typed `number` because the code that
 * drives it (scheduler classes, the trainer, the lab) writes numbers, but it holds the
 * function when a schedule was given for it (`typeof group.lr === 'function'`).
 */
export interface ParamGroup {
  params: Parameter[];
  lr: number;
  [option: string]: unknown;
}

/** A group as given to a constructor or `addParamGroup`: options left out take the defaults. */
export interface ParamGroupInput {
  params: Iterable<Parameter>;
  [option: string]: unknown;
}

export type ParamsInput = Iterable<Parameter> | Iterable<ParamGroupInput>;

/**
 * What to do with a NaN or infinite gradient. 'error' (default): throw before anything is
 * modified. 'skip': skip the whole step and count it in `skippedSteps`. 'allow': no check
 * (torch's behaviour; saves one pass over the gradients).
 */
export type NonFinitePolicy = 'error' | 'skip' | 'allow';

export interface OptimizerOptions {
  nonFinite?: NonFinitePolicy;
}

/** Per-parameter state as torch names it (camelCased): numbers, typed arrays or null. */
export type ParamState = Record<string, StateValue>;

export interface OptimizerStateDict {
  /** Keyed by parameter index, counting through the groups in order. */
  state: Record<string, Record<string, EncodedStateValue>>;
  /**
   * Each group's options, with `params` replaced by parameter indices; a schedule (function)
   * is recorded as `{ schedule: true }` (see `group-codec.ts`).
   */
  paramGroups: Array<Record<string, unknown> & { params: number[] }>;
}

export type StepClosure = () => number;

/**
 * Keys that learning-rate schedulers add to param groups (torch's `initial_lr`). They are
 * saved and restored with the groups, as torch does, though no optimizer reads them.
 */
export const SCHEDULER_GROUP_KEYS: readonly string[] = ['initialLr'];

/** Shared empty row list that `zeroGrad` gives sparse gradients (no allocation per call). */
const NO_ROWS = new Int32Array(0);

export abstract class Optimizer<G extends ParamGroup = ParamGroup> {
  /** The class name used in error messages ('Adam', 'SGD', ...). */
  readonly name: string;
  /** Options a group takes when it does not set them. */
  readonly defaults: Readonly<Record<string, unknown>>;
  readonly paramGroups: G[] = [];
  nonFinite: NonFinitePolicy;
  /** Steps skipped under `nonFinite: 'skip'`. */
  skippedSteps = 0;
  /** Calls to `step()` so far, skipped ones included. */
  stepCalls = 0;

  protected constructor(name: string, params: ParamsInput, defaults: Record<string, unknown>, options: OptimizerOptions = {}) {
    this.name = name;
    this.defaults = Object.freeze({ ...defaults });
    if (options === null || typeof options !== 'object') {
      throw new ValueError(`${name}: invalid options ${show(options)}, expected an object`);
    }
    const policy = options.nonFinite ?? 'error';
    if (policy !== 'error' && policy !== 'skip' && policy !== 'allow') {
      throw new ValueError(`${name}: invalid nonFinite ${show(policy)}, expected 'error', 'skip' or 'allow'`);
    }
    this.nonFinite = policy;
    if (params === null || typeof params !== 'object' || typeof (params as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new ValueError(`${name}: invalid params ${show(params)}, expected an array of parameters or of groups {params, ...options}`);
    }
    const list = [...(params as Iterable<unknown>)];
    if (list.length === 0) throw new ValueError(`${name}: optimizer got an empty parameter list, expected at least one parameter`);
    const isGroup = (x: unknown) => x !== null && typeof x === 'object' && 'params' in (x as object);
    if (list.every(isGroup)) {
      for (const g of list) this.addParamGroup(g as ParamGroupInput);
    } else if (list.some(isGroup)) {
      throw new ValueError(`${name}: params mixes parameters and groups, expected one kind`);
    } else {
      this.addParamGroup({ params: list as Parameter[] });
    }
  }

  /** Throws a ValueError naming a bad option of `group` (called with every option filled in). */
  protected abstract validateGroup(group: G, index: number): void;

  /** The parameter update proper; called by `step` after the closure and the non-finite check. */
  protected abstract update(): void;

  /** Exports one parameter's state with torch's (camelCased) names, or undefined when it has none. */
  protected abstract exportState(param: Parameter): ParamState | undefined;

  /**
   * Replaces all per-parameter state with `entries` (decoded, arrays already checked against
   * their parameter's size and dtype). Must validate everything before changing anything;
   * `where(param)` names a parameter for error messages.
   */
  protected abstract importStates(entries: ReadonlyMap<Parameter, ParamState>, where: (param: Parameter) => string): void;

  /** Whether the gradient check may read only `param.gradRows` (sparse-aware optimizers). */
  protected get sparseAware(): boolean {
    return false;
  }

  addParamGroup(input: ParamGroupInput): void {
    const where = `${this.name}.addParamGroup`;
    if (input === null || typeof input !== 'object' || !('params' in input)) {
      throw new ValueError(`${where}: invalid group ${show(input)}, expected {params, ...options}`);
    }
    const raw = input.params as unknown;
    if (raw === null || typeof raw !== 'object' || typeof (raw as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new ValueError(`${where}: invalid params ${show(raw)}, expected an array of parameters`);
    }
    const params = [...(raw as Iterable<Parameter>)];
    const index = this.paramGroups.length;
    const seen = new Set<Parameter>();
    for (const g of this.paramGroups) for (const p of g.params) seen.add(p);
    params.forEach((p, i) => {
      checkParameter(p, `${where}: group ${index} parameter ${i}`);
      if (seen.has(p)) throw new ValueError(`${where}: group ${index} parameter ${i}${p.name ? ` (${show(p.name)})` : ''} appears more than once, expected each parameter in one group`);
      seen.add(p);
    });
    const group: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.defaults)) group[k] = Array.isArray(v) ? [...v] : v;
    for (const [k, v] of Object.entries(input)) {
      if (k === 'params') continue;
      if (!(k in this.defaults)) {
        throw new ValueError(`${where}: unknown option ${show(k)} in group ${index}, expected one of ${Object.keys(this.defaults).join(', ')}`);
      }
      group[k] = Array.isArray(v) ? [...v] : v;
    }
    for (const [k, v] of Object.entries(group)) if (v === undefined) throw new ValueError(`${where}: group ${index} has no ${k} and there is no default, expected a value`);
    group.params = params;
    this.validateGroup(group as G, index);
    this.paramGroups.push(group as G);
  }

  /**
   * Runs `closure` (if given: it recomputes the loss and the gradients), checks the
   * gradients, then updates the parameters. Returns the closure's loss.
   */
  step(closure?: StepClosure): number | undefined {
    if (closure !== undefined && typeof closure !== 'function') {
      throw new ValueError(`${this.name}.step: invalid closure ${show(closure)}, expected a function returning the loss`);
    }
    const loss = closure ? closure() : undefined;
    this.stepCalls++;
    this.checkGradientShapes();
    if (this.nonFinite !== 'allow' && !this.gradientsFinite()) {
      this.skippedSteps++;
      return loss;
    }
    this.update();
    return loss;
  }

  /**
   * Clears the gradients. `setToNone = false` (torch 1.13's default) fills them with zeros
   * (and empties `gradRows`; a row-sparse gradient has only its `gradRows` rows cleared, the
   * rest being zero already, so the cost follows the rows touched); `true` sets `grad = null`,
   * which makes the next step skip the parameter unless a gradient is computed again.
   */
  zeroGrad(setToNone = false): void {
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (p.grad === null || p.grad === undefined) continue;
        if (setToNone) {
          p.grad = null;
          if (p.gradRows) p.gradRows = null;
        } else {
          clearGrad(p);
          if (p.gradRows) p.gradRows = NO_ROWS;
        }
      }
    }
  }

  /** Every parameter, in stateDict index order. */
  protected allParams(): Parameter[] {
    const out: Parameter[] = [];
    for (const g of this.paramGroups) for (const p of g.params) out.push(p);
    return out;
  }

  /** Every gradient must match its parameter (checked before anything is modified). */
  private checkGradientShapes(): void {
    let index = 0;
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        const grad = p.grad;
        if (grad !== null && grad !== undefined && (grad.length !== p.data.length || grad.constructor !== p.data.constructor)) {
          throw new ValueError(
            `${this.name}.step: parameter ${index} has a grad (${grad.constructor.name} of ${grad.length}) unlike its data ` +
            `(${p.data.constructor.name} of ${p.data.length}), expected the same type and length`,
          );
        }
        index++;
      }
    }
  }

  /** True when every gradient is finite; otherwise throws ('error') or returns false ('skip'). */
  private gradientsFinite(): boolean {
    let index = 0;
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        const grad = p.grad;
        if (grad !== null && grad !== undefined) {
          const rows = this.sparseAware ? p.gradRows ?? null : null;
          const bad = rows === null ? firstNonFiniteDense(grad) : firstNonFiniteRows(grad, rows, rowSizeOf(p));
          if (bad >= 0) {
            if (this.nonFinite === 'skip') return false;
            const label = p.name ? ` (${show(p.name)})` : '';
            throw new ValueError(
              `${this.name}.step: non-finite gradient in parameter ${index}${label} at step ${this.stepCalls}: grad[${bad}] = ${show(grad[bad])}, ` +
              `expected finite values (nothing was modified; pass nonFinite: 'skip' to skip such steps)`,
            );
          }
        }
        index++;
      }
    }
    return true;
  }

  stateDict(): OptimizerStateDict {
    const state: OptimizerStateDict['state'] = {};
    const paramGroups: OptimizerStateDict['paramGroups'] = [];
    let index = 0;
    for (const g of this.paramGroups) {
      const indices: number[] = [];
      for (const p of g.params) {
        const s = this.exportState(p);
        if (s !== undefined) {
          const enc: Record<string, EncodedStateValue> = {};
          const shape = p.shape ?? [p.data.length];
          for (const [k, v] of Object.entries(s)) enc[k] = v === null || typeof v === 'number' ? v : encodeArray(v, shape);
          state[String(index)] = enc;
        }
        indices.push(index++);
      }
      const options: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(g)) if (k !== 'params') options[k] = encodeOption(v);
      paramGroups.push({ ...options, params: indices });
    }
    return { state, paramGroups };
  }

  /**
   * Restores a `stateDict()` (possibly through JSON). The saved group options replace the
   * current ones, except schedules: a function in this optimizer's group is kept (a saved
   * `{ schedule: true }` needs one there). Group and parameter counts and every state array's
   * size and dtype must match.
   */
  loadStateDict(dict: OptimizerStateDict): void {
    const where = `${this.name}.loadStateDict`;
    if (dict === null || typeof dict !== 'object' || !Array.isArray(dict.paramGroups) || dict.state === null || typeof dict.state !== 'object') {
      throw new DataError(`${where}: invalid state dict ${show(dict)}, expected {state, paramGroups}`);
    }
    if (dict.paramGroups.length !== this.paramGroups.length) {
      throw new DataError(`${where}: the state dict has ${dict.paramGroups.length} parameter groups, expected ${this.paramGroups.length}`);
    }
    const params = this.allParams();
    dict.paramGroups.forEach((saved, gi) => {
      const n = this.paramGroups[gi]!.params.length;
      if (!saved || !Array.isArray(saved.params) || saved.params.length !== n) {
        throw new DataError(`${where}: group ${gi} of the state dict has ${saved && Array.isArray(saved.params) ? saved.params.length : show(saved?.params)} parameters, expected ${n}`);
      }
    });
    for (const key of Object.keys(dict.state)) {
      const i = Number(key);
      if (!Number.isInteger(i) || i < 0 || i >= params.length) {
        throw new DataError(`${where}: state for parameter ${show(key)}, expected indices 0..${params.length - 1}`);
      }
    }
    // Decode and check everything before changing anything.
    const decoded = new Map<Parameter, ParamState>();
    for (const [key, entry] of Object.entries(dict.state)) {
      const p = params[Number(key)]!;
      const w = `${where}: state of parameter ${key}`;
      if (entry === null || typeof entry !== 'object') throw new DataError(`${w}: invalid entry ${show(entry)}, expected an object`);
      const values: ParamState = {};
      for (const [k, v] of Object.entries(entry)) {
        if (v === null || typeof v === 'number') values[k] = v;
        else if (isEncodedArray(v)) {
          const arr = decodeArray(v, `${w}.${k}`);
          checkStateArray(arr, p, `${w}.${k}`);
          values[k] = arr;
        } else throw new DataError(`${w}.${k}: invalid value ${show(v)}, expected a number, null or {dtype, shape, base64}`);
      }
      decoded.set(p, values);
    }
    const groupsBefore = this.paramGroups.map((g) => ({ ...g }));
    try {
      dict.paramGroups.forEach((saved, gi) => {
        const group = this.paramGroups[gi]!;
        const copy = { ...group } as Record<string, unknown>;
        for (const [k, v] of Object.entries(saved)) {
          if (k === 'params') continue;
          if (!(k in this.defaults) && !SCHEDULER_GROUP_KEYS.includes(k)) {
            throw new DataError(`${where}: group ${gi} has unknown option ${show(k)}, expected only ${Object.keys(this.defaults).join(', ')}`);
          }
          copy[k] = mergeOption(copy[k], v, k, gi, where);
        }
        this.validateGroup(copy as G, gi);
        for (const [k, v] of Object.entries(copy)) if (k !== 'params') (group as Record<string, unknown>)[k] = v;
      });
      this.importStates(decoded, (p) => `${where}: state of parameter ${params.indexOf(p)}`);
    } catch (e) {
      groupsBefore.forEach((g, gi) => Object.assign(this.paramGroups[gi]!, g));
      throw e;
    }
  }
}

export function checkParameter(p: unknown, where: string): asserts p is Parameter {
  if (p === null || typeof p !== 'object') throw new ValueError(`${where}: invalid parameter ${show(p)}, expected {data, grad}`);
  const q = p as Parameter;
  if (!(q.data instanceof Float32Array || q.data instanceof Float64Array)) {
    throw new ValueError(`${where}: data is ${show(Object.prototype.toString.call(q.data))}, expected a Float32Array or Float64Array`);
  }
  if (q.grad !== null && q.grad !== undefined && (q.grad.constructor !== q.data.constructor || q.grad.length !== q.data.length)) {
    throw new ValueError(`${where}: grad (${q.grad.constructor.name} of ${q.grad.length}) does not match data (${q.data.constructor.name} of ${q.data.length}), expected the same type and length`);
  }
  if (q.shape !== undefined) {
    const n = q.shape.reduce((a, b) => a * b, 1);
    if (n !== q.data.length) throw new ValueError(`${where}: shape ${show(q.shape)} has ${n} elements but data has ${q.data.length}`);
  }
}

function checkStateArray(arr: FloatArray, p: Parameter, where: string): void {
  if (arr.constructor !== p.data.constructor) {
    throw new DataError(`${where}: dtype ${arr instanceof Float64Array ? 'float64' : 'float32'} does not match the parameter's ${p.data instanceof Float64Array ? 'float64' : 'float32'}`);
  }
  if (arr.length !== p.data.length) throw new DataError(`${where}: ${arr.length} values, expected ${p.data.length} (the parameter's size)`);
}

/** The backend's check for float32 gradients where it has one (in place in WASM memory), else the loop. */
function firstNonFiniteDense(grad: FloatArray): number {
  const steps = grad instanceof Float32Array ? getBackend().optimizerSteps : undefined;
  return steps === undefined ? firstNonFinite(grad, 0, grad.length) : steps.firstNonFinite(grad as Float32Array, 0, grad.length);
}

function firstNonFiniteRows(a: FloatArray, rows: Int32Array, rowSize: number): number {
  for (let r = 0; r < rows.length; r++) {
    const lo = rows[r]! * rowSize;
    if (lo < 0 || lo + rowSize > a.length) return -1; // out-of-range rows are reported by the update
    const bad = firstNonFinite(a, lo, lo + rowSize);
    if (bad >= 0) return bad;
  }
  return -1;
}


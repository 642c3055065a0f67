/**
 * The bridge from the composable core to the torch-shaped surface: a subclass says which
 * chain of transforms a group runs (`buildTransform`, reading options from the group at
 * each update, so they stay mutable), and this class runs it per parameter:
 *
 *   u <- grad;  chain.update(u, state[p], p, ctx);  p <- p + u
 *
 * The chain's count is torch's per-parameter `step`. Parameters with `grad === null` are
 * skipped entirely (no state, no step). `u` lives in one preallocated scratch buffer per
 * dtype, so a step allocates nothing after the first.
 *
 * Options listed by `hyperSpecs` may be schedules: transforms and fused paths read them
 * through `hyper(group)` at the parameter's 0-based step (its chain count before the update),
 * and every schedule is evaluated and checked for every parameter about to be updated before
 * anything is modified.
 */
import type { Parameter } from '../../core/param.js';
import type { FloatArray } from '../../core/dtype.js';
import { DataError, ValueError, show } from '../../core/errors.js';
import type { ChainState } from '../transforms/chain.js';
import type { Transform, UpdateContext } from '../transforms/types.js';
import { Optimizer, rowSizeOf, type OptimizerOptions, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';
import { hasSchedule, hyperValues, type HyperSpec, type HyperValues } from './hyper.js';

export interface StateLayout {
  /** Whether torch keeps `step` in this optimizer's state (all but SGD). */
  stepInState: boolean;
  /** State keys torch keeps even when None (SGD's `momentumBuffer`); other nulls are left out. */
  keepNull?: readonly string[];
}

export abstract class TransformOptimizer<G extends ParamGroup> extends Optimizer<G> {
  /** Per-parameter chain state (torch's `optimizer.state`). */
  readonly state = new Map<Parameter, ChainState>();
  private readonly chains = new WeakMap<G, Transform<ChainState>>();
  private readonly hypers = new WeakMap<G, HyperValues>();
  private readonly ctx: UpdateContext = { step: 0, rows: null, rowSize: 0 };
  private scratch32 = new Float32Array(0);
  private scratch64 = new Float64Array(0);
  private readonly views = new Map<number, FloatArray>();
  private readonly layout: StateLayout;

  protected constructor(name: string, params: ParamsInput, defaults: Record<string, unknown>, options: OptimizerOptions | undefined, layout: StateLayout) {
    super(name, params, defaults, options);
    this.layout = layout;
  }

  /** The chain for one group; it should read the group's options when it runs. */
  protected abstract buildTransform(group: G): Transform<ChainState>;

  /** The options of a group that may be schedules (none by default). */
  protected get hyperSpecs(): readonly HyperSpec<G>[] {
    return [];
  }

  /** The group's evaluators `(t) => value` for the options in `hyperSpecs`, by label. */
  protected hyper(group: G): HyperValues {
    let h = this.hypers.get(group);
    if (h === undefined) {
      h = hyperValues(this.hyperSpecs, group, () => ({ name: this.name, group: this.paramGroups.indexOf(group) }));
      this.hypers.set(group, h);
    }
    return h;
  }

  /**
   * Hook for cross-option rules on evaluated values (SGD: Nesterov needs momentum > 0 and
   * zero dampening), called before any update of a group with a schedule, for each step t.
   */
  protected checkScheduled(_group: G, _h: HyperValues, _t: number, _index: number): void {}

  /** Evaluates (and so checks) every schedule at each parameter's next step before anything moves. */
  private checkSchedules(): void {
    const specs = this.hyperSpecs;
    if (specs.length === 0) return;
    for (let gi = 0; gi < this.paramGroups.length; gi++) {
      const group = this.paramGroups[gi]!;
      if (!hasSchedule(specs, group)) continue;
      const h = this.hyper(group);
      let last = -1;
      for (const p of group.params) {
        if (p.grad === null || p.grad === undefined) continue;
        const t = this.state.get(p)?.count ?? 0;
        if (t === last) continue;
        last = t;
        for (const spec of specs) if (typeof spec.read(group) === 'function') h[spec.label]!(t);
        this.checkScheduled(group, h, t, gi);
      }
    }
  }

  protected chainFor(group: G): Transform<ChainState> {
    let c = this.chains.get(group);
    if (c === undefined) {
      c = this.buildTransform(group);
      this.chains.set(group, c);
    }
    return c;
  }

  /** Creates a parameter's state now (torch's Adagrad does it in the constructor). */
  protected initState(param: Parameter, group: G): ChainState {
    const s = this.chainFor(group).init(param.data);
    this.state.set(param, s);
    return s;
  }

  /**
   * Checks `gradRows` of a sparse-aware optimizer: row indices in range and strictly
   * increasing (a repeated row would be updated twice); returns the row size.
   */
  protected checkRows(p: Parameter, rows: Int32Array, index: number): number {
    const rowSize = rowSizeOf(p);
    const nRows = rowSize === 0 ? 0 : p.data.length / rowSize;
    const where = `${this.name}.step: parameter ${index}`;
    if (!(rows instanceof Int32Array)) throw new ValueError(`${where} gradRows is ${show(rows)}, expected an Int32Array or null`);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      if (row < 0 || row >= nRows) throw new ValueError(`${where} gradRows[${r}] = ${row}, expected a row index in [0, ${nRows})`);
      if (r > 0 && row <= rows[r - 1]!) {
        throw new ValueError(`${where} gradRows[${r}] = ${row} after gradRows[${r - 1}] = ${rows[r - 1]}, expected strictly increasing row indices (sorted, each row once)`);
      }
    }
    return rowSize;
  }

  private scratchFor(data: FloatArray): FloatArray {
    const n = data.length;
    const f64 = data instanceof Float64Array;
    const key = f64 ? -n - 1 : n;
    const hit = this.views.get(key);
    if (hit !== undefined) return hit;
    // First sight of this size: grow to the largest parameter of this dtype, then cache views.
    let max = n;
    for (const g of this.paramGroups) for (const p of g.params) if ((p.data instanceof Float64Array) === f64) max = Math.max(max, p.data.length);
    if (f64 && this.scratch64.length < max) {
      this.scratch64 = new Float64Array(max);
      for (const k of [...this.views.keys()]) if (k < 0) this.views.delete(k);
    } else if (!f64 && this.scratch32.length < max) {
      this.scratch32 = new Float32Array(max);
      for (const k of [...this.views.keys()]) if (k >= 0) this.views.delete(k);
    }
    const view = f64 ? this.scratch64.subarray(0, n) : this.scratch32.subarray(0, n);
    this.views.set(key, view);
    return view;
  }

  protected update(): void {
    if (this.sparseAware) this.checkSparse();
    this.checkSchedules();
    const ctx = this.ctx;
    let index = 0;
    for (const group of this.paramGroups) {
      const chain = this.chainFor(group);
      for (const p of group.params) {
        const grad = p.grad;
        if (grad === null || grad === undefined) {
          index++;
          continue;
        }
        const rows = this.sparseAware ? p.gradRows ?? null : null;
        ctx.rows = rows;
        ctx.rowSize = rows === null ? 0 : rowSizeOf(p);
        let s = this.state.get(p);
        if (s === undefined) s = this.initState(p, group);
        if (rows === null && this.fastPath && this.fusedUpdate(group, p.data, grad, s)) {
          index++;
          continue;
        }
        const u = this.scratchFor(p.data);
        const data = p.data;
        if (rows === null) {
          u.set(grad);
          chain.update(u, s, data, ctx);
          for (let i = 0; i < data.length; i++) data[i] += u[i]!;
        } else {
          const rs = ctx.rowSize;
          for (let r = 0; r < rows.length; r++) {
            const lo = rows[r]! * rs;
            for (let i = lo; i < lo + rs; i++) u[i] = grad[i]!;
          }
          chain.update(u, s, data, ctx);
          for (let r = 0; r < rows.length; r++) {
            const lo = rows[r]! * rs;
            for (let i = lo; i < lo + rs; i++) data[i] += u[i]!;
          }
        }
        index++;
      }
    }
    ctx.rows = null;
  }

  /**
   * Whether `fusedUpdate` may replace the chain (default true). The fused TypeScript loops are
   * bit-identical to the chain; the WASM backend's float32 steps agree within float32 rounding
   * (both tested). Turning them off is for those tests and for debugging.
   */
  fastPath = true;

  /**
   * A subclass's fused one-pass update for the common case; returns false to use the chain.
   * It must increment `state.count` and give the chain's results: bit-identical in TypeScript,
   * within float32 rounding on a backend's fused kernels (test/optim/fused.test.ts).
   */
  protected fusedUpdate(_group: G, _data: FloatArray, _grad: FloatArray, _state: ChainState): boolean {
    return false;
  }

  /** Validates every row-sparse gradient before anything is modified. */
  private checkSparse(): void {
    let index = 0;
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        const rows = p.grad ? p.gradRows ?? null : null;
        if (rows !== null) {
          this.checkRows(p, rows, index);
          this.checkSparseParam(p, group, index);
        }
        index++;
      }
    }
  }

  /** Hook for sparse-aware subclasses: throws if a row-sparse gradient cannot be used with `group`'s options. */
  protected checkSparseParam(_p: Parameter, _group: G, _index: number): void {}

  protected exportState(param: Parameter): ParamState | undefined {
    const s = this.state.get(param);
    if (s === undefined) return undefined;
    const out: ParamState = {};
    if (this.layout.stepInState || this.scheduledParam(param)) out.step = s.count;
    for (const st of s.states) {
      for (const [k, v] of Object.entries(st as Record<string, unknown>)) {
        if (v === null && !(this.layout.keepNull ?? []).includes(k)) continue;
        out[k] = v as ParamState[string];
      }
    }
    return out;
  }

  protected importStates(entries: ReadonlyMap<Parameter, ParamState>, where: (param: Parameter) => string): void {
    const built = new Map<Parameter, ChainState>();
    for (const [param, values] of entries) built.set(param, this.buildState(param, values, where(param)));
    this.state.clear();
    for (const [param, s] of built) this.state.set(param, s);
  }

  /**
   * Whether `param`'s group has a schedule. Optimizers whose torch state has no `step` (SGD)
   * then save it anyway, so that a resumed run evaluates its schedules at the same steps.
   */
  private scheduledParam(param: Parameter): boolean {
    const group = this.paramGroups.find((g) => g.params.includes(param));
    return group !== undefined && hasSchedule(this.hyperSpecs, group);
  }

  private buildState(param: Parameter, values: ParamState, where: string): ChainState {
    const group = this.paramGroups.find((g) => g.params.includes(param))!;
    const fresh = this.chainFor(group).init(param.data);
    const used = new Set<string>();
    if (this.layout.stepInState || 'step' in values) {
      const step = values.step;
      if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) throw new DataError(`${where}: step is ${show(step)}, expected an integer >= 0`);
      fresh.count = step;
      used.add('step');
    }
    for (const st of fresh.states) {
      const slots = st as Record<string, unknown>;
      for (const [k, current] of Object.entries(slots)) {
        if (!(k in values)) {
          if (current === null) continue;
          throw new DataError(`${where}: missing ${k}, expected it in ${this.name}'s state`);
        }
        const v = values[k]!;
        used.add(k);
        if (typeof current === 'number') {
          if (typeof v !== 'number') throw new DataError(`${where}.${k}: ${show(v)}, expected a number`);
        } else if (typeof v === 'number' || (v === null && current !== null)) {
          throw new DataError(`${where}.${k}: ${show(v)}, expected an array`);
        }
        slots[k] = v;
      }
    }
    for (const k of Object.keys(values)) {
      if (!used.has(k)) throw new DataError(`${where}: unknown state ${show(k)}, expected only ${[...used].join(', ') || 'no entries'}`);
    }
    return fresh;
  }
}

/**
 * Hessian-free optimization (Martens 2010): truncated Newton-CG with Tikhonov damping.
 *
 * Each step minimises the damped quadratic model of f around x,
 *   φ(p) = ½ pᵀ(C + λI)p + ∇fᵀp,   C = Gauss-Newton matrix G (or the Hessian H),
 * by conjugate gradient on curvature-vector products C v (never forming C). CG starts from
 * the previous solution × `warmStartDecay`, stops on Martens' relative-progress test or after
 * `maxCgIter`, and (with `backtrack`) the step is the CG iterate, among those saved at
 * iterations ⌈1.3^j⌉ and the last, that lowers f most going backwards from the last.
 * The reduction ratio ρ = (f(x + p) − f(x)) / (q(p) − q(0)), with q the undamped model, adapts λ:
 * ρ < 1/4 ⇒ λ ← 3/2 λ, ρ > 3/4 ⇒ λ ← 2/3 λ. A step that does not lower f is rejected.
 *
 * Minibatches: `step(batch)` passes `batch` to every objective method, so one objective can
 * evaluate the current minibatch.
 */
import { ValueError, show } from '../../core/errors.js';
import { checkInRange, checkInteger, checkNonNegative, checkPositive } from '../../core/validate.js';
import { conjugateGradient } from './cg.js';
import { dot, norm2 } from './flat.js';
import { checkPoint } from './objective.js';

export interface HessianFreeObjective {
  readonly dim: number;
  value(x: Float64Array, batch?: unknown): number;
  /** Writes ∇f(x) into `out` and returns f(x). */
  gradient(x: Float64Array, out: Float64Array, batch?: unknown): number;
  /** Writes G v (Gauss-Newton matrix, positive semi-definite) into `out`. */
  gaussNewtonVectorProduct?(x: Float64Array, v: Float64Array, out: Float64Array, batch?: unknown): void;
  /** Writes H v into `out`. */
  hessianVectorProduct?(x: Float64Array, v: Float64Array, out: Float64Array, batch?: unknown): void;
}

export type HessianFreeCurvature = 'gauss-newton' | 'hessian';

export interface HessianFreeOptions {
  /** Default: 'gauss-newton' when the objective has gaussNewtonVectorProduct, else 'hessian'. */
  curvature?: HessianFreeCurvature;
  /** Initial damping λ > 0 (default 1). */
  damping?: number;
  /** Multiplies λ when ρ < 1/4 (default 3/2). */
  dampingIncrease?: number;
  /** Multiplies λ when ρ > 3/4 (default 2/3). */
  dampingDecrease?: number;
  /** CG iteration cap per step (default 250). */
  maxCgIter?: number;
  /** CG also stops when ‖r‖ <= cgTol ‖∇f‖ (default 1e-10). */
  cgTol?: number;
  /** Martens' progress threshold ε: stop when (φ_i − φ_{i−k}) / φ_i < k ε, k = max(10, i/10) (default 5e-4). */
  progressTol?: number;
  /** The next CG starts from this × the previous solution (default 0.95; 0 = cold start). */
  warmStartDecay?: number;
  /** Choose among saved CG iterates (default true). */
  backtrack?: boolean;
}

export interface HessianFreeStepInfo {
  value: number;
  newValue: number;
  /** ‖∇f‖ at the start of the step. */
  gradNorm: number;
  rho: number;
  /** λ used in this step (the next step uses `HessianFree.damping`). */
  damping: number;
  cgIterations: number;
  /** The CG iteration whose iterate was taken. */
  chosenIteration: number;
  accepted: boolean;
}

export class HessianFree {
  /** The current point: the `x0` given to the constructor, updated in place. */
  readonly x: Float64Array;
  readonly objective: HessianFreeObjective;
  readonly options: Readonly<Required<HessianFreeOptions>>;
  damping: number;
  private readonly g: Float64Array;
  private readonly previous: Float64Array;
  private readonly trial: Float64Array;

  constructor(objective: HessianFreeObjective, x0: Float64Array, options: HessianFreeOptions = {}) {
    const o = objective as Partial<HessianFreeObjective> | null;
    if (o === null || typeof o !== 'object' || !Number.isInteger(o.dim) || (o.dim as number) < 1 || typeof o.value !== 'function' || typeof o.gradient !== 'function') {
      throw new ValueError(`HessianFree: invalid objective ${show(o === null || typeof o !== 'object' ? o : Object.keys(o))}, expected {dim, value, gradient, gaussNewtonVectorProduct | hessianVectorProduct}`);
    }
    if (options === null || typeof options !== 'object') throw new ValueError(`HessianFree: invalid options ${show(options)}, expected an object`);
    const curvature = options.curvature ?? (typeof o.gaussNewtonVectorProduct === 'function' ? 'gauss-newton' : 'hessian');
    if (curvature !== 'gauss-newton' && curvature !== 'hessian') throw new ValueError(`Invalid curvature: ${show(curvature)}, expected 'gauss-newton' or 'hessian'`);
    const method = curvature === 'gauss-newton' ? 'gaussNewtonVectorProduct' : 'hessianVectorProduct';
    if (typeof o[method] !== 'function') throw new ValueError(`HessianFree: curvature ${show(curvature)} needs objective.${method}, which is missing`);
    this.options = {
      curvature,
      damping: checkPositive(options.damping ?? 1, 'damping'),
      dampingIncrease: checkPositive(options.dampingIncrease ?? 3 / 2, 'dampingIncrease'),
      dampingDecrease: checkInRange(options.dampingDecrease ?? 2 / 3, 'dampingDecrease', 0, 1),
      maxCgIter: checkInteger(options.maxCgIter ?? 250, 'maxCgIter', 1),
      cgTol: checkNonNegative(options.cgTol ?? 1e-10, 'cgTol'),
      progressTol: checkNonNegative(options.progressTol ?? 5e-4, 'progressTol'),
      warmStartDecay: checkInRange(options.warmStartDecay ?? 0.95, 'warmStartDecay', 0, 1, true),
      backtrack: options.backtrack ?? true,
    };
    if (this.options.dampingIncrease <= 1) throw new ValueError(`Invalid dampingIncrease: ${this.options.dampingIncrease}, expected dampingIncrease > 1`);
    if (this.options.dampingDecrease === 0) throw new ValueError(`Invalid dampingDecrease: 0, expected 0 < dampingDecrease < 1`);
    if (typeof this.options.backtrack !== 'boolean') throw new ValueError(`Invalid backtrack: ${show(this.options.backtrack)}, expected a boolean`);
    this.objective = objective;
    this.x = checkPoint(x0, objective.dim, 'HessianFree');
    this.damping = this.options.damping;
    this.g = new Float64Array(objective.dim);
    this.previous = new Float64Array(objective.dim);
    this.trial = new Float64Array(objective.dim);
  }

  private curvatureProduct(v: Float64Array, out: Float64Array, batch: unknown): void {
    const o = this.objective;
    if (this.options.curvature === 'gauss-newton') o.gaussNewtonVectorProduct!(this.x, v, out, batch);
    else o.hessianVectorProduct!(this.x, v, out, batch);
  }

  private valueAt(p: Float64Array, batch: unknown): number {
    for (let i = 0; i < p.length; i++) this.trial[i] = this.x[i]! + p[i]!;
    return this.objective.value(this.trial, batch);
  }

  /** One HF step on `batch` (passed through to the objective). */
  step(batch?: unknown): HessianFreeStepInfo {
    const o = this.options;
    const n = this.objective.dim;
    const { g } = this;
    const lambda = this.damping;
    const f0 = this.objective.gradient(this.x, g, batch);
    const gradNorm = norm2(g);
    const rhs = new Float64Array(n);
    for (let i = 0; i < n; i++) rhs[i] = -g[i]!;
    const p = new Float64Array(n);
    for (let i = 0; i < n; i++) p[i] = o.warmStartDecay * this.previous[i]!;

    // φ(p) = ½ pᵀ(C + λI)p + gᵀp = ½ (gᵀp − rᵀp), since r = −g − (C + λI)p.
    const phis: number[] = [];
    const saved: Array<{ iteration: number; p: Float64Array; phi: number }> = [];
    let nextSave = 1;
    let saveExponent = 0;
    const phiOf = (xk: Float64Array, r: Float64Array): number => 0.5 * (dot(g, xk) - dot(r, xk));
    const result = conjugateGradient((v, out) => {
      this.curvatureProduct(v, out, batch);
      for (let i = 0; i < n; i++) out[i] = out[i]! + lambda * v[i]!;
    }, rhs, p, {
      tol: o.cgTol,
      maxIter: o.maxCgIter,
      onIterate: (i, xk, r) => {
        const phi = phiOf(xk, r);
        phis.push(phi);
        if (i === nextSave) {
          saved.push({ iteration: i, p: xk.slice(), phi });
          while (nextSave <= i) nextSave = Math.ceil(1.3 ** ++saveExponent);
        }
        const k = Math.max(10, Math.ceil(0.1 * i));
        return i > k && phi < 0 && (phi - phis[i - 1 - k]!) / phi < k * o.progressTol;
      },
    });
    const last = saved[saved.length - 1];
    if (last === undefined || last.iteration !== result.iterations) {
      const Cp = new Float64Array(n);
      this.curvatureProduct(p, Cp, batch);
      let pBp = 0;
      for (let i = 0; i < n; i++) pBp += p[i]! * (Cp[i]! + lambda * p[i]!);
      saved.push({ iteration: result.iterations, p: p.slice(), phi: 0.5 * pBp + dot(g, p) });
    }
    this.previous.set(p);

    // Backtrack over the saved iterates: from the last, step back while f keeps falling.
    let j = saved.length - 1;
    let fNew = this.valueAt(saved[j]!.p, batch);
    if (o.backtrack) {
      while (j > 0) {
        const fPrev = this.valueAt(saved[j - 1]!.p, batch);
        if (!(fPrev < fNew)) break;
        fNew = fPrev;
        j -= 1;
      }
    }
    const chosen = saved[j]!;
    const predicted = chosen.phi - 0.5 * lambda * dot(chosen.p, chosen.p); // undamped model q(p) − q(0)
    const rho = predicted < 0 ? (fNew - f0) / predicted : -Infinity;
    if (rho < 0.25) this.damping = lambda * o.dampingIncrease;
    else if (rho > 0.75) this.damping = lambda * o.dampingDecrease;
    const accepted = fNew < f0;
    if (accepted) for (let i = 0; i < n; i++) this.x[i] = this.x[i]! + chosen.p[i]!;
    return { value: f0, newValue: accepted ? fNew : f0, gradNorm, rho, damping: lambda, cgIterations: result.iterations, chosenIteration: chosen.iteration, accepted };
  }
}

/**
 * Newton's method on an `Objective`: each step solves (H̃ + λI) p = −∇f(x) and moves x ← x + t p.
 *
 * - H̃ = ∇²f(x) (exact Newton), or |∇²f(x)| = V|Λ|Vᵀ with `saddleFree` (Dauphin et al. 2014):
 *   negative-curvature directions are followed downhill, so saddle points repel.
 * - Solver `'dense'`: the Hessian (from `objective.hessian`, else dim Hessian-vector products)
 *   factored by Cholesky, falling back to LU and then to the eigen pseudo-inverse;
 *   `'cg'`: conjugate gradient on Hessian-vector products (never forms H).
 * - `damping` λ (Levenberg–Marquardt): with `adaptDamping` (default when λ > 0) a step that
 *   does not lower f is retried with λ × `dampingIncrease`; a successful one sets λ × `dampingDecrease`.
 * - `lineSearch: true`: backtracking Armijo, t ← `shrink`·t until f(x + t p) <= f + c1 t ∇fᵀp.
 * With neither (the defaults) this is pure Newton: x ← x − H⁻¹∇f.
 */
import { ValueError, show } from '../../core/errors.js';
import { checkInRange, checkInteger, checkNonNegative, checkOneOf, checkPositive } from '../../core/validate.js';
import { conjugateGradient } from './cg.js';
import { cholesky, choleskySolve, eigenApply, luSolve, symmetricEigen } from './dense.js';
import { dot, norm2 } from './flat.js';
import { checkObjective, checkPoint, denseHessian, type Objective } from './objective.js';

export type NewtonSolver = 'dense' | 'cg';

export interface NewtonOptions {
  solver?: NewtonSolver;
  /** CG stops when ‖r‖ <= cgTol ‖∇f‖ (default 1e-10). */
  cgTol?: number;
  /** CG iteration cap (default: dim). */
  cgMaxIter?: number;
  /** Initial damping λ >= 0 (default 0: none). */
  damping?: number;
  /** Adapt λ by success (default: damping > 0). */
  adaptDamping?: boolean;
  dampingIncrease?: number;
  dampingDecrease?: number;
  /** Smallest λ when adapting (default 1e-8), so that it can grow again. */
  minDamping?: number;
  /** Retries with a larger λ before giving up on a step (default 30). */
  maxDampingTries?: number;
  /** Backtracking Armijo line search (default false). */
  lineSearch?: boolean;
  c1?: number;
  shrink?: number;
  maxBacktracks?: number;
  /** Use |H| instead of H (dense solver only). */
  saddleFree?: boolean;
  /** The dense solver refuses dimensions above this (default 5000). */
  maxDenseDim?: number;
}

export interface NewtonStepInfo {
  /** f before the step. */
  value: number;
  /** f after the step (equal to `value` if the step was rejected). */
  newValue: number;
  /** ‖∇f‖ after the step. */
  gradNorm: number;
  /** ‖x_new − x_old‖. */
  stepLength: number;
  /** The line-search factor t (1 without line search). */
  t: number;
  /** The λ the accepted direction was solved with. */
  damping: number;
  /** 'newton', or 'gradient' when the line search replaced a non-descent direction by −∇f. */
  direction: 'newton' | 'gradient';
  /** CG iterations (0 for the dense solver). */
  solverIterations: number;
  accepted: boolean;
}

type Resolved = Required<NewtonOptions>;

function resolve(options: NewtonOptions, dim: number): Resolved {
  if (options === null || typeof options !== 'object') throw new ValueError(`Newton: invalid options ${show(options)}, expected an object`);
  const damping = checkNonNegative(options.damping ?? 0, 'damping');
  const r: Resolved = {
    solver: checkOneOf(options.solver ?? 'dense', 'solver', ['dense', 'cg'] as const),
    cgTol: checkNonNegative(options.cgTol ?? 1e-10, 'cgTol'),
    cgMaxIter: checkInteger(options.cgMaxIter ?? dim, 'cgMaxIter', 1),
    damping,
    adaptDamping: options.adaptDamping ?? damping > 0,
    dampingIncrease: checkPositive(options.dampingIncrease ?? 10, 'dampingIncrease'),
    dampingDecrease: checkInRange(options.dampingDecrease ?? 0.1, 'dampingDecrease', 0, 1, true),
    minDamping: checkPositive(options.minDamping ?? 1e-8, 'minDamping'),
    maxDampingTries: checkInteger(options.maxDampingTries ?? 30, 'maxDampingTries', 1),
    lineSearch: options.lineSearch ?? false,
    c1: checkInRange(options.c1 ?? 1e-4, 'c1', 0, 1),
    shrink: checkInRange(options.shrink ?? 0.5, 'shrink', 0, 1),
    maxBacktracks: checkInteger(options.maxBacktracks ?? 30, 'maxBacktracks', 0),
    saddleFree: options.saddleFree ?? false,
    maxDenseDim: checkInteger(options.maxDenseDim ?? 5000, 'maxDenseDim', 1),
  };
  if (typeof r.adaptDamping !== 'boolean') throw new ValueError(`Invalid adaptDamping: ${show(r.adaptDamping)}, expected a boolean`);
  if (typeof r.lineSearch !== 'boolean') throw new ValueError(`Invalid lineSearch: ${show(r.lineSearch)}, expected a boolean`);
  if (typeof r.saddleFree !== 'boolean') throw new ValueError(`Invalid saddleFree: ${show(r.saddleFree)}, expected a boolean`);
  if (r.dampingIncrease <= 1) throw new ValueError(`Invalid dampingIncrease: ${r.dampingIncrease}, expected dampingIncrease > 1`);
  if (r.shrink === 0) throw new ValueError(`Invalid shrink: 0, expected 0 < shrink < 1`);
  if (r.saddleFree && r.solver !== 'dense') throw new ValueError(`Newton: saddleFree needs |H| from an eigendecomposition, so solver must be 'dense', got ${show(r.solver)}`);
  if (r.solver === 'dense' && dim > r.maxDenseDim) {
    const mb = ((dim * dim * 8 * 3) / 2 ** 20).toFixed(0);
    throw new ValueError(`Newton: dim ${dim} exceeds maxDenseDim ${r.maxDenseDim}: the dense solver would need ${dim} × ${dim} matrices (~${mb} MiB) and O(dim³) time per step; use solver: 'cg', HessianFree or LBFGS for problems this size`);
  }
  return r;
}

export class Newton {
  /** The current point; the `x0` given to the constructor, updated in place. */
  readonly x: Float64Array;
  readonly objective: Objective;
  readonly options: Readonly<Resolved>;
  /** The current damping λ. */
  damping: number;
  private f: number;
  private readonly g: Float64Array;
  private readonly p: Float64Array;
  private readonly trial: Float64Array;
  private readonly rhs: Float64Array;
  private dense: { H: Float64Array; A: Float64Array; L: Float64Array; values: Float64Array; vectors: Float64Array } | null = null;

  constructor(objective: Objective, x0: Float64Array, options: NewtonOptions = {}) {
    this.objective = checkObjective(objective, 'Newton');
    const n = objective.dim;
    this.x = checkPoint(x0, n, 'Newton');
    this.options = resolve(options, n);
    this.damping = this.options.damping;
    this.g = new Float64Array(n);
    this.p = new Float64Array(n);
    this.trial = new Float64Array(n);
    this.rhs = new Float64Array(n);
    this.f = objective.gradient(this.x, this.g);
  }

  /** f at the current point. */
  get value(): number {
    return this.f;
  }

  /** ‖∇f‖ at the current point. */
  get gradNorm(): number {
    return norm2(this.g);
  }

  /** Takes one step; returns what happened. */
  step(): NewtonStepInfo {
    const o = this.options;
    const n = this.objective.dim;
    const { x, g, p, trial } = this;
    const f = this.f;
    const tries = o.adaptDamping ? o.maxDampingTries : 1;
    let lambda = this.damping;
    for (let attempt = 0; attempt < tries; attempt++) {
      const solved = this.solve(lambda);
      if (solved === null) {
        lambda = Math.max(lambda * o.dampingIncrease, o.minDamping);
        continue;
      }
      let direction: NewtonStepInfo['direction'] = 'newton';
      let gp = dot(g, p);
      if (o.lineSearch && !(gp < 0)) {
        for (let i = 0; i < n; i++) p[i] = -g[i]!;
        gp = -dot(g, g);
        direction = 'gradient';
      }
      let t = 1;
      let fNew = this.valueAt(t);
      if (o.lineSearch) {
        for (let k = 0; k < o.maxBacktracks && !(fNew <= f + o.c1 * t * gp); k++) {
          t *= o.shrink;
          fNew = this.valueAt(t);
        }
      }
      if (o.adaptDamping && !(fNew < f)) {
        lambda = Math.max(lambda * o.dampingIncrease, o.minDamping);
        continue;
      }
      const used = lambda;
      if (o.adaptDamping) lambda = Math.max(lambda * o.dampingDecrease, o.minDamping);
      this.damping = lambda;
      x.set(trial); // valueAt left x + t p there
      this.f = this.objective.gradient(x, g);
      return { value: f, newValue: this.f, gradNorm: norm2(g), stepLength: t * norm2(p), t, damping: used, direction, solverIterations: solved, accepted: true };
    }
    this.damping = lambda;
    return { value: f, newValue: f, gradNorm: norm2(g), stepLength: 0, t: 0, damping: lambda, direction: 'newton', solverIterations: 0, accepted: false };
  }

  /** Steps until ‖∇f‖ < gradTol or maxSteps; returns the per-step infos. */
  minimize({ maxSteps = 100, gradTol = 1e-8 }: { maxSteps?: number; gradTol?: number } = {}): { converged: boolean; steps: NewtonStepInfo[] } {
    checkInteger(maxSteps, 'maxSteps', 0);
    checkNonNegative(gradTol, 'gradTol');
    const steps: NewtonStepInfo[] = [];
    while (steps.length < maxSteps && !(this.gradNorm < gradTol)) {
      const info = this.step();
      steps.push(info);
      if (!info.accepted) break;
    }
    return { converged: this.gradNorm < gradTol, steps };
  }

  /** Writes x + t p into `trial` and returns f there. */
  private valueAt(t: number): number {
    const { x, p, trial } = this;
    for (let i = 0; i < x.length; i++) trial[i] = x[i]! + t * p[i]!;
    return this.objective.value(trial);
  }

  /**
   * Solves (H̃ + λI) p = −g into `p`. Returns the CG iteration count (0 for dense), or null
   * when the system is not positive definite and damping adapts (the caller raises λ).
   */
  private solve(lambda: number): number | null {
    const o = this.options;
    const n = this.objective.dim;
    const { x, g, p, rhs } = this;
    for (let i = 0; i < n; i++) rhs[i] = -g[i]!;
    if (o.solver === 'cg') {
      p.fill(0);
      const result = conjugateGradient((v, out) => {
        this.objective.hessianVectorProduct(x, v, out);
        if (lambda !== 0) for (let i = 0; i < n; i++) out[i] = out[i]! + lambda * v[i]!;
      }, rhs, p, { tol: o.cgTol, maxIter: o.cgMaxIter });
      if (result.negativeCurvature && o.adaptDamping) return null;
      return result.iterations;
    }
    const d = (this.dense ??= {
      H: new Float64Array(n * n), A: new Float64Array(n * n), L: new Float64Array(n * n),
      values: new Float64Array(n), vectors: new Float64Array(n * n),
    });
    denseHessian(this.objective, x, d.H);
    if (o.saddleFree) {
      symmetricEigen(d.H, n, d.values, d.vectors);
      let big = 0;
      for (let i = 0; i < n; i++) big = Math.max(big, Math.abs(d.values[i]!));
      const floor = 1e-12 * Math.max(1, big);
      eigenApply(d.values, d.vectors, n, (ev) => 1 / Math.max(Math.abs(ev) + lambda, floor), rhs, p);
      return 0;
    }
    d.A.set(d.H);
    for (let i = 0; i < n; i++) d.A[i * n + i] = d.A[i * n + i]! + lambda;
    if (cholesky(d.A, n, d.L)) {
      choleskySolve(d.L, n, rhs, p);
      return 0;
    }
    if (o.adaptDamping) return null;
    if (luSolve(d.A, n, rhs, p, d.L)) return 0;
    // Singular: the pseudo-inverse, dropping eigenvalues below 1e-12 of the largest.
    symmetricEigen(d.A, n, d.values, d.vectors);
    let big = 0;
    for (let i = 0; i < n; i++) big = Math.max(big, Math.abs(d.values[i]!));
    eigenApply(d.values, d.vectors, n, (ev) => (Math.abs(ev) > 1e-12 * big ? 1 / ev : 0), rhs, p);
    return 0;
  }
}

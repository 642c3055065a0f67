/**
 * Building blocks for analytic (deterministic, exact-gradient) problems over a flat x:
 * a function with its gradient and, where cheap, its Hessian, turned into a `LabProblem`.
 * Seed 0 starts at the canonical start; seed s > 0 adds N(0, perturb²) per coordinate.
 */
import { Rng } from '../../core/rng.js';
import { ValueError, show } from '../../core/errors.js';
import type { Objective } from '../../optim/second-order/objective.js';
import { type LabPlane, type LabProblem, type LabProblemInstance, type LabProblemOptions, type LabTarget, gradOf, makeParameter } from '../problem.js';

export interface AnalyticFunction {
  dim: number;
  value(x: Float64Array): number;
  /** Writes ∇f(x) into `out`, returns f(x). */
  gradient(x: Float64Array, out: Float64Array): number;
  /** Writes the dense Hessian (row-major) into `out`; absent when not provided (no Newton). */
  hessian?(x: Float64Array, out: Float64Array): void;
}

export interface AnalyticProblemSpec {
  name: string;
  description: string;
  fn: AnalyticFunction;
  start: number[];
  /** Per-coordinate standard deviation of the start perturbation for seeds > 0. */
  perturb: number[];
  defaultBudget: number;
  target: LabTarget;
  /** f at the minimizer (metric 'suboptimality'), or the minimizer (metric 'distance'). */
  fStar?: number;
  xStar?: number[];
  stopAtTarget?: boolean;
  plane?: LabPlane;
}

/** The objective interface (Newton) for a function with a Hessian. */
export function objectiveOf(fn: AnalyticFunction): Objective | undefined {
  const hessian = fn.hessian;
  if (!hessian) return undefined;
  const n = fn.dim;
  const h = new Float64Array(n * n);
  return {
    dim: n,
    value: (x) => fn.value(x),
    gradient: (x, out) => fn.gradient(x, out),
    hessianVectorProduct(x, v, out) {
      hessian(x, h);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += h[i * n + j]! * v[j]!;
        out[i] = s;
      }
    },
    hessian: (x, out) => hessian(x, out),
  };
}

export function startFor(spec: { start: readonly number[]; perturb: readonly number[]; name: string }, seed: number, options: LabProblemOptions = {}): Float64Array {
  if (!Number.isInteger(seed) || seed < 0) throw new ValueError(`${spec.name}: invalid seed ${show(seed)}, expected an integer >= 0`);
  if (options.start !== undefined) {
    if (options.start.length !== spec.start.length || !Array.from(options.start).every(Number.isFinite)) {
      throw new ValueError(`${spec.name}: invalid start ${show(Array.from(options.start))}, expected ${spec.start.length} finite numbers`);
    }
    return Float64Array.from(options.start);
  }
  const x = Float64Array.from(spec.start);
  if (seed > 0) {
    const rng = new Rng(seed).split(`start:${spec.name}`);
    for (let i = 0; i < x.length; i++) x[i] = x[i]! + rng.normal(0, spec.perturb[i % spec.perturb.length]!);
  }
  return x;
}

export function analyticProblem(spec: AnalyticProblemSpec): LabProblem {
  const { fn, target } = spec;
  if (spec.start.length !== fn.dim) throw new ValueError(`${spec.name}: start has ${spec.start.length} values, expected dim ${fn.dim}`);
  const fStar = spec.fStar ?? 0;
  const xStar = spec.xStar;
  return {
    name: spec.name,
    description: spec.description,
    kind: 'deterministic',
    dim: fn.dim,
    defaultBudget: spec.defaultBudget,
    target,
    stopAtTarget: spec.stopAtTarget,
    start: spec.start,
    plane: spec.plane,
    create(seed: number, options?: LabProblemOptions): LabProblemInstance {
      const x0 = startFor(spec, seed, options);
      const param = makeParameter(x0, 'x');
      const x = param.data as Float64Array;
      const dist0 = xStar ? distance(x, xStar) : 1;
      return {
        params: [param],
        objective: objectiveOf(fn),
        lossAndGradient: () => fn.gradient(x, gradOf(param)),
        metric() {
          if (target.metric === 'loss') return fn.value(x);
          if (target.metric === 'suboptimality') return fn.value(x) - fStar;
          return distance(x, xStar!) / (dist0 > 0 ? dist0 : 1);
        },
      };
    },
  };
}

function distance(x: Float64Array, y: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - y[i]!) ** 2;
  return Math.sqrt(s);
}

/** One residual r(x, y) with its first and second derivatives: [r, rx, ry, rxx, rxy, ryy]. */
export type Residual2D = (x: number, y: number) => [number, number, number, number, number, number];

/**
 * f(x, y) = Σ r_i(x, y)²: ∇f = 2 Σ r_i ∇r_i, ∇²f = 2 Σ (∇r_i ∇r_iᵀ + r_i ∇²r_i).
 * Rosenbrock, Beale, Booth, Himmelblau and the scaled Rosenbrock are all of this form.
 */
export function sumOfSquares2D(residuals: Residual2D[]): AnalyticFunction {
  return {
    dim: 2,
    value(p) {
      let f = 0;
      for (const r of residuals) f += r(p[0]!, p[1]!)[0] ** 2;
      return f;
    },
    gradient(p, out) {
      let f = 0, gx = 0, gy = 0;
      for (const r of residuals) {
        const [v, vx, vy] = r(p[0]!, p[1]!);
        f += v * v;
        gx += 2 * v * vx;
        gy += 2 * v * vy;
      }
      out[0] = gx;
      out[1] = gy;
      return f;
    },
    hessian(p, out) {
      let hxx = 0, hxy = 0, hyy = 0;
      for (const r of residuals) {
        const [v, vx, vy, vxx, vxy, vyy] = r(p[0]!, p[1]!);
        hxx += 2 * (vx * vx + v * vxx);
        hxy += 2 * (vx * vy + v * vxy);
        hyy += 2 * (vy * vy + v * vyy);
      }
      out[0] = hxx;
      out[1] = hxy;
      out[2] = hxy;
      out[3] = hyy;
    },
  };
}

/**
 * Linear conjugate gradient for B x = rhs with B symmetric, given only the product v ↦ B v.
 * Each iteration costs one product and O(n) vector work; x_k minimises the quadratic model
 * φ(x) = ½ xᵀB x − rhsᵀx over a growing Krylov subspace, so truncating early still gives a
 * useful step (truncated Newton).
 */
import { ValueError } from '../../core/errors.js';
import { checkInteger, checkNonNegative } from '../../core/validate.js';
import { dot } from './flat.js';

export type LinearOperator = (v: Float64Array, out: Float64Array) => void;

export interface ConjugateGradientOptions {
  /** Stop when ‖r‖ <= tol · ‖rhs‖ (default 1e-10). */
  tol?: number;
  /** Iteration cap (default: the dimension). */
  maxIter?: number;
  /**
   * Stop at a direction of non-positive curvature pᵀB p <= 0 (default true). If that happens
   * at the first iteration from x = 0, x is set to rhs (the steepest-descent direction).
   */
  stopOnNegativeCurvature?: boolean;
  /** Called after every iteration with the iterate (read-only); return true to stop. */
  onIterate?: (iteration: number, x: Float64Array, r: Float64Array) => boolean | void;
}

export interface ConjugateGradientResult {
  iterations: number;
  residualNorm: number;
  converged: boolean;
  negativeCurvature: boolean;
}

/** Runs CG from the initial guess already in `x` (zeros for a cold start), in place. */
export function conjugateGradient(apply: LinearOperator, rhs: Float64Array, x: Float64Array, options: ConjugateGradientOptions = {}): ConjugateGradientResult {
  const n = rhs.length;
  if (x.length !== n) throw new ValueError(`conjugateGradient: x has length ${x.length}, expected ${n} (the length of rhs)`);
  const tol = checkNonNegative(options.tol ?? 1e-10, 'cg tol');
  const maxIter = checkInteger(options.maxIter ?? n, 'cg maxIter', 0);
  const stopOnNegative = options.stopOnNegativeCurvature ?? true;

  const r = new Float64Array(n);
  const p = new Float64Array(n);
  const bp = new Float64Array(n);
  apply(x, bp);
  let startsAtZero = true;
  for (let i = 0; i < n; i++) {
    r[i] = rhs[i]! - bp[i]!;
    if (x[i] !== 0) startsAtZero = false;
  }
  p.set(r);
  const target = tol * Math.sqrt(dot(rhs, rhs));
  let rr = dot(r, r);
  let iterations = 0;
  let negativeCurvature = false;
  while (iterations < maxIter && Math.sqrt(rr) > target) {
    apply(p, bp);
    const curvature = dot(p, bp);
    if (!(curvature > 0) && stopOnNegative) {
      negativeCurvature = true;
      if (iterations === 0 && startsAtZero) x.set(rhs);
      break;
    }
    const alpha = rr / curvature;
    for (let i = 0; i < n; i++) {
      x[i] = x[i]! + alpha * p[i]!;
      r[i] = r[i]! - alpha * bp[i]!;
    }
    iterations += 1;
    const rrNew = dot(r, r);
    const beta = rrNew / rr;
    rr = rrNew;
    for (let i = 0; i < n; i++) p[i] = r[i]! + beta * p[i]!;
    if (options.onIterate?.(iterations, x, r) === true) break;
  }
  const residualNorm = Math.sqrt(rr);
  return { iterations, residualNorm, converged: residualNorm <= target, negativeCurvature };
}

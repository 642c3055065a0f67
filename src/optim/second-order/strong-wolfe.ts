/**
 * Strong Wolfe line search with cubic interpolation, the one torch 1.13's LBFGS uses
 * (itself from minFunc / torch7's lswolfe.lua). Along x + t d it looks for a step t with
 *
 *   sufficient decrease   f(x + t d) <= f(x) + c1 t g·d
 *   curvature             |g(x + t d)·d| <= -c2 g·d
 *
 * first by bracketing (extrapolating with cubic interpolation, t grows at most 10x per try),
 * then by zooming into the bracket. Every branch and constant follows torch's order, so the
 * evaluated points, and therefore the function-evaluation counts, are the same.
 */
import type { FloatArray } from '../../core/dtype.js';
import { dot, maxAbs } from './flat.js';

/**
 * Minimiser of the cubic through (x1, f1) and (x2, f2) with slopes g1 and g2, clamped to
 * `bounds` (default: the interval between x1 and x2). The midpoint of the bounds when the
 * cubic has no real minimiser.
 */
export function cubicInterpolate(
  x1: number, f1: number, g1: number,
  x2: number, f2: number, g2: number,
  bounds?: readonly [number, number],
): number {
  const [lo, hi] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2Square = d1 * d1 - g1 * g2;
  if (d2Square >= 0) {
    const d2 = Math.sqrt(d2Square);
    const minPos = x1 <= x2
      ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
      : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return Math.min(Math.max(minPos, lo), hi);
  }
  return (lo + hi) / 2;
}

/** Evaluates f and its gradient at x + t d; the gradient array must be fresh (the search keeps it). */
export type DirectionalEvaluate = (t: number) => { loss: number; grad: FloatArray };

export interface StrongWolfeOptions {
  c1?: number;
  c2?: number;
  toleranceChange?: number;
  maxLs?: number;
}

export interface StrongWolfeResult {
  /** f at the accepted step. */
  loss: number;
  /** Gradient at the accepted step. */
  grad: FloatArray;
  /** The accepted step length. */
  t: number;
  /** Function evaluations the search made. */
  funcEvals: number;
}

/**
 * Searches along `d` from the current point, where the loss is `f`, the gradient `g` and the
 * directional derivative `gtd = g·d` (must be negative). `t` is the first trial step.
 */
export function strongWolfe(
  evaluate: DirectionalEvaluate,
  t: number,
  d: FloatArray,
  f: number,
  g: FloatArray,
  gtd: number,
  { c1 = 1e-4, c2 = 0.9, toleranceChange = 1e-9, maxLs = 25 }: StrongWolfeOptions = {},
): StrongWolfeResult {
  const dNorm = maxAbs(d);
  const g0: FloatArray = g.slice();
  const first = evaluate(t);
  let fNew = first.loss;
  let gNew: FloatArray = first.grad;
  let funcEvals = 1;
  let gtdNew = dot(gNew, d);

  // Bracketing phase: find an interval that contains a point satisfying the Wolfe conditions.
  let tPrev = 0;
  let fPrev = f;
  let gPrev: FloatArray = g0;
  let gtdPrev = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: number[] = [];
  let bracketF: number[] = [];
  let bracketG: FloatArray[] = [];
  let bracketGtd: number[] = [];
  while (lsIter < maxLs) {
    if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
      bracket = [tPrev, t];
      bracketF = [fPrev, fNew];
      bracketG = [gPrev, gNew];
      bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    if (Math.abs(gtdNew) <= -c2 * gtd) {
      bracket = [t];
      bracketF = [fNew];
      bracketG = [gNew];
      done = true;
      break;
    }
    if (gtdNew >= 0) {
      bracket = [tPrev, t];
      bracketF = [fPrev, fNew];
      bracketG = [gPrev, gNew];
      bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    // Extrapolate: a cubic step between 1.01 t - 0.01 t_prev and 10 t.
    const minStep = t + 0.01 * (t - tPrev);
    const maxStep = t * 10;
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    tPrev = tmp;
    fPrev = fNew;
    gPrev = gNew;
    gtdPrev = gtdNew;
    ({ loss: fNew, grad: gNew } = evaluate(t));
    funcEvals += 1;
    gtdNew = dot(gNew, d);
    lsIter += 1;
  }
  if (lsIter === maxLs) {
    bracket = [0, t];
    bracketF = [f, fNew];
    bracketG = [g0, gNew];
  }

  // Zoom phase: shrink the bracket until a point satisfies the conditions.
  let insufficientProgress = false;
  let [lowPos, highPos] = bracketF[0]! <= bracketF[bracketF.length - 1]! ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (Math.abs(bracket[1]! - bracket[0]!) * dNorm < toleranceChange) break;
    t = cubicInterpolate(bracket[0]!, bracketF[0]!, bracketGtd[0]!, bracket[1]!, bracketF[1]!, bracketGtd[1]!);

    // Keep trial points at least 10% of the bracket away from its ends when progress stalls.
    const bMax = Math.max(bracket[0]!, bracket[1]!);
    const bMin = Math.min(bracket[0]!, bracket[1]!);
    const eps = 0.1 * (bMax - bMin);
    if (Math.min(bMax - t, t - bMin) < eps) {
      if (insufficientProgress || t >= bMax || t <= bMin) {
        t = Math.abs(t - bMax) < Math.abs(t - bMin) ? bMax - eps : bMin + eps;
        insufficientProgress = false;
      } else {
        insufficientProgress = true;
      }
    } else {
      insufficientProgress = false;
    }

    ({ loss: fNew, grad: gNew } = evaluate(t));
    funcEvals += 1;
    gtdNew = dot(gNew, d);
    lsIter += 1;

    if (fNew > f + c1 * t * gtd || fNew >= bracketF[lowPos]!) {
      // Not enough decrease, or not below the low end: the new point becomes the high end.
      bracket[highPos] = t;
      bracketF[highPos] = fNew;
      bracketG[highPos] = gNew;
      bracketGtd[highPos] = gtdNew;
      [lowPos, highPos] = bracketF[0]! <= bracketF[1]! ? [0, 1] : [1, 0];
    } else {
      if (Math.abs(gtdNew) <= -c2 * gtd) {
        done = true;
      } else if (gtdNew * (bracket[highPos]! - bracket[lowPos]!) >= 0) {
        // The old low end becomes the high end.
        bracket[highPos] = bracket[lowPos]!;
        bracketF[highPos] = bracketF[lowPos]!;
        bracketG[highPos] = bracketG[lowPos]!;
        bracketGtd[highPos] = bracketGtd[lowPos]!;
      }
      bracket[lowPos] = t;
      bracketF[lowPos] = fNew;
      bracketG[lowPos] = gNew;
      bracketGtd[lowPos] = gtdNew;
    }
  }

  return { loss: bracketF[lowPos]!, grad: bracketG[lowPos]!, t: bracket[lowPos]!, funcEvals };
}

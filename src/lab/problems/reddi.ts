/**
 * The counterexample to Adam's convergence of Reddi, Kale & Kumar, "On the Convergence of Adam
 * and Beyond" (ICLR 2018), on the feasible set [−1, 1] (projection after every step):
 *
 *   online      f_t(x) = C x if t mod 3 = 1, else −x            (C = 3; t = 1, 2, ...)
 *   stochastic  f_t(x) = C x with probability p = (1 + δ)/(C + 1), else −x   (C = 10, δ = 0.1)
 *
 * Both have average (expected) gradient > 0, so the best fixed point is x* = −1, but Adam with
 * β2 small enough drifts to +1: the rare large gradient C is forgotten by the second-moment
 * average before it is seen again. Part of the definition, as in the paper: the step size is
 * α_t = α/√t, so the runner multiplies every optimizer's lr by 1/√t here (`lrFactor`).
 * Records the distance to the optimum, x + 1 (target 0.1); batch 'full' gives the average
 * (expected) gradient, which is what `gd` follows.
 */
import { Rng } from '../../core/rng.js';
import { checkPositive } from '../../core/validate.js';
import { type LabProblem, type LabProblemInstance, type LabProblemOptions, gradOf, makeParameter } from '../problem.js';
import { startFor } from './analytic.js';

export const inverseSqrtFactor = (step: number): number => 1 / Math.sqrt(step);

/** The online gradient of Reddi et al.'s sequence at step t (1-based). */
export function reddiOnlineGradient(t: number, c: number): number {
  return t % 3 === 1 ? c : -1;
}

function project(x: Float64Array): void {
  if (x[0]! > 1) x[0] = 1;
  else if (x[0]! < -1) x[0] = -1;
}

export function reddiOnlineProblem(c = 3): LabProblem {
  checkPositive(c, 'C');
  const spec = { name: c === 3 ? 'reddi' : `reddi-c${c}`, start: [0], perturb: [0.2] };
  return {
    name: spec.name,
    description: `Reddi et al. 2018's online counterexample on [−1, 1]: f_t(x) = ${c}x when t mod 3 = 1, else −x; α_t = α/√t is part of the problem. Optimum x* = −1; records x + 1.`,
    kind: 'online',
    dim: 1,
    defaultBudget: 5000,
    target: { metric: 'distance', value: 0.1 },
    lrFactor: inverseSqrtFactor,
    start: spec.start,
    create(seed: number, options?: LabProblemOptions): LabProblemInstance {
      const param = makeParameter(startFor(spec, seed, options), 'x');
      const x = param.data as Float64Array;
      project(x);
      return {
        params: [param],
        lossAndGradient(step, mode) {
          const g = mode === 'full' ? (c - 2) / 3 : reddiOnlineGradient(step, c);
          gradOf(param)[0] = g;
          return g * x[0]!;
        },
        metric: () => x[0]! + 1,
        project: () => project(x),
      };
    },
  };
}

export function reddiStochasticProblem(c = 10, delta = 0.1): LabProblem {
  checkPositive(c, 'C');
  checkPositive(delta, 'delta');
  const p = (1 + delta) / (c + 1);
  const spec = { name: 'reddi-stochastic', start: [0], perturb: [0.2] };
  return {
    name: spec.name,
    description: `Reddi et al. 2018's stochastic counterexample on [−1, 1]: f_t(x) = ${c}x with probability ${p.toFixed(4)}, else −x (expected gradient ${delta}); α_t = α/√t. Optimum x* = −1; records x + 1.`,
    kind: 'stochastic',
    dim: 1,
    defaultBudget: 5000,
    target: { metric: 'distance', value: 0.1 },
    lrFactor: inverseSqrtFactor,
    start: spec.start,
    create(seed: number, options?: LabProblemOptions): LabProblemInstance {
      const param = makeParameter(startFor(spec, seed, options), 'x');
      const x = param.data as Float64Array;
      project(x);
      const rng = new Rng(seed).split('reddi');
      return {
        params: [param],
        lossAndGradient(_step, mode) {
          const g = mode === 'full' ? p * c - (1 - p) : rng.random() < p ? c : -1;
          gradOf(param)[0] = g;
          return g * x[0]!;
        },
        metric: () => x[0]! + 1,
        project: () => project(x),
      };
    },
  };
}

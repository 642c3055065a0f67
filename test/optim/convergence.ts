/**
 * The convergence table: every optimizer, a learning rate and a step budget, on a parabola
 * and on Rosenbrock. Used by convergence.test.ts and by docs/optimizers.md.
 */
import type { Parameter } from '../../src/core/param.js';
import {
  Adadelta, Adagrad, Adam, AdamW, Adamax, ASGD, NAdam, RAdam, RMSprop, Rprop, SGD, SparseAdam, type Optimizer,
} from '../../src/optim/optimizers/index.js';

export type Problem = 'parabola' | 'rosenbrock';

export interface Entry {
  name: string;
  make: (p: Parameter[], problem: Problem) => Optimizer;
  /** Step budget per problem. */
  budget: Record<Problem, number>;
  /** Why a problem is skipped, if it is. */
  skip?: Partial<Record<Problem, string>>;
}

/** f = sum_i c_i (x_i - 1)^2 / 2 with c = [1, 10]: minimum at (1, 1), condition number 10. */
export function parabola(p: Parameter): number {
  const x = p.data;
  const g = p.grad!;
  g[0] = 1 * (x[0]! - 1);
  g[1] = 10 * (x[1]! - 1);
  return 0.5 * (x[0]! - 1) ** 2 + 5 * (x[1]! - 1) ** 2;
}

/** f = (1 - x)^2 + 100 (y - x^2)^2: minimum at (1, 1). */
export function rosenbrock(p: Parameter): number {
  const [x, y] = [p.data[0]!, p.data[1]!];
  const r = y - x * x;
  p.grad![0] = -2 * (1 - x) - 400 * x * r;
  p.grad![1] = 200 * r;
  return (1 - x) ** 2 + 100 * r * r;
}

export const START: Record<Problem, [number, number]> = { parabola: [-2, 3], rosenbrock: [-1.2, 1] };

const lr = (problem: Problem, parabolaLr: number, rosenbrockLr: number) => (problem === 'parabola' ? parabolaLr : rosenbrockLr);

export const TABLE: Entry[] = [
  { name: 'SGD', make: (p, pr) => new SGD(p, { lr: lr(pr, 0.1, 1e-3) }), budget: { parabola: 200, rosenbrock: 40000 } },
  { name: 'SGD momentum 0.9', make: (p, pr) => new SGD(p, { lr: lr(pr, 0.05, 1e-3), momentum: 0.9 }), budget: { parabola: 300, rosenbrock: 5000 } },
  { name: 'SGD Nesterov 0.9', make: (p, pr) => new SGD(p, { lr: lr(pr, 0.05, 1e-3), momentum: 0.9, nesterov: true }), budget: { parabola: 300, rosenbrock: 5000 } },
  { name: 'Adagrad', make: (p, pr) => new Adagrad(p, { lr: lr(pr, 1, 0.5) }), budget: { parabola: 500, rosenbrock: 20000 } },
  {
    name: 'Adadelta',
    make: (p) => new Adadelta(p, { lr: 1, eps: 1e-3 }),
    budget: { parabola: 5000, rosenbrock: 0 },
    skip: {
      rosenbrock:
        "Adadelta's step is sqrt(E[dx^2] + eps) / sqrt(E[g^2] + eps) g: its scale grows only as fast as its own past steps, " +
        'so in the curved valley it stalls (eps <= 1e-5) or blows up (eps >= 1e-3); a sweep of eps in [1e-6, 1e-2], lr in [0.1, 2], ' +
        'rho in {0.9, 0.95} with up to 200k steps never came within 1e-2 of (1, 1)',
    },
  },
  { name: 'RMSprop', make: (p, pr) => new RMSprop(p, { lr: lr(pr, 1e-2, 1e-3) }), budget: { parabola: 2000, rosenbrock: 20000 } },
  { name: 'RMSprop centered momentum', make: (p, pr) => new RMSprop(p, { lr: lr(pr, 1e-3, 1e-4), momentum: 0.9, centered: true }), budget: { parabola: 2000, rosenbrock: 20000 } },
  { name: 'Adam', make: (p, pr) => new Adam(p, { lr: lr(pr, 0.05, 0.02) }), budget: { parabola: 1000, rosenbrock: 5000 } },
  { name: 'Adam amsgrad', make: (p, pr) => new Adam(p, { lr: lr(pr, 0.05, 0.02), amsgrad: true }), budget: { parabola: 1000, rosenbrock: 8000 } },
  { name: 'AdamW', make: (p, pr) => new AdamW(p, { lr: lr(pr, 0.05, 0.02), weightDecay: 0 }), budget: { parabola: 1000, rosenbrock: 5000 } },
  { name: 'Adamax', make: (p, pr) => new Adamax(p, { lr: lr(pr, 0.05, 0.02) }), budget: { parabola: 1000, rosenbrock: 5000 } },
  { name: 'NAdam', make: (p, pr) => new NAdam(p, { lr: lr(pr, 0.05, 0.01) }), budget: { parabola: 1000, rosenbrock: 8000 } },
  { name: 'RAdam', make: (p, pr) => new RAdam(p, { lr: lr(pr, 0.05, 2e-3) }), budget: { parabola: 1000, rosenbrock: 12000 } },
  { name: 'ASGD', make: (p, pr) => new ASGD(p, { lr: lr(pr, 0.1, 1e-3) }), budget: { parabola: 200, rosenbrock: 40000 } },
  { name: 'Rprop', make: (p, pr) => new Rprop(p, { lr: lr(pr, 0.01, 0.01) }), budget: { parabola: 200, rosenbrock: 4000 } },
  { name: 'SparseAdam (dense rows)', make: (p, pr) => new SparseAdam(p, { lr: lr(pr, 0.05, 0.02) }), budget: { parabola: 1000, rosenbrock: 5000 } },
];

export const TOLERANCE = 1e-2;

/** Runs one entry; returns the first step at which |x - (1, 1)|_inf < TOLERANCE held until the budget ended, or -1. */
export function converge(entry: Entry, problem: Problem): { reachedAt: number; final: [number, number] } {
  const p: Parameter = { data: Float64Array.from(START[problem]), grad: new Float64Array(2), shape: [2] };
  const opt = entry.make([p], problem);
  const f = problem === 'parabola' ? parabola : rosenbrock;
  let reachedAt = -1;
  for (let k = 0; k < entry.budget[problem]; k++) {
    opt.step(() => f(p));
    const close = Math.max(Math.abs(p.data[0]! - 1), Math.abs(p.data[1]! - 1)) < TOLERANCE;
    if (close && reachedAt < 0) reachedAt = k + 1;
    if (!close) reachedAt = -1;
  }
  return { reachedAt, final: [p.data[0]!, p.data[1]!] };
}

/**
 * Ill-conditioned quadratics f(x) = ½ xᵀ A x with eigenvalues μ = 1 … L = κ (condition number κ),
 * either diagonal (axis-aligned: diagonal preconditioners such as Adam's fit them exactly) or
 * rotated by a fixed seeded random rotation A = Rᵀ diag(λ) R. 2-D ones have λ = (1, κ); larger
 * ones log-spaced eigenvalues. They record the distance to the minimizer relative to the
 * start's, ‖x_t‖ / ‖x_0‖, with target 1e-6.
 *
 * Also DeepOBS's noisy `quadratic_deep` (src/data): stochastic gradients from mini-batches of
 * 128 of its 1,000 training points; records the training loss minus its minimum.
 */
import { Rng } from '../../core/rng.js';
import { checkInteger, checkPositive } from '../../core/validate.js';
import { makeQuadraticDeep, randomOrthogonal } from '../../data/quadratic-deep.js';
import { type LabProblem, type LabProblemInstance, type LabProblemOptions, gradOf, makeParameter } from '../problem.js';
import { type AnalyticFunction, analyticProblem, objectiveOf, startFor } from './analytic.js';

/** The dense matrix Rᵀ diag(λ) R (or diag(λ)), row-major. */
export function quadraticMatrix(eigenvalues: readonly number[], rotationSeed: number | null): Float64Array {
  const n = eigenvalues.length;
  const a = new Float64Array(n * n);
  if (rotationSeed === null) {
    for (let i = 0; i < n; i++) a[i * n + i] = eigenvalues[i]!;
    return a;
  }
  const r = randomOrthogonal(n, new Rng(rotationSeed).split('rotation'));
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) {
      const s = eigenvalues[k]! * r[k * n + i]!;
      for (let j = 0; j < n; j++) a[i * n + j]! += s * r[k * n + j]!;
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[j * n + i] = a[i * n + j]!;
  return a;
}

/** f(x) = ½ xᵀ A x, ∇f = A x, ∇²f = A. */
export function quadraticFunction(a: Float64Array, n: number): AnalyticFunction {
  const ax = new Float64Array(n);
  const apply = (x: Float64Array, out: Float64Array): void => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j]! * x[j]!;
      out[i] = s;
    }
  };
  const value = (x: Float64Array): number => {
    apply(x, ax);
    let f = 0;
    for (let i = 0; i < n; i++) f += x[i]! * ax[i]!;
    return 0.5 * f;
  };
  return {
    dim: n,
    value,
    gradient(x, out) {
      apply(x, out);
      let f = 0;
      for (let i = 0; i < n; i++) f += x[i]! * out[i]!;
      return 0.5 * f;
    },
    hessian: (_x, out) => out.set(a),
  };
}

export interface QuadraticProblemSpec {
  kappa: number;
  dim?: number;
  rotated?: boolean;
  name?: string;
  defaultBudget?: number;
}

/** Eigenvalues 1 … κ: (1, κ) in 2-D, log-spaced otherwise. */
export function conditionedEigenvalues(kappa: number, dim: number): number[] {
  checkPositive(kappa, 'kappa');
  checkInteger(dim, 'dim', 1);
  if (dim === 1) return [1];
  return Array.from({ length: dim }, (_, i) => kappa ** (i / (dim - 1)));
}

export function quadraticProblem(spec: QuadraticProblemSpec): LabProblem {
  const dim = spec.dim ?? 2;
  const rotated = spec.rotated ?? false;
  const kappa = spec.kappa;
  const name = spec.name ?? `quadratic${rotated ? '-rotated' : ''}${dim === 2 ? '' : `-${dim}d`}-k${kappa}`;
  const a = quadraticMatrix(conditionedEigenvalues(kappa, dim), rotated ? 20190101 + dim : null);
  const fn = quadraticFunction(a, dim);
  const start = new Array<number>(dim).fill(1);
  const plane = dim === 2 ? { x: [-1.5, 1.5] as [number, number], y: [-1.5, 1.5] as [number, number], value: (x: number, y: number) => fn.value(Float64Array.of(x, y)), minima: [[0, 0]] as Array<[number, number]> } : undefined;
  return analyticProblem({
    name,
    description: `½ xᵀAx in ${dim}-D, eigenvalues 1 … ${kappa} (κ = ${kappa})${rotated ? ', rotated by a fixed random rotation' : ', axis-aligned'}, start (1, …, 1); records ‖x‖/‖x₀‖.`,
    fn, start, perturb: [0.1], defaultBudget: spec.defaultBudget ?? (kappa >= 1000 ? 2000 : 1000),
    target: { metric: 'distance', value: 1e-6 },
    xStar: new Array<number>(dim).fill(0),
    plane,
  });
}

/** DeepOBS quadratic_deep: 100-D, Hessian spectrum 90 × U(0, 1) and 10 × U(30, 60), noisy mini-batch gradients. */
export function quadraticDeepProblem(batchSize = 128): LabProblem {
  let cached: ReturnType<typeof makeQuadraticDeep> | null = null;
  const data = () => (cached ??= makeQuadraticDeep({ seed: 42, dtype: 'float64' }));
  const spec = { name: 'quadratic-deep', start: new Array<number>(100).fill(1), perturb: [0.1] };
  return {
    name: spec.name,
    description: `DeepOBS quadratic_deep: ½ (θ − x)ᵀQ(θ − x) averaged over 1,000 points x ~ N(0, 0.6² I) in 100-D; mini-batches of ${batchSize}; records the training loss minus its minimum (the test points are never used).`,
    kind: 'stochastic',
    dim: 100,
    defaultBudget: 500,
    target: { metric: 'suboptimality', value: 1e-2 },
    start: spec.start,
    create(seed: number, options?: LabProblemOptions): LabProblemInstance {
      const q = data();
      const theta0 = startFor(spec, seed, options);
      const param = makeParameter(theta0, 'theta');
      const theta = param.data as Float64Array;
      const train = q.train.x as Float64Array;
      const n = q.train.n;
      const mean = new Float64Array(100);
      for (let r = 0; r < n; r++) for (let i = 0; i < 100; i++) mean[i]! += train[r * 100 + i]! / n;
      const fStar = q.loss(mean, train, n);
      const rng = new Rng(seed).split('batches');
      const batch = new Float64Array(batchSize * 100);
      const fullFn = quadraticFunction(q.hessian, 100);
      return {
        params: [param],
        lossAndGradient(_step, mode) {
          if (mode === 'full') return q.lossAndGradient(theta, train, gradOf(param), n);
          for (let b = 0; b < batchSize; b++) {
            const r = rng.int(n);
            batch.set(train.subarray(r * 100, (r + 1) * 100), b * 100);
          }
          return q.lossAndGradient(theta, batch, gradOf(param), batchSize);
        },
        metric: () => q.loss(theta, train, n) - fStar,
        // The full-batch objective is ½ (θ − m)ᵀQ(θ − m) + const: the same Hessian as fullFn.
        objective: objectiveOf({ ...fullFn, value: (x) => q.loss(x, train, n), gradient: (x, out) => q.lossAndGradient(x, train, out, n) }),
      };
    },
  };
}

export const quadraticProblems: LabProblem[] = [
  quadraticProblem({ kappa: 100 }),
  quadraticProblem({ kappa: 1000 }),
  quadraticProblem({ kappa: 100, rotated: true }),
  quadraticProblem({ kappa: 1000, rotated: true }),
  quadraticProblem({ kappa: 1000, dim: 50, rotated: true }),
  quadraticDeepProblem(),
];

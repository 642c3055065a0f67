/**
 * Ill-conditioned quadratics f(x) = ½ (x − c)ᵀ A (x − c) with eigenvalues μ = 1 … L = κ
 * (condition number κ), either diagonal (axis-aligned: diagonal preconditioners such as Adam's
 * fit them exactly) or rotated by a fixed seeded random rotation A = Rᵀ diag(λ) R. 2-D ones have
 * λ = (1, κ); larger ones log-spaced eigenvalues. The minimizer c = (0.5, −0.5, …) sits off the
 * origin and the start is c + (1, …, 1) (the textbook start (1, 1) relative to the minimizer).
 * They record the distance to the minimizer relative to the start's, ‖x_t − c‖ / ‖x_0 − c‖,
 * with target 1e-6.
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
  const centered = quadraticFunction(a, dim);
  // The minimizer c = (0.5, −0.5, 0.5, …) is off the origin, so that weight decay (AdamW's
  // default 0.01) does not pull toward it for free; the start is c + (1, …, 1).
  const c = Array.from({ length: dim }, (_, i) => (i % 2 === 0 ? 0.5 : -0.5));
  const u = new Float64Array(dim);
  const shift = (x: Float64Array): Float64Array => {
    for (let i = 0; i < dim; i++) u[i] = x[i]! - c[i]!;
    return u;
  };
  const fn: AnalyticFunction = {
    dim,
    value: (x) => centered.value(shift(x)),
    gradient: (x, out) => centered.gradient(shift(x), out),
    hessian: (_x, out) => out.set(a),
  };
  const start = c.map((v) => v + 1);
  const plane = dim === 2
    ? { x: [-1, 2] as [number, number], y: [-2, 1] as [number, number], value: (x: number, y: number) => fn.value(Float64Array.of(x, y)), minima: [[c[0]!, c[1]!]] as Array<[number, number]> }
    : undefined;
  return analyticProblem({
    name,
    description: `½ (x − c)ᵀA(x − c) in ${dim}-D, eigenvalues 1 … ${kappa} (κ = ${kappa})${rotated ? ', rotated by a fixed random rotation' : ', axis-aligned'}; minimizer c = (0.5, −0.5, …), start c + (1, …, 1); records ‖x − c‖/‖x₀ − c‖.`,
    fn, start, perturb: [0.1], defaultBudget: spec.defaultBudget ?? (kappa >= 1000 ? 2000 : 1000),
    target: { metric: 'distance', value: 1e-6 },
    xStar: c,
    plane,
  });
}

/**
 * DeepOBS quadratic_deep: 100-D, Hessian spectrum 90 × U(0, 1) and 10 × U(30, 60), noisy mini-batch gradients.
 *
 * Computed in O(dim²) per step from per-point constants prepared once: with Q x_r and
 * s_r = x_rᵀQ x_r for every training point, the mean loss over a batch B is
 * ½ θᵀQθ − θᵀ mean_B(Q x_b) + ½ mean_B s_b and its gradient Qθ − mean_B(Q x_b); over all
 * points it is ½ (θ − m)ᵀQ(θ − m) + loss(m), m their mean (so the suboptimality is the first term).
 */
export function quadraticDeepProblem(batchSize = 128): LabProblem {
  const dim = 100;
  type Prepared = { q: ReturnType<typeof makeQuadraticDeep>; n: number; qx: Float64Array; sx: Float64Array; mean: Float64Array; fStar: number };
  let cached: Prepared | null = null;
  const prepared = (): Prepared => {
    if (cached) return cached;
    const q = makeQuadraticDeep({ seed: 42, dtype: 'float64' });
    const train = q.train.x as Float64Array;
    const n = q.train.n;
    const qx = new Float64Array(n * dim);
    const sx = new Float64Array(n);
    const mean = new Float64Array(dim);
    for (let r = 0; r < n; r++) {
      const x = train.subarray(r * dim, (r + 1) * dim);
      let s = 0;
      for (let i = 0; i < dim; i++) {
        let v = 0;
        for (let j = 0; j < dim; j++) v += q.hessian[i * dim + j]! * x[j]!;
        qx[r * dim + i] = v;
        s += x[i]! * v;
        mean[i]! += x[i]! / n;
      }
      sx[r] = s;
    }
    cached = { q, n, qx, sx, mean, fStar: q.loss(mean, train, n) };
    return cached;
  };
  const spec = { name: 'quadratic-deep', start: new Array<number>(dim).fill(1), perturb: [0.1] };
  return {
    name: spec.name,
    description: `DeepOBS quadratic_deep: ½ (θ − x)ᵀQ(θ − x) averaged over 1,000 points x ~ N(0, 0.6² I) in 100-D; mini-batches of ${batchSize}; records the training loss minus its minimum (the test points are never used).`,
    kind: 'stochastic',
    dim,
    defaultBudget: 500,
    target: { metric: 'suboptimality', value: 1e-2 },
    start: spec.start,
    create(seed: number, options?: LabProblemOptions): LabProblemInstance {
      const { q, n, qx, sx, mean, fStar } = prepared();
      const param = makeParameter(startFor(spec, seed, options), 'theta');
      const theta = param.data as Float64Array;
      const rng = new Rng(seed).split('batches');
      const centered = quadraticFunction(q.hessian, dim);
      const u = new Float64Array(dim);
      const qTheta = new Float64Array(dim);
      const qxMean = new Float64Array(dim);
      const shifted = (x: Float64Array): Float64Array => {
        for (let i = 0; i < dim; i++) u[i] = x[i]! - mean[i]!;
        return u;
      };
      const full: AnalyticFunction = {
        dim,
        value: (x) => centered.value(shifted(x)) + fStar,
        gradient: (x, out) => centered.gradient(shifted(x), out) + fStar,
        hessian: (_x, out) => out.set(q.hessian),
      };
      return {
        params: [param],
        lossAndGradient(_step, mode) {
          const grad = gradOf(param);
          if (mode === 'full') return full.gradient(theta, grad);
          qxMean.fill(0);
          let s = 0;
          const size = mode === 'example' ? 1 : batchSize; // sgd1: one point per step
          for (let b = 0; b < size; b++) {
            const r = rng.int(n);
            for (let i = 0; i < dim; i++) qxMean[i]! += qx[r * dim + i]! / size;
            s += sx[r]! / size;
          }
          const half = centered.gradient(theta, qTheta); // ½ θᵀQθ, and Qθ
          let cross = 0;
          for (let i = 0; i < dim; i++) {
            grad[i] = qTheta[i]! - qxMean[i]!;
            cross += theta[i]! * qxMean[i]!;
          }
          return half - cross + 0.5 * s;
        },
        metric: () => centered.value(shifted(theta)),
        objective: objectiveOf(full),
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

/**
 * Classic 2-D test functions, with exact gradients and (except Ackley) Hessians.
 * Minimization problems record f − f* (target: f − f* <= target); the two saddles are
 * unbounded below and record f itself, stopping once f <= −1 (the run has escaped).
 */
import type { LabProblem } from '../problem.js';
import { type AnalyticFunction, analyticProblem, sumOfSquares2D } from './analytic.js';

const TWO_PI = 2 * Math.PI;

/** (a − x)² + b (y − x²)², as residuals a − x and √b (y − x²). */
function rosenbrockLike(a: number, b: number, yScale: number): AnalyticFunction {
  const s = Math.sqrt(b);
  return sumOfSquares2D([
    (x) => [a - x, -1, 0, 0, 0, 0],
    (x, y) => [s * (yScale * y - x * x), -2 * s * x, s * yScale, -2 * s, 0, 0],
  ]);
}

const beale = sumOfSquares2D([
  (x, y) => [1.5 - x + x * y, y - 1, x, 0, 1, 0],
  (x, y) => [2.25 - x + x * y * y, y * y - 1, 2 * x * y, 0, 2 * y, 2 * x],
  (x, y) => [2.625 - x + x * y ** 3, y ** 3 - 1, 3 * x * y * y, 0, 3 * y * y, 6 * x * y],
]);

const booth = sumOfSquares2D([
  (x, y) => [x + 2 * y - 7, 1, 2, 0, 0, 0],
  (x, y) => [2 * x + y - 5, 2, 1, 0, 0, 0],
]);

const himmelblau = sumOfSquares2D([
  (x, y) => [x * x + y - 11, 2 * x, 1, 2, 0, 0],
  (x, y) => [x + y * y - 7, 1, 2 * y, 0, 0, 2],
]);

/** 10 n + Σ (x_i² − 10 cos 2π x_i): a bowl covered in local minima, global minimum 0 at 0. */
const rastrigin: AnalyticFunction = {
  dim: 2,
  value: (p) => 20 + p[0]! ** 2 - 10 * Math.cos(TWO_PI * p[0]!) + p[1]! ** 2 - 10 * Math.cos(TWO_PI * p[1]!),
  gradient(p, out) {
    for (let i = 0; i < 2; i++) out[i] = 2 * p[i]! + 20 * Math.PI * Math.sin(TWO_PI * p[i]!);
    return rastrigin.value(p);
  },
  hessian(p, out) {
    out[0] = 2 + 40 * Math.PI * Math.PI * Math.cos(TWO_PI * p[0]!);
    out[1] = 0;
    out[2] = 0;
    out[3] = 2 + 40 * Math.PI * Math.PI * Math.cos(TWO_PI * p[1]!);
  },
};

/** −20 exp(−0.2 √(½(x² + y²))) − exp(½(cos 2πx + cos 2πy)) + e + 20, minimum 0 at 0 (gradient taken as 0 there). */
const ackley: AnalyticFunction = {
  dim: 2,
  value(p) {
    const r = Math.sqrt(0.5 * (p[0]! ** 2 + p[1]! ** 2));
    const c = 0.5 * (Math.cos(TWO_PI * p[0]!) + Math.cos(TWO_PI * p[1]!));
    return -20 * Math.exp(-0.2 * r) - Math.exp(c) + Math.E + 20;
  },
  gradient(p, out) {
    const r = Math.sqrt(0.5 * (p[0]! ** 2 + p[1]! ** 2));
    const ec = Math.exp(0.5 * (Math.cos(TWO_PI * p[0]!) + Math.cos(TWO_PI * p[1]!)));
    const radial = r > 0 ? (Math.exp(-0.2 * r) / r) : 0;
    for (let i = 0; i < 2; i++) out[i] = 2 * p[i]! * radial + Math.PI * Math.sin(TWO_PI * p[i]!) * ec;
    return ackley.value(p);
  },
};

const saddle: AnalyticFunction = {
  dim: 2,
  value: (p) => p[0]! ** 2 - p[1]! ** 2,
  gradient(p, out) {
    out[0] = 2 * p[0]!;
    out[1] = -2 * p[1]!;
    return p[0]! ** 2 - p[1]! ** 2;
  },
  hessian(_p, out) {
    out.set([2, 0, 0, -2]);
  },
};

const monkeySaddle: AnalyticFunction = {
  dim: 2,
  value: (p) => p[0]! ** 3 - 3 * p[0]! * p[1]! ** 2,
  gradient(p, out) {
    const [x, y] = [p[0]!, p[1]!];
    out[0] = 3 * x * x - 3 * y * y;
    out[1] = -6 * x * y;
    return x ** 3 - 3 * x * y * y;
  },
  hessian(p, out) {
    const [x, y] = [p[0]!, p[1]!];
    out.set([6 * x, -6 * y, -6 * y, -6 * x]);
  },
};

const logPlane = (fn: AnalyticFunction) => (x: number, y: number): number => fn.value(Float64Array.of(x, y));

export const twoDimensionalProblems: LabProblem[] = [
  analyticProblem({
    name: 'rosenbrock',
    description: "Rosenbrock's banana (1 − x)² + 100 (y − x²)², minimum 0 at (1, 1), start (−1.2, 1): a curved, narrow valley.",
    fn: rosenbrockLike(1, 100, 1),
    start: [-1.2, 1], perturb: [0.1, 0.1], defaultBudget: 1000,
    target: { metric: 'suboptimality', value: 1e-4 },
    plane: { x: [-2, 2], y: [-1, 3], value: logPlane(rosenbrockLike(1, 100, 1)), minima: [[1, 1]] },
  }),
  analyticProblem({
    name: 'rosenbrock-scaled',
    description: "Distill's scaled Rosenbrock (1 − x)² + 20 (3y − x²)², minimum 0 at (1, 1/3), start (−1, 1).",
    fn: rosenbrockLike(1, 20, 3),
    start: [-1, 1], perturb: [0.1, 0.1], defaultBudget: 1000,
    target: { metric: 'suboptimality', value: 1e-4 },
    plane: { x: [-2, 2], y: [-0.5, 1.5], value: logPlane(rosenbrockLike(1, 20, 3)), minima: [[1, 1 / 3]] },
  }),
  analyticProblem({
    name: 'beale',
    description: 'Beale (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)², minimum 0 at (3, 0.5), start (1, 1.5): flat plateaus and sharp ridges.',
    fn: beale,
    start: [1, 1.5], perturb: [0.1, 0.1], defaultBudget: 1000,
    target: { metric: 'suboptimality', value: 1e-4 },
    plane: { x: [-1, 4.5], y: [-1.5, 2], value: logPlane(beale), minima: [[3, 0.5]] },
  }),
  analyticProblem({
    name: 'booth',
    description: 'Booth (x + 2y − 7)² + (2x + y − 5)², a convex quadratic (condition number 9), minimum 0 at (1, 3), start (−4, −4).',
    fn: booth,
    start: [-4, -4], perturb: [0.5, 0.5], defaultBudget: 500,
    target: { metric: 'suboptimality', value: 1e-6 },
    plane: { x: [-6, 6], y: [-6, 6], value: logPlane(booth), minima: [[1, 3]] },
  }),
  analyticProblem({
    name: 'himmelblau',
    description: 'Himmelblau (x² + y − 11)² + (x + y² − 7)², four minima of value 0 (one at (3, 2)), start (−0.5, −0.5) near the local maximum.',
    fn: himmelblau,
    start: [-0.5, -0.5], perturb: [0.2, 0.2], defaultBudget: 500,
    target: { metric: 'suboptimality', value: 1e-6 },
    plane: {
      x: [-5, 5], y: [-5, 5], value: logPlane(himmelblau),
      minima: [[3, 2], [-2.805118, 3.131312], [-3.77931, -3.283186], [3.584428, -1.848126]],
    },
  }),
  analyticProblem({
    name: 'rastrigin',
    description: 'Rastrigin 20 + Σ (x_i² − 10 cos 2πx_i): a bowl covered in local minima, global minimum 0 at (0, 0), start (−2.3, 2.1).',
    fn: rastrigin,
    start: [-2.3, 2.1], perturb: [0.3, 0.3], defaultBudget: 500,
    target: { metric: 'suboptimality', value: 1e-4 },
    plane: { x: [-4, 4], y: [-4, 4], value: logPlane(rastrigin), minima: [[0, 0]] },
  }),
  analyticProblem({
    name: 'ackley',
    description: 'Ackley: a nearly flat, rippled plateau around a deep funnel, minimum 0 at (0, 0), start (−2.5, 2). No Hessian (no Newton).',
    fn: ackley,
    start: [-2.5, 2], perturb: [0.3, 0.3], defaultBudget: 500,
    target: { metric: 'suboptimality', value: 1e-3 },
    plane: { x: [-4, 4], y: [-4, 4], value: logPlane(ackley), minima: [[0, 0]] },
  }),
  analyticProblem({
    name: 'saddle',
    description: 'The saddle x² − y² from (1, 0.001): unbounded below; records f, and the run has escaped (stops) once f <= −1. Started exactly at y = 0, gradient methods never escape.',
    fn: saddle,
    start: [1, 1e-3], perturb: [0.1, 1e-4], defaultBudget: 1000,
    target: { metric: 'loss', value: -1 }, stopAtTarget: true,
    plane: { x: [-1.5, 1.5], y: [-1.5, 1.5], value: logPlane(saddle) },
  }),
  analyticProblem({
    name: 'monkey-saddle',
    description: 'The monkey saddle x³ − 3xy² from (1, 0.001): a degenerate saddle (zero Hessian) at the origin with three valleys; stops once f <= −1.',
    fn: monkeySaddle,
    start: [1, 1e-3], perturb: [0.1, 1e-4], defaultBudget: 1000,
    target: { metric: 'loss', value: -1 }, stopAtTarget: true,
    plane: { x: [-1.5, 1.5], y: [-1.5, 1.5], value: logPlane(monkeySaddle) },
  }),
];

/**
 * A twice-differentiable objective over a flat Float64Array x, the interface Newton and
 * Hessian-free methods work against, plus analytic objectives the lab reuses.
 *
 * `gradient` returns f(x) and writes ∇f(x); `hessianVectorProduct` writes ∇²f(x) v;
 * `hessian`, when present, writes the dim × dim Hessian row-major.
 */
import { ValueError, show } from '../../core/errors.js';
import { checkFinite } from '../../core/validate.js';

export interface Objective {
  readonly dim: number;
  value(x: Float64Array): number;
  /** Writes ∇f(x) into `out` and returns f(x). */
  gradient(x: Float64Array, out: Float64Array): number;
  /** Writes ∇²f(x) v into `out`. */
  hessianVectorProduct(x: Float64Array, v: Float64Array, out: Float64Array): void;
  /** Writes the dense Hessian (dim × dim, row-major) into `out`. */
  hessian?(x: Float64Array, out: Float64Array): void;
}

/** Throws unless `objective` has a positive integer `dim` and the three required methods. */
export function checkObjective(objective: unknown, where: string): Objective {
  const o = objective as Partial<Objective> | null;
  const ok = o !== null && typeof o === 'object' && Number.isInteger(o.dim) && (o.dim as number) > 0 &&
    typeof o.value === 'function' && typeof o.gradient === 'function' && typeof o.hessianVectorProduct === 'function' &&
    (o.hessian === undefined || typeof o.hessian === 'function');
  if (!ok) {
    const keys = o !== null && typeof o === 'object' ? `object with keys [${Object.keys(o).join(', ')}] and dim ${show(o.dim)}` : show(objective);
    throw new ValueError(`${where}: invalid objective ${keys}, expected {dim: positive integer, value, gradient, hessianVectorProduct, hessian?}`);
  }
  return o as Objective;
}

/** Throws unless `x` is a Float64Array of length `dim`. */
export function checkPoint(x: unknown, dim: number, where: string): Float64Array {
  if (!(x instanceof Float64Array) || x.length !== dim) {
    const got = x instanceof Float64Array || x instanceof Float32Array || Array.isArray(x) ? `${x.constructor.name} of length ${x.length}` : show(x);
    throw new ValueError(`${where}: invalid point ${got}, expected a Float64Array of length ${dim} (the objective's dim)`);
  }
  return x;
}

/** Fills a dense Hessian column by column from dim Hessian-vector products, then symmetrizes it. */
export function denseHessian(objective: Objective, x: Float64Array, out: Float64Array): Float64Array {
  const n = objective.dim;
  if (objective.hessian) {
    objective.hessian(x, out);
    return out;
  }
  const e = new Float64Array(n);
  const col = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e[j] = 1;
    objective.hessianVectorProduct(x, e, col);
    e[j] = 0;
    for (let i = 0; i < n; i++) out[i * n + j] = col[i]!;
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = 0.5 * (out[i * n + j]! + out[j * n + i]!);
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return out;
}

/** f(x) = ½ xᵀA x − bᵀx with A symmetric (n × n, row-major); ∇f = A x − b, ∇²f = A. */
function quadratic(A: ArrayLike<number>, b: ArrayLike<number>): Objective {
  const n = b?.length;
  if (!Number.isInteger(n) || n < 1 || A?.length !== n * n) {
    throw new ValueError(`objectives.quadratic: A has ${show(A?.length)} entries and b ${show(n)}, expected b of length n >= 1 and A of n*n entries`);
  }
  const a = Float64Array.from(A);
  const bb = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (Math.abs(a[i * n + j]! - a[j * n + i]!) > 1e-12 * (Math.abs(a[i * n + j]!) + Math.abs(a[j * n + i]!))) {
        throw new ValueError(`objectives.quadratic: A[${i}][${j}] = ${a[i * n + j]} but A[${j}][${i}] = ${a[j * n + i]}, expected a symmetric A`);
      }
    }
  }
  const matVec = (v: Float64Array, out: Float64Array): void => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j]! * v[j]!;
      out[i] = s;
    }
  };
  const value = (x: Float64Array): number => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j]! * x[j]!;
      f += x[i]! * (0.5 * s - bb[i]!);
    }
    return f;
  };
  return {
    dim: n,
    value,
    gradient(x, out) {
      matVec(x, out);
      for (let i = 0; i < n; i++) out[i] = out[i]! - bb[i]!;
      return value(x);
    },
    hessianVectorProduct: (_x, v, out) => matVec(v, out),
    hessian: (_x, out) => out.set(a),
  };
}

/** Rosenbrock's banana f(x, y) = (a − x)² + b (y − x²)², minimum 0 at (a, a²). */
function rosenbrock(a = 1, b = 100): Objective {
  checkFinite(a, 'rosenbrock a');
  checkFinite(b, 'rosenbrock b');
  const hess = (x: Float64Array, out: Float64Array | number[]): void => {
    const [u, v] = [x[0]!, x[1]!];
    out[0] = 2 - 4 * b * (v - u * u) + 8 * b * u * u;
    out[1] = -4 * b * u;
    out[2] = -4 * b * u;
    out[3] = 2 * b;
  };
  const h = [0, 0, 0, 0];
  return {
    dim: 2,
    value(x) {
      const r = x[1]! - x[0]! * x[0]!;
      return (a - x[0]!) ** 2 + b * r * r;
    },
    gradient(x, out) {
      const [u, v] = [x[0]!, x[1]!];
      const r = v - u * u;
      out[0] = -2 * (a - u) - 4 * b * u * r;
      out[1] = 2 * b * r;
      return (a - u) ** 2 + b * r * r;
    },
    hessianVectorProduct(x, v, out) {
      hess(x, h);
      out[0] = h[0]! * v[0]! + h[1]! * v[1]!;
      out[1] = h[2]! * v[0]! + h[3]! * v[1]!;
    },
    hessian: hess,
  };
}

/** The saddle f(x, y) = x² − y²: a minimum along x, a maximum along y, critical point (0, 0). */
function saddle(): Objective {
  return {
    dim: 2,
    value: (x) => x[0]! * x[0]! - x[1]! * x[1]!,
    gradient(x, out) {
      out[0] = 2 * x[0]!;
      out[1] = -2 * x[1]!;
      return x[0]! * x[0]! - x[1]! * x[1]!;
    },
    hessianVectorProduct(_x, v, out) {
      out[0] = 2 * v[0]!;
      out[1] = -2 * v[1]!;
    },
    hessian(_x, out) {
      out.set([2, 0, 0, -2]);
    },
  };
}

/** The monkey saddle f(x, y) = x³ − 3 x y²: three descending valleys, a degenerate (zero) Hessian at (0, 0). */
function monkeySaddle(): Objective {
  const hess = (x: Float64Array, out: Float64Array | number[]): void => {
    const [u, v] = [x[0]!, x[1]!];
    out[0] = 6 * u;
    out[1] = -6 * v;
    out[2] = -6 * v;
    out[3] = -6 * u;
  };
  const h = [0, 0, 0, 0];
  return {
    dim: 2,
    value: (x) => x[0]! ** 3 - 3 * x[0]! * x[1]! * x[1]!,
    gradient(x, out) {
      const [u, v] = [x[0]!, x[1]!];
      out[0] = 3 * u * u - 3 * v * v;
      out[1] = -6 * u * v;
      return u ** 3 - 3 * u * v * v;
    },
    hessianVectorProduct(x, v, out) {
      hess(x, h);
      out[0] = h[0]! * v[0]! + h[1]! * v[1]!;
      out[1] = h[2]! * v[0]! + h[3]! * v[1]!;
    },
    hessian: hess,
  };
}

/** Analytic objectives with exact gradients and Hessians. */
export const objectives = { quadratic, rosenbrock, saddle, monkeySaddle };

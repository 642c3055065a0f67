/**
 * Finite-difference checks for the autograd tests: central differences in float64 against
 * `grad` (first derivatives) and `hvp` (Hessian-vector products).
 */
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { allocate, type DType } from '../../src/core/dtype.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { grad, hvp } from '../../src/autograd/index.js';
import { noGrad } from '../../src/autograd/mode.js';

/** max_i |a_i - n_i| / max(max_j |n_j|, 1e-6): relative to the gradient's scale. */
export function relativeError(analytic: ArrayLike<number>, numeric: ArrayLike<number>): number {
  assert.equal(analytic.length, numeric.length, 'lengths differ');
  let scale = 1e-6;
  for (let i = 0; i < numeric.length; i++) scale = Math.max(scale, Math.abs(numeric[i]!));
  let err = 0;
  for (let i = 0; i < numeric.length; i++) {
    const d = Math.abs(analytic[i]! - numeric[i]!);
    if (Number.isNaN(d)) return Infinity;
    err = Math.max(err, d / scale);
  }
  return err;
}

/** A float64 leaf of `shape` with normal entries (optionally kept away from 0 by `shift`). */
export function leaf(rng: Rng, shape: number[], shift = 0): Tensor {
  const data = new Float64Array(shape.reduce((p, d) => p * d, 1));
  for (let i = 0; i < data.length; i++) {
    const v = rng.normal();
    data[i] = shift === 0 ? v : Math.sign(v || 1) * (Math.abs(v) + shift);
  }
  return new Tensor(data, shape, { requiresGrad: true });
}

/**
 * Reduces f's output to a scalar with fixed random weights, so every output element matters:
 * L = Σ f(inputs) ∘ R.
 */
export function scalarize(f: (...xs: Tensor[]) => Tensor, rng: Rng): (...xs: Tensor[]) => Tensor {
  let weights: Tensor | null = null;
  return (...xs) => {
    const y = f(...xs);
    if (weights === null) {
      const w = new Float64Array(y.numel);
      for (let i = 0; i < w.length; i++) w[i] = rng.normal();
      weights = new Tensor(w, y.shape);
    }
    return y.mul(weights).sum();
  };
}

/** Central differences of a scalar function of `inputs` (their data is perturbed in place). */
export function numericGrad(f: () => Tensor, inputs: Tensor[], h = 1e-6): Float64Array[] {
  return noGrad(() =>
    inputs.map((x) => {
      const out = new Float64Array(x.numel);
      for (let i = 0; i < x.numel; i++) {
        const v = x.data[i]!;
        x.data[i] = v + h;
        const fp = f().item();
        x.data[i] = v - h;
        const fm = f().item();
        x.data[i] = v;
        out[i] = (fp - fm) / (2 * h);
      }
      return out;
    }),
  );
}

/** Asserts grad(f) matches central differences within `tol` for every input. */
export function assertGradMatches(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], what: string, tol = 1e-6): void {
  const analytic = grad(f(...inputs), inputs).map((g) => g.data);
  const numeric = numericGrad(() => f(...inputs), inputs);
  inputs.forEach((_, i) => {
    const err = relativeError(analytic[i]!, numeric[i]!);
    assert.ok(err < tol, `${what}: input ${i} gradient relative error ${err.toExponential(2)} >= ${tol}`);
  });
}

/** Asserts hvp(f) matches central differences of the gradient along random vectors. */
export function assertHvpMatches(f: () => Tensor, params: Tensor[], rng: Rng, what: string, tol = 1e-6): void {
  const vectors = params.map((p) => {
    const v = new Float64Array(p.numel);
    for (let i = 0; i < v.length; i++) v[i] = rng.normal();
    return v;
  });
  const hv = hvp(f, params, vectors);
  const h = 1e-5;
  const gradAt = (sign: number): Float64Array[] => {
    params.forEach((p, k) => { for (let i = 0; i < p.numel; i++) p.data[i] += sign * h * vectors[k]![i]!; });
    const g = grad(f(), params).map((t) => Float64Array.from(t.data));
    params.forEach((p, k) => { for (let i = 0; i < p.numel; i++) p.data[i] -= sign * h * vectors[k]![i]!; });
    return g;
  };
  const gp = gradAt(1);
  const gm = gradAt(-1);
  params.forEach((_, k) => {
    const numeric = gp[k]!.map((v, i) => (v - gm[k]![i]!) / (2 * h));
    const err = relativeError(hv[k]!, numeric);
    assert.ok(err < tol, `${what}: hvp of param ${k} relative error ${err.toExponential(2)} >= ${tol}`);
  });
}

/** A tensor of normal draws of `shape` and `dtype`. */
export function randomTensor(rng: Rng, dtype: DType, shape: number[], requiresGrad = false): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) data[i] = rng.normal();
  return new Tensor(data, shape, { requiresGrad });
}

/** Element-wise Object.is equality (so -0 differs from +0, NaN equals NaN). */
export function assertBitEqual(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) assert.ok(Object.is(actual[i], expected[i]), `${what}: element ${i} is ${actual[i]}, expected ${expected[i]}`);
}

/**
 * A random output shape (1 to 3 dims of 1 to 4) and two shapes broadcasting to it: `a` is the
 * output with some dims set to 1, `b` a random suffix of it with some dims set to 1.
 */
export function randomBroadcastShapes(rng: Rng): { out: number[]; a: number[]; b: number[] } {
  const out = Array.from({ length: 1 + rng.int(3) }, () => 1 + rng.int(4));
  const b = out.slice(rng.int(out.length)).map((d) => (rng.random() < 0.4 ? 1 : d));
  const a = out.map((d) => (rng.random() < 0.3 ? 1 : d));
  return { out, a, b };
}

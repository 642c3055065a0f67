import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { cholesky, choleskySolve, luSolve, symmetricEigen } from '../../src/optim/second-order/dense.js';
import { conjugateGradient } from '../../src/optim/second-order/cg.js';
import { denseHessian, objectives } from '../../src/optim/second-order/objective.js';
import { Rng } from '../../src/core/rng.js';

function randomSymmetric(n: number, rng: Rng, shift: number): Float64Array {
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = rng.normal();
      A[i * n + j] = v;
      A[j * n + i] = v;
    }
    A[i * n + i] = A[i * n + i]! + shift;
  }
  return A;
}

function matVec(A: Float64Array, n: number, x: Float64Array): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i] = out[i]! + A[i * n + j]! * x[j]!;
  return out;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('dense linear algebra', () => {
  const rng = new Rng(7);
  const n = 6;
  const b = rng.split('b').fillNormal(new Float64Array(n)) as Float64Array;

  test('Cholesky solves an SPD system and rejects an indefinite one', () => {
    const A = randomSymmetric(n, rng.split('spd'), 10);
    const L = new Float64Array(n * n);
    assert.ok(cholesky(A, n, L));
    const x = choleskySolve(L, n, b, new Float64Array(n));
    assert.ok(maxDiff(matVec(A, n, x), b) < 1e-12);
    assert.equal(cholesky(new Float64Array([1, 0, 0, -1]), 2, new Float64Array(4)), false);
  });

  test('LU solves an indefinite system and reports a singular one', () => {
    const A = randomSymmetric(n, rng.split('indef'), 0);
    const x = new Float64Array(n);
    assert.ok(luSolve(A, n, b, x, new Float64Array(n * n)));
    assert.ok(maxDiff(matVec(A, n, x), b) < 1e-10);
    assert.equal(luSolve(new Float64Array([1, 2, 2, 4]), 2, new Float64Array([1, 1]), new Float64Array(2), new Float64Array(4)), false);
  });

  test('Jacobi eigendecomposition reconstructs A with orthonormal vectors', () => {
    const A = randomSymmetric(n, rng.split('eig'), 0);
    const values = new Float64Array(n);
    const V = new Float64Array(n * n);
    symmetricEigen(A, n, values, V);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let r = 0;
        let vv = 0;
        for (let k = 0; k < n; k++) {
          r += V[i * n + k]! * values[k]! * V[j * n + k]!;
          vv += V[k * n + i]! * V[k * n + j]!;
        }
        assert.ok(Math.abs(r - A[i * n + j]!) < 1e-12, `V Λ Vᵀ differs from A at (${i}, ${j})`);
        assert.ok(Math.abs(vv - (i === j ? 1 : 0)) < 1e-12, `VᵀV differs from I at (${i}, ${j})`);
      }
    }
    assert.ok(values.some((v) => v < 0) && values.some((v) => v > 0), 'the test matrix should be indefinite');
  });

  test('conjugate gradient solves an SPD system in at most n iterations and stops at negative curvature', () => {
    const A = randomSymmetric(n, rng.split('cg'), 10);
    const x = new Float64Array(n);
    const r = conjugateGradient((v, out) => out.set(matVec(A, n, v)), b, x, { tol: 1e-12 });
    assert.ok(r.converged && r.iterations <= n + 1, `${r.iterations} iterations`);
    assert.ok(maxDiff(matVec(A, n, x), b) < 1e-10);
    const y = new Float64Array(2);
    const neg = conjugateGradient((v, out) => { out[0] = -v[0]!; out[1] = -v[1]!; }, new Float64Array([1, 2]), y);
    assert.ok(neg.negativeCurvature);
    assert.deepEqual(Array.from(y), [1, 2], 'from zero, the first negative curvature returns the right-hand side');
  });

  test('denseHessian from Hessian-vector products equals the analytic Hessian', () => {
    const f = objectives.rosenbrock(1, 100);
    const x = new Float64Array([0.3, -0.7]);
    const exact = new Float64Array(4);
    f.hessian!(x, exact);
    const fromProducts = denseHessian({ dim: 2, value: f.value, gradient: f.gradient, hessianVectorProduct: f.hessianVectorProduct }, x, new Float64Array(4));
    assert.ok(maxDiff(exact, fromProducts) < 1e-12);
  });

  test('analytic gradients match central differences', () => {
    for (const [name, f, x] of [
      ['rosenbrock', objectives.rosenbrock(1, 100), [0.3, -0.7]],
      ['saddle', objectives.saddle(), [0.4, 1.3]],
      ['monkeySaddle', objectives.monkeySaddle(), [0.4, -1.3]],
      ['quadratic', objectives.quadratic([2, 1, 1, 3], [1, -1]), [0.5, 2]],
    ] as const) {
      const p = Float64Array.from(x);
      const g = new Float64Array(2);
      const value = f.gradient(p, g);
      assert.equal(value, f.value(p), `${name}: gradient() must return f(x)`);
      for (let i = 0; i < 2; i++) {
        const h = 1e-6;
        const up = p.slice(); up[i] = up[i]! + h;
        const dn = p.slice(); dn[i] = dn[i]! - h;
        const fd = (f.value(up) - f.value(dn)) / (2 * h);
        assert.ok(Math.abs(fd - g[i]!) < 1e-5 * Math.max(1, Math.abs(fd)), `${name}: ∂f/∂x${i} = ${g[i]}, finite difference ${fd}`);
      }
    }
  });

  test('objectives.quadratic validates A and b', () => {
    assert.throws(() => objectives.quadratic([1, 2, 3], [1, 1]), /A has 3 entries and b 2/);
    assert.throws(() => objectives.quadratic([1, 2, 3, 1], [1, 1]), /expected a symmetric A/);
  });
});

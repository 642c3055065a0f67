import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { makeQuadraticDeep, randomOrthogonal } from '../../src/data/quadratic-deep.js';

const problem = makeQuadraticDeep();
const dim = 100;

test('DeepOBS setup: 100 dims, 90 eigenvalues in [0, 1), 10 in [30, 60), 1000 + 1000 points, theta0 = 1', () => {
  assert.equal(problem.dim, dim);
  assert.equal(problem.eigenvalues.filter((l) => l >= 0 && l < 1).length, 90);
  assert.equal(problem.eigenvalues.filter((l) => l >= 30 && l < 60).length, 10);
  assert.equal(problem.train.n, 1000);
  assert.equal(problem.test.n, 1000);
  assert.deepEqual(problem.train.featureShape, [dim]);
  assert.equal(problem.train.y.length, 0);
  assert.ok(problem.theta0.every((t) => t === 1));
  assert.notDeepEqual(problem.train.x, problem.test.x);
  // data ~ N(0, 0.6^2)
  const x = problem.train.x;
  let s = 0, sq = 0;
  for (const v of x) { s += v; sq += v * v; }
  assert.ok(Math.abs(s / x.length) < 0.02);
  assert.ok(Math.abs(Math.sqrt(sq / x.length) - 0.6) < 0.02);
});

test('seeded: same seed same problem; default seed is 42', () => {
  const again = makeQuadraticDeep({ seed: 42 });
  assert.deepEqual(again.hessian, problem.hessian);
  assert.deepEqual(again.train.x, problem.train.x);
  const other = makeQuadraticDeep({ seed: 1, samples: 10 });
  assert.notDeepEqual(other.hessian, problem.hessian);
  assert.equal(other.train.n, 10);
});

test('Hessian = R^T diag(lambda) R: symmetric, R orthogonal, rows of R are eigenvectors', () => {
  const { hessian: q, rotation: r, eigenvalues } = problem;
  let trace = 0;
  for (let i = 0; i < dim; i++) {
    trace += q[i * dim + i]!;
    for (let j = 0; j < dim; j++) {
      assert.equal(q[i * dim + j], q[j * dim + i]);
      let dot = 0;
      for (let k = 0; k < dim; k++) dot += r[i * dim + k]! * r[j * dim + k]!;
      assert.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-12, `R R^T [${i}, ${j}] = ${dot}`);
    }
  }
  assert.ok(Math.abs(trace - eigenvalues.reduce((a, b) => a + b, 0)) < 1e-9);
  for (const k of [0, 50, 95, 99]) {
    for (let i = 0; i < dim; i++) {
      let qv = 0;
      for (let j = 0; j < dim; j++) qv += q[i * dim + j]! * r[k * dim + j]!;
      assert.ok(Math.abs(qv - eigenvalues[k]! * r[k * dim + i]!) < 1e-10);
    }
  }
});

test('loss and gradient: value at the data point is 0; gradient matches finite differences', () => {
  const x = new Float64Array(dim).fill(0.25);
  assert.equal(problem.loss(new Float64Array(x), x), 0);
  const batch = problem.train.x.subarray(0, 3 * dim);
  const theta = new Float64Array(dim).map((_, i) => Math.sin(i));
  const grad = new Float64Array(dim);
  const loss = problem.lossAndGradient(theta, batch, grad);
  assert.equal(loss, problem.loss(theta, batch, 3));
  const h = 1e-5;
  for (const i of [0, 17, 99]) {
    const plus = new Float64Array(theta), minus = new Float64Array(theta);
    plus[i]! += h; minus[i]! -= h;
    const fd = (problem.loss(plus, batch) - problem.loss(minus, batch)) / (2 * h);
    assert.ok(Math.abs(fd - grad[i]!) < 1e-5 * Math.max(1, Math.abs(fd)), `grad[${i}] = ${grad[i]}, finite difference ${fd}`);
  }
  // rows limits the batch to a prefix
  assert.equal(problem.loss(theta, problem.train.x, 3), loss);
});

test('validation', () => {
  assert.throws(() => problem.loss(new Float64Array(3), problem.train.x), /invalid theta .* expected a Float64Array of length 100/);
  assert.throws(() => problem.loss(problem.theta0, problem.train.x, 1001), /expected at least rows \* dim = 100100/);
  assert.throws(() => problem.lossAndGradient(problem.theta0, problem.train.x, new Float64Array(2)), /invalid grad/);
  assert.throws(() => makeQuadraticDeep({ dim: 1 }), /dim: 1, expected an integer >= 2/);
  assert.throws(() => makeQuadraticDeep({ noise: -0.1 }), /noise: -0.1/);
});

test('randomOrthogonal gives orthonormal rows for a small dimension', () => {
  const r = randomOrthogonal(3, new Rng(9));
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
    const dot = r[3 * i]! * r[3 * j]! + r[3 * i + 1]! * r[3 * j + 1]! + r[3 * i + 2]! * r[3 * j + 2]!;
    assert.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-14);
  }
});

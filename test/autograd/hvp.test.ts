/** Hessian-vector products: analytic Hessians and finite differences of gradients. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { tensor, functional as F } from '../../src/tensor/index.js';
import { hvp } from '../../src/autograd/index.js';
import { assertHvpMatches, leaf, relativeError } from './gradcheck.js';

const rng = new Rng(99);

function rosenbrock(p: Tensor, a = 1, b = 100): Tensor {
  const x = p.indexSelect(0, [0]);
  const y = p.indexSelect(0, [1]);
  return x.neg().add(a).square().add(y.sub(x.square()).square().mul(b)).sum();
}

describe('hvp against analytic Hessians', () => {
  test('Rosenbrock', () => {
    const p = tensor([-1.2, 1.3], null, { dtype: 'float64', requiresGrad: true });
    const [x, y] = [-1.2, 1.3];
    const H = [[2 - 400 * (y - 3 * x * x), -400 * x], [-400 * x, 200]];
    for (const v of [[1, 0], [0, 1], [0.3, -2]]) {
      const [hv] = hvp(() => rosenbrock(p), [p], [Float64Array.from(v)]);
      const expected = H.map((row) => row[0]! * v[0]! + row[1]! * v[1]!);
      assert.ok(relativeError(hv!, expected) < 1e-12, `H v = ${Array.from(hv!)}, expected ${expected}`);
    }
  });

  test('quadratic 0.5 xᵀAx - bᵀx has H v = A v (A symmetric)', () => {
    const n = 6;
    const m = leaf(rng, [n, n]).detach();
    const A = m.t().matmul(m).add(new Tensor(Float64Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0)), [n, n]));
    const b = leaf(rng, [n]).detach();
    const x = leaf(rng, [n]);
    const f = () => x.matmul(A.matmul(x)).mul(0.5).sub(b.matmul(x));
    const v = Float64Array.from({ length: n }, () => rng.normal());
    const [hv] = hvp(f, [x], [v]);
    const av = A.matmul(new Tensor(v, [n])).data;
    assert.ok(relativeError(hv!, av) < 1e-12);
  });

  test('a linear loss has a zero Hessian', () => {
    const x = leaf(rng, [3]);
    const [hv] = hvp(() => x.mul(2).sum(), [x], [new Float64Array([1, 2, 3])]);
    assert.deepEqual(Array.from(hv!), [0, 0, 0]);
  });

  test('validates vectors', () => {
    const x = leaf(rng, [3]);
    assert.throws(() => hvp(() => x.sum(), [x], [new Float64Array(2)]), /vector 0 has length 2, expected a typed array of length 3/);
    assert.throws(() => hvp(() => x.sum(), [x], []), /0 vectors for 1 params/);
  });
});

describe('hvp against finite differences of gradients', () => {
  test('tanh MLP with cross-entropy', () => {
    const X = leaf(rng, [5, 4]).detach();
    const W1 = leaf(rng, [6, 4]), b1 = leaf(rng, [6]), W2 = leaf(rng, [3, 6]), b2 = leaf(rng, [3]);
    const f = () => F.crossEntropy(F.linear(F.linear(X, W1, b1).tanh(), W2, b2), [0, 2, 1, 1, 0]);
    assertHvpMatches(f, [W1, b1, W2, b2], rng, 'mlp');
  });

  test('conv2d + relu + maxPool2d + linear + softmax', () => {
    const X = leaf(rng, [2, 2, 5, 5]).detach();
    const K = leaf(rng, [3, 2, 3, 3]), c = leaf(rng, [3]), W = leaf(rng, [4, 12]);
    const f = () => {
      const h = F.maxPool2d(F.conv2d(X, K, c, { padding: 1 }).tanh(), 2).flatten(1);
      return F.softmax(F.linear(h, W), 1).square().sum();
    };
    assertHvpMatches(f, [K, c, W], rng, 'cnn');
  });

  test('batchNorm (training) + sigmoid + binary cross-entropy', () => {
    const X = leaf(rng, [6, 3]).detach();
    const T = new Tensor(Float64Array.from({ length: 18 }, () => rng.random()), [6, 3]);
    const w = leaf(rng, [3]), b = leaf(rng, [3]);
    const f = () => F.binaryCrossEntropyWithLogits(F.batchNorm(X, null, null, w, b, { training: true }).mul(w), T);
    assertHvpMatches(f, [w, b], rng, 'bn-bce');
  });

  test('elementwise zoo: div, sqrt, log, exp, pow, logsumexp, max, mse', () => {
    const x = leaf(rng, [3, 4]);
    const y = leaf(rng, [4], 0.5);
    const f = () => {
      const a = x.div(y).exp().add(1).log().sqrt().pow(3);
      return a.logsumexp(1).sum().add(a.max(0).sum()).add(F.mseLoss(a, x));
    };
    assertHvpMatches(f, [x, y], rng, 'zoo');
  });
});

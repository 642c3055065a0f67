/** Hessian-vector products: analytic Hessians and finite differences of gradients. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { tensor, functional as F } from '../../src/tensor/index.js';
import { hvp } from '../../src/autograd/index.js';
import { record } from '../../src/autograd/node.js';
import { empty } from '../../src/tensor/ops/util.js';
import { assertHvpMatches, leaf, randomBroadcastShapes, relativeError, scalarize } from './gradcheck.js';

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

describe('hvp against finite differences on random shapes (float64, broadcasting included)', () => {
  const srng = new Rng(2024);
  test('the check catches a backward rule that is right once but not differentiable', () => {
    // d(x^3)/dx = 3x^2 computed from raw data: a constant to the tape, so the second derivative is lost.
    const flatCube = (x: Tensor): Tensor => {
      const out = empty(x.shape, x.dtype);
      const d = empty(x.shape, x.dtype);
      for (let i = 0; i < x.numel; i++) {
        out.data[i] = x.data[i]! ** 3;
        d.data[i] = 3 * x.data[i]! ** 2;
      }
      return record(out, { name: 'flatCube', inputs: [x], backward: (g) => [g.mul(d)] });
    };
    const x = leaf(srng, [4]);
    assert.throws(() => assertHvpMatches(() => flatCube(x).sum(), [x], srng, 'flatCube'), /relative error/);
  });
  /** Checks hvp of L = Σ R ∘ fn(inputs) (fixed random weights R) along random vectors. */
  const check = (what: string, fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): void => {
    test(what, () => {
      const loss = scalarize(fn, srng);
      assertHvpMatches(() => loss(...inputs), inputs, srng, what);
    });
  };
  const positive = (shape: number[]): Tensor => {
    const t = leaf(srng, shape);
    for (let i = 0; i < t.numel; i++) t.data[i] = Math.abs(t.data[i]!) + 0.5;
    return t;
  };

  describe('binary ops with broadcasting, composed with a curved function', () => {
    const pairs: [number[], number[]][] = [[[3, 4], [3, 4]], [[3, 4], [4]], [[2, 1, 4], [3, 1]], [[5], []], [[1], [2, 3]]];
    for (const [sa, sb] of pairs) {
      const tag = `${JSON.stringify(sa)} ${JSON.stringify(sb)}`;
      check(`add then tanh ${tag}`, (a, b) => a.add(b).tanh(), [leaf(srng, sa), leaf(srng, sb)]);
      check(`sub then square ${tag}`, (a, b) => a.sub(b).square(), [leaf(srng, sa), leaf(srng, sb)]);
      check(`mul ${tag}`, (a, b) => a.mul(b).mul(a), [leaf(srng, sa), leaf(srng, sb)]);
      check(`div ${tag}`, (a, b) => a.div(b), [leaf(srng, sa), leaf(srng, sb, 0.5)]);
      check(`maximum/minimum then exp ${tag}`, (a, b) => a.maximum(b).exp().add(a.minimum(b).square()), [leaf(srng, sa), leaf(srng, sb)]);
    }
  });

  describe('seeded random shapes', () => {
    const shapeRng = new Rng(78);
    for (let trial = 0; trial < 6; trial++) {
      const { out, a, b } = randomBroadcastShapes(shapeRng);
      const tag = `${JSON.stringify(a)} ${JSON.stringify(b)}`;
      check(`mul/div/sub/tanh broadcast ${tag}`, (x, y) => x.mul(y).sub(x.div(y)).tanh(), [leaf(srng, a), leaf(srng, b, 0.5)]);
      const dim = shapeRng.int(out.length);
      check(`sum/max/logSoftmax along dim ${dim} of ${JSON.stringify(out)}`,
        (x) => x.sum(dim, true).add(x.max(dim, true)).mul(x.logSoftmax(dim)), [leaf(srng, out)]);
      check(`mean/softmax along dim ${dim} of ${JSON.stringify(out)}, expand`,
        (x) => x.mean(dim, true).expand(...out).mul(x.softmax(dim)).square(), [leaf(srng, out)]);
    }
  });

  describe('unary ops and reductions', () => {
    check('exp, log, sqrt, reciprocal, pow 2.5 and -1.5', (x) => x.exp().add(x.log()).add(x.sqrt()).mul(x.reciprocal()).add(x.pow(2.5)).add(x.pow(-1.5)), [positive([3, 4])]);
    check('tanh, sigmoid, abs, relu, clamp', (x) => x.tanh().mul(x.sigmoid()).add(x.abs().mul(x)).add(x.relu().square()).add(x.clamp(-0.5, 0.7).mul(x)), [leaf(srng, [4, 5], 0.1)]);
    check('sum dims [0, 2] keepdim, sumTo', (x) => x.sum([0, 2], true).mul(x).add(x.sumTo([1, 4, 1])).tanh(), [leaf(srng, [3, 4, 2])]);
    check('logsumexp, max all', (x) => x.logsumexp(1).square().sum().mul(x.max()).add(x.square()), [leaf(srng, [3, 4])]);
  });

  describe('products, indexing and losses', () => {
    check('matmul broadcast batch', (a, b) => a.matmul(b).tanh(), [leaf(srng, [2, 1, 3, 4]), leaf(srng, [3, 4, 2])]);
    check('matmul 1-D x 2-D and 2-D x 1-D', (a, b, c) => a.matmul(b).matmul(c.t()).sigmoid(), [leaf(srng, [4]), leaf(srng, [4, 5]), leaf(srng, [3, 5])]);
    check('transpose, permute, reshape', (x) => x.transpose(0, 2).permute(1, 0, 2).reshape(4, -1).tanh().mul(x.reshape(4, 6)), [leaf(srng, [2, 3, 4])]);
    check('indexSelect with repeats', (x) => x.indexSelect(1, [2, 0, 2, 3]).pow(3), [leaf(srng, [3, 4])]);
    check('embedding with repeated rows', (w) => F.embedding(w, new Int32Array([2, 0, 2, 4]), [2, 2]).pow(3), [leaf(srng, [5, 3])]);
    check('linear 3-D input', (x, w, b) => F.linear(x, w, b).tanh(), [leaf(srng, [2, 3, 4]), leaf(srng, [5, 4]), leaf(srng, [5])]);
    check('crossEntropy sum', (z) => F.crossEntropy(z, [1, 0, 3], { reduction: 'sum' }), [leaf(srng, [3, 4])]);
    check('mseLoss', (x, y) => F.mseLoss(x.tanh(), y), [leaf(srng, [3, 4]), leaf(srng, [3, 4])]);
    check('binaryCrossEntropyWithLogits', (x, y) => F.binaryCrossEntropyWithLogits(x.mul(y), y.sigmoid(), { reduction: 'sum' }), [leaf(srng, [3, 4]), leaf(srng, [3, 4])]);
  });
});

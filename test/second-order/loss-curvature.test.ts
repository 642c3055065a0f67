import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { lossCurvature, networkOutput } from '../../src/optim/second-order/loss-curvature.js';
import { objectiveFromLoss } from '../../src/optim/second-order/from-loss.js';
import { Linear, Sequential, Tanh } from '../../src/nn/index.js';
import { Rng } from '../../src/core/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { crossEntropy } from '../../src/tensor/functional/losses.js';
import { noGrad, enableGrad } from '../../src/autograd/index.js';

/** A 3-4-3 tanh MLP in float64 on 5 fixed points. */
function tinyMlp(seed = 1) {
  const rng = new Rng(seed);
  const model = new Sequential(new Linear(3, 4, { dtype: 'float64', rng }), new Tanh(), new Linear(4, 3, { dtype: 'float64', rng }));
  const params = model.parameters();
  const x = new Tensor(Float64Array.from({ length: 15 }, (_, i) => Math.sin(1.7 * i + 0.3)), [5, 3]);
  const y = Int32Array.from([0, 2, 1, 1, 0]);
  const logits = () => model.call(x);
  const loss = () => crossEntropy(logits(), y);
  const dim = params.reduce((n, p) => n + p.numel, 0);
  const flat = () => {
    const out = new Float64Array(dim);
    let o = 0;
    for (const p of params) { out.set(p.data, o); o += p.numel; }
    return out;
  };
  return { model, params, x, y, logits, loss, dim, flat };
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void => {
  assert.equal(a.length, b.length);
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tol * Math.max(1, scale), `${what}[${i}] = ${a[i]}, expected ${b[i]}`);
};

describe('lossCurvature', () => {
  test('value, gradient and Hessian products match objectiveFromLoss (which rebuilds the graph every call)', () => {
    const { params, loss, dim, flat } = tinyMlp();
    const c = lossCurvature(params);
    const ref = objectiveFromLoss(loss, params);
    const x = flat();
    assert.equal(c.dim, dim);
    assert.equal(c.value(x, loss), ref.value(x));
    const g1 = new Float64Array(dim), g2 = new Float64Array(dim);
    assert.equal(c.gradient(x, g1, loss), ref.gradient(x, g2));
    close(g1, g2, 1e-14, 'gradient');
    // Several products at the same point (the cached graph) and then at a moved point.
    for (const shift of [0, 0, 0.1]) {
      const xs = x.map((v, i) => v + shift * Math.cos(i));
      for (let k = 0; k < 2; k++) {
        const v = Float64Array.from({ length: dim }, (_, i) => Math.sin(i * (k + 2)));
        const h1 = new Float64Array(dim), h2 = new Float64Array(dim);
        c.hessianVectorProduct(xs, v, h1, loss);
        ref.hessianVectorProduct(xs, v, h2);
        close(h1, h2, 1e-12, `Hv (shift ${shift}, k ${k})`);
      }
    }
  });

  test('the network output found below a cross-entropy loss is the logits tensor', () => {
    const { logits, y } = tinyMlp();
    enableGrad(() => {
      const z = logits();
      assert.equal(networkOutput(crossEntropy(z, y)), z);
    });
  });

  test('Gauss-Newton products equal Jᵀ ∇²ℓ J v with J by central differences and the softmax Hessian', () => {
    const { params, loss, logits, dim, flat } = tinyMlp(3);
    const x = flat();
    const n = 5, k = 3;
    const zAt = (xs: Float64Array): Float64Array => {
      let o = 0;
      for (const p of params) { p.data.set(xs.subarray(o, o + p.numel)); o += p.numel; }
      return Float64Array.from(noGrad(() => logits()).data);
    };
    const z0 = zAt(x);
    const J = Array.from({ length: n * k }, () => new Float64Array(dim));
    const eps = 1e-5;
    for (let j = 0; j < dim; j++) {
      const xp = x.slice(); xp[j] += eps;
      const xm = x.slice(); xm[j] -= eps;
      const zp = zAt(xp), zm = zAt(xm);
      for (let r = 0; r < n * k; r++) J[r]![j] = (zp[r]! - zm[r]!) / (2 * eps);
    }
    const c = lossCurvature(params);
    for (let trial = 0; trial < 2; trial++) {
      const v = Float64Array.from({ length: dim }, (_, i) => Math.cos(i * (trial + 1.3)));
      const jv = J.map((row) => row.reduce((s, a, i) => s + a * v[i]!, 0));
      const hjv = new Float64Array(n * k);
      for (let i = 0; i < n; i++) {
        const zi = z0.subarray(i * k, i * k + k);
        const m = Math.max(...zi);
        const e = Array.from(zi, (t) => Math.exp(t - m));
        const s = e.reduce((a, b) => a + b, 0);
        const p = e.map((t) => t / s);
        const pw = p.reduce((acc, pj, j) => acc + pj * jv[i * k + j]!, 0);
        for (let j = 0; j < k; j++) hjv[i * k + j] = (p[j]! * jv[i * k + j]! - p[j]! * pw) / n; // mean over the batch
      }
      const expected = new Float64Array(dim);
      for (let r = 0; r < n * k; r++) for (let j = 0; j < dim; j++) expected[j] += J[r]![j]! * hjv[r]!;
      const got = new Float64Array(dim);
      c.gaussNewtonVectorProduct(x, v, got, loss);
      close(got, expected, 1e-7, `Gv (trial ${trial})`);
      // G is positive semi-definite: vᵀGv >= 0.
      assert.ok(got.reduce((s, a, i) => s + a * v[i]!, 0) >= 0);
    }
  });

  test('for a linear model with cross-entropy the Gauss-Newton matrix is the Hessian', () => {
    const rng = new Rng(5);
    const layer = new Linear(3, 3, { dtype: 'float64', rng });
    const params = layer.parameters();
    const x = new Tensor(Float64Array.from({ length: 12 }, (_, i) => Math.cos(0.9 * i)), [4, 3]);
    const loss = () => crossEntropy(layer.call(x), Int32Array.from([0, 1, 2, 1]));
    const c = lossCurvature(params);
    const point = Float64Array.from([...params[0]!.data, ...params[1]!.data]);
    const v = Float64Array.from({ length: 12 }, (_, i) => (i % 3) - 0.7);
    const gv = new Float64Array(12), hv = new Float64Array(12);
    c.gaussNewtonVectorProduct(point, v, gv, loss);
    c.hessianVectorProduct(point, v, hv, loss);
    close(gv, hv, 1e-13, 'Gv vs Hv');
    assert.ok(hv.some((a) => Math.abs(a) > 1e-3), 'the product is not trivially zero');
  });

  test('bad inputs fail naming the value', () => {
    const { params, flat } = tinyMlp();
    assert.throws(() => lossCurvature([]), /expected a non-empty array of Tensors/);
    assert.throws(() => lossCurvature([new Tensor(new Float64Array(2))]), /does not require grad/);
    const c = lossCurvature(params);
    assert.throws(() => c.value(flat(), 3), /invalid loss function 3.*expected a function/);
    assert.throws(() => c.value(new Float64Array(2), () => params[0]!.sum()), /Float64Array of length 2.*expected a Float64Array of length/);
  });
});

describe('lossCurvature cache', () => {
  test('one loss function reading another batch at the same point: gradient() and reset() drop the recorded graph', () => {
    const { params, model, flat, dim } = tinyMlp(4);
    const batches = [0, 1].map((b) => ({
      x: new Tensor(Float64Array.from({ length: 15 }, (_, i) => Math.cos(1.1 * i + b)), [5, 3]),
      y: Int32Array.from(b === 0 ? [0, 1, 2, 0, 1] : [2, 2, 0, 1, 1]),
    }));
    let current = 0;
    const lossFn = () => crossEntropy(model.call(batches[current]!.x), batches[current]!.y); // like the trainer's batchLoss
    const x = flat();
    const v = Float64Array.from({ length: dim }, (_, i) => Math.sin(3 * i));
    const expected = (b: number, kind: 'h' | 'g') => {
      current = b;
      const fresh = lossCurvature(params);
      const out = new Float64Array(dim);
      if (kind === 'h') fresh.hessianVectorProduct(x, v, out, lossFn);
      else fresh.gaussNewtonVectorProduct(x, v, out, lossFn);
      return out;
    };
    for (const kind of ['h', 'g'] as const) {
      const [e0, e1] = [expected(0, kind), expected(1, kind)];
      assert.ok(e0.some((a, i) => Math.abs(a - e1[i]!) > 1e-6), 'the two batches have different curvature');
      const c = lossCurvature(params);
      const product = (out: Float64Array) => (kind === 'h' ? c.hessianVectorProduct(x, v, out, lossFn) : c.gaussNewtonVectorProduct(x, v, out, lossFn));
      const out = new Float64Array(dim);
      current = 0;
      product(out);
      close(out, e0, 1e-14, `${kind} batch 0`);
      current = 1;
      c.gradient(x, new Float64Array(dim), lossFn);
      product(out);
      close(out, e1, 1e-14, `${kind} batch 1 after gradient()`);
      current = 0;
      c.reset();
      product(out);
      close(out, e0, 1e-14, `${kind} batch 0 after reset()`);
    }
  });
});

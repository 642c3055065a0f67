/** The backward sweep: accumulation, deep graphs, grad mode, grad(), errors, sparse rows. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { tensor, functional as F } from '../../src/tensor/index.js';
import { grad, isGradEnabled, noGrad, enableGrad } from '../../src/autograd/index.js';
import { record } from '../../src/autograd/node.js';
import { empty } from '../../src/tensor/ops/util.js';
import { assertGradMatches, leaf } from './gradcheck.js';

const f64 = { dtype: 'float64' as const, requiresGrad: true };

describe('backward', () => {
  test('simple chain rule values', () => {
    const x = tensor([1, 2, 3], null, f64);
    x.mul(x).sum().backward();
    assert.deepEqual(Array.from(x.grad!), [2, 4, 6]);
  });

  test('accumulates into an existing grad array (views of a flat buffer keep working)', () => {
    const flat = new Float64Array(5);
    const gradFlat = new Float64Array(5);
    const a = new Tensor(flat.subarray(0, 2), [2], { requiresGrad: true });
    const b = new Tensor(flat.subarray(2, 5), [3], { requiresGrad: true });
    a.grad = gradFlat.subarray(0, 2);
    b.grad = gradFlat.subarray(2, 5);
    flat.set([1, 2, 3, 4, 5]);
    const loss = () => a.sum().mul(2).add(b.square().sum());
    loss().backward();
    loss().backward();
    assert.deepEqual(Array.from(gradFlat), [4, 4, 12, 16, 20]);
    a.zeroGrad();
    assert.equal(a.grad!.buffer, gradFlat.buffer, 'zeroGrad keeps the view');
    assert.deepEqual(Array.from(gradFlat), [0, 0, 12, 16, 20]);
  });

  test('a tensor used twice gets both contributions', () => {
    const x = tensor([3], null, f64);
    const y = x.mul(2);
    y.add(y).mul(y).sum().backward(); // 2y^2 = 8x^2 -> 16x
    assert.deepEqual(Array.from(x.grad!), [48]);
  });

  test('shared gradients are not corrupted by in-place accumulation', () => {
    // z = (x + y); x and y both receive z's gradient object; x gets a second contribution.
    const x = tensor([1, 2], null, f64);
    const y = tensor([3, 4], null, f64);
    const z = x.add(y);
    z.sum().add(z.sum()).add(x.sum()).backward();
    assert.deepEqual(Array.from(x.grad!), [3, 3]);
    assert.deepEqual(Array.from(y.grad!), [2, 2]);
  });

  test('a chain of 100k ops does not overflow the stack', () => {
    const x = tensor([0.5], null, f64);
    let y = x;
    for (let i = 0; i < 100_000; i++) y = y.add(1e-6);
    y.sum().backward();
    assert.equal(x.grad![0], 1);
  });

  test('errors: non-scalar output names the shape; no grad names the cause', () => {
    const x = tensor([[1, 2], [3, 4]], null, f64);
    assert.throws(() => x.mul(2).backward(), (e: Error) => e instanceof ShapeError && /\[2, 2\]/.test(e.message));
    assert.throws(() => tensor([1]).sum().backward(), (e: Error) => e instanceof ValueError && /require grad/.test(e.message));
  });

  test('ops on tensors that do not require grad record nothing', () => {
    const c = tensor([1, 2, 3]);
    const y = c.mul(2).exp().sum();
    assert.equal(y.requiresGrad, false);
    assert.equal(y.gradFn, null);
  });
});

describe('grad mode', () => {
  test('noGrad disables taping and restores the mode, even on throw', () => {
    const x = tensor([1, 2], null, f64);
    const y = noGrad(() => x.mul(3));
    assert.equal(y.requiresGrad, false);
    assert.equal(isGradEnabled(), true);
    assert.throws(() => noGrad(() => { throw new Error('boom'); }));
    assert.equal(isGradEnabled(), true);
    const z = noGrad(() => enableGrad(() => x.mul(3)));
    assert.equal(z.requiresGrad, true);
  });

  test('detach cuts the tape', () => {
    const x = tensor([2], null, f64);
    x.mul(x.detach()).sum().backward();
    assert.deepEqual(Array.from(x.grad!), [2]);
  });
});

describe('grad()', () => {
  test('returns gradients without touching .grad; unused inputs get zeros', () => {
    const x = tensor([1, 2], null, f64);
    const u = tensor([5], null, f64);
    const [gx, gu] = grad(x.pow(3).sum(), [x, u]);
    assert.deepEqual(Array.from(gx!.data), [3, 12]);
    assert.deepEqual(Array.from(gu!.data), [0]);
    assert.equal(x.grad, null);
    assert.equal(gx!.requiresGrad, false);
  });

  test('createGraph gives differentiable gradients (d2/dx2 x^3 = 6x)', () => {
    const x = tensor([1, 2], null, f64);
    const [gx] = grad(x.pow(3).sum(), [x], { createGraph: true });
    assert.equal(gx!.requiresGrad, true);
    const [ggx] = grad(gx!.sum(), [x]);
    assert.deepEqual(Array.from(ggx!.data), [6, 12]);
  });

  test('rejects inputs that do not require grad', () => {
    const x = tensor([1], null, f64);
    assert.throws(() => grad(x.sum(), [tensor([1])]), /input 0.*does not require grad/);
  });
});

describe('gradient checker', () => {
  test('catches a wrong backward rule (the checks can fail)', () => {
    const wrongSquare = (x: Tensor): Tensor => {
      const out = empty(x.shape, x.dtype);
      for (let i = 0; i < x.numel; i++) out.data[i] = x.data[i]! * x.data[i]!;
      return record(out, { name: 'wrongSquare', inputs: [x], backward: (g) => [g.mul(x)] }); // should be 2x
    };
    assert.throws(() => assertGradMatches((x) => wrongSquare(x).sum(), [leaf(new Rng(1), [3])], 'wrongSquare'), /relative error/);
  });
});

describe('embedding gradRows', () => {
  test('marks the sorted unique rows; dense use clears the mark', () => {
    const w = new Tensor(new Float64Array(12), [4, 3], { requiresGrad: true });
    F.embedding(w, [3, 1, 3]).sum().backward();
    assert.deepEqual(Array.from(w.gradRows!), [1, 3]);
    assert.deepEqual(Array.from(w.grad!), [0, 0, 0, 1, 1, 1, 0, 0, 0, 2, 2, 2]);
    // Accumulating a second sparse backward unions the rows.
    F.embedding(w, [0]).sum().backward();
    assert.deepEqual(Array.from(w.gradRows!), [0, 1, 3]);
    // After zeroGrad, the next sparse backward starts afresh.
    w.zeroGrad();
    F.embedding(w, [2]).sum().backward();
    assert.deepEqual(Array.from(w.gradRows!), [2]);
    // A dense contribution makes the gradient dense.
    F.embedding(w, [2]).sum().add(w.sum()).backward();
    assert.equal(w.gradRows, null);
  });
});

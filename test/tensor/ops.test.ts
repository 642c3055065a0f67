/** Forward values of tensor ops, broadcasting, shape ops, and their error messages. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { tensor, arange } from '../../src/tensor/index.js';

const f64 = { dtype: 'float64' as const };

describe('elementwise', () => {
  test('broadcasting like torch', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]], null, f64);
    assert.deepEqual(a.add(tensor([10, 20, 30], null, f64)).toArray(), [11, 22, 33, 14, 25, 36]);
    assert.deepEqual(a.mul(tensor([[2], [3]], null, f64)).toArray(), [2, 4, 6, 12, 15, 18]);
    assert.deepEqual(a.sub(1).div(2).toArray(), [0, 0.5, 1, 1.5, 2, 2.5]);
    const outer = tensor([1, 2], [2, 1], f64).mul(tensor([1, 10, 100], null, f64));
    assert.deepEqual(outer.shape, [2, 3]);
    assert.deepEqual(outer.toArray(), [1, 10, 100, 2, 20, 200]);
  });

  test('unary values', () => {
    const x = tensor([-2, 0, 3], null, f64);
    assert.deepEqual(x.relu().toArray(), [0, 0, 3]);
    assert.deepEqual(x.abs().toArray(), [2, 0, 3]);
    assert.deepEqual(x.square().toArray(), [4, 0, 9]);
    assert.deepEqual(x.clamp(-1, 1).toArray(), [-1, 0, 1]);
    assert.deepEqual(x.sign().toArray(), [-1, 0, 1]);
    assert.deepEqual(x.pow(3).toArray(), [-8, 0, 27]);
    assert.deepEqual(x.neg().toArray(), [2, -0, -3]);
    assert.equal(tensor([800, -800], null, f64).sigmoid().toArray().every(Number.isFinite), true);
    assert.deepEqual(x.maximum(0.5).toArray(), [0.5, 0.5, 3]);
  });

  test('float32 results are rounded to float32', () => {
    const y = tensor([1], null).div(3);
    assert.equal(y.item(), Math.fround(1 / 3));
  });

  test('errors: broadcast shapes and mixed dtypes are named', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]]);
    assert.throws(() => a.add(tensor([1, 2])), (e: Error) => e instanceof ShapeError && /add: shapes \[2, 3\] and \[2\] cannot be broadcast/.test(e.message));
    assert.throws(() => a.mul(tensor([1, 2, 3], null, f64)), (e: Error) => e instanceof ValueError && /mul: dtypes float32 and float64 do not match/.test(e.message));
    assert.throws(() => a.pow(NaN), /pow: invalid exponent NaN/);
    assert.throws(() => a.clamp(), /expected at least one of min and max/);
  });
});

describe('reductions', () => {
  const x = arange(24, undefined, 1, f64).reshape(2, 3, 4);
  test('sum and mean over dims, keepdim, negative dims', () => {
    assert.equal(x.sum().item(), 276);
    assert.deepEqual(x.sum(1).shape, [2, 4]);
    assert.deepEqual(x.sum(1).toArray().slice(0, 4), [12, 15, 18, 21]);
    assert.deepEqual(x.sum([0, 2], true).shape, [1, 3, 1]);
    assert.deepEqual(x.sum([0, 2], true).toArray(), [60, 92, 124]);
    assert.deepEqual(x.sum(-1).toArray(), [6, 22, 38, 54, 70, 86]);
    assert.deepEqual(x.mean(-1).toArray(), [1.5, 5.5, 9.5, 13.5, 17.5, 21.5]);
    assert.equal(x.mean().item(), 11.5);
  });

  test('max and argmax (ties to the first)', () => {
    const y = tensor([[1, 5, 5], [7, 2, 7]], null, f64);
    assert.equal(y.max().item(), 7);
    assert.deepEqual(y.max(1).toArray(), [5, 7]);
    assert.deepEqual(y.argmax(1).toArray(), [1, 0]);
    assert.deepEqual(y.argmax(0, true).shape, [1, 3]);
    assert.equal(y.argmax().item(), 3);
    const g = tensor([[1, 5, 5], [7, 2, 7]], null, { dtype: 'float64', requiresGrad: true });
    g.max(1).sum().backward();
    assert.deepEqual(Array.from(g.grad!), [0, 1, 0, 1, 0, 0]);
  });

  test('errors', () => {
    assert.throws(() => x.sum(3), /sum: invalid dim 3 for a tensor of 3 dims, expected an integer in \[-3, 2\]/);
    assert.throws(() => tensor([]).max(), /is empty/);
  });
});

describe('shape ops', () => {
  const x = arange(6, undefined, 1, f64);
  test('reshape/view share data; -1 is inferred', () => {
    const r = x.reshape(2, -1);
    assert.deepEqual(r.shape, [2, 3]);
    assert.equal(r.data, x.data);
    assert.deepEqual(x.view([3, 2]).shape, [3, 2]);
  });

  test('transpose, t, permute, flatten, unsqueeze, squeeze, expand', () => {
    const m = x.reshape(2, 3);
    assert.deepEqual(m.t().toArray(), [0, 3, 1, 4, 2, 5]);
    assert.deepEqual(m.transpose(-1, 0).shape, [3, 2]);
    const p = arange(24, undefined, 1, f64).reshape(2, 3, 4).permute(2, 0, 1);
    assert.deepEqual(p.shape, [4, 2, 3]);
    assert.deepEqual(p.toArray().slice(0, 6), [0, 4, 8, 12, 16, 20]);
    assert.deepEqual(p.flatten(1).shape, [4, 6]);
    assert.deepEqual(m.unsqueeze(1).shape, [2, 1, 3]);
    assert.deepEqual(m.unsqueeze(-1).shape, [2, 3, 1]);
    assert.deepEqual(m.unsqueeze(1).squeeze().shape, [2, 3]);
    assert.deepEqual(m.squeeze(0).shape, [2, 3]);
    assert.deepEqual(tensor([1, 2], [2, 1], f64).expand(2, 3).toArray(), [1, 1, 1, 2, 2, 2]);
    assert.deepEqual(tensor([1, 2], null, f64).expand(2, -1).toArray(), [1, 2, 1, 2]);
    assert.deepEqual(m.indexSelect(1, [2, 0]).toArray(), [2, 0, 5, 3]);
  });

  test('errors name the shapes', () => {
    assert.throws(() => x.reshape(4, 2), (e: Error) => e instanceof ShapeError && /cannot reshape \[6\] \(6 elements\) into \[4, 2\]/.test(e.message));
    assert.throws(() => x.reshape(-1, -1), /more than one -1/);
    assert.throws(() => x.reshape(2, 3).permute(0, 0), /invalid dims \[0, 0\]/);
    assert.throws(() => x.expand(2, 3), /cannot expand shape \[6\] to \[2, 3\]/);
    assert.throws(() => x.indexSelect(0, [6]), /index 6 at position 0 is out of range, expected an integer in \[0, 5\]/);
  });
});

describe('matmul', () => {
  test('2-D, 1-D and batched values', () => {
    const a = tensor([[1, 2], [3, 4]], null, f64);
    const b = tensor([[5, 6], [7, 8]], null, f64);
    assert.deepEqual(a.matmul(b).toArray(), [19, 22, 43, 50]);
    assert.deepEqual(tensor([1, 1], null, f64).matmul(a).toArray(), [4, 6]);
    assert.deepEqual(a.matmul(tensor([1, 1], null, f64)).toArray(), [3, 7]);
    assert.equal(tensor([1, 2], null, f64).matmul(tensor([3, 4], null, f64)).item(), 11);
    const batch = a.reshape(1, 2, 2).expand(3, 2, 2).matmul(b);
    assert.deepEqual(batch.shape, [3, 2, 2]);
    assert.deepEqual(batch.toArray().slice(8), [19, 22, 43, 50]);
  });

  test('shape errors name both shapes and the rule', () => {
    const a = tensor(new Float32Array(6), [2, 3]);
    const b = tensor(new Float32Array(20), [4, 5]);
    assert.throws(() => a.matmul(b), (e: Error) => e instanceof ShapeError && e.message === 'matmul: shapes [2, 3] and [4, 5] do not match: expected a.shape[1] == b.shape[0]');
  });
});

/** Tensor construction: factories, dtypes, shapes, the global generator, and their errors. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { ShapeError } from '../../src/core/errors.js';
import { Tensor, tensor, zeros, ones, full, randn, rand, arange, manualSeed, zerosLike, onesLike } from '../../src/tensor/index.js';

describe('factories', () => {
  test('tensor from nested arrays, flat arrays with a shape, typed arrays and numbers', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]]);
    assert.deepEqual(a.shape, [2, 3]);
    assert.equal(a.dtype, 'float32');
    assert.ok(a.data instanceof Float32Array);
    assert.deepEqual(a.toArray(), [1, 2, 3, 4, 5, 6]);
    const b = tensor([1, 2, 3, 4], [2, 2], { dtype: 'float64', requiresGrad: true });
    assert.ok(b.data instanceof Float64Array);
    assert.equal(b.requiresGrad, true);
    const src = new Float64Array([1, 2]);
    const c = tensor(src);
    c.data[0] = 9;
    assert.equal(src[0], 1, 'tensor() copies');
    assert.equal(c.dtype, 'float64', 'a Float64Array keeps float64');
    assert.equal(tensor(src, null, { dtype: 'float32' }).dtype, 'float32');
    assert.equal(tensor(new Int32Array([1, 2])).dtype, 'float32');
    const s = tensor(3.5);
    assert.deepEqual(s.shape, []);
    assert.equal(s.item(), 3.5);
    assert.equal(s.numel, 1);
  });

  test('zeros, ones, full, zerosLike, arange', () => {
    assert.deepEqual(zeros([2, 2]).toArray(), [0, 0, 0, 0]);
    assert.deepEqual(ones([3], { dtype: 'float64' }).toArray(), [1, 1, 1]);
    assert.deepEqual(full([2], 7).toArray(), [7, 7]);
    assert.deepEqual(zeros([0, 3]).shape, [0, 3]);
    assert.equal(zerosLike(tensor([1, 2], null, { dtype: 'float64' })).dtype, 'float64');
    assert.deepEqual(arange(4).toArray(), [0, 1, 2, 3]);
    assert.deepEqual(arange(1, 2, 0.25).toArray(), [1, 1.25, 1.5, 1.75]);
  });

  test('randn/rand are reproducible from manualSeed or an rng', () => {
    manualSeed(5);
    const a = randn([4]);
    manualSeed(5);
    const b = randn([4]);
    assert.deepEqual(a.toArray(), b.toArray());
    const c = rand([1000], { dtype: 'float64', rng: new Rng(3) });
    assert.ok(c.toArray().every((v) => v >= 0 && v < 1));
    const mean = c.toArray().reduce((p, v) => p + v, 0) / 1000;
    assert.ok(Math.abs(mean - 0.5) < 0.05);
    assert.deepEqual(rand([3], { rng: new Rng(3) }).toArray(), rand([3], { rng: new Rng(3) }).toArray());
  });

  test('satisfies the Parameter contract: data, grad, shape, name, gradRows', () => {
    const t = new Tensor(new Float32Array(6), [2, 3], { requiresGrad: true, name: 'w' });
    assert.equal(t.grad, null);
    assert.equal(t.gradRows, null);
    assert.equal(t.name, 'w');
    assert.deepEqual(t.size(), [2, 3]);
    assert.equal(t.size(-1), 3);
  });

  test('errors name the bad value', () => {
    assert.throws(() => tensor([[1, 2], [3]]), (e: Error) => e instanceof ShapeError && /ragged/.test(e.message));
    assert.throws(() => tensor([1, 2, 3], [2, 2]), /shape \[2, 2\] has 4 elements but data has 3/);
    assert.throws(() => zeros([2, -1]), /invalid shape \[2, -1\]/);
    assert.throws(() => tensor([1], null, { dtype: 'int8' as never }), /invalid dtype "int8"/);
    assert.throws(() => new Tensor([1, 2] as never), /expected a Float32Array or Float64Array/);
    assert.throws(() => tensor([1, 2]).item(), /has 2 elements, expected exactly 1/);
    assert.throws(() => tensor(['a'] as never), /invalid element "a"/);
  });

  test('errors name the public function called, not an internal one', () => {
    const message = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    assert.match(message(() => zeros([-1, 2])), /^zeros: invalid shape \[-1, 2\], expected an array of integers >= 0$/);
    assert.match(message(() => ones([2, 1.5])), /^ones: invalid shape \[2, 1.5\]/);
    assert.match(message(() => full([-3], 7)), /^full: invalid shape \[-3\]/);
    assert.match(message(() => zeros([2], { dtype: 'int8' as never })), /^zeros: invalid dtype "int8"/);
    assert.match(message(() => zerosLike(null as never)), /^zerosLike: invalid tensor null, expected a Tensor/);
    assert.match(message(() => onesLike(zeros([2]), { dtype: 'int8' as never })), /^onesLike: invalid dtype "int8"/);
    assert.match(message(() => manualSeed(-1.5)), /^manualSeed: invalid seed -1.5, expected an integer in \[0, 2\^53\)$/);
    assert.match(message(() => manualSeed('7' as never)), /^manualSeed: invalid seed "7"/);
    assert.match(message(() => new Rng(-1.5)), /^Rng: invalid seed -1.5/);
  });
});

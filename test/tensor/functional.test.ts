/** Forward behaviour of functional: losses, conv2d, pooling, batchNorm, dropout, embedding. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { Tensor, tensor, randn, zeros, ones, functional as F } from '../../src/tensor/index.js';

const f64 = { dtype: 'float64' as const };
const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

describe('crossEntropy', () => {
  test('matches logsumexp - picked logit, all reductions', () => {
    const z = tensor([[1, 2, 3], [0.5, -1, 0]], null, f64);
    const lse = (r: number[]) => Math.log(r.reduce((p, v) => p + Math.exp(v), 0));
    const rows = [lse([1, 2, 3]) - 3, lse([0.5, -1, 0]) - 0.5];
    close(F.crossEntropy(z, [2, 0]).item(), (rows[0]! + rows[1]!) / 2);
    close(F.crossEntropy(z, new Int32Array([2, 0]), { reduction: 'sum' }).item(), rows[0]! + rows[1]!);
    const none = F.crossEntropy(z, tensor([2, 0], null, f64), { reduction: 'none' });
    assert.deepEqual(none.shape, [2]);
    close(none.data[1]!, rows[1]!);
    close(F.crossEntropy(tensor([1, 2, 3], null, f64), [1]).item(), lse([1, 2, 3]) - 2);
  });

  for (const dtype of ['float32', 'float64'] as const) {
    test(`${dtype}: finite and correct for logits of magnitude 1e4`, () => {
      const z = tensor([[1e4, -1e4, 0], [0, 1e4, 1e4], [-1e4, -1e4, -1e4]], null, { dtype, requiresGrad: true });
      const loss = F.crossEntropy(z, [1, 2, 0]);
      const expected = (2e4 + Math.log(2) + Math.log(3)) / 3;
      assert.ok(Math.abs(loss.item() - expected) <= (dtype === 'float32' ? 1e-3 : 1e-10), `${loss.item()} vs ${expected}`);
      loss.backward();
      const g = Array.from(z.grad!);
      const want = [1, -1, 0, 0, 0.5, -0.5, 1 / 3 - 1, 1 / 3, 1 / 3].map((v) => v / 3);
      g.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < (dtype === 'float32' ? 1e-6 : 1e-12), `grad ${i}: ${v} vs ${want[i]}`));
    });
  }

  test('errors name the bad label and the valid range', () => {
    const z = zeros([2, 4]);
    assert.throws(() => F.crossEntropy(z, [1, 4]), (e: Error) => e instanceof ValueError && e.message === 'crossEntropy: target 4 at position 1 is out of range, expected a class index in [0, 3]');
    assert.throws(() => F.crossEntropy(z, [-1, 0]), /target -1 at position 0/);
    assert.throws(() => F.crossEntropy(z, [0.5, 0]), /target 0.5/);
    assert.throws(() => F.crossEntropy(z, [0]), (e: Error) => e instanceof ShapeError && /1 targets for 2 rows/.test(e.message));
    assert.throws(() => F.crossEntropy(z, [0, 1], { reduction: 'avg' as never }), /Invalid crossEntropy reduction: "avg", expected one of "mean", "sum", "none"/);
  });
});

describe('other losses and activations', () => {
  test('mseLoss', () => {
    close(F.mseLoss(tensor([1, 2], null, f64), tensor([0, 4], null, f64)).item(), 2.5);
    close(F.mseLoss(tensor([1, 2], null, f64), tensor([0, 4], null, f64), { reduction: 'sum' }).item(), 5);
    assert.throws(() => F.mseLoss(zeros([2]), zeros([3])), /input of shape \[2\] and target of shape \[3\] do not match/);
  });

  test('binaryCrossEntropyWithLogits is stable and matches the formula', () => {
    const x = tensor([-1000, -2, 0, 3, 1000], null, f64);
    const y = tensor([1, 0, 1, 0.3, 0], null, f64);
    const out = F.binaryCrossEntropyWithLogits(x, y, { reduction: 'none' }).toArray();
    const ref = [1000, Math.log1p(Math.exp(-2)), Math.log(2), 3 - 0.9 + Math.log1p(Math.exp(-3)), 1000];
    out.forEach((v, i) => close(v, ref[i]!));
  });

  test('softmax rows sum to 1; logSoftmax = log softmax', () => {
    const x = randn([3, 5], { dtype: 'float64', rng: new Rng(1) });
    const s = F.softmax(x, 1);
    for (let r = 0; r < 3; r++) close(s.toArray().slice(r * 5, r * 5 + 5).reduce((p, v) => p + v, 0), 1);
    F.logSoftmax(x, 1).toArray().forEach((v, i) => close(v, Math.log(s.data[i]!)));
  });

  test('linear = x wᵀ + b; errors name shapes', () => {
    const y = F.linear(tensor([[1, 2]], null, f64), tensor([[1, 0], [0, 1], [1, 1]], null, f64), tensor([0, 10, 100], null, f64));
    assert.deepEqual(y.toArray(), [1, 12, 103]);
    assert.throws(() => F.linear(zeros([2, 3]), zeros([4, 5])), /input of shape \[2, 3\] and weight of shape \[4, 5\] do not match/);
  });
});

describe('conv2d and maxPool2d', () => {
  function naiveConv(x: Tensor, w: Tensor, b: Tensor | null, s: number, p: number): number[] {
    const [n, c, h, wd] = x.shape as [number, number, number, number];
    const [o, , kh, kw] = w.shape as [number, number, number, number];
    const oh = Math.floor((h + 2 * p - kh) / s) + 1, ow = Math.floor((wd + 2 * p - kw) / s) + 1;
    const out: number[] = [];
    for (let bi = 0; bi < n; bi++) for (let oc = 0; oc < o; oc++) for (let y = 0; y < oh; y++) for (let xx = 0; xx < ow; xx++) {
      let acc = b ? b.data[oc]! : 0;
      for (let ic = 0; ic < c; ic++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
        const iy = y * s - p + i, ix = xx * s - p + j;
        if (iy >= 0 && iy < h && ix >= 0 && ix < wd) acc += x.data[((bi * c + ic) * h + iy) * wd + ix]! * w.data[((oc * c + ic) * kh + i) * kw + j]!;
      }
      out.push(acc);
    }
    return out;
  }

  test('conv2d matches a naive loop (stride, padding, bias)', () => {
    const rng = new Rng(4);
    const x = randn([2, 3, 6, 5], { dtype: 'float64', rng });
    const w = randn([4, 3, 3, 2], { dtype: 'float64', rng });
    const b = randn([4], { dtype: 'float64', rng });
    for (const [s, p] of [[1, 0], [2, 1], [1, 1]] as const) {
      const y = F.conv2d(x, w, b, { stride: s, padding: p });
      naiveConv(x, w, b, s, p).forEach((v, i) => close(y.data[i]!, v));
    }
    assert.deepEqual(F.conv2d(x, randn([2, 3, 3, 3], { dtype: 'float64', rng }), null, { padding: 'same' }).shape, [2, 2, 6, 5]);
  });

  test('conv2d errors', () => {
    assert.throws(() => F.conv2d(zeros([1, 2, 4, 4]), zeros([3, 1, 3, 3])), /expected input.shape\[1\] == weight.shape\[1\] \(1\)/);
    assert.throws(() => F.conv2d(zeros([2, 4, 4]), zeros([3, 2, 3, 3])), /input of shape \[2, 4, 4\] is not 4-D/);
    assert.throws(() => F.conv2d(zeros([1, 1, 2, 2]), zeros([1, 1, 3, 3])), /smaller than the kernel/);
    assert.throws(() => F.conv2d(zeros([1, 1, 4, 4]), zeros([1, 1, 3, 3]), null, { stride: 0 }), /invalid stride 0/);
  });

  test('maxPool2d values and shape', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], [1, 1, 4, 4], f64);
    assert.deepEqual(F.maxPool2d(x, 2).toArray(), [6, 8, 14, 16]);
    assert.deepEqual(F.maxPool2d(x, 3, { stride: 1, padding: 1 }).shape, [1, 1, 4, 4]);
    assert.throws(() => F.maxPool2d(x, 2, { padding: 2 }), /padding \[2, 2\] is too large/);
  });
});

describe('batchNorm', () => {
  test('training normalizes with biased var and updates running stats with unbiased var', () => {
    const x = tensor([[1, 10], [3, 20], [5, 60]], null, f64);
    const rm = zeros([2], f64), rv = ones([2], f64);
    const y = F.batchNorm(x, rm, rv, null, null, { training: true, momentum: 0.1, eps: 0 });
    const col0 = [1, 3, 5], m0 = 3, v0 = 8 / 3;
    col0.forEach((v, i) => close(y.data[i * 2]!, (v - m0) / Math.sqrt(v0)));
    close(rm.data[0]!, 0.3);
    close(rv.data[0]!, 0.9 + 0.1 * 4); // unbiased var of [1, 3, 5] is 4
    close(rm.data[1]!, 0.1 * 30);
  });

  test('4-D input, eval mode uses the running stats', () => {
    const rng = new Rng(2);
    const x = randn([2, 3, 2, 2], { dtype: 'float64', rng });
    const rm = tensor([0.5, -1, 2], null, f64), rv = tensor([4, 1, 0.25], null, f64);
    const w = tensor([2, 1, 1], null, f64), b = tensor([0, 1, 0], null, f64);
    const y = F.batchNorm(x, rm, rv, w, b, { eps: 0 });
    close(y.data[0]!, (x.data[0]! - 0.5) / 2 * 2);
    close(y.data[4]!, x.data[4]! + 1 + 1);
    assert.deepEqual(rm.toArray(), [0.5, -1, 2], 'eval leaves running stats alone');
  });

  test('errors', () => {
    assert.throws(() => F.batchNorm(zeros([1, 3]), null, null, null, null, { training: true }), /more than 1 value per channel/);
    assert.throws(() => F.batchNorm(zeros([4, 3]), zeros([2]), ones([3])), /runningMean of shape \[2\] does not match input \[4, 3\]/);
  });
});

describe('dropout and embedding', () => {
  test('inverted dropout: zeros with probability p, scales the rest by 1/(1-p)', () => {
    const x = ones([10000], f64);
    const y = F.dropout(x, 0.25, true, new Rng(3)).toArray();
    const kept = y.filter((v) => v !== 0);
    assert.ok(kept.every((v) => Math.abs(v - 4 / 3) < 1e-15));
    assert.ok(Math.abs(kept.length / 10000 - 0.75) < 0.02);
    assert.equal(F.dropout(x, 0.5, false), x);
    assert.ok(F.dropout(x, 1, true, new Rng(1)).toArray().every((v) => v === 0));
    assert.throws(() => F.dropout(x, 1.5), /invalid p 1.5/);
  });

  test('embedding picks rows into [...indexShape, D]', () => {
    const w = tensor([[0, 1], [2, 3], [4, 5]], null, f64);
    const e = F.embedding(w, new Int32Array([2, 0, 1, 2]), [2, 2]);
    assert.deepEqual(e.shape, [2, 2, 2]);
    assert.deepEqual(e.toArray(), [4, 5, 0, 1, 2, 3, 4, 5]);
    assert.throws(() => F.embedding(w, [3]), /index 3 at position 0 is out of range, expected an integer in \[0, 2\]/);
  });
});

describe('nllLoss', () => {
  test('equals crossEntropy on logSoftmax output; errors name the op', () => {
    const z = randn([4, 3], { dtype: 'float64', rng: new Rng(8) });
    const y = [2, 0, 1, 1];
    close(F.nllLoss(F.logSoftmax(z, 1), y).item(), F.crossEntropy(z, y).item());
    close(F.nllLoss(tensor([-1, -2, -3], null, f64), [2], { reduction: 'sum' }).item(), 3);
    assert.throws(() => F.nllLoss(z, [0, 1, 2, 3]), /nllLoss: target 3 at position 3 is out of range, expected a class index in \[0, 2\]/);
  });
});

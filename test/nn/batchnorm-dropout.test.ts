import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { BatchNorm1d, BatchNorm2d } from '../../src/nn/layers/batchnorm.js';
import { Dropout } from '../../src/nn/layers/dropout.js';
import { gradcheck, randomTensor, weightedSum } from './gradcheck.js';

const close = (actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-12) => {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tol * Math.max(1, Math.abs(expected[i]!)), `[${i}] ${actual[i]} vs ${expected[i]}`);
  }
};

/** Per-channel mean and biased variance of x [N, C, ...rest], straight from the definition. */
function channelStats(x: Tensor): { mean: number[]; variance: number[]; count: number } {
  const [n, c] = x.shape as [number, number];
  const inner = x.data.length / (n * c);
  const mean: number[] = [], variance: number[] = [];
  for (let ch = 0; ch < c; ch++) {
    const values: number[] = [];
    for (let i = 0; i < n; i++) for (let j = 0; j < inner; j++) values.push(x.data[(i * c + ch) * inner + j]!);
    const m = values.reduce((s, v) => s + v, 0) / values.length;
    mean.push(m);
    variance.push(values.reduce((s, v) => s + (v - m) ** 2, 0) / values.length);
  }
  return { mean, variance, count: n * inner };
}

function normalizeBy(x: Tensor, mean: number[], variance: number[], weight: ArrayLike<number>, bias: ArrayLike<number>, eps: number): number[] {
  const [n, c] = x.shape as [number, number];
  const inner = x.data.length / (n * c);
  return Array.from(x.data, (v, k) => {
    const ch = Math.floor(k / inner) % c;
    return ((v - mean[ch]!) / Math.sqrt(variance[ch]! + eps)) * weight[ch]! + bias[ch]!;
  });
}

describe('BatchNorm', () => {
  test('BatchNorm1d by hand: two values per channel', () => {
    const bn = new BatchNorm1d(1, { dtype: 'float64' });
    const y = bn.call(new Tensor(Float64Array.from([1, 3]), [2, 1]));
    const s = 1 / Math.sqrt(1 + 1e-5);
    close(y.data, [-s, s]);
    close(bn.runningMean!.data, [0.2]);
    close(bn.runningVar!.data, [0.9 + 0.1 * 2]); // unbiased variance of {1, 3} is 2
    assert.equal(bn.numBatchesTracked!.data[0], 1);
  });

  for (const [name, make, shape] of [
    ['BatchNorm1d [N, C]', () => new BatchNorm1d(3, { dtype: 'float64' }), [5, 3]],
    ['BatchNorm1d [N, C, L]', () => new BatchNorm1d(3, { dtype: 'float64' }), [4, 3, 2]],
    ['BatchNorm2d', () => new BatchNorm2d(3, { dtype: 'float64' }), [2, 3, 2, 3]],
  ] as const) {
    test(`${name}: output, running statistics after several passes (torch's formula), eval`, () => {
      const bn = make();
      new Rng(1).fillUniform(bn.weight!.data, 0.5, 2);
      new Rng(2).fillNormal(bn.bias!.data);
      let mean = [0, 0, 0], variance = [1, 1, 1];
      for (let pass = 0; pass < 4; pass++) {
        const x = randomTensor([...shape], 10 + pass, 1 + pass);
        for (let i = 0; i < x.data.length; i++) x.data[i]! += pass;
        const stats = channelStats(x);
        close(bn.call(x).data, normalizeBy(x, stats.mean, stats.variance, bn.weight!.data, bn.bias!.data, 1e-5), 1e-10);
        mean = mean.map((m, c) => 0.9 * m + 0.1 * stats.mean[c]!);
        variance = variance.map((v, c) => 0.9 * v + 0.1 * stats.variance[c]! * stats.count / (stats.count - 1));
      }
      close(bn.runningMean!.data, mean, 1e-12);
      close(bn.runningVar!.data, variance, 1e-12);
      assert.equal(bn.numBatchesTracked!.data[0], 4);

      bn.eval();
      const x = randomTensor([...shape], 20);
      const before = Array.from(bn.runningMean!.data);
      close(bn.call(x).data, normalizeBy(x, mean, variance, bn.weight!.data, bn.bias!.data, 1e-5), 1e-10);
      assert.deepEqual(Array.from(bn.runningMean!.data), before, 'eval leaves running stats alone');
      assert.equal(bn.numBatchesTracked!.data[0], 4);
    });

    test(`${name}: gradients match finite differences in training mode`, () => {
      const bn = make();
      new Rng(3).fillUniform(bn.weight!.data, 0.5, 2);
      new Rng(4).fillNormal(bn.bias!.data);
      const x = randomTensor([...shape], 5);
      const { worst } = gradcheck(() => weightedSum(bn.call(x)), [x, bn.weight!, bn.bias!]);
      assert.ok(worst < 1e-6, `relative error ${worst}`);
    });
  }

  test('momentum null is a cumulative average; buffers are in the state dict, not parameters', () => {
    const bn = new BatchNorm1d(1, { momentum: null, dtype: 'float64' });
    bn.call(new Tensor(Float64Array.from([1, 3]), [2, 1]));
    bn.call(new Tensor(Float64Array.from([5, 7]), [2, 1]));
    close(bn.runningMean!.data, [(2 + 6) / 2]);
    assert.deepEqual(bn.namedParameters().map(([n]) => n), ['weight', 'bias']);
    assert.deepEqual(Object.keys(bn.stateDict()), ['weight', 'bias', 'runningMean', 'runningVar', 'numBatchesTracked']);
  });

  test('running statistics travel through stateDict and drive eval', () => {
    const a = new BatchNorm2d(2, { dtype: 'float64' });
    for (let i = 0; i < 3; i++) a.call(randomTensor([3, 2, 2, 2], 30 + i, 2));
    const b = new BatchNorm2d(2, { dtype: 'float64' });
    b.loadStateDict(a.stateDict());
    assert.deepEqual(b.runningVar!.data, a.runningVar!.data);
    assert.equal(b.numBatchesTracked!.data[0], 3);
    const x = randomTensor([2, 2, 2, 2], 40);
    assert.deepEqual(b.eval().call(x).data, a.eval().call(x).data);
    assert.notDeepEqual(b.call(x).data, new BatchNorm2d(2, { dtype: 'float64' }).eval().call(x).data);
  });

  test('validates arguments and input', () => {
    assert.throws(() => new BatchNorm2d(0), /BatchNorm2d: invalid numFeatures 0/);
    assert.throws(() => new BatchNorm1d(2, { momentum: 2 }), /invalid momentum 2/);
    assert.throws(() => new BatchNorm1d(2, { eps: 0 }), /invalid eps 0/);
    const bn = new BatchNorm2d(3);
    assert.throws(() => bn.call(new Tensor(new Float32Array(8), [2, 4])), /BatchNorm2d: input has shape \[2, 4\] \(2 dims\), expected \[N, C, H, W\]/);
    assert.throws(() => bn.call(new Tensor(new Float32Array(16), [1, 4, 2, 2])), /input has 4 channels \(shape \[1, 4, 2, 2\]\), expected 3/);
    assert.throws(() => new BatchNorm1d(2).call(new Tensor(new Float32Array(2), [1, 2])), /expected more than 1 value per channel when training/);
  });
});

describe('Dropout', () => {
  test('keeps units scaled by 1/(1-p), drops about p of them, seeded', () => {
    const x = new Tensor(new Float64Array(20_000).fill(1), [100, 200]);
    const y = new Dropout(0.3, { rng: new Rng(1) }).call(x);
    const z = new Dropout(0.3, { rng: new Rng(1) }).call(x);
    assert.deepEqual(y.data, z.data);
    let dropped = 0;
    for (const v of y.data) {
      if (v === 0) dropped++;
      else assert.ok(Math.abs(v - 1 / 0.7) < 1e-12, `kept value ${v}`);
    }
    assert.ok(Math.abs(dropped / y.data.length - 0.3) < 0.015, `dropped fraction ${dropped / y.data.length}`);
    const other = new Dropout(0.3, { rng: new Rng(2) }).call(x);
    assert.notDeepEqual(other.data, y.data);
  });

  test('identity in eval and for p = 0; zeros for p = 1', () => {
    const x = new Tensor(Float64Array.from([1, 2, 3]), [3]);
    const d = new Dropout(0.5, { rng: new Rng(0) });
    d.eval();
    assert.deepEqual(Array.from(d.call(x).data), [1, 2, 3]);
    assert.deepEqual(Array.from(new Dropout(0).call(x).data), [1, 2, 3]);
    assert.deepEqual(Array.from(new Dropout(1, { rng: new Rng(0) }).call(x).data), [0, 0, 0]);
  });

  test('the gradient is the same mask', () => {
    const x = new Tensor(new Float64Array(100).fill(2), [100]).requiresGrad_(true);
    const y = new Dropout(0.5, { rng: new Rng(3) }).call(x);
    y.sum().backward();
    for (let i = 0; i < 100; i++) assert.equal(x.grad![i], y.data[i]! / 2);
  });

  test('validates p', () => {
    assert.throws(() => new Dropout(1.5), /Dropout: invalid p 1.5, expected a probability in \[0, 1\]/);
    assert.throws(() => new Dropout(NaN), /invalid p NaN/);
  });
});

/** Gradient clipping and AveragedModel beyond the torch fixtures: edge cases, validation, state. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { clipGradNorm, clipGradValue } from '../../src/optim/utils/index.js';
import { AveragedModel } from '../../src/optim/averaging/index.js';
import type { Parameter } from '../../src/core/param.js';

const param = (grad: number[] | null, data: number[] = []): Parameter => ({
  data: Float64Array.from(data.length ? data : (grad ?? [0])),
  grad: grad === null ? null : Float64Array.from(grad),
});

describe('clipGradNorm', () => {
  test('skips null grads and returns the norm over the others', () => {
    const a = param([3, 0]);
    const b = param(null, [1, 2]);
    const c = param([0, 4]);
    const total = clipGradNorm([a, b, c], 1);
    assert.equal(total, 5);
    assert.ok(Math.abs(a.grad![0]! - 3 / (5 + 1e-6)) < 1e-15);
    assert.equal(b.grad, null);
  });
  test('p = 3 and Infinity, a single Parameter', () => {
    assert.ok(Math.abs(clipGradNorm(param([1, 2, 2]), 100, 3) - 17 ** (1 / 3)) < 1e-14);
    const p = param([-7, 2]);
    assert.equal(clipGradNorm(p, 3.5, 'inf'), 7);
    assert.ok(Math.abs(p.grad![0]! + 3.5) < 1e-6);
  });
  test('no gradients at all: returns 0', () => {
    assert.equal(clipGradNorm([param(null)], 1), 0);
  });
  test('non-finite norm: scaled like torch, or refused with errorIfNonfinite', () => {
    assert.ok(Number.isNaN(clipGradNorm([param([NaN, 1])], 1)));
    assert.throws(() => clipGradNorm([param([Infinity, 1])], 1, 2, { errorIfNonfinite: true }), /total norm of order 2 .* is Infinity/);
  });
  test('bad arguments are refused', () => {
    assert.throws(() => clipGradNorm([param([1])], -1), /maxNorm -1/);
    assert.throws(() => clipGradNorm([param([1])], 1, 0), /normType 0/);
    assert.throws(() => clipGradNorm([param([1])], 1, 'two' as never), /normType "two"/);
    assert.throws(() => clipGradNorm([{ grad: null } as never], 1), /params\[0\]/);
    assert.throws(() => clipGradNorm(5 as never, 1), /invalid params 5/);
  });
});

describe('clipGradValue', () => {
  test('clamps to [-c, c] and skips null grads', () => {
    const a = param([-3, 0.5, 2]);
    clipGradValue([a, param(null)], 1);
    assert.deepEqual(Array.from(a.grad!), [-1, 0.5, 1]);
  });
  test('bad clip value', () => {
    assert.throws(() => clipGradValue([param([1])], -0.5), /clipValue -0\.5/);
  });
});

describe('AveragedModel', () => {
  test('swa: equal-weight running mean; copyTo writes it into params', () => {
    const p = param(null, [0, 0]);
    const model = new AveragedModel([p]);
    for (const v of [1, 2, 6]) {
      p.data.fill(v);
      model.updateParameters([p]);
    }
    assert.equal(model.nAveraged, 3);
    assert.deepEqual(Array.from(model.averages[0]!), [3, 3]);
    model.copyTo([p]);
    assert.deepEqual(Array.from(p.data), [3, 3]);
    assert.deepEqual(Array.from(model.parameters()[0]!.data), [3, 3]);
  });
  test('ema and a custom rule', () => {
    const p = param(null, [1]);
    const ema = new AveragedModel([p], { avgFn: 'ema', decay: 0.5 });
    const last = new AveragedModel([p], { avgFn: (_avg, x) => x });
    for (const v of [1, 3, 5]) {
      p.data[0] = v;
      ema.updateParameters([p]);
      last.updateParameters([p]);
    }
    assert.equal(ema.averages[0]![0], 0.5 * (0.5 * 1 + 0.5 * 3) + 0.5 * 5);
    assert.equal(last.averages[0]![0], 5);
  });
  test('keeps the dtype of the parameters', () => {
    const p: Parameter = { data: new Float32Array([1, 2]), grad: null };
    assert.ok(new AveragedModel([p]).averages[0] instanceof Float32Array);
  });
  test('stateDict round trip through JSON continues identically', () => {
    const p = param(null, [0.5, -1]);
    const a = new AveragedModel([p], { avgFn: 'ema', decay: 0.9 });
    a.updateParameters([p]);
    p.data[0] = 2;
    a.updateParameters([p]);
    const b = new AveragedModel([p], { avgFn: 'ema', decay: 0.9 });
    b.loadStateDict(JSON.parse(JSON.stringify(a.stateDict())));
    p.data[1] = 4;
    a.updateParameters([p]);
    b.updateParameters([p]);
    assert.equal(b.nAveraged, 3);
    assert.deepEqual(Array.from(b.averages[0]!), Array.from(a.averages[0]!));
    assert.throws(() => new AveragedModel([p]).loadStateDict(a.stateDict()), /saved with avgFn "ema"/);
  });
  test('bad arguments are refused', () => {
    const p = param(null, [1, 2]);
    assert.throws(() => new AveragedModel([]), /non-empty array of Parameters/);
    assert.throws(() => new AveragedModel([p], { avgFn: 'mean' as never }), /avgFn "mean"/);
    assert.throws(() => new AveragedModel([p], { avgFn: 'ema', decay: 1 }), /decay 1/);
    assert.throws(() => new AveragedModel([p], { decy: 0.9 } as never), /unknown option "decy"/);
    const m = new AveragedModel([p]);
    assert.throws(() => m.updateParameters([p, p]), /got 2 params, expected 1/);
    assert.throws(() => m.updateParameters([param(null, [1, 2, 3])]), /has 3 elements, expected 2/);
  });
});

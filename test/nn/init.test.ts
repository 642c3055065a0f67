import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { manualSeed } from '../../src/tensor/factories.js';
import * as init from '../../src/nn/init.js';

function moments(a: ArrayLike<number>): { mean: number; variance: number; min: number; max: number } {
  let s = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < a.length; i++) { s += a[i]!; min = Math.min(min, a[i]!); max = Math.max(max, a[i]!); }
  const mean = s / a.length;
  let v = 0;
  for (let i = 0; i < a.length; i++) v += (a[i]! - mean) ** 2;
  return { mean, variance: v / a.length, min, max };
}

const target = (shape: number[], dtype: 'float32' | 'float64' = 'float64') => {
  const n = shape.reduce((a, b) => a * b, 1);
  return { data: dtype === 'float64' ? new Float64Array(n) : new Float32Array(n), shape };
};

describe('fans and gains', () => {
  test('calculateFanInAndFanOut follows torch: conv fanIn = inC*kh*kw', () => {
    assert.deepEqual(init.calculateFanInAndFanOut([10, 784]), { fanIn: 784, fanOut: 10 });
    assert.deepEqual(init.calculateFanInAndFanOut([64, 16, 3, 5]), { fanIn: 16 * 15, fanOut: 64 * 15 });
    assert.throws(() => init.calculateFanInAndFanOut([5]), /shape \[5\] has 1 dims, expected at least 2/);
  });

  test('calculateGain values', () => {
    assert.equal(init.calculateGain('relu'), Math.SQRT2);
    assert.equal(init.calculateGain('tanh'), 5 / 3);
    assert.equal(init.calculateGain('linear'), 1);
    assert.ok(Math.abs(init.calculateGain('leakyRelu', 0.2) - Math.sqrt(2 / 1.04)) < 1e-15);
    assert.throws(() => init.calculateGain('swish' as never), /invalid nonlinearity "swish"/);
  });
});

describe('seeding', () => {
  test('same seed gives the same weights, a different seed different ones', () => {
    const a = init.glorotUniform(target([20, 30]), { rng: new Rng(7) });
    const b = init.glorotUniform(target([20, 30]), { rng: new Rng(7) });
    const c = init.glorotUniform(target([20, 30]), { rng: new Rng(8) });
    assert.deepEqual(a.data, b.data);
    assert.notDeepEqual(a.data, c.data);
  });

  test('without rng the global generator is used and manualSeed fixes it', () => {
    manualSeed(3);
    const a = init.normal(new Float64Array(50), 0, 1);
    manualSeed(3);
    const b = init.normal(new Float64Array(50), 0, 1);
    assert.deepEqual(a, b);
    const c = init.normal(new Float64Array(50), 0, 1);
    assert.notDeepEqual(b, c);
  });
});

describe('distributions', () => {
  test('zeros, ones, constant', () => {
    assert.deepEqual(Array.from(init.constant(new Float32Array(3), 2.5)), [2.5, 2.5, 2.5]);
    assert.deepEqual(Array.from(init.ones(new Float32Array(2))), [1, 1]);
    assert.deepEqual(Array.from(init.zeros(new Float64Array([1, 2]))), [0, 0]);
  });

  test('uniform stays in [a, b) with the right mean', () => {
    const w = init.uniform(new Float64Array(20_000), -2, 3, { rng: new Rng(1) });
    const m = moments(w);
    assert.ok(m.min >= -2 && m.max < 3);
    assert.ok(Math.abs(m.mean - 0.5) < 0.05, `mean ${m.mean}`);
    assert.ok(Math.abs(m.variance - 25 / 12) / (25 / 12) < 0.05, `variance ${m.variance}`);
  });

  test('normal mean and std', () => {
    const w = init.normal(new Float64Array(20_000), 1, 0.5, { rng: new Rng(2) });
    const m = moments(w);
    assert.ok(Math.abs(m.mean - 1) < 0.02, `mean ${m.mean}`);
    assert.ok(Math.abs(Math.sqrt(m.variance) - 0.5) < 0.02, `std ${Math.sqrt(m.variance)}`);
  });

  test('truncatedNormal stays within 2 std of the mean, with the truncated variance', () => {
    const w = init.truncatedNormal(new Float64Array(20_000), 0.5, 0.1, { rng: new Rng(3) });
    const m = moments(w);
    assert.ok(m.min >= 0.5 - 0.2 - 1e-12 && m.max <= 0.5 + 0.2 + 1e-12, `range [${m.min}, ${m.max}]`);
    // Var of N(0,1) truncated to [-2, 2] is 1 - 4 φ(2) / (2Φ(2) - 1) ≈ 0.7737.
    assert.ok(Math.abs(m.variance / 0.01 - 0.7737) < 0.03, `variance ratio ${m.variance / 0.01}`);
    // Untruncated draws would exceed 2 std about 4.6% of the time; check the far tail is really empty.
    assert.ok(m.max - m.min > 0.39, 'draws should reach near both bounds');
  });

  const cases: [string, (t: ReturnType<typeof target>, rng: Rng) => unknown, number[], number][] = [
    ['glorotUniform linear', (t, rng) => init.glorotUniform(t, { rng }), [200, 300], 2 / 500],
    ['glorotNormal linear', (t, rng) => init.glorotNormal(t, { rng }), [200, 300], 2 / 500],
    ['glorotUniform conv', (t, rng) => init.glorotUniform(t, { rng }), [32, 16, 3, 3], 2 / (144 + 288)],
    ['heUniform linear', (t, rng) => init.heUniform(t, { rng }), [200, 300], 2 / 300],
    ['heNormal conv', (t, rng) => init.heNormal(t, { rng }), [32, 16, 3, 3], 2 / 144],
    ['heNormal fanOut', (t, rng) => init.heNormal(t, { rng, mode: 'fanOut' }), [200, 300], 2 / 200],
    ['glorotUniform with gain', (t, rng) => init.glorotUniform(t, { rng, gain: 2 }), [200, 300], 4 * 2 / 500],
  ];
  for (const [name, fill, shape, variance] of cases) {
    test(`${name}: variance matches theory (${variance.toPrecision(3)})`, () => {
      const t = target(shape);
      fill(t, new Rng(11));
      const m = moments(t.data);
      assert.ok(Math.abs(m.mean) < 4 * Math.sqrt(variance / t.data.length) + 1e-12, `mean ${m.mean}`);
      assert.ok(Math.abs(m.variance / variance - 1) < 0.06, `variance ${m.variance}, expected ${variance}`);
    });
  }

  test('uniform initializers respect their bound', () => {
    const t = init.heUniform(target([50, 40]), { rng: new Rng(4) });
    const bound = Math.SQRT2 * Math.sqrt(3 / 40);
    const m = moments(t.data);
    assert.ok(m.min >= -bound && m.max <= bound);
    assert.ok(m.max > 0.95 * bound && m.min < -0.95 * bound);
  });

  test('typed arrays take explicit fans', () => {
    const a = init.glorotUniform(new Float64Array(30), { fanIn: 5, fanOut: 6, rng: new Rng(5) });
    const b = init.glorotUniform(target([6, 5]), { rng: new Rng(5) });
    assert.deepEqual(a, b.data);
    const c = init.heNormal(new Float64Array(30), { fanIn: 5, rng: new Rng(6) });
    const d = init.heNormal(target([6, 5]), { rng: new Rng(6) });
    assert.deepEqual(c, d.data);
  });

  test('float32 targets are filled (rounded) too', () => {
    const t = init.normal(target([4, 4], 'float32'), 0, 1, { rng: new Rng(1) });
    assert.ok(t.data instanceof Float32Array);
    assert.ok(t.data.some((x) => x !== 0));
  });
});

describe('validation', () => {
  test('bad arguments are named', () => {
    assert.throws(() => init.normal(new Float64Array(2), 0, -1), /init.normal: invalid std -1, expected std >= 0/);
    assert.throws(() => init.uniform(new Float64Array(2), 1, 0), /invalid bounds a = 1, b = 0/);
    assert.throws(() => init.glorotUniform(new Float64Array(2)), /cannot compute fans of a typed array/);
    assert.throws(() => init.glorotUniform(target([7])), /cannot compute fans of shape \[7\]/);
    assert.throws(() => init.heNormal(target([3, 3]), { mode: 'fan_in' as never }), /invalid mode "fan_in"/);
    assert.throws(() => init.zeros([1, 2] as never), /invalid target/);
    assert.throws(() => init.constant(new Float64Array(1), NaN), /invalid value NaN/);
  });
});

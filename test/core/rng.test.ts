import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';

test('same seed gives the same stream; different seeds differ', () => {
  const a = new Rng(42), b = new Rng(42), c = new Rng(43);
  const xa = Array.from({ length: 8 }, () => a.random());
  const xb = Array.from({ length: 8 }, () => b.random());
  const xc = Array.from({ length: 8 }, () => c.random());
  assert.deepEqual(xa, xb);
  assert.notDeepEqual(xa, xc);
});

test('uniform moments and range', () => {
  const r = new Rng(1);
  let sum = 0, sq = 0, min = 1, max = 0;
  const n = 100_000;
  for (let i = 0; i < n; i++) {
    const u = r.random();
    sum += u; sq += u * u; min = Math.min(min, u); max = Math.max(max, u);
  }
  assert.ok(min >= 0 && max < 1);
  assert.ok(Math.abs(sum / n - 0.5) < 0.01);
  assert.ok(Math.abs(sq / n - sum * sum / n / n - 1 / 12) < 0.01);
});

test('normal has mean 0 and variance 1; truncated normal stays within 2 sigma', () => {
  const r = new Rng(2);
  const n = 100_000;
  let sum = 0, sq = 0;
  for (let i = 0; i < n; i++) { const z = r.normal(); sum += z; sq += z * z; }
  assert.ok(Math.abs(sum / n) < 0.02);
  assert.ok(Math.abs(sq / n - 1) < 0.02);
  const t = r.fillTruncatedNormal(new Float64Array(20_000), 1, 0.5);
  assert.ok(t.every((x) => x >= 0 && x <= 2));
  // variance of a standard normal truncated at ±2 is about 0.774
  const m = t.reduce((a, b) => a + b, 0) / t.length;
  const v = t.reduce((a, b) => a + (b - m) ** 2, 0) / t.length;
  assert.ok(Math.abs(v / 0.25 - 0.774) < 0.03, `variance ratio ${v / 0.25}`);
});

test('permutation is a permutation and is seeded', () => {
  const p = new Rng(3).permutation(1000);
  assert.deepEqual(Array.from(p).sort((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => i));
  assert.deepEqual(p, new Rng(3).permutation(1000));
  assert.notDeepEqual(Array.from(p), Array.from({ length: 1000 }, (_, i) => i));
});

test('split streams are independent of the parent and of draws elsewhere', () => {
  const root = new Rng(7);
  const a1 = root.split('init').random();
  const a2 = root.split('init').random();
  assert.equal(a1, a2, 'split does not advance the parent');
  assert.notEqual(root.split('init').random(), root.split('data').random());
});

test('state round-trips exactly, including the pending normal', () => {
  const r = new Rng(9);
  r.normal();
  const saved = JSON.parse(JSON.stringify(r.getState()));
  const next = [r.normal(), r.random(), r.normal()];
  const s = Rng.fromState(saved);
  assert.deepEqual([s.normal(), s.random(), s.normal()], next);
});

test('bad seeds and states are refused with the value', () => {
  assert.throws(() => new Rng(-1), /invalid seed -1/);
  assert.throws(() => new Rng(1.5), /invalid seed 1.5/);
  assert.throws(() => new Rng(0).setState({ s: [1, 2], spare: null } as never), /invalid state/);
});

/**
 * Why schedules exist: on a noisy quadratic, SGD with a constant lr settles into a noise ball
 * whose size is proportional to the lr and keeps fluctuating, while a decaying lr (satisfying
 * the Robbins-Monro conditions) drives the iterate to the minimum.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import type { Schedule } from '../../src/core/schedule.js';
import { LambdaLR, searchThenConverge, type SchedulableGroup } from '../../src/optim/schedules/index.js';

const CURVATURES = [1, 0.5, 2, 1.5];
const NOISE = 1;
const STEPS = 3000;

/**
 * f(x) = 0.5 sum_i a_i x_i^2 with gradient a_i x_i + N(0, NOISE^2); plain SGD x -= lr g with the
 * lr read from `lrAt` before each step and `afterStep` called after it. Returns the mean of
 * ||x||^2 over the last 500 steps.
 */
function run(lrAt: (t: number) => number, afterStep: () => void = () => {}): number {
  const rng = new Rng(7);
  const x = Float64Array.from(CURVATURES, () => 3);
  let tail = 0;
  for (let t = 0; t < STEPS; t++) {
    const lr = lrAt(t);
    for (let i = 0; i < x.length; i++) x[i] = x[i]! - lr * (CURVATURES[i]! * x[i]! + NOISE * rng.normal());
    afterStep();
    if (t >= STEPS - 500) tail += x.reduce((s, v) => s + v * v, 0) / 500;
  }
  return tail;
}

test('SGD with a decaying schedule converges on a noisy quadratic; constant-lr SGD keeps fluctuating', () => {
  const constant = run(() => 0.2);
  const decay: Schedule = searchThenConverge(0.2, 20);
  const decayed = run(decay);

  // The same schedule driving a param group through LambdaLR (optimizer.step(); scheduler.step()).
  const opt = { paramGroups: [{ lr: 0.2 }] as SchedulableGroup[] };
  const scheduler = new LambdaLR(opt, { lrLambda: searchThenConverge(1, 20) });
  const scheduled = run(() => opt.paramGroups[0]!.lr, () => scheduler.step());

  // Constant lr: the stationary E||x||^2 is about sum lr NOISE^2 / (2 a_i - lr a_i^2), about 0.4 here.
  assert.ok(constant > 0.2, `constant-lr SGD should stay in its noise ball, got E||x||^2 = ${constant}`);
  assert.ok(decayed < constant / 10, `decayed ${decayed} vs constant ${constant}`);
  assert.ok(scheduled < constant / 10, `LambdaLR-driven ${scheduled} vs constant ${constant}`);
  assert.ok(Math.abs(scheduled - decayed) <= 1e-12 * Math.max(1, decayed), 'schedule function and LambdaLR give the same run');
});

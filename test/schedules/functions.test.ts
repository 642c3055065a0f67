/**
 * Schedule functions: their values at chosen steps, agreement with the scheduler classes
 * that share their definitions, and the combinators.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  constantSchedule, piecewiseConstantSchedule, stepDecaySchedule, exponentialDecaySchedule, cosineDecaySchedule,
  polynomialSchedule, linearSchedule, searchThenConverge, inverseTimeDecay, joinSchedules, withWarmup, linearWarmup,
  warmupCosine, inverseSqrtSchedule, cyclicSchedule, oneCycleSchedule,
  StepLR, CosineAnnealingLR, PolynomialLR, OneCycleLR, CyclicLR, ExponentialLR, type SchedulableGroup,
} from '../../src/optim/schedules/index.js';
import type { Schedule } from '../../src/core/schedule.js';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

function sgd(lr = 0.1): { paramGroups: SchedulableGroup[]; defaults: object } {
  return { paramGroups: [{ lr, momentum: 0.9 }], defaults: { lr, momentum: 0.9 } };
}

/** The lr a scheduler sets at steps 0..n-1 (step k's lr is the one used by update k+1). */
function lrsOf(make: (opt: ReturnType<typeof sgd>) => { step(): void }, n: number, lr = 0.1): number[] {
  const opt = sgd(lr);
  const s = make(opt);
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    out.push(opt.paramGroups[0]!.lr);
    s.step();
  }
  return out;
}

function valuesOf(schedule: Schedule, n: number): number[] {
  return Array.from({ length: n }, (_, k) => schedule(k));
}

describe('schedule functions', () => {
  test('constant, piecewise constant, step decay', () => {
    assert.deepEqual(valuesOf(constantSchedule(0.3), 3), [0.3, 0.3, 0.3]);
    assert.deepEqual(valuesOf(piecewiseConstantSchedule([1, 0.5, 0.1], [2, 4]), 6), [1, 1, 0.5, 0.5, 0.1, 0.1]);
    const s = stepDecaySchedule(1, 3, 0.5);
    assert.deepEqual([s(0), s(2), s(3), s(5), s(6)], [1, 1, 0.5, 0.5, 0.25]);
  });

  test('exponential decay: smooth, staircase, clipped at endValue', () => {
    close(exponentialDecaySchedule(2, 0.5)(3), 0.25);
    close(exponentialDecaySchedule(2, 0.5, { transitionSteps: 2 })(3), 2 * 0.5 ** 1.5);
    close(exponentialDecaySchedule(2, 0.5, { transitionSteps: 2, staircase: true })(3), 1);
    close(exponentialDecaySchedule(2, 0.5, { endValue: 0.5 })(10), 0.5);
  });

  test('cosine decay ends at endValue and stays there', () => {
    const s = cosineDecaySchedule(1, 10, { endValue: 0.1 });
    close(s(0), 1);
    close(s(5), 0.55);
    close(s(10), 0.1);
    close(s(25), 0.1);
  });

  test('polynomial and linear', () => {
    close(polynomialSchedule(1, 0, 2, 10)(5), 0.25);
    close(polynomialSchedule(1, 0.2, 1, 4)(100), 0.2);
    close(linearSchedule(0, 1, 4)(1), 0.25);
    close(linearSchedule(0, 1, 4)(9), 1);
  });

  test('search-then-converge and inverse time decay', () => {
    const s = searchThenConverge(0.5, 100);
    close(s(0), 0.5);
    close(s(100), 0.25);
    close(s(900), 0.05);
    close(inverseTimeDecay(1, 0.5)(4), 1 / 3);
    close(inverseTimeDecay(1, 0.5, { decaySteps: 10, staircase: true })(19), 1 / 1.5);
  });

  test('warmups: linearWarmup, withWarmup, warmupCosine, inverseSqrtSchedule', () => {
    assert.deepEqual(valuesOf(linearWarmup(1, 4), 6), [0, 0.25, 0.5, 0.75, 1, 1]);
    const w = withWarmup(stepDecaySchedule(1, 2, 0.5), 2, { initValue: 0.5 });
    assert.deepEqual(valuesOf(w, 6), [0.5, 0.75, 1, 1, 0.5, 0.5]);
    const wc = warmupCosine(1, 2, 6, { endValue: 0.2 });
    close(wc(1), 0.5);
    close(wc(2), 1);
    close(wc(4), 0.6);
    close(wc(6), 0.2);
    close(wc(100), 0.2);
    const rs = inverseSqrtSchedule(1, 4);
    close(rs(2), 0.5);
    close(rs(4), 1);
    close(rs(16), 0.5);
  });

  test('joinSchedules restarts each piece at its own step 0 and accepts numbers', () => {
    const s = joinSchedules([linearWarmup(1, 2), 1, exponentialDecaySchedule(1, 0.5)], [2, 4]);
    assert.deepEqual(valuesOf(s, 7), [0, 0.5, 1, 1, 1, 0.5, 0.25]);
  });
});

describe('schedule functions agree with the scheduler classes', () => {
  test('stepDecaySchedule = StepLR', () => {
    assert.deepEqual(lrsOf((o) => new StepLR(o, { stepSize: 3, gamma: 0.5 }), 12), valuesOf(stepDecaySchedule(0.1, 3, 0.5), 12));
  });
  test('exponentialDecaySchedule ~ ExponentialLR', () => {
    lrsOf((o) => new ExponentialLR(o, { gamma: 0.9 }), 20).forEach((lr, k) => close(lr, exponentialDecaySchedule(0.1, 0.9)(k), 1e-13));
  });
  test('cosineDecaySchedule ~ CosineAnnealingLR up to TMax', () => {
    const fn = cosineDecaySchedule(0.1, 10, { endValue: 0.01 });
    lrsOf((o) => new CosineAnnealingLR(o, { TMax: 10, etaMin: 0.01 }), 11).forEach((lr, k) => close(lr, fn(k), 1e-12));
  });
  test('polynomialSchedule ~ PolynomialLR', () => {
    const fn = polynomialSchedule(0.1, 0, 2, 8);
    lrsOf((o) => new PolynomialLR(o, { totalIters: 8, power: 2 }), 12).forEach((lr, k) => close(lr, fn(k), 1e-12));
  });
  test('oneCycleSchedule = OneCycleLR (two and three phases, cos and linear)', () => {
    for (const extra of [{}, { threePhase: true }, { annealStrategy: 'linear' as const, pctStart: 0.4 }]) {
      const fn = oneCycleSchedule(0.5, 30, extra);
      assert.deepEqual(lrsOf((o) => new OneCycleLR(o, { maxLr: 0.5, totalSteps: 30, ...extra }), 30), valuesOf(fn, 30));
    }
  });
  test('cyclicSchedule = CyclicLR (all modes)', () => {
    for (const mode of ['triangular', 'triangular2', 'exp_range'] as const) {
      const fn = cyclicSchedule(0.01, 0.1, 3, { stepSizeDown: 5, mode, gamma: 0.95 });
      const lrs = lrsOf((o) => new CyclicLR(o, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 3, stepSizeDown: 5, mode, gamma: 0.95 }), 30);
      assert.deepEqual(lrs, valuesOf(fn, 30));
    }
  });
});

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { performanceProfile, runLabTrial, selectLearningRate, seedSpread, type LabTrialRecord, type LabTrialSpec } from '../../src/lab/index.js';
import { medianWithFailures } from '../../src/lab/stats.js';

const spec = (over: Partial<LabTrialSpec> = {}): LabTrialSpec => ({
  problem: 'rosenbrock', optimizer: 'gd', optimizerName: 'gd', options: {}, lr: 1e-3, seed: 0, phase: 'tune', budget: 200, ...over,
});

describe('trials', () => {
  test('a diverging run is recorded as diverged, never thrown', () => {
    const r = runLabTrial(spec({ lr: 10 }));
    assert.equal(r.diverged, true);
    assert.match(r.divergedReason!, /step \d+: (non-finite|metric .* blew up)/);
    assert.ok(r.steps < 200);
    assert.equal(r.reachedTargetAt, null);
  });

  test('same spec, same numbers; another seed, another start', () => {
    const a = runLabTrial(spec({ optimizer: 'adam', optimizerName: 'adam', lr: 0.05 }));
    const b = runLabTrial(spec({ optimizer: 'adam', optimizerName: 'adam', lr: 0.05 }));
    const c = runLabTrial(spec({ optimizer: 'adam', optimizerName: 'adam', lr: 0.05, seed: 1 }));
    assert.deepEqual(a.curve, b.curve);
    assert.notDeepEqual(a.curve, c.curve);
    assert.equal(a.curve[0]![0], 0);
    assert.equal(a.curve.at(-1)![0], 200);
  });

  test('gd follows the full-batch gradient, sgd mini-batches, sgd1 one example (they differ on stochastic problems only)', () => {
    const base = { problem: 'quadratic-deep', lr: 0.01, budget: 30 };
    const gd = runLabTrial(spec({ ...base, optimizer: 'gd', optimizerName: 'gd' }));
    const sgd = runLabTrial(spec({ ...base, optimizer: 'sgd', optimizerName: 'sgd' }));
    const sgd1 = runLabTrial(spec({ ...base, optimizer: 'sgd1', optimizerName: 'sgd1' }));
    assert.notDeepEqual(gd.curve, sgd.curve);
    assert.notDeepEqual(sgd1.curve, sgd.curve);
    assert.notDeepEqual(sgd1.curve, gd.curve);
    const gd2 = runLabTrial(spec({ optimizer: 'gd', optimizerName: 'gd' }));
    const sgd2 = runLabTrial(spec({ optimizer: 'sgd', optimizerName: 'sgd' }));
    const sgd12 = runLabTrial(spec({ optimizer: 'sgd1', optimizerName: 'sgd1' }));
    assert.deepEqual(gd2.curve, sgd2.curve);
    assert.deepEqual(sgd12.curve, sgd2.curve);
  });

  test('saddle runs stop at the target; the 2-D path is recorded when asked', () => {
    const r = runLabTrial(spec({ problem: 'saddle', lr: 0.01, budget: 1000, recordPath: true, phase: 'final' }));
    assert.equal(r.steps, r.reachedTargetAt);
    assert.ok(r.path!.length > 10);
    assert.deepEqual(r.path![0], [1, 0.001]);
  });

  test('newton solves a quadratic in one step; lbfgs and newton run on Rosenbrock', () => {
    assert.equal(runLabTrial(spec({ problem: 'quadratic-k100', optimizer: 'newton', optimizerName: 'newton', lr: 1 })).reachedTargetAt, 1);
    const lb = runLabTrial(spec({ optimizer: 'lbfgs', optimizerName: 'lbfgs', lr: 1, budget: 100 }));
    assert.ok(lb.reachedTargetAt !== null && lb.evaluations >= lb.steps, `lbfgs ${lb.reachedTargetAt}, ${lb.evaluations} evaluations`);
  });
});

function record(lr: number, final: number | null, reachedTargetAt: number | null, diverged = false): LabTrialRecord {
  return { ...spec({ lr }), curve: [], final, steps: 10, reachedTargetAt, wallMsToTarget: null, evaluationsToTarget: null, evaluations: 10, wallMs: 1, diverged };
}

describe('learning-rate selection', () => {
  test('fewest steps to target first, then lowest final metric; diverged runs never win', () => {
    const target = 1e-6;
    assert.equal(selectLearningRate([record(0.1, 1e-9, 50), record(1, 1e-12, 30), record(10, null, null, true)], target).lr, 1);
    assert.equal(selectLearningRate([record(0.1, 1e-3, null), record(1, 1e-5, null), record(10, 1e-9, null, true)], target).lr, 1);
    assert.equal(selectLearningRate([record(0.1, 1e-7, 90), record(1, 1e-8, 40)], target).lr, 1);
    assert.equal(selectLearningRate([record(0.1, 1e-8, 40), record(1, 1e-8, 40)], target).lr, 0.1);
  });

  test('a run that touched the target but ended above it does not rank by its steps', () => {
    assert.equal(selectLearningRate([record(0.1, 1e-8, 300), record(1, 0.5, 40)], 1e-6).lr, 0.1);
    assert.match(selectLearningRate([record(0.1, 1e-3, null), record(1, 0.5, 40)], 1e-6).reason, /lowest final metric/);
    assert.equal(selectLearningRate([record(0.1, 1e-3, null), record(1, 0.5, 40)], 1e-6).lr, 0.1);
  });

  test('nothing is selected when every grid point diverged', () => {
    const s = selectLearningRate([record(0.1, null, null, true), record(1, null, null, true)], 1e-6);
    assert.equal(s.lr, null);
    assert.match(s.reason, /all 2 grid points diverged/);
  });
});

describe('statistics', () => {
  test('spread and medians with failures', () => {
    assert.deepEqual(seedSpread([3, 1, 2, 4]), { median: 2.5, q1: 1.75, q3: 3.25, min: 1, max: 4, n: 4 });
    assert.equal(seedSpread([]), null);
    assert.equal(medianWithFailures([10, null, 30]), 30);
    assert.equal(medianWithFailures([10, null, null]), null);
  });

  test('performance profile and score (r_max = 4)', () => {
    // p1: a = 10, b = 20 (ratio 2); p2: a = 100, b = 50 (ratio 2 for a); p3: only a (b fails).
    const costs: Record<string, Record<string, number | null>> = { p1: { a: 10, b: 20 }, p2: { a: 100, b: 50 }, p3: { a: 5, b: null } };
    const prof = performanceProfile(['p1', 'p2', 'p3'], ['a', 'b'], (p, s) => costs[p]![s]!);
    assert.deepEqual(prof.ratios.a, [1, 2, 1]);
    assert.deepEqual(prof.ratios.b, [2, 1, null]);
    assert.equal(prof.rho.a![0], 2 / 3);
    assert.equal(prof.rho.a!.at(-1), 1);
    assert.equal(prof.rho.b!.at(-1), 2 / 3);
    // score = mean over problems of (4 − max(r, 1)) / 3.
    assert.ok(Math.abs(prof.scores.a! - (1 + 2 / 3 + 1) / 3) < 1e-12);
    assert.ok(Math.abs(prof.scores.b! - (2 / 3 + 1 + 0) / 3) < 1e-12);
  });
});

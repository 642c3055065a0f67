import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { medianWithFailures, performanceProfile, runTrial, selectLearningRate, spreadOf, type TrialRecord, type TrialSpec } from '../../src/lab/index.js';

const spec = (over: Partial<TrialSpec> = {}): TrialSpec => ({
  problem: 'rosenbrock', optimizer: 'gd', optimizerName: 'gd', options: {}, lr: 1e-3, seed: 0, phase: 'tune', budget: 200, ...over,
});

describe('trials', () => {
  test('a diverging run is recorded as diverged, never thrown', () => {
    const r = runTrial(spec({ lr: 10 }));
    assert.equal(r.diverged, true);
    assert.match(r.divergedReason!, /step \d+: (non-finite|metric .* blew up)/);
    assert.ok(r.steps < 200);
    assert.equal(r.reachedTargetAt, null);
  });

  test('same spec, same numbers; another seed, another start', () => {
    const a = runTrial(spec({ optimizer: 'adam', optimizerName: 'adam', lr: 0.05 }));
    const b = runTrial(spec({ optimizer: 'adam', optimizerName: 'adam', lr: 0.05 }));
    const c = runTrial(spec({ optimizer: 'adam', optimizerName: 'adam', lr: 0.05, seed: 1 }));
    assert.deepEqual(a.curve, b.curve);
    assert.notDeepEqual(a.curve, c.curve);
    assert.equal(a.curve[0]![0], 0);
    assert.equal(a.curve.at(-1)![0], 200);
  });

  test('gd follows the full-batch gradient, sgd mini-batches (they differ on stochastic problems only)', () => {
    const base = { problem: 'quadratic-deep', lr: 0.01, budget: 30 };
    const gd = runTrial(spec({ ...base, optimizer: 'gd', optimizerName: 'gd' }));
    const sgd = runTrial(spec({ ...base, optimizer: 'sgd', optimizerName: 'sgd' }));
    assert.notDeepEqual(gd.curve, sgd.curve);
    const gd2 = runTrial(spec({ optimizer: 'gd', optimizerName: 'gd' }));
    const sgd2 = runTrial(spec({ optimizer: 'sgd', optimizerName: 'sgd' }));
    assert.deepEqual(gd2.curve, sgd2.curve);
  });

  test('saddle runs stop at the target; the 2-D path is recorded when asked', () => {
    const r = runTrial(spec({ problem: 'saddle', lr: 0.01, budget: 1000, recordPath: true, phase: 'final' }));
    assert.equal(r.steps, r.reachedTargetAt);
    assert.ok(r.path!.length > 10);
    assert.deepEqual(r.path![0], [1, 0.001]);
  });

  test('newton solves a quadratic in one step; lbfgs and newton run on Rosenbrock', () => {
    assert.equal(runTrial(spec({ problem: 'quadratic-k100', optimizer: 'newton', optimizerName: 'newton', lr: 1 })).reachedTargetAt, 1);
    const lb = runTrial(spec({ optimizer: 'lbfgs', optimizerName: 'lbfgs', lr: 1, budget: 100 }));
    assert.ok(lb.reachedTargetAt !== null && lb.evaluations >= lb.steps, `lbfgs ${lb.reachedTargetAt}, ${lb.evaluations} evaluations`);
  });
});

function record(lr: number, final: number | null, reachedTargetAt: number | null, diverged = false): TrialRecord {
  return { ...spec({ lr }), curve: [], final, steps: 10, reachedTargetAt, wallMsToTarget: null, evaluationsToTarget: null, evaluations: 10, wallMs: 1, diverged };
}

describe('learning-rate selection', () => {
  test('fewest steps to target first, then lowest final metric; diverged runs never win', () => {
    assert.equal(selectLearningRate([record(0.1, 1e-9, 50), record(1, 1e-12, 30), record(10, null, null, true)]).lr, 1);
    assert.equal(selectLearningRate([record(0.1, 1e-3, null), record(1, 1e-5, null), record(10, 1e-9, null, true)]).lr, 1);
    assert.equal(selectLearningRate([record(0.1, 1e-3, null), record(1, 0.5, 40)]).lr, 1);
    assert.equal(selectLearningRate([record(0.1, 1e-3, 40), record(1, 1e-3, 40)]).lr, 0.1);
  });

  test('nothing is selected when every grid point diverged', () => {
    const s = selectLearningRate([record(0.1, null, null, true), record(1, null, null, true)]);
    assert.equal(s.lr, null);
    assert.match(s.reason, /all 2 grid points diverged/);
  });
});

describe('statistics', () => {
  test('spread and medians with failures', () => {
    assert.deepEqual(spreadOf([3, 1, 2, 4]), { median: 2.5, q1: 1.75, q3: 3.25, min: 1, max: 4, n: 4 });
    assert.equal(spreadOf([]), null);
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

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTrainingProblem } from '../../src/train/problems.js';
import { lrFind } from '../../src/train/lr-find.js';
import { createOptimizer } from '../../src/optim/registry.js';

test('the range test sweeps exponentially, stops on divergence and suggests a rate on the descent', () => {
  const problem = createTrainingProblem('spiral-mlp', { seed: 0 });
  const optimizer = createOptimizer('adam', problem.model.parameters(), { lr: 1e-7 });
  const r = lrFind({ problem, optimizer, batchSize: 32, steps: 200 });
  // lr_t = 1e-7 * 1e8^(t/199)
  assert.ok(Math.abs(r.lrs[0]! - 1e-7) < 1e-20);
  assert.ok(Math.abs(r.lrs[10]! / (1e-7 * 1e8 ** (10 / 199)) - 1) < 1e-12);
  assert.ok(r.stoppedEarly, 'Adam at lr 10 diverges on this problem');
  const best = Math.min(...r.smoothed);
  assert.ok(r.smoothed[r.smoothed.length - 1]! > 4 * best || r.lrs.length < 200);
  // Adam trains this network well at 1e-3 .. 3e-2 (40 epochs at 1e-2 reach > 95%).
  assert.ok(r.suggestion > 1e-4 && r.suggestion < 0.1, `suggestion ${r.suggestion}`);
});

test('bad sweeps are refused', () => {
  const problem = createTrainingProblem('spiral-mlp', { seed: 0, trainLimit: 60, testLimit: 30 });
  const optimizer = createOptimizer('sgd', problem.model.parameters(), { lr: 1e-7 });
  assert.throws(() => lrFind({ problem, optimizer, startLr: 1, endLr: 0.1 }), /endLr 0.1 <= startLr 1/);
  assert.throws(() => lrFind({ problem, optimizer, steps: 2 }), /Invalid steps: 2, expected an integer >= 3/);
  assert.throws(() => lrFind({ problem, optimizer, batchSize: 128 }), /batchSize 128 is larger than the training set \(60 examples\)/);
});

test('optimizers that cannot take one plain step per batch are refused, naming them', () => {
  const problem = createTrainingProblem('spiral-mlp', { seed: 0, trainLimit: 60, testLimit: 30 });
  const lbfgs = createOptimizer('lbfgs', problem.model.parameters(), { lr: 1e-7 });
  assert.throws(() => lrFind({ problem, optimizer: lbfgs, optimizerName: 'lbfgs', batchSize: 16 }),
    /^ValueError: lrFind: the learning-rate range test cannot run lbfgs: it is closure-driven .*expected a first-order optimizer \(sgd, momentum, adam/);
  assert.throws(() => lrFind({ problem, optimizer: lbfgs, batchSize: 16 }), /cannot run LBFGS: it is closure-driven/);
  for (const spec of ['newton:solver=cg', 'hessianfree']) {
    const optimizer = createOptimizer(spec, problem.model.parameters(), { lr: 1e-7 });
    assert.throws(() => lrFind({ problem, optimizer, optimizerName: spec, batchSize: 16 }), new RegExp(`cannot run ${spec}: it needs the loss as a tensor`));
  }
});

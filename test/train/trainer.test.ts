import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTrainingProblem } from '../../src/train/problems.js';
import { train } from '../../src/train/trainer.js';
import { createOptimizer } from '../../src/optim/registry.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { crossEntropy } from '../../src/tensor/functional/losses.js';

function setup(spec = 'adam', lr = 0.01) {
  const problem = createTrainingProblem('spiral-mlp', { seed: 0 });
  const optimizer = createOptimizer(spec, problem.model.parameters(), { lr });
  return { problem, optimizer };
}

function params(problem: ReturnType<typeof setup>['problem']): number[][] {
  return problem.model.parameters().map((p) => Array.from(p.data));
}

test('a small MLP trains on the spiral to > 95% test accuracy', () => {
  const { problem, optimizer } = setup();
  const r = train({ problem, optimizer, optimizerName: 'adam', batchSize: 32, epochs: 40, seed: 0 });
  assert.ok(r.final.testAccuracy > 0.95, `test accuracy ${r.final.testAccuracy}`);
  assert.equal(r.steps, 40 * Math.ceil(1500 / 32));
  assert.equal(r.evaluations.length, 41, 'one evaluation before training and one per epoch');
});

test('same seed, same numbers', () => {
  const a = setup(), b = setup();
  train({ problem: a.problem, optimizer: a.optimizer, optimizerName: 'adam', batchSize: 64, epochs: 2, seed: 3 });
  train({ problem: b.problem, optimizer: b.optimizer, optimizerName: 'adam', batchSize: 64, epochs: 2, seed: 3 });
  assert.deepEqual(params(a.problem), params(b.problem));
});

test('resuming from a checkpoint (at an epoch end or mid-epoch) equals the uninterrupted run, bit for bit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'descent-train-'));
  try {
    const base = { optimizerName: 'sgd:momentum=0.9', batchSize: 64, seed: 5 } as const;
    const full = setup('sgd:momentum=0.9', 0.05);
    const whole = train({ ...base, ...full, epochs: 4 });
    for (const stop of [{ epochs: 2 }, { epochs: 4, maxSteps: 37 }]) {
      const file = join(dir, `ckpt-${stop.epochs}-${'maxSteps' in stop ? stop.maxSteps : 0}.json`);
      const first = setup('sgd:momentum=0.9', 0.05);
      train({ ...base, ...first, ...stop, checkpoint: file });
      const second = setup('sgd:momentum=0.9', 0.05);
      const resumed = train({ ...base, ...second, epochs: 4, checkpoint: file, resume: true });
      assert.ok(resumed.resumedFromStep !== null && resumed.resumedFromStep > 0);
      assert.equal(resumed.steps, whole.steps);
      assert.deepEqual(params(second.problem), params(full.problem));
      assert.equal(resumed.final.testLoss, whole.final.testLoss);
    }
    // A checkpoint of another optimizer is refused.
    const other = setup('adam', 0.01);
    assert.throws(
      () => train({ ...base, ...other, optimizerName: 'adam', epochs: 4, checkpoint: join(dir, 'ckpt-2-0.json'), resume: true }),
      /is for optimizer "sgd:momentum=0.9", not "adam"/,
    );
    // A truncated checkpoint is refused.
    const truncated = join(dir, 'truncated.json');
    writeFileSync(truncated, readFileSync(join(dir, 'ckpt-2-0.json'), 'utf8').slice(0, 500));
    const again = setup('sgd:momentum=0.9', 0.05);
    assert.throws(() => train({ ...base, ...again, epochs: 4, checkpoint: truncated, resume: true }), /truncated or corrupt/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('resuming a checkpoint with another regime, seed or batch size is refused, naming both values', () => {
  const dir = mkdtempSync(join(tmpdir(), 'descent-train-'));
  try {
    const file = join(dir, 'run.ckpt');
    const base = { optimizerName: 'sgd', epochs: 2, checkpoint: file } as const;
    const first = setup('sgd', 0.05);
    train({ ...base, ...first, batchSize: 64, seed: 5, epochs: 1 });
    const resume = (extra: Record<string, unknown>) => {
      const again = setup('sgd', 0.05);
      return () => train({ ...base, ...again, batchSize: 64, seed: 5, resume: true, ...extra });
    };
    assert.throws(resume({ regime: 'batch' }), new RegExp(`checkpoint ${file.replace(/[.*+?^$\{}()|[\]\\/]/g, '\\$&')} was written by a run with regime "minibatch", this run has "batch"; expected the same`));
    assert.throws(resume({ seed: 6 }), /with seed 5, this run has 6/);
    assert.throws(resume({ batchSize: 32 }), /with batch size 64, this run has 32/);
    assert.throws(resume({ regime: 'stochastic' }), /with regime "minibatch", this run has "stochastic"/);
    const ok = resume({})();
    assert.equal(ok.resumedFromStep, Math.ceil(1500 / 64));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the batch regime takes one update per epoch with the full-batch gradient', () => {
  // The full-batch gradient accumulated over chunks equals the gradient of the mean loss.
  const { problem, optimizer } = setup('gd', 0.1);
  const before = params(problem);
  const model = problem.model;
  const x = new Tensor(problem.train.x, [problem.train.n, 2]);
  model.zeroGrad();
  crossEntropy(model.call(x), problem.train.y as Int32Array).backward();
  const expected = model.parameters().map((p) => Array.from(p.grad!));
  const r = train({ problem, optimizer, optimizerName: 'gd', regime: 'batch', epochs: 1, chunkSize: 256, seed: 0 });
  assert.equal(r.steps, 1);
  model.parameters().forEach((p, i) => {
    for (let j = 0; j < p.data.length; j++) {
      const step = (before[i]![j]! - p.data[j]!) / 0.1;
      assert.ok(Math.abs(step - expected[i]![j]!) <= 1e-5 * (1 + Math.abs(expected[i]![j]!)), `param ${i}[${j}]: step ${step} vs grad ${expected[i]![j]}`);
    }
  });
});

test('the batch regime with newton or hessianfree refuses a training set whose one graph would be too large', async () => {
  const { fmnistMlpModel, fmnist2c2dModel } = await import('../../src/train/problems.js');
  const { FULL_BATCH_GRAPH_LIMIT } = await import('../../src/train/graph-size.js');
  assert.equal(FULL_BATCH_GRAPH_LIMIT, 2 ** 26);
  // The spiral MLP's graph holds ~395 values per example: 1,500 examples are ~593k.
  const { problem, optimizer } = setup('hessianfree', 1);
  const before = params(problem);
  assert.throws(
    () => train({ problem, optimizer, optimizerName: 'hessianfree', regime: 'batch', epochs: 1, maxGraphValues: 100_000 }),
    /^ValueError: the batch regime with hessianfree would record all 1,500 training examples in one graph for its curvature products: ~\d{3},\d{3} values \(\d{3} per example\), above the limit of 100,000 .*use the minibatch regime \(--regime minibatch\) with batches of at most \d{3} examples, or lbfgs/,
  );
  assert.deepEqual(params(problem), before, 'refused before any update');
  // The default limit: fmnist-mlp (~4,800 values per example) is refused at 14,000 examples,
  // fmnist-2c2d (~88,000) at 1,000; images generated, no data set needed.
  for (const [name, model, n, inputShape] of [['fmnist-mlp', fmnistMlpModel(), 14_000, [784]], ['fmnist-2c2d', fmnist2c2dModel(), 1_000, [1, 28, 28]]] as const) {
    const data = { x: new Float32Array(n * 784).fill(0.5), y: new Int32Array(n), n, featureShape: [...inputShape], classes: 10 };
    const big = { name, description: name, model, train: data, trainEval: data, test: data, inputShape: [...inputShape] };
    const opt = createOptimizer('hessianfree', model.parameters(), {});
    assert.throws(() => train({ problem: big, optimizer: opt, optimizerName: 'hessianfree', regime: 'batch', epochs: 1 }), /above the limit of 67,108,864/, name);
  }
  // Below the limit it trains: one update per epoch on the whole (small) training set.
  const small = createTrainingProblem('spiral-mlp', { seed: 0, trainLimit: 150, testLimit: 30 });
  const newton = createOptimizer('newton:solver=cg:cgMaxIter=20', small.model.parameters(), {});
  const r = train({ problem: small, optimizer: newton, optimizerName: 'newton', regime: 'batch', epochs: 2 });
  assert.equal(r.steps, 2);
  assert.ok(r.final.trainLoss < r.evaluations[0]!.trainLoss, `train loss ${r.evaluations[0]!.trainLoss} -> ${r.final.trainLoss}`);
});

test('the stochastic regime takes one example per update', () => {
  const problem = createTrainingProblem('spiral-mlp', { seed: 1, trainLimit: 90, testLimit: 30 });
  const optimizer = createOptimizer('sgd', problem.model.parameters(), { lr: 0.01 });
  const r = train({ problem, optimizer, optimizerName: 'sgd', regime: 'stochastic', epochs: 2, seed: 0 });
  assert.equal(r.steps, 180);
});

test('a non-finite loss stops the run with the step and the first bad parameter', () => {
  const { problem, optimizer } = setup('sgd', 0.1);
  problem.model.parameters()[2]!.data[5] = Number.NaN;
  assert.throws(
    () => train({ problem, optimizer, optimizerName: 'sgd', batchSize: 32, epochs: 1, seed: 0 }),
    /training diverged at step 1 \(epoch 1\): loss is NaN; first non-finite parameter: 2.weight \(value at index 5 is NaN\)/,
  );
});

test('bad options are refused', () => {
  const { problem, optimizer } = setup();
  assert.throws(() => train({ problem, optimizer, optimizerName: 'adam', epochs: 0 }), /Invalid epochs: 0/);
  assert.throws(() => train({ problem, optimizer, optimizerName: 'adam', epochs: 1, regime: 'online' as never }), /invalid regime "online"/);
  assert.throws(() => train({ problem, optimizer, optimizerName: 'adam', epochs: 1, batchSize: 5000 }), /batchSize 5000 is larger than the training set \(1500 examples\)/);
  assert.throws(() => createTrainingProblem('mnist'), /unknown problem "mnist", expected one of "fmnist-logreg"/);
});

test('with Dropout (own and global generators), resuming equals the uninterrupted run', async () => {
  const { Sequential, Linear, Tanh, Dropout } = await import('../../src/nn/index.js');
  const { Rng } = await import('../../src/core/rng.js');
  const { manualSeed } = await import('../../src/tensor/factories.js');
  const dir = mkdtempSync(join(tmpdir(), 'descent-train-'));
  const make = () => {
    manualSeed(3);
    const problem = createTrainingProblem('spiral-mlp', { seed: 0, trainLimit: 300, testLimit: 60 });
    const rng = new Rng(9);
    problem.model = new Sequential(
      new Linear(2, 16, { rng }), new Tanh(), new Dropout(0.3, { rng: new Rng(4) }),
      new Linear(16, 16, { rng }), new Tanh(), new Dropout(0.2), new Linear(16, 3, { rng }),
    );
    return { problem, optimizer: createOptimizer('adam', problem.model.parameters(), { lr: 0.01 }) };
  };
  try {
    const base = { optimizerName: 'adam', batchSize: 32, seed: 1 } as const;
    const full = make();
    train({ ...base, ...full, epochs: 3 });
    const file = join(dir, 'dropout.json');
    train({ ...base, ...make(), epochs: 3, maxSteps: 13, checkpoint: file });
    manualSeed(12345); // the resumed run must restore the global generator itself
    const second = make();
    manualSeed(12345);
    train({ ...base, ...second, epochs: 3, checkpoint: file, resume: true });
    assert.deepEqual(params(second.problem), params(full.problem));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

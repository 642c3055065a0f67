import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runTrain, progressMetrics, PROGRESS_ACCURACY_LABEL, type TrainCliOptions } from '../../src/cli/train.js';
import type { ProgressOptions } from '../../src/train/progress.js';
import { runLrFind } from '../../src/cli/lr-find.js';
import { findFashionMnist } from '../../src/data/fashion-mnist.js';
import { createOptimizer } from '../../src/optim/registry.js';

const base: TrainCliOptions = {
  problem: 'spiral-mlp', optimizer: 'adam', lr: '0.01', batchSize: '32', epochs: '2', seed: '0', regime: 'minibatch', evalEvery: '0', quiet: true,
};

test('descent train writes a run record, with a schedule, and resumes from its checkpoint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'descent-cli-'));
  try {
    const json = join(dir, 'run.json');
    const lines: string[] = [];
    runTrain({ ...base, schedule: 'step:stepSize=1:gamma=0.5', json, checkpoint: join(dir, 'c.json') }, (l) => lines.push(l));
    const record = JSON.parse(readFileSync(json, 'utf8'));
    assert.equal(record.schema, 'descent-run/1');
    assert.equal(record.config.schedule, 'step:stepSize=1:gamma=0.5');
    assert.equal(record.evaluations.length, 3);
    for (const key of ['step', 'epoch', 'trainLoss', 'testLoss', 'testAccuracy']) assert.ok(key in record.evaluations[2], key);
    assert.equal(record.testAccuracy, record.evaluations[2].testAccuracy);
    assert.match(lines.at(-1)!, /^final test accuracy \d+\.\d\d% after 94 steps/);
    // Resume to 3 epochs equals a 3-epoch run from scratch.
    const resumed = runTrain({ ...base, epochs: '3', schedule: 'step:stepSize=1:gamma=0.5', checkpoint: join(dir, 'c.json'), resume: true }, () => {});
    const scratch = runTrain({ ...base, epochs: '3', schedule: 'step:stepSize=1:gamma=0.5' }, () => {});
    assert.equal((resumed as { testLoss: number }).testLoss, (scratch as { testLoss: number }).testLoss);
    // Resuming with another regime (or seed, or batch size) is refused, naming both values.
    assert.throws(
      () => runTrain({ ...base, regime: 'batch', epochs: '3', checkpoint: join(dir, 'c.json'), resume: true }, () => {}),
      /was written by a run with regime "minibatch", this run has "batch"; expected the same regime, seed and batch size/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('descent train refuses bad options with what is valid', () => {
  assert.throws(() => runTrain({ ...base, problem: 'mnist' }), /unknown problem "mnist", expected one of fmnist-logreg, fmnist-mlp/);
  assert.throws(() => runTrain({ ...base, regime: 'online' }), /invalid --regime "online", expected one of minibatch, stochastic, batch/);
  assert.throws(() => runTrain({ ...base, epochs: '0' }), /invalid --epochs "0", expected an integer >= 1/);
  assert.throws(() => runTrain({ ...base, lr: 'fast' }), /invalid --lr "fast", expected a number/);
  assert.throws(() => runTrain({ ...base, resume: true }), /--resume needs --checkpoint FILE/);
  assert.throws(() => runTrain({ ...base, optimizer: 'sgd:momentum' }), /malformed option "momentum"/);
  // SGD has no default learning rate: the message says how to give one, not SGD's internals.
  for (const optimizer of ['sgd', 'momentum', 'nesterov:weightDecay=0.01']) {
    const name = optimizer.split(':')[0];
    assert.throws(() => runTrain({ ...base, optimizer, lr: undefined }),
      new RegExp(`^ValueError: --optimizer ${name} needs a learning rate: it has no default \\(as torch.optim.SGD\\); pass --lr RATE \\(e.g. --lr 0.01\\) or write it in the spec \\(${name}:lr=0.01\\)`));
  }
  assert.throws(() => createOptimizer('gd', []), /optimizer "gd" needs a learning rate \(torch.optim.SGD has no default lr\), expected an lr option, e.g. gd:lr=0.01/);
  assert.equal(runTrain({ ...base, optimizer: 'sgd:lr=0.05', lr: undefined, epochs: '1', trainLimit: '64', testLimit: '30' }, () => {}).steps, 2);
});

test('descent lr-find prints a suggestion and writes an SVG plot', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'descent-cli-'));
  try {
    const plot = join(dir, 'lr.svg');
    const lines: string[] = [];
    const r = await runLrFind({ problem: 'spiral-mlp', optimizer: 'adam', startLr: '1e-6', endLr: '10', steps: '60', batchSize: '32', seed: '0', plot }, (l) => lines.push(l));
    assert.match(lines.find((l) => l.startsWith('suggested learning rate'))!, /^suggested learning rate \d\.\d\de[-+]\d+/);
    assert.ok(r.suggestion >= 1e-6 && r.suggestion <= 10);
    assert.match(readFileSync(plot, 'utf8'), /^<svg[\s\S]*learning rate[\s\S]*<\/svg>$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('descent lr-find refuses a closure-driven optimizer, naming it', async () => {
  await assert.rejects(
    runLrFind({ problem: 'spiral-mlp', optimizer: 'lbfgs:historySize=5', startLr: '1e-6', endLr: '10', steps: '20', batchSize: '32', seed: '0', trainLimit: '100' }, () => {}),
    /the learning-rate range test cannot run lbfgs:historySize=5: it is closure-driven/,
  );
});

test('the descent command exits non-zero with a one-line message on bad input', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'train', '--problem', 'nope'], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^descent: unknown problem "nope", expected one of/);
});

test('descent train on a 2,000-image Fashion-MNIST subset reaches well above chance', { skip: findFashionMnist() === null ? 'Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)' : false }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'descent-cli-'));
  try {
    const json = join(dir, 'run.json');
    runTrain({ ...base, problem: 'fmnist-logreg', optimizer: 'sgd', lr: '0.1', batchSize: '64', epochs: '3', trainLimit: '2000', testLimit: '1000', json }, () => {});
    const record = JSON.parse(readFileSync(json, 'utf8'));
    assert.ok(record.testAccuracy > 0.6, `test accuracy ${record.testAccuracy} (chance is 0.1)`);
    assert.ok(existsSync(json));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the progress bar shows the loss and the last evaluation\'s test accuracy, and is off with --quiet', () => {
  const bars: Array<{ options: ProgressOptions; updates: Array<Record<string, string | number> | undefined> }> = [];
  const makeProgress = (options: ProgressOptions) => {
    const bar = { options, updates: [] as Array<Record<string, string | number> | undefined> };
    bars.push(bar);
    return { update: (_: number, metrics?: Record<string, string | number>) => void bar.updates.push(metrics), stop() {} };
  };
  const lines: string[] = [];
  runTrain({ ...base, quiet: false, epochs: '2', trainLimit: '96', testLimit: '30' }, (l) => lines.push(l), makeProgress);
  assert.equal(bars.length, 2, 'one bar per epoch');
  assert.equal(bars[0]!.options.enabled, undefined, 'on only when stderr is a TTY');
  const evals = lines.filter((l) => l.startsWith('step ')).map((l) => /test loss \S+ acc (\d+\.\d\d%)/.exec(l)![1]);
  for (const [i, bar] of bars.entries()) {
    assert.equal(bar.updates.length, 3);
    for (const m of bar.updates) {
      assert.equal(typeof m!.loss, 'number');
      assert.equal(m![PROGRESS_ACCURACY_LABEL], evals[i], `epoch ${i + 1} shows the test accuracy of the evaluation before it`);
    }
  }
  bars.length = 0;
  runTrain({ ...base, epochs: '1', trainLimit: '96', testLimit: '30' }, () => {}, makeProgress);
  assert.equal(bars[0]!.options.enabled, false, '--quiet turns the bar off');
  assert.deepEqual(progressMetrics(0.5, null), { loss: 0.5, [PROGRESS_ACCURACY_LABEL]: '-' });
});

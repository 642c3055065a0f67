import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFashionMnist } from '../../src/data/fashion-mnist.js';
import { DEFAULT_LAB_OPTIMIZERS, getProblem, labTrialKey, resolveCompareConfig, runComparison, runLabTrial } from '../../src/lab/index.js';
import { budgetOf, cellsOf } from '../../src/lab/protocol.js';
import { FASHION_MISSING } from '../../src/lab/problems/fashion.js';
import { sparseLogregData } from '../../src/lab/problems/sparse-logreg.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'descent-lab-data-'));
  dirs.push(d);
  return d;
}
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('sparse-logreg', () => {
  const problem = getProblem('sparse-logreg');

  test('the excess loss is 0 at the true weights and ln 2 − L(w*) at w = 0', () => {
    const inst = problem.create(0);
    const w = inst.params[0]!.data;
    const atZero = inst.metric();
    const fullAtZero = inst.lossAndGradient(1, 'full');
    assert.ok(Math.abs(fullAtZero - Math.LN2) < 1e-12, `every example's loss at w = 0 is ln 2, got ${fullAtZero}`);
    const trueLoss = Math.LN2 - atZero;
    assert.ok(trueLoss > 0.3 && trueLoss < 0.6, `L(w*) = ${trueLoss}`);
    w.set(sparseLogregData().trueWeights);
    assert.equal(inst.metric(), 0);
  });

  test('the full-batch gradient matches finite differences of the full-batch loss', () => {
    const inst = problem.create(0);
    const w = inst.params[0]!.data as Float64Array;
    for (let j = 0; j < w.length; j++) w[j] = Math.sin(j) * 0.5;
    inst.lossAndGradient(1, 'full');
    const g = Float64Array.from(inst.params[0]!.grad!);
    const h = 1e-6;
    for (const j of [0, 1, 7, 60, 499]) {
      const keep = w[j]!;
      w[j] = keep + h;
      const up = inst.lossAndGradient(1, 'full');
      w[j] = keep - h;
      const down = inst.lossAndGradient(1, 'full');
      w[j] = keep;
      assert.ok(Math.abs((up - down) / (2 * h) - g[j]!) < 1e-7, `coordinate ${j}: ${(up - down) / (2 * h)} vs ${g[j]}`);
    }
  });

  test('known result: tuned Adagrad ends at a lower excess loss than tuned SGD (quick grid, 3 seeds, default budget)', async () => {
    const { results } = await runComparison({ problems: 'sparse-logreg', optimizers: 'sgd,adagrad', workers: 1, out: tempDir() });
    const row = (o: string) => results.summary.rows.find((r) => r.optimizer === o)!;
    const sgd = row('sgd');
    const adagrad = row('adagrad');
    assert.equal(sgd.divergedSeeds + adagrad.divergedSeeds, 0);
    assert.ok(adagrad.final!.median < sgd.final!.median, `adagrad ${adagrad.final!.median} vs sgd ${sgd.final!.median}`);
    assert.ok(adagrad.final!.max < sgd.final!.min, `every adagrad seed below every sgd seed: ${JSON.stringify(adagrad.final)} vs ${JSON.stringify(sgd.final)}`);
    // The test set is reported, never used: accuracies are recorded and plausible.
    assert.ok(adagrad.measures!['test accuracy']!.median > 0.7, JSON.stringify(adagrad.measures));
  });
});

describe('data problems in trials', () => {
  test('moons-net: the metric is evaluated every evalEvery steps and the test measures alongside', () => {
    const r = runLabTrial({ problem: 'moons-net', optimizer: 'adam', optimizerName: 'adam', options: {}, lr: 0.01, seed: 1, phase: 'final', budget: 45, evalEvery: 20 });
    assert.deepEqual(r.curve.map(([s]) => s), [0, 20, 40, 45]);
    assert.deepEqual(Object.keys(r.measures!).sort(), ['test accuracy', 'test loss', 'train-eval accuracy']);
    assert.deepEqual(r.measures!['test accuracy']!.map(([s]) => s), [0, 20, 40, 45]);
    for (const [, a] of r.measures!['test accuracy']!) assert.ok(a >= 0 && a <= 1);
    assert.ok(r.curve[3]![1] < r.curve[0]![1], 'the train-eval loss went down');
    const again = runLabTrial({ problem: 'moons-net', optimizer: 'adam', optimizerName: 'adam', options: {}, lr: 0.01, seed: 1, phase: 'tune', budget: 45, evalEvery: 20 });
    assert.deepEqual(again.curve, r.curve, 'same seed, same numbers');
  });

  test('moons-net: the full-batch loss is the train-eval metric (the training set is the train-eval set)', () => {
    const inst = getProblem('moons-net').create(2);
    const full = inst.lossAndGradient(1, 'full');
    assert.ok(Math.abs(full - inst.metric()) < 1e-5, `${full} vs ${inst.metric()}`);
    assert.ok(inst.params.every((p) => p.grad !== null && p.grad.some((v) => v !== 0)));
  });

  test('the seed changes the initialization of a net', () => {
    const a = getProblem('spiral-net').create(0).metric();
    const b = getProblem('spiral-net').create(1).metric();
    assert.notEqual(a, b);
    assert.equal(getProblem('spiral-net').create(1).metric(), b);
  });

  test('a data problem refuses a start point, naming it', () => {
    assert.throws(() => getProblem('moons-net').create(0, { start: [1, 2] }), /takes no start \[1, 2\]/);
  });

  test('a final run on seed 0 at a rate of the grid is shared with the tuning run', async () => {
    const out = await runComparison({ problems: 'moons-net', optimizers: 'sgd', grid: 3, seeds: 2, budget: 30, workers: 1, out: tempDir() });
    const trials = out.results.trials;
    const final0 = trials.find((t) => t.phase === 'final' && t.seed === 0)!;
    const tune = trials.find((t) => t.phase === 'tune' && t.lr === final0.lr)!;
    assert.ok(out.shared >= 1);
    assert.deepEqual({ ...final0, phase: 'tune', recordPath: undefined }, { ...tune, recordPath: undefined });
    assert.equal(out.computed + out.shared, trials.length);
  });
});

describe('stochastic gradient descent on one example (sgd1)', () => {
  test('moons-net: a step of sgd1 is one example, in the order of the mini-batches (32 steps = the first batch)', () => {
    const batch = getProblem('moons-net').create(3);
    const single = getProblem('moons-net').create(3);
    const batchLoss = batch.lossAndGradient(1, 'stochastic');
    const batchGrad = batch.params.map((p) => Float64Array.from(p.grad!));
    const sums = single.params.map((p) => new Float64Array(p.data.length));
    let loss = 0;
    for (let t = 1; t <= 32; t++) {
      loss += single.lossAndGradient(t, 'example') / 32;
      single.params.forEach((p, i) => p.grad!.forEach((g, j) => (sums[i]![j]! += g / 32)));
    }
    assert.ok(Math.abs(loss - batchLoss) < 1e-5, `mean of 32 one-example losses ${loss} vs the first mini-batch's ${batchLoss}`);
    sums.forEach((s, i) => s.forEach((g, j) => assert.ok(Math.abs(g - batchGrad[i]![j]!) < 1e-5, `parameter ${i}[${j}]: ${g} vs ${batchGrad[i]![j]}`)));
  });

  test('sparse-logreg: a step of sgd1 touches the active features of one example only', () => {
    const inst = getProblem('sparse-logreg').create(1);
    const support = (mode: 'example' | 'stochastic') => {
      inst.lossAndGradient(1, mode);
      return inst.params[0]!.grad!.filter((g) => g !== 0).length;
    };
    const rows = sparseLogregData().train;
    let widest = 0;
    for (let i = 0; i < rows.n; i++) widest = Math.max(widest, rows.indptr[i + 1]! - rows.indptr[i]!);
    for (let k = 0; k < 20; k++) assert.ok(support('example') <= widest);
    assert.ok(support('stochastic') > widest, 'a mini-batch of 32 touches more features than any one example');
  });

  test('epochs: sgd1 makes a pass in trainSize steps, sgd in the mini-batch steps, gd in one; sgd1 is in the default set, with its own trial keys', () => {
    const cells = cellsOf(resolveCompareConfig({ problems: 'moons-net,sparse-logreg,booth', optimizers: 'gd,sgd1,sgd' }));
    const spe = (problem: string, name: string) => cells.find((c) => c.problem === problem && c.spec.name === name)!.stepsPerEpoch;
    assert.deepEqual(['gd', 'sgd1', 'sgd'].map((n) => spe('moons-net', n)), [1, 200, 7]);
    assert.deepEqual(['gd', 'sgd1', 'sgd'].map((n) => spe('sparse-logreg', n)), [1, 5000, 157]);
    assert.deepEqual(['gd', 'sgd1', 'sgd'].map((n) => spe('booth', n)), [null, null, null]);
    assert.ok(DEFAULT_LAB_OPTIMIZERS.includes('sgd1') && DEFAULT_LAB_OPTIMIZERS.includes('sgd') && DEFAULT_LAB_OPTIMIZERS.includes('gd'));
    const key = (optimizer: string) => labTrialKey({ problem: 'moons-net', optimizer, lr: 0.1, seed: 0, phase: 'tune', budget: 300 });
    assert.notEqual(key('sgd1'), key('sgd'));
    assert.equal(key('sgd'), 'moons-net|sgd|tune|0.1|0|300', 'mini-batch sgd keeps its key (--resume of older runs)');
  });
});

describe('budgets in epochs and per-problem settings', () => {
  test('--epochs sets the data problems\' budgets, and cannot be combined with --budget', () => {
    const config = resolveCompareConfig({ problems: 'sparse-logreg,booth', optimizers: 'adam', epochs: 2 });
    assert.equal(budgetOf(config, 'sparse-logreg'), 2 * getProblem('sparse-logreg').stepsPerEpoch!);
    assert.equal(budgetOf(config, 'booth'), getProblem('booth').defaultBudget);
    assert.throws(() => resolveCompareConfig({ epochs: 2, budget: 10 }), /got both budget 10 and epochs 2, expected one of them/);
    assert.throws(() => resolveCompareConfig({ epochs: 0 }), /invalid epochs 0, expected a positive integer/);
    assert.throws(() => resolveCompareConfig({ evalEvery: 'often' }), /invalid evalEvery "often"/);
  });

  test('the quick suite runs fmnist-mlp in a cheap configuration, and the user\'s flags win over it', () => {
    const quick = resolveCompareConfig({});
    assert.ok(quick.problems.includes('sparse-logreg') && quick.problems.includes('fmnist-mlp'));
    const cell = cellsOf(quick).find((c) => c.problem === 'fmnist-mlp' && c.spec.name === 'adam')!;
    assert.equal(cell.grid.points, 3);
    assert.equal(cell.seeds, 1);
    assert.equal(cell.budget, 60);
    assert.equal(cell.evalExamples, 1000);
    const mine = resolveCompareConfig({ grid: 5, epochs: 1 });
    const c2 = cellsOf(mine).find((c) => c.problem === 'fmnist-mlp' && c.spec.name === 'adam')!;
    assert.equal(c2.grid.points, 5);
    assert.equal(c2.budget, 469);
    assert.equal(c2.seeds, 1, 'seeds not given: the setting stays');
  });

  test('Fashion-MNIST problems: gd does not run (no full batch), and missing data is reported as not run', () => {
    const cells = cellsOf(resolveCompareConfig({ problems: 'fmnist-mlp', optimizers: 'gd,sgd' }));
    const installed = findFashionMnist() !== null;
    assert.equal(getProblem('fmnist-mlp').unavailable!(), installed ? null : FASHION_MISSING);
    if (installed) {
      assert.match(cells[0]!.applicable as string, /gd needs the full-batch gradient; on fmnist-mlp every full-batch step is a pass over 60,000 images/);
      assert.equal(cells[1]!.applicable, true);
    } else {
      for (const c of cells) assert.equal(c.applicable, FASHION_MISSING);
    }
  });

  test('fmnist-logreg runs a few steps and reports test accuracy', { skip: findFashionMnist() === null ? 'Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)' : false }, () => {
    const r = runLabTrial({ problem: 'fmnist-logreg', optimizer: 'sgd', optimizerName: 'sgd', options: {}, lr: 0.1, seed: 0, phase: 'final', budget: 20, evalEvery: 10, evalExamples: 500 });
    assert.equal(r.diverged, false);
    assert.deepEqual(r.curve.map(([s]) => s), [0, 10, 20]);
    assert.ok(Math.abs(r.curve[0]![1] - Math.log(10)) < 1e-5, 'zero init: loss ln 10');
    const acc = r.measures!['test accuracy']!;
    assert.ok(acc[2]![1] > 0.5, `test accuracy after 20 steps: ${acc[2]![1]}`);
  });
});

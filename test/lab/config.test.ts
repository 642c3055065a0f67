import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { learningRateGrid, parseLabOptimizer, parseLabOptimizers, resolveCompareConfig, DEFAULT_LAB_OPTIMIZERS } from '../../src/lab/index.js';
import { twoDimensionalProblems } from '../../src/lab/problems/two-d.js';

describe('optimizer spec grammar', () => {
  test('names, booleans, numbers and /-lists', () => {
    const [a, b, c] = parseLabOptimizers('adam, sgd:momentum=0.9:nesterov=true ,adam:betas=0.9/0.99');
    assert.deepEqual(a, { name: 'adam', options: {}, lr: null, label: 'adam' });
    assert.deepEqual(b!.options, { momentum: 0.9, nesterov: true });
    assert.equal(b!.label, 'sgd:momentum=0.9:nesterov=true');
    assert.deepEqual(c!.options, { betas: [0.9, 0.99] });
    assert.equal(c!.label, 'adam:betas=0.9/0.99');
  });

  test('lr= fixes the learning rate and is part of the label', () => {
    const s = parseLabOptimizer('lbfgs:historySize=10:lr=0.5');
    assert.equal(s.lr, 0.5);
    assert.deepEqual(s.options, { historySize: 10 });
    assert.equal(s.label, 'lbfgs:historySize=10:lr=0.5');
  });

  const refused: Array<[string, RegExp]> = [
    ['adamm', /unknown optimizer "adamm", expected one of gd, sgd1, sgd, momentum, nesterov, adagrad, adadelta, adam/],
    ['adam:beta=0.9/0.99', /optimizer adam: unknown option "beta", expected one of lr, betas, eps, weightDecay, amsgrad/],
    ['adam:betas', /malformed option "betas", expected key=value \(valid keys: lr, betas/],
    ['adam:betas=0.9/', /option betas: invalid value "", expected a number/],
    ['sgd:lr=-1', /invalid lr -1, expected a number > 0/],
    ['adam,adam', /listed twice/],
    ['', /expected comma-separated specs with names from: gd, sgd/],
  ];
  for (const [text, message] of refused) {
    test(`refuses ${JSON.stringify(text)}`, () => assert.throws(() => parseLabOptimizers(text), message));
  }
});

describe('comparison config', () => {
  test('defaults: the quick suite with the seed optimizers', () => {
    const c = resolveCompareConfig({});
    assert.equal(c.suite, 'quick');
    assert.deepEqual(c.optimizers.map((o) => o.label), DEFAULT_LAB_OPTIMIZERS);
    assert.equal(c.seeds, 3);
    assert.equal(c.budget, null);
    assert.equal(c.grid.points, 13);
    assert.ok(c.workers >= 1);
  });

  test('the quick suite covers every 2-D problem, the κ = 100 quadratics, reddi, sparse-logreg and fmnist-mlp', () => {
    const quick = resolveCompareConfig({}).problems;
    const twoD = twoDimensionalProblems.map((p) => p.name);
    assert.deepEqual(twoD, ['rosenbrock', 'rosenbrock-scaled', 'beale', 'booth', 'himmelblau', 'rastrigin', 'ackley', 'saddle', 'monkey-saddle']);
    for (const p of [...twoD, 'quadratic-k100', 'quadratic-rotated-k100', 'reddi', 'moons-net', 'sparse-logreg', 'fmnist-mlp']) assert.ok(quick.includes(p), p);
  });

  const refused: Array<[object, RegExp]> = [
    [{ problems: 'rosenbrock,nope' }, /unknown problem "nope", expected one of: rosenbrock, rosenbrock-scaled, beale/],
    [{ optimizers: 'adam,foo' }, /unknown optimizer "foo", expected one of gd, sgd/],
    [{ optimizers: 'sgd:momentum=-1' }, /Invalid momentum value: -1, expected momentum >= 0/],
    [{ optimizers: 'adam:betas=0.9/1.5' }, /beta parameter at index 1/],
    [{ optimizers: 'newton:lr=0.5' }, /newton takes no lr/],
    [{ optimizers: 'newton:damping=-1' }, /Invalid damping: -1, expected damping >= 0/],
    [{ budget: 0 }, /invalid budget 0, expected a positive integer/],
    [{ budget: '0' }, /invalid budget "0", expected a positive integer/],
    [{ seeds: 1.5 }, /invalid seeds 1.5, expected a positive integer/],
    [{ grid: 'many' }, /invalid grid "many", expected a positive integer/],
    [{ suite: 'huge' }, /unknown suite "huge", expected one of: quick, standard, full/],
    [{ problem: 'saddle' }, /unknown comparison option "problem", expected one of: suite, problems, optimizers/],
  ];
  for (const [input, message] of refused) {
    test(`refuses ${JSON.stringify(input)}`, () => assert.throws(() => resolveCompareConfig(input as never), message));
  }
});

describe('learning-rate grid', () => {
  test('quick: 13 log-spaced points from 1e-5 to 1e1 (two per decade)', () => {
    const g = learningRateGrid({ min: 1e-5, max: 10, points: 13 });
    assert.equal(g.length, 13);
    assert.equal(g[0], 1e-5);
    assert.equal(g[2], 1e-4);
    assert.equal(g[12], 10);
    assert.ok(Math.abs(g[1]! - 10 ** -4.5) < 1e-10);
  });

  test("DeepOBS's 36 points over 1e-5..1e2", () => {
    const g = learningRateGrid({ min: 1e-5, max: 1e2, points: 36 });
    assert.equal(g.length, 36);
    assert.equal(g[0], 1e-5);
    assert.equal(g[35], 100);
    for (let i = 1; i < g.length; i++) assert.ok(Math.abs(g[i]! / g[i - 1]! - 10 ** 0.2) < 1e-5);
  });
});

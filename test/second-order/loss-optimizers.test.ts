import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { NewtonOptimizer, DEFAULT_MAX_DENSE_DIM } from '../../src/optim/second-order/newton-optimizer.js';
import { HessianFreeOptimizer } from '../../src/optim/second-order/hessian-free-optimizer.js';
import { Newton } from '../../src/optim/second-order/newton.js';
import { objectiveFromLoss } from '../../src/optim/second-order/from-loss.js';
import { createOptimizer, optionNames, parseOptimizerSpec } from '../../src/optim/registry.js';
import { createTrainingProblem } from '../../src/train/problems.js';
import { train } from '../../src/train/trainer.js';
import { Linear, Sequential } from '../../src/nn/index.js';
import { Rng } from '../../src/core/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { crossEntropy } from '../../src/tensor/functional/losses.js';
import type { Module } from '../../src/nn/module.js';

/** 2-D two-class logistic regression (3 classes' worth of logits would be redundant): 40 noisy points. */
function logistic2d() {
  const rng = new Rng(7);
  const model = new Sequential(new Linear(2, 2, { dtype: 'float64', rng: rng.split('init') }));
  const n = 40;
  const xs = new Float64Array(2 * n);
  const y = new Int32Array(n);
  const noise = rng.split('data');
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    xs[2 * i] = (y[i] ? 1 : -1) + 1.5 * (noise.nextUint32() / 2 ** 32 - 0.5) * 2;
    xs[2 * i + 1] = 0.5 * (y[i] ? -1 : 1) + 1.5 * (noise.nextUint32() / 2 ** 32 - 0.5) * 2;
  }
  const x = new Tensor(xs, [n, 2]);
  const loss = () => crossEntropy(model.call(x), y);
  return { model, loss };
}

/** Spiral MLP (4,547 parameters) with fixed mini-batches of 64. */
function spiral() {
  const problem = createTrainingProblem('spiral-mlp', { seed: 0, trainLimit: 256, testLimit: 30 });
  const { model, train: data } = problem;
  const batches = [0, 1, 2, 3].map((b) => {
    const x = new Tensor(data.x.slice(b * 128, b * 128 + 128), [64, 2]);
    const y = (data.y as Int32Array).slice(b * 64, b * 64 + 64);
    return () => crossEntropy(model.call(x), y);
  });
  return { problem, model, batches };
}

const snapshot = (m: Module): number[][] => m.parameters().map((p) => Array.from(p.data));

describe('NewtonOptimizer', () => {
  test('one undamped step equals the Newton class on objectiveFromLoss', () => {
    const a = logistic2d();
    const x0 = Float64Array.from(a.model.parameters().flatMap((p) => Array.from(p.data)));
    const opt = new NewtonOptimizer(a.model.parameters(), { damping: 0, lineSearch: false });
    const before = opt.stepWithLoss(a.loss);
    const b = logistic2d();
    const newton = new Newton(objectiveFromLoss(b.loss, b.model.parameters()), x0.slice(), { damping: 0 });
    const info = newton.step();
    assert.equal(before, info.value);
    const got = a.model.parameters().flatMap((p) => Array.from(p.data));
    assert.notDeepEqual(got, Array.from(x0), 'the step moved the parameters');
    got.forEach((v, i) => assert.ok(Math.abs(v - newton.x[i]!) < 1e-9, `param ${i}: ${v}, expected ${newton.x[i]}`));
  });

  test('lr scales the accepted step', () => {
    const steps = [1, 0.5].map((lr) => {
      const { model, loss } = logistic2d();
      const x0 = model.parameters().flatMap((p) => Array.from(p.data));
      new NewtonOptimizer(model.parameters(), { damping: 0, lineSearch: false, lr }).stepWithLoss(loss);
      return model.parameters().flatMap((p) => Array.from(p.data)).map((v, i) => v - x0[i]!);
    });
    assert.ok(steps[0]!.some((d) => Math.abs(d) > 1e-3));
    steps[1]!.forEach((d, i) => assert.ok(Math.abs(d - 0.5 * steps[0]![i]!) < 1e-12, `step[${i}] = ${d}, expected ${0.5 * steps[0]![i]!}`));
  });

  test('damped Newton lowers a logistic loss at every step, with dense and CG solvers', () => {
    for (const solver of ['dense', 'cg'] as const) {
      const { model, loss } = logistic2d();
      const opt = new NewtonOptimizer(model.parameters(), { solver });
      const losses = [0, 1, 2, 3, 4, 5].map(() => opt.stepWithLoss(loss));
      for (let i = 1; i < losses.length; i++) assert.ok(losses[i]! < losses[i - 1]!, `${solver}: loss ${losses[i]} after ${losses[i - 1]}`);
      assert.ok(losses[5]! < 0.7 * losses[0]!, `${solver}: ${losses[0]} -> ${losses[5]}`);
    }
  });

  test('refuses the dense solver for a model above maxDenseDim, naming the size and the alternatives', () => {
    const big = new Linear(784, 10, { rng: new Rng(0) }); // fmnist-logreg: 7,850 parameters
    assert.throws(() => new NewtonOptimizer(big.parameters()), /7850 parameters, above maxDenseDim 500: .*\(~1.4 GiB\).*newton:solver=cg, hessianfree or lbfgs for a model this size \(or raise newton:maxDenseDim=7850/);
    // The default keeps a dense step to a few seconds: the spiral MLP (4,547 parameters, ~83 s
    // a step) is refused, 500 parameters are accepted and 501 are not.
    const spiralMlp = createTrainingProblem('spiral-mlp', { seed: 0, trainLimit: 30, testLimit: 30 }).model;
    assert.throws(() => createOptimizer('newton', spiralMlp.parameters()), /the model has 4547 parameters, above maxDenseDim 500: .*\(~474 MiB\)/);
    assert.equal(DEFAULT_MAX_DENSE_DIM, 500);
    assert.doesNotThrow(() => new NewtonOptimizer(new Linear(99, 5, { rng: new Rng(0) }).parameters()));
    assert.throws(() => new NewtonOptimizer(new Linear(100, 5, { rng: new Rng(0) }).parameters()), /505 parameters, above maxDenseDim 500/);
    assert.doesNotThrow(() => createOptimizer('newton:maxDenseDim=4547', spiralMlp.parameters()));
    assert.throws(() => createOptimizer('newton', big.parameters()), /7850 parameters/);
    assert.throws(() => new NewtonOptimizer(new Linear(3, 2, { rng: new Rng(0) }).parameters(), { maxDenseDim: 7 }), /8 parameters, above maxDenseDim 7/);
    const cg = createOptimizer('newton:solver=cg:damping=1e-3', big.parameters()) as unknown as NewtonOptimizer;
    assert.equal(cg.paramGroups[0]!.solver, 'cg');
    assert.equal(cg.damping, 1e-3);
  });

  test('stateDict round trip through JSON continues identically', () => {
    const run = (opt: NewtonOptimizer, loss: () => Tensor) => [0, 1].map(() => opt.stepWithLoss(loss));
    const a = logistic2d();
    const optA = new NewtonOptimizer(a.model.parameters(), { damping: 0.5 });
    run(optA, a.loss);
    const saved = JSON.parse(JSON.stringify(optA.stateDict()));
    const params = snapshot(a.model);
    const lossesA = run(optA, a.loss);
    const b = logistic2d();
    b.model.parameters().forEach((p, i) => p.data.set(params[i]!));
    const optB = new NewtonOptimizer(b.model.parameters(), { damping: 0.5 });
    optB.loadStateDict(saved);
    assert.equal(optB.damping, saved.state.damping);
    assert.notEqual(optB.damping, 0.5, 'the damping adapted');
    assert.deepEqual(run(optB, b.loss), lossesA);
    assert.deepEqual(snapshot(b.model), snapshot(a.model));
  });
});

describe('HessianFreeOptimizer', () => {
  test('lowers the loss of a spiral MLP over a few mini-batch steps (Gauss-Newton and Hessian)', () => {
    for (const curvature of ['gauss-newton', 'hessian'] as const) {
      const { model, batches } = spiral();
      const opt = new HessianFreeOptimizer(model.parameters(), { curvature, maxCgIter: 10 });
      const first = batches.map((b) => b().item());
      for (const b of batches) opt.stepWithLoss(b);
      const last = batches.map((b) => b().item());
      const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
      assert.ok(mean(last) < mean(first) - 0.02, `${curvature}: mean batch loss ${mean(first)} -> ${mean(last)}`);
      assert.equal(opt.steps, 4);
      assert.ok(opt.lastStep !== null && opt.lastStep.cgIterations > 0);
    }
  });

  test('stateDict round trip through JSON continues identically (damping and warm start)', () => {
    const a = spiral();
    const optA = new HessianFreeOptimizer(a.model.parameters(), { maxCgIter: 10 });
    optA.stepWithLoss(a.batches[0]!);
    optA.stepWithLoss(a.batches[1]!);
    const saved = JSON.parse(JSON.stringify(optA.stateDict()));
    assert.ok(saved.state.previous.some((v: number) => v !== 0), 'the warm start is saved');
    const params = snapshot(a.model);
    const lossesA = [optA.stepWithLoss(a.batches[2]!), optA.stepWithLoss(a.batches[3]!)];
    const b = spiral();
    b.model.parameters().forEach((p, i) => p.data.set(params[i]!));
    const optB = new HessianFreeOptimizer(b.model.parameters());
    optB.loadStateDict(saved);
    assert.equal(optB.paramGroups[0]!.maxCgIter, 10);
    assert.equal(optB.damping, saved.state.damping);
    assert.notEqual(saved.state.damping, 1, 'the damping adapted');
    const lossesB = [optB.stepWithLoss(b.batches[2]!), optB.stepWithLoss(b.batches[3]!)];
    assert.deepEqual(lossesB, lossesA);
    assert.deepEqual(snapshot(b.model), snapshot(a.model));
    assert.equal(optB.damping, optA.damping);
  });

  test('minDamping floors the adapted damping', () => {
    const { model, loss } = logistic2d();
    const opt = new HessianFreeOptimizer(model.parameters(), { damping: 1, minDamping: 0.5 });
    const dampings = [0, 1, 2, 3].map(() => (opt.stepWithLoss(loss), opt.damping));
    assert.ok(dampings.every((d) => d >= 0.5), `dampings ${dampings}`);
    assert.ok(dampings.includes(0.5), `dampings ${dampings}: the good steps lowered λ to the floor`);
    assert.throws(() => new HessianFreeOptimizer(model.parameters(), { minDamping: -1 }), /Invalid minDamping: -1/);
  });

  test('runs under the trainer (stepWithLoss) from a registry spec', () => {
    const problem = createTrainingProblem('spiral-mlp', { seed: 1, trainLimit: 256, testLimit: 30 });
    const opt = createOptimizer(parseOptimizerSpec('hessianfree:maxCgIter=5:damping=0.5'), problem.model.parameters()) as unknown as HessianFreeOptimizer;
    assert.ok(opt instanceof HessianFreeOptimizer);
    const result = train({ problem, optimizer: opt, optimizerName: 'hessianfree', batchSize: 64, epochs: 1, maxSteps: 3, seed: 0 });
    assert.equal(result.steps, 3);
    assert.equal(opt.steps, 3);
    assert.ok(Number.isFinite(result.final.trainLoss));
  });
});

describe('loss-driven optimizers: surface and validation', () => {
  const params = () => new Linear(2, 2, { dtype: 'float64', rng: new Rng(0) }).parameters();
  test('step(closure) refuses and points to stepWithLoss', () => {
    assert.throws(() => new NewtonOptimizer(params()).step(() => 0), /stepWithLoss\(lossFn\)/);
    assert.throws(() => new HessianFreeOptimizer(params()).step(() => 0), /stepWithLoss\(lossFn\)/);
  });
  test('zeroGrad zeroes existing gradients', () => {
    const ps = params();
    ps[0]!.grad = new Float64Array(ps[0]!.numel).fill(3);
    new HessianFreeOptimizer(ps).zeroGrad();
    assert.deepEqual(Array.from(ps[0]!.grad), [0, 0, 0, 0]);
  });
  test('invalid options and params fail naming the value', () => {
    assert.throws(() => new NewtonOptimizer(params(), { lr: 0 }), /Invalid learning rate \(lr\): 0/);
    assert.throws(() => new NewtonOptimizer(params(), { solver: 'qr' as never }), /Invalid solver: "qr"/);
    assert.throws(() => new NewtonOptimizer(params(), { saddleFree: true, solver: 'cg' }), /saddleFree/);
    assert.throws(() => new NewtonOptimizer(params(), { momentum: 0.9 } as never), /unknown option "momentum"/);
    assert.throws(() => new HessianFreeOptimizer(params(), { curvature: 'fisher' as never }), /Invalid curvature: "fisher"/);
    assert.throws(() => new HessianFreeOptimizer(params(), { damping: -1 }), /Invalid damping: -1/);
    assert.throws(() => new HessianFreeOptimizer([{ data: new Float64Array(2), grad: null }] as never), /parameter 0 is an object.*expected a Tensor/);
    assert.throws(() => new HessianFreeOptimizer([{ params: params() }, { params: params() }]), /got 2 groups, expected 1/);
    assert.throws(() => new NewtonOptimizer(params()).stepWithLoss(3 as never), /invalid lossFn 3/);
    assert.throws(() => new HessianFreeOptimizer(params()).loadStateDict({ state: {} } as never), /expected \{state/);
  });
  test('the registry lists both with their option keys', () => {
    assert.ok(optionNames('newton').includes('solver') && optionNames('newton').includes('maxDenseDim'));
    assert.ok(optionNames('hessianfree').includes('curvature') && optionNames('hessianfree').includes('maxCgIter'));
    assert.deepEqual(parseOptimizerSpec('newton:damping=1e-3:solver=cg').options, { damping: 1e-3, solver: 'cg' });
    const hf = createOptimizer('hessianfree', params()) as unknown as HessianFreeOptimizer;
    assert.equal(hf.paramGroups[0]!.curvature, 'gauss-newton');
    assert.equal(hf.paramGroups[0]!.maxCgIter, 50);
    assert.equal(hf.paramGroups[0]!.minDamping, 0.03);
  });
});

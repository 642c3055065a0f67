/**
 * Scheduler classes and schedule functions given as optimizer options: a class refuses to
 * drive an option that is a function (lr, or the momentum / beta1 it cycles), and the two
 * combine when they drive different options.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Adam, SGD } from '../../src/optim/optimizers/index.js';
import { CyclicLR, LambdaLR, OneCycleLR, ReduceLROnPlateau, StepLR } from '../../src/optim/schedules/index.js';
import { cosineDecaySchedule } from '../../src/optim/schedules/index.js';

const param = () => ({ data: Float64Array.of(1, -2), grad: Float64Array.of(0.5, 0.25) });

test('a scheduler class on a group whose lr is a function is refused, naming the group', () => {
  const opt = new SGD([{ params: [param()], lr: 0.1 }, { params: [param()], lr: (t: number) => 0.1 / (1 + t) }]);
  const refused = /optimizer\.paramGroups\[1\]\.lr is a schedule function, expected a number: a scheduler class cannot drive an option that a schedule function already sets/;
  assert.throws(() => new StepLR(opt, { stepSize: 2 }), refused);
  assert.throws(() => new LambdaLR(opt, { lrLambda: () => 1 }), refused);
  assert.throws(() => new ReduceLROnPlateau(opt), refused);
  assert.equal(opt.paramGroups[0]!.initialLr, undefined, 'the refusal happens before any group is touched');
});

test('cycling momentum or beta1 that is a function is refused; with cycleMomentum false it works', () => {
  const sgd = new SGD([param()], { lr: 0.1, momentum: (t) => Math.min(0.9, 0.1 * t) });
  assert.throws(() => new OneCycleLR(sgd, { maxLr: 0.1, totalSteps: 10 }), /paramGroups\[0\]\.momentum is a schedule function/);
  assert.throws(() => new CyclicLR(sgd, { baseLr: 0.01, maxLr: 0.1 }), /paramGroups\[0\]\.momentum is a schedule function/);
  const adam = new Adam([param()], { betas: [(t) => 0.9 - 0.01 * t, 0.999] });
  assert.throws(() => new OneCycleLR(adam, { maxLr: 0.1, totalSteps: 10 }), /paramGroups\[0\]\.betas\[0\] is a schedule function/);
  assert.equal(adam.paramGroups[0]!.initialLr, undefined, 'refused before any group is touched');
  assert.equal(sgd.paramGroups[0]!.lr, 0.1, 'CyclicLR refused before setting the lr');
  const cycle = new OneCycleLR(adam, { maxLr: 0.1, totalSteps: 10, cycleMomentum: false });
  for (let k = 0; k < 3; k++) {
    adam.step();
    cycle.step();
  }
  assert.equal(typeof adam.paramGroups[0]!.betas[0], 'function');
  assert.equal(adam.paramGroups[0]!.lr, cycle.getLastLr()[0]);
});

test('a class drives lr while a function drives momentum: the same run as setting both by hand', () => {
  const momentum = cosineDecaySchedule(0.9, 4);
  const p = param();
  const q = param();
  const a = new SGD([p], { lr: 0.1, momentum });
  const b = new SGD([q], { lr: 0.1, momentum: momentum(0) });
  const sa = new StepLR(a, { stepSize: 2, gamma: 0.5 });
  const sb = new StepLR(b, { stepSize: 2, gamma: 0.5 });
  for (let k = 0; k < 6; k++) {
    b.paramGroups[0]!.momentum = momentum(k);
    p.grad = Float64Array.of(0.5 - 0.1 * k, 0.25);
    q.grad = Float64Array.of(0.5 - 0.1 * k, 0.25);
    a.step();
    b.step();
    sa.step();
    sb.step();
    assert.deepEqual(Array.from(p.data), Array.from(q.data), `step ${k}`);
  }
});

test('a scheduler whose group lr was replaced by a function later refuses to step', () => {
  const opt = new SGD([param()], { lr: 0.1 });
  const scheduler = new StepLR(opt, { stepSize: 1 });
  opt.paramGroups[0]!.lr = ((t: number) => 0.1 / (1 + t)) as unknown as number;
  assert.throws(() => scheduler.step(), /StepLR\.step: optimizer\.paramGroups\[0\]\.lr is a schedule function/);
  assert.equal(typeof opt.paramGroups[0]!.lr, 'function', 'the function was not overwritten');
});

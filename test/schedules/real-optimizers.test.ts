/** Schedulers driving the real SGD and Adam: the scheduled values are the ones the update uses. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SGD, Adam } from '../../src/optim/optimizers/index.js';
import { StepLR, OneCycleLR, CyclicLR } from '../../src/optim/schedules/index.js';
import type { Parameter } from '../../src/core/param.js';

const param = (): Parameter => ({ data: new Float64Array([1]), grad: new Float64Array([1]) });

test('StepLR on SGD: each update moves the parameter by the scheduled lr', () => {
  const p = param();
  const opt = new SGD([p], { lr: 0.1 });
  const scheduler = new StepLR(opt, { stepSize: 2, gamma: 0.5 });
  const lrs: number[] = [];
  let expected = 1;
  for (let k = 0; k < 6; k++) {
    lrs.push(opt.paramGroups[0]!.lr);
    expected -= opt.paramGroups[0]!.lr;
    opt.step();
    scheduler.step();
  }
  assert.deepEqual(lrs, [0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
  assert.ok(Math.abs(p.data[0]! - expected) < 1e-15, `${p.data[0]} vs ${expected}`);
});

test('CyclicLR on SGD cycles momentum; OneCycleLR on Adam cycles beta1 and Adam keeps stepping', () => {
  const opt = new SGD([param()], { lr: 0.1, momentum: 0.9 });
  const cyclic = new CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 });
  opt.step();
  cyclic.step();
  assert.ok(Math.abs(opt.paramGroups[0]!.lr - 0.055) < 1e-15);
  assert.ok(Math.abs((opt.paramGroups[0]!.momentum as number) - 0.85) < 1e-15);

  const q = param();
  const adam = new Adam([q], { lr: 0.1 });
  const oneCycle = new OneCycleLR(adam, { maxLr: 0.1, totalSteps: 10 });
  const beta1: number[] = [];
  for (let k = 0; k < 9; k++) {
    adam.step();
    oneCycle.step();
    beta1.push((adam.paramGroups[0]!.betas as number[])[0]!);
  }
  assert.ok(Math.min(...beta1) < 0.9 && beta1[8]! > 0.94, `beta1 ${beta1}`);
  assert.equal((adam.paramGroups[0]!.betas as number[])[1], 0.999);
  assert.ok(Number.isFinite(q.data[0]!) && q.data[0]! < 1);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createScheduler, parseScheduleSpec, SCHEDULE_NAMES } from '../../src/optim/scheduler-registry.js';
import { createOptimizer, parseOptimizerSpec, OPTIMIZER_NAMES } from '../../src/optim/registry.js';

const param = () => ({ data: new Float64Array(2), grad: null });

test('every named schedule builds and drives the learning rate', () => {
  for (const name of SCHEDULE_NAMES) {
    const opt = createOptimizer('sgd', [param()], { lr: 0.1 });
    const spec = name === 'cyclic' ? 'cyclic:stepSizeUp=2' : name === 'warmrestarts' ? 'warmrestarts:T0=2' : name === 'step' ? 'step:stepSize=1' : name === 'multistep' ? 'multistep:milestones=1/2' : name === 'exponential' ? 'exponential:gamma=0.5' : name === 'constant' ? 'constant:factor=0.5:totalIters=2' : name;
    const s = createScheduler(spec, opt, { epochs: 4, stepsPerEpoch: 3 });
    const seen = new Set<number>([opt.paramGroups[0]!.lr]);
    for (let i = 0; i < 3; i++) { s.step(s.needsMetric ? 1 : undefined); seen.add(opt.paramGroups[0]!.lr); }
    assert.ok(name === 'plateau' || seen.size > 1, `${name} changed the lr: ${[...seen]}`);
    assert.doesNotThrow(() => JSON.stringify(s.stateDict()), name);
  }
});

test('step decay by name equals its formula; units default per schedule', () => {
  const opt = createOptimizer('sgd', [param()], { lr: 1 });
  const s = createScheduler('step:stepSize=2:gamma=0.5', opt, { epochs: 10, stepsPerEpoch: 5 });
  assert.equal(s.unit, 'epoch');
  const lrs = [opt.paramGroups[0]!.lr];
  for (let i = 0; i < 5; i++) { s.step(); lrs.push(opt.paramGroups[0]!.lr); }
  assert.deepEqual(lrs, [1, 1, 0.5, 0.5, 0.25, 0.25]);
  assert.equal(createScheduler('onecycle', createOptimizer('sgd', [param()], { lr: 1 }), { epochs: 2, stepsPerEpoch: 5 }).unit, 'step');
});

test('specs: unknown names, options and values are refused with what is valid', () => {
  assert.throws(() => parseScheduleSpec('cosin'), /unknown schedule "cosin", expected one of step, multistep/);
  assert.throws(() => parseScheduleSpec('step:size=2'), /schedule step: unknown option "size", expected one of stepSize, gamma/);
  assert.throws(() => parseScheduleSpec('step:stepSize'), /malformed option "stepSize", expected key=value/);
  assert.throws(() => parseOptimizerSpec('adamm'), new RegExp(`unknown optimizer "adamm", expected one of ${OPTIMIZER_NAMES.join(', ')}`));
  assert.throws(() => parseOptimizerSpec('adam:betas=0.9/1..2'), /invalid value "1..2"/);
  assert.deepEqual(parseOptimizerSpec('sgd:momentum=0.9:nesterov=true:weight_decay=1e-4'), { name: 'sgd', options: { momentum: 0.9, nesterov: true, weightDecay: 1e-4 } });
  assert.deepEqual(parseOptimizerSpec('adam:betas=0.9/0.99').options, { betas: [0.9, 0.99] });
  assert.throws(() => createScheduler('step:stepSize=-1', createOptimizer('sgd', [param()], { lr: 1 }), { epochs: 1, stepsPerEpoch: 1 }), /stepSize/);
});

test('aliases carry their presets', () => {
  const m = createOptimizer('nesterov', [param()], { lr: 0.1 });
  assert.equal(m.paramGroups[0]!.momentum, 0.9);
  assert.equal(m.paramGroups[0]!.nesterov, true);
  assert.equal(createOptimizer('amsgrad', [param()]).paramGroups[0]!.amsgrad, true);
});

test("a scheduler's initialLr travels with the optimizer state; another optimizer's options do not load", () => {
  const a = createOptimizer('adam', [param()], { lr: 0.1 });
  createScheduler('step:stepSize=1', a, { epochs: 2, stepsPerEpoch: 1 });
  const saved = JSON.parse(JSON.stringify(a.stateDict()));
  assert.equal(saved.paramGroups[0].initialLr, 0.1);
  const b = createOptimizer('adam', [param()]);
  b.loadStateDict(saved);
  assert.equal(b.paramGroups[0]!.initialLr, 0.1);
  const sgd = createOptimizer('sgd:momentum=0.9', [param()], { lr: 0.1 });
  assert.throws(() => b.loadStateDict(JSON.parse(JSON.stringify(sgd.stateDict()))), /unknown option "momentum"/);
});

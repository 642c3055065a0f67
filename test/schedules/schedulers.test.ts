/**
 * Scheduler behaviour beyond the torch fixtures: initialLr, getLastLr, step(epoch),
 * momentum cycling on betas, and stateDict/loadStateDict round trips through JSON.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  StepLR, MultiStepLR, CosineAnnealingLR, CosineAnnealingWarmRestarts, OneCycleLR, CyclicLR, LinearLR, ExponentialLR,
  LambdaLR, SequentialLR, ChainedScheduler, ReduceLROnPlateau, SWALR, ConstantLR,
  type SchedulableGroup, type SchedulerState,
} from '../../src/optim/schedules/index.js';

interface Opt { paramGroups: SchedulableGroup[]; defaults: object }
type Sched = { step(arg?: number): void; getLastLr(): number[]; stateDict(): SchedulerState; loadStateDict(s: SchedulerState): void };

const sgd = (): Opt => ({ paramGroups: [{ lr: 0.1, momentum: 0.9 }, { lr: 0.05, momentum: 0.9 }], defaults: { momentum: 0.9 } });
const adam = (): Opt => ({ paramGroups: [{ lr: 0.001, betas: [0.9, 0.999] }], defaults: { betas: [0.9, 0.999] } });

describe('scheduler basics', () => {
  test('the first scheduler sets initialLr; later ones keep it', () => {
    const opt = sgd();
    new ExponentialLR(opt, { gamma: 0.5 }).step();
    assert.deepEqual(opt.paramGroups.map((g) => g.initialLr), [0.1, 0.05]);
    const s = new StepLR(opt, { stepSize: 1, gamma: 0.5 });
    assert.deepEqual(s.baseLrs, [0.1, 0.05]);
  });

  test('getLastLr returns a copy of the lrs the last step set', () => {
    const opt = sgd();
    const s = new MultiStepLR(opt, { milestones: [1, 3], gamma: 0.1 });
    s.step();
    const last = s.getLastLr();
    assert.deepEqual(last, opt.paramGroups.map((g) => g.lr));
    last[0] = 42;
    assert.notEqual(s.getLastLr()[0], 42);
  });

  test('step(epoch) jumps with the closed form', () => {
    const opt = sgd();
    const s = new StepLR(opt, { stepSize: 3, gamma: 0.5 });
    s.step(7);
    assert.equal(s.lastEpoch, 7);
    assert.deepEqual(s.getLastLr(), [0.1 * 0.25, 0.05 * 0.25]);
  });

  test('CosineAnnealingWarmRestarts with fractional epochs follows SGDR', () => {
    const opt = sgd();
    const s = new CosineAnnealingWarmRestarts(opt, { T0: 2, TMult: 2 });
    // epoch 3.5 lies 1.5 into the second period, which lasts 4.
    s.step(3.5);
    const expected = (0.1 * (1 + Math.cos((Math.PI * 1.5) / 4))) / 2;
    assert.ok(Math.abs(opt.paramGroups[0]!.lr - expected) < 1e-15);
    assert.equal(s.lastEpoch, 3);
  });

  test('CosineAnnealingLR keeps oscillating past TMax (torch recursive form)', () => {
    const opt = sgd();
    const s = new CosineAnnealingLR(opt, { TMax: 4 });
    const lrs: number[] = [];
    for (let k = 0; k < 8; k++) { s.step(); lrs.push(opt.paramGroups[0]!.lr); }
    assert.ok(lrs[3]! < 1e-15, `lr at TMax ${lrs[3]}`);
    assert.ok(Math.abs(lrs[7]! - 0.1) < 1e-12, `lr at 2 TMax ${lrs[7]}`);
  });

  test('OneCycleLR on an Adam-like optimizer cycles beta1 and keeps beta2', () => {
    const opt = adam();
    const s = new OneCycleLR(opt, { maxLr: 0.01, totalSteps: 10 });
    assert.deepEqual(opt.paramGroups[0]!.betas, [0.95, 0.999]);
    for (let k = 0; k < 3; k++) s.step();
    const b = opt.paramGroups[0]!.betas!;
    assert.ok(b[0]! < 0.95 && b[0]! >= 0.85, `beta1 ${b[0]}`);
    assert.equal(b[1], 0.999);
    assert.deepEqual(s.getLastMomentum(), [b[0]]);
  });

  test('CyclicLR sets lr to baseLr and momentum to baseMomentum at construction', () => {
    const opt = sgd();
    new CyclicLR(opt, { baseLr: [0.01, 0.02], maxLr: 0.1, stepSizeUp: 2, baseMomentum: 0.8, maxMomentum: 0.9 });
    assert.deepEqual(opt.paramGroups.map((g) => g.lr), [0.01, 0.02]);
    // momentum starts at maxMomentum after the initial step (height 0)
    assert.deepEqual(opt.paramGroups.map((g) => g.momentum), [0.9, 0.9]);
  });

  test('ReduceLROnPlateau respects minLr and eps', () => {
    const opt = { paramGroups: [{ lr: 1 }, { lr: 1e-8 }] };
    const s = new ReduceLROnPlateau(opt, { patience: 0, factor: 0.5, minLr: [0.3, 0] });
    s.step(1);
    s.step(1);
    assert.deepEqual(s.getLastLr(), [0.5, 1e-8]); // second group: reduction 5e-9 <= eps 1e-8 is skipped
    s.step(1);
    s.step(1);
    assert.equal(opt.paramGroups[0]!.lr, 0.3);
  });
});

/** Builders for the round trip: each builds a scheduler on a fresh optimizer. */
const BUILDERS: Record<string, { opt: () => Opt; make: (o: Opt) => Sched; arg?: (k: number) => number }> = {
  StepLR: { opt: sgd, make: (o) => new StepLR(o, { stepSize: 2, gamma: 0.5 }) },
  CosineAnnealingLR: { opt: sgd, make: (o) => new CosineAnnealingLR(o, { TMax: 5, etaMin: 0.001 }) },
  CosineAnnealingWarmRestarts: { opt: sgd, make: (o) => new CosineAnnealingWarmRestarts(o, { T0: 3, TMult: 2 }) },
  OneCycleLR: { opt: adam, make: (o) => new OneCycleLR(o, { maxLr: 0.01, totalSteps: 40, threePhase: true }) },
  CyclicLR: { opt: sgd, make: (o) => new CyclicLR(o, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 3, mode: 'exp_range', gamma: 0.9 }) },
  LambdaLR: { opt: sgd, make: (o) => new LambdaLR(o, { lrLambda: (e) => 1 / (1 + e) }) },
  SWALR: { opt: sgd, make: (o) => new SWALR(o, { swaLr: 0.02, annealEpochs: 6 }) },
  ReduceLROnPlateau: { opt: sgd, make: (o) => new ReduceLROnPlateau(o, { patience: 1, cooldown: 1 }), arg: (k) => 1 / (1 + (k % 4)) },
  SequentialLR: {
    opt: sgd,
    make: (o) => new SequentialLR(o, { schedulers: [new LinearLR(o, { totalIters: 3 }), new ExponentialLR(o, { gamma: 0.8 })], milestones: [3] }),
  },
  ChainedScheduler: {
    opt: sgd,
    make: (o) => new ChainedScheduler([new ConstantLR(o, { factor: 0.5, totalIters: 4 }), new ExponentialLR(o, { gamma: 0.9 })]),
  },
};

function groupsSnapshot(o: Opt): string {
  return JSON.stringify(o.paramGroups);
}

describe('stateDict / loadStateDict round trip through JSON', () => {
  for (const [name, b] of Object.entries(BUILDERS)) {
    test(name, () => {
      const optA = b.opt();
      const a = b.make(optA);
      const arg = b.arg ?? (() => undefined);
      for (let k = 0; k < 7; k++) a.step(arg(k));
      const saved = JSON.stringify(a.stateDict());
      assert.ok(!saved.includes('=>'), 'no functions in the state');

      const optB = b.opt();
      const c = b.make(optB);
      c.loadStateDict(JSON.parse(saved) as SchedulerState);
      // torch restores the optimizer too; here the groups' hyperparameters are copied over.
      optB.paramGroups = JSON.parse(groupsSnapshot(optA)) as SchedulableGroup[];
      for (let k = 7; k < 20; k++) {
        a.step(arg(k));
        c.step(arg(k));
        assert.equal(groupsSnapshot(optB), groupsSnapshot(optA), `${name} step ${k}`);
      }
      assert.deepEqual(c.getLastLr(), a.getLastLr());
    });
  }

  test('loadStateDict refuses unknown keys and non-objects', () => {
    const s = new StepLR(sgd(), { stepSize: 2 });
    assert.throws(() => s.loadStateDict({ nope: 1 }), /unknown key "nope"/);
    assert.throws(() => s.loadStateDict(null as never), /invalid state null/);
    assert.throws(() => new ChainedScheduler([s]).loadStateDict({ schedulers: [] }), /expected \{schedulers: \[1 states\]/);
  });
});

/** Bad options are refused with a message naming the value and what was expected. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, CosineAnnealingWarmRestarts, OneCycleLR, CyclicLR, LinearLR,
  ConstantLR, PolynomialLR, LambdaLR, SequentialLR, ChainedScheduler, ReduceLROnPlateau, SWALR,
  cosineDecaySchedule, piecewiseConstantSchedule, joinSchedules, warmupCosine, searchThenConverge, exponentialDecaySchedule,
  oneCycleSchedule, cyclicSchedule, linearWarmup,
} from '../../src/optim/schedules/index.js';
import { ValueError } from '../../src/core/errors.js';

const sgd = () => ({ paramGroups: [{ lr: 0.1, momentum: 0.9 }, { lr: 0.05, momentum: 0.9 }], defaults: { lr: 0.1, momentum: 0.9 } });
const bare = () => ({ paramGroups: [{ lr: 0.1 }] });

function refuses(fn: () => unknown, ...parts: RegExp[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ValueError, `expected a ValueError, got ${String(err)}`);
    for (const p of parts) assert.match(err.message, p);
    return true;
  });
}

describe('scheduler options are validated', () => {
  test('optimizer without param groups', () => {
    refuses(() => new StepLR({} as never, { stepSize: 2 }), /StepLR/, /paramGroups/);
    refuses(() => new StepLR({ paramGroups: [{ lr: 'x' }] } as never, { stepSize: 2 }), /paramGroups\[0\]\.lr "x"/);
  });
  test('negative or zero gamma, bad step sizes', () => {
    refuses(() => new StepLR(sgd(), { stepSize: 2, gamma: -0.5 }), /gamma -0\.5/, /> 0/);
    refuses(() => new ExponentialLR(sgd(), { gamma: -1 }), /ExponentialLR/, /gamma -1/);
    refuses(() => new StepLR(sgd(), { stepSize: 0 }), /stepSize 0/, /positive integer/);
    refuses(() => new StepLR(sgd(), undefined as never), /StepLR/, /options undefined/);
  });
  test('unsorted milestones', () => {
    refuses(() => new MultiStepLR(sgd(), { milestones: [5, 3] }), /milestones \[5, 3\]/, /not sorted/);
    refuses(() => new MultiStepLR(sgd(), { milestones: [1.5] }), /milestones\[0\] 1\.5/);
  });
  test('unknown option names (torch spelling) are refused', () => {
    refuses(() => new CosineAnnealingLR(sgd(), { T_max: 10 } as never), /unknown option "T_max"/, /TMax/);
  });
  test('factors out of range', () => {
    refuses(() => new ConstantLR(sgd(), { factor: 1.5 }), /factor 1\.5/, /0 <= factor <= 1/);
    refuses(() => new LinearLR(sgd(), { startFactor: 0 }), /startFactor 0/);
    refuses(() => new LinearLR(sgd(), { endFactor: 2 }), /endFactor 2/);
    refuses(() => new PolynomialLR(sgd(), { totalIters: -1 }), /totalIters -1/);
  });
  test('cosine annealing', () => {
    refuses(() => new CosineAnnealingLR(sgd(), { TMax: 0 }), /TMax 0/);
    refuses(() => new CosineAnnealingWarmRestarts(sgd(), { T0: 3, TMult: 0 }), /TMult 0/);
    const s = new CosineAnnealingWarmRestarts(sgd(), { T0: 3 });
    refuses(() => s.step(-1), /epoch -1/);
  });
  test('OneCycleLR', () => {
    refuses(() => new OneCycleLR(sgd(), { maxLr: 1, totalSteps: 0 }), /totalSteps 0/, /positive integer/);
    refuses(() => new OneCycleLR(sgd(), { maxLr: 1 }), /expected totalSteps or both epochs and stepsPerEpoch/);
    refuses(() => new OneCycleLR(sgd(), { maxLr: 1, totalSteps: 10, annealStrategy: 'exp' as never }), /annealStrategy "exp"/);
    refuses(() => new OneCycleLR(sgd(), { maxLr: 1, totalSteps: 10, pctStart: 1.2 }), /pctStart 1\.2/);
    refuses(() => new OneCycleLR(sgd(), { maxLr: [1, 2, 3], totalSteps: 10 }), /maxLr has 3 values/, /one per param group \(2\)/);
    refuses(() => new OneCycleLR(bare(), { maxLr: 1, totalSteps: 10 }), /neither momentum nor betas/);
    const s = new OneCycleLR(sgd(), { maxLr: 1, totalSteps: 3 });
    s.step();
    s.step();
    s.step();
    refuses(() => s.step(), /tried to step 4 times/, /totalSteps = 3/);
  });
  test('CyclicLR', () => {
    refuses(() => new CyclicLR(sgd(), { baseLr: 0.1, maxLr: 1, mode: 'square' as never }), /mode "square"/);
    refuses(() => new CyclicLR(sgd(), { baseLr: 0.1, maxLr: 1, stepSizeUp: -2 }), /stepSizeUp -2/);
    refuses(() => new CyclicLR(sgd(), { baseLr: 0.1, maxLr: 1, scaleFn: (x) => x, scaleMode: 'epoch' as never }), /scaleMode "epoch"/);
  });
  test('LambdaLR needs one function per group', () => {
    refuses(() => new LambdaLR(sgd(), { lrLambda: [(e) => e] }), /1 lrLambda functions/, /one per param group \(2\)/);
    refuses(() => new LambdaLR(sgd(), { lrLambda: 3 as never }), /lrLambda 3/);
  });
  test('SequentialLR and ChainedScheduler', () => {
    const opt = sgd();
    const a = new LinearLR(opt, { totalIters: 2 });
    const b = new ExponentialLR(opt, { gamma: 0.9 });
    refuses(() => new SequentialLR(opt, { schedulers: [a, b], milestones: [] }), /milestones \[\]/, /expected 1 value/);
    refuses(() => new SequentialLR(sgd(), { schedulers: [a, b], milestones: [2] }), /another optimizer/);
    refuses(() => new ChainedScheduler([]), /non-empty array/);
  });
  test('ReduceLROnPlateau', () => {
    refuses(() => new ReduceLROnPlateau(sgd(), { mode: 'up' as never }), /mode "up"/);
    refuses(() => new ReduceLROnPlateau(sgd(), { factor: 1 }), /factor 1/, /factor < 1/);
    refuses(() => new ReduceLROnPlateau(sgd(), { thresholdMode: 'pct' as never }), /thresholdMode "pct"/);
    refuses(() => new ReduceLROnPlateau(sgd(), { minLr: [0.1] }), /minLr has 1 values/);
    refuses(() => new ReduceLROnPlateau(sgd(), { patience: 1.5 }), /patience 1\.5/);
    refuses(() => new ReduceLROnPlateau(sgd()).step(NaN), /metric NaN/);
  });
  test('SWALR', () => {
    refuses(() => new SWALR(sgd(), { swaLr: 0.05, annealStrategy: 'step' as never }), /annealStrategy "step"/);
    refuses(() => new SWALR(sgd(), { swaLr: 0.05, annealEpochs: -1 }), /annealEpochs -1/);
  });
  test('resuming with lastEpoch needs initialLr on the groups', () => {
    refuses(() => new StepLR(sgd(), { stepSize: 2, lastEpoch: 5 }), /initialLr is undefined/, /lastEpoch 5/);
    refuses(() => new StepLR(sgd(), { stepSize: 2, lastEpoch: -3 }), /lastEpoch -3/);
  });
});

describe('schedule function arguments are validated', () => {
  test('bad arguments', () => {
    refuses(() => cosineDecaySchedule(1, 0), /cosineDecaySchedule/, /decaySteps 0/);
    refuses(() => piecewiseConstantSchedule([1, 2], [3, 1] as never), /boundaries/);
    refuses(() => piecewiseConstantSchedule([1, 2, 3], [3, 1]), /not increasing/);
    refuses(() => joinSchedules([() => 1, 'x' as never], [3]), /schedules\[1\] "x"/);
    refuses(() => warmupCosine(1, 10, 5), /totalSteps 5 <= warmupSteps 10/);
    refuses(() => searchThenConverge(1, 0), /tau 0/);
    refuses(() => exponentialDecaySchedule(1, -0.5), /gamma -0\.5/);
    refuses(() => exponentialDecaySchedule(1, 0.5, { steps: 2 } as never), /unknown option "steps"/);
    refuses(() => oneCycleSchedule(1, 0), /totalSteps 0/);
    refuses(() => cyclicSchedule(0.1, 1, 4, { mode: 'saw' as never }), /mode "saw"/);
  });
  test('a schedule refuses a bad step', () => {
    refuses(() => linearWarmup(1, 10)(-1), /linearWarmup/, /step -1/);
    refuses(() => linearWarmup(1, 10)(NaN), /step NaN/);
  });
});

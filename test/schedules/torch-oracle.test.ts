/**
 * Replays every case of test/fixtures/torch/lr_scheduler.json (PyTorch 1.13.1, float64):
 * lr (and momentum, where cycled) per group per step, `lrs[0]` right after the constructors.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { loadOracle, assertScaledRel, camel, type OracleCase } from '../helpers/oracle.js';
import {
  StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, CosineAnnealingWarmRestarts, OneCycleLR, CyclicLR,
  LinearLR, ConstantLR, PolynomialLR, LambdaLR, MultiplicativeLR, SequentialLR, ChainedScheduler,
  ReduceLROnPlateau, SWALR, LRScheduler, type SchedulableGroup,
} from '../../src/optim/schedules/index.js';

interface FakeOptimizer {
  paramGroups: SchedulableGroup[];
  defaults: Record<string, unknown>;
}

/** An optimizer with torch's group layout (lr, momentum or betas), no parameters needed. */
function fakeOptimizer(spec: OracleCase['optimizer']): FakeOptimizer {
  const defaults = { ...spec.defaults } as Record<string, unknown>;
  if (spec.name === 'SGD') defaults['momentum'] ??= 0;
  if (spec.name === 'Adam') defaults['betas'] ??= [0.9, 0.999];
  const paramGroups = (spec.param_groups as Array<Record<string, unknown>>).map((g) => {
    const group = { ...defaults, ...g } as Record<string, unknown>;
    if (Array.isArray(group['betas'])) group['betas'] = [...(group['betas'] as number[])];
    return group as unknown as SchedulableGroup;
  });
  return { paramGroups, defaults };
}

function camelKwargs(kwargs: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(kwargs ?? {})) out[k === 'T_0' ? 'T0' : camel(k)] = v; // camel() keeps '_0'
  return out;
}

function jsLambda(spec: { js: string }): (epoch: number) => number {
  return new Function(`return (${spec.js});`)() as (epoch: number) => number;
}

type Built = { step(arg?: number): void };

function build(opt: FakeOptimizer, spec: { name: string; kwargs?: Record<string, unknown>; lr_lambda?: unknown }): LRScheduler | ReduceLROnPlateau {
  const o = camelKwargs(spec.kwargs) as any;
  if (spec.lr_lambda !== undefined) {
    o.lrLambda = Array.isArray(spec.lr_lambda) ? spec.lr_lambda.map(jsLambda) : jsLambda(spec.lr_lambda as { js: string });
  }
  switch (spec.name) {
    case 'StepLR': return new StepLR(opt, o);
    case 'MultiStepLR': return new MultiStepLR(opt, o);
    case 'ExponentialLR': return new ExponentialLR(opt, o);
    case 'CosineAnnealingLR': return new CosineAnnealingLR(opt, o);
    case 'CosineAnnealingWarmRestarts': return new CosineAnnealingWarmRestarts(opt, o);
    case 'OneCycleLR': return new OneCycleLR(opt, o);
    case 'CyclicLR': return new CyclicLR(opt, o);
    case 'LinearLR': return new LinearLR(opt, o);
    case 'ConstantLR': return new ConstantLR(opt, o);
    case 'PolynomialLR': return new PolynomialLR(opt, o);
    case 'LambdaLR': return new LambdaLR(opt, o);
    case 'MultiplicativeLR': return new MultiplicativeLR(opt, o);
    case 'ReduceLROnPlateau': return new ReduceLROnPlateau(opt, o);
    case 'SWALR': return new SWALR(opt, o);
    default: throw new Error(`no scheduler ${spec.name}`);
  }
}

function buildCase(c: OracleCase, opt: FakeOptimizer): Built {
  const spec = c.scheduler;
  if (spec.name === 'SequentialLR') {
    const subs = spec.schedulers.map((s: any) => build(opt, s) as LRScheduler);
    return new SequentialLR(opt, { schedulers: subs, ...camelKwargs(spec.kwargs) } as any);
  }
  if (spec.name === 'ChainedScheduler') {
    return new ChainedScheduler(spec.schedulers.map((s: any) => build(opt, s) as LRScheduler));
  }
  return build(opt, spec) as Built;
}

function momentumOf(group: SchedulableGroup, key: string): number {
  return key === 'betas[0]' ? group.betas![0]! : group.momentum!;
}

/** Runs a case; returns per-group columns of lr and momentum. */
function replay(c: OracleCase): { lrs: number[][]; moms: number[][] } {
  const opt = fakeOptimizer(c.optimizer);
  const sched = buildCase(c, opt);
  const G = opt.paramGroups.length;
  const lrs: number[][] = Array.from({ length: G }, () => []);
  const moms: number[][] = Array.from({ length: G }, () => []);
  const record = () => opt.paramGroups.forEach((g, i) => {
    lrs[i]!.push(g.lr);
    if (c.momentum_key) moms[i]!.push(momentumOf(g, c.momentum_key));
  });
  record();
  for (let k = 0; k < c.num_steps; k++) {
    if (c.metrics) sched.step(c.metrics[k]);
    else if (c.step_epochs) sched.step(c.step_epochs[k]);
    else sched.step();
    record();
  }
  return { lrs, moms };
}

describe('lr_scheduler.json (PyTorch 1.13.1)', () => {
  const oracle = loadOracle('lr_scheduler');
  test('covers every scheduler the fixtures name', () => {
    assert.ok(oracle.cases.length >= 30);
  });
  for (const c of oracle.cases) {
    test(c.id, () => {
      const { lrs, moms } = replay(c);
      assert.equal(lrs[0]!.length, c.num_steps + 1);
      lrs.forEach((col, g) => {
        assertScaledRel(c.lrs.map((row: number[]) => row[g]), col, c.tolerance.f64, `${c.id} lr group ${g}`);
      });
      if (c.momentums) {
        moms.forEach((col, g) => {
          assertScaledRel(c.momentums.map((row: number[]) => row[g]), col, c.tolerance.f64, `${c.id} momentum group ${g}`);
        });
      }
    });
  }
});

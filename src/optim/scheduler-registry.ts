/**
 * Learning-rate schedules by name, for the command line (`descent train --schedule ...`).
 *
 *   step:stepSize=3:gamma=0.5        multistep:milestones=5/8:gamma=0.1   exponential:gamma=0.9
 *   cosine[:TMax=10:etaMin=0]        warmrestarts:T0=5:TMult=2            linear:startFactor=0.1:totalIters=5
 *   constant:factor=0.5:totalIters=3 polynomial[:totalIters=10:power=1]   plateau:factor=0.5:patience=2
 *   onecycle:maxLr=0.01              cyclic:baseLr=0.001:maxLr=0.01:stepSizeUp=200
 *   stc:tau=1000                     (search-then-converge, Darken & Moody 1992: lr / (1 + t/τ))
 *   invsqrt:warmup=500               (linear warmup, then lr·sqrt(warmup/t))
 *   warmupcosine:warmup=500          (linear warmup to lr, then cosine decay to 0 at the end of the run)
 * Each schedule runs per update ('step') or per epoch ('epoch'): the classic torch schedulers
 * that count epochs default to 'epoch', the cyclic and per-update ones to 'step'. Lengths that
 * are left out (TMax, totalIters, totalSteps) default to the length of the run.
 */
import { ValueError, show } from '../core/errors.js';
import { parseSpec, formatSpec, type Spec } from '../core/spec.js';
import {
  StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, CosineAnnealingWarmRestarts, LinearLR, ConstantLR,
  PolynomialLR, ReduceLROnPlateau, OneCycleLR, CyclicLR, LambdaLR,
} from './schedules/index.js';
import { searchThenConverge, inverseSqrtSchedule, warmupCosine } from './schedules/index.js';
import type { Optimizer } from './optimizers/optimizer.js';

export type ScheduleUnit = 'step' | 'epoch';

/** What a built schedule gives the trainer. */
export interface BuiltScheduler {
  step(metric?: number): void;
  stateDict(): unknown;
  loadStateDict(state: never): void;
  unit: ScheduleUnit;
  /** True for ReduceLROnPlateau: `step` needs the train-eval loss. */
  needsMetric: boolean;
}

interface Run {
  epochs: number;
  stepsPerEpoch: number;
}

interface Entry {
  unit: ScheduleUnit;
  keys: readonly string[];
  build(opt: Optimizer, o: Record<string, unknown>, run: Run, unit: ScheduleUnit): { step(metric?: number): void; stateDict(): unknown; loadStateDict(s: never): void };
}

const length = (run: Run, unit: ScheduleUnit): number => (unit === 'step' ? run.epochs * run.stepsPerEpoch : run.epochs);
const baseLr = (opt: Optimizer): number => opt.paramGroups[0]!.lr;

/** A LambdaLR driven by a schedule of the update count (relative to the base lr). */
function lambda(opt: Optimizer, schedule: (t: number) => number) {
  const lr0 = baseLr(opt);
  return new LambdaLR(opt, { lrLambda: (t: number) => schedule(t) / lr0 });
}

const ENTRIES: Record<string, Entry> = {
  step: { unit: 'epoch', keys: ['stepSize', 'gamma'], build: (opt, o) => new StepLR(opt, o as never) },
  multistep: {
    unit: 'epoch', keys: ['milestones', 'gamma'],
    build: (opt, o) => new MultiStepLR(opt, { ...o, milestones: ([] as unknown[]).concat(o['milestones'] ?? []) } as never),
  },
  exponential: { unit: 'epoch', keys: ['gamma'], build: (opt, o) => new ExponentialLR(opt, o as never) },
  cosine: { unit: 'epoch', keys: ['TMax', 'etaMin'], build: (opt, o, run, u) => new CosineAnnealingLR(opt, { TMax: length(run, u), ...o } as never) },
  warmrestarts: { unit: 'epoch', keys: ['T0', 'TMult', 'etaMin'], build: (opt, o) => new CosineAnnealingWarmRestarts(opt, o as never) },
  linear: { unit: 'epoch', keys: ['startFactor', 'endFactor', 'totalIters'], build: (opt, o, run, u) => new LinearLR(opt, { totalIters: length(run, u), ...o } as never) },
  constant: { unit: 'epoch', keys: ['factor', 'totalIters'], build: (opt, o) => new ConstantLR(opt, o as never) },
  polynomial: { unit: 'epoch', keys: ['totalIters', 'power'], build: (opt, o, run, u) => new PolynomialLR(opt, { totalIters: length(run, u), ...o } as never) },
  plateau: {
    unit: 'epoch', keys: ['factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps'],
    build: (opt, o) => {
      const s = new ReduceLROnPlateau(opt, o as never);
      return {
        step: (metric?: number) => {
          if (metric === undefined) throw new ValueError('plateau schedule: step needs the train-eval loss');
          s.step(metric);
        },
        stateDict: () => s.stateDict(),
        loadStateDict: (state: never) => s.loadStateDict(state),
      };
    },
  },
  onecycle: {
    unit: 'step', keys: ['maxLr', 'pctStart', 'annealStrategy', 'divFactor', 'finalDivFactor', 'threePhase', 'cycleMomentum', 'baseMomentum', 'maxMomentum'],
    build: (opt, o, run, u) => new OneCycleLR(opt, { maxLr: baseLr(opt), totalSteps: length(run, u), ...o } as never),
  },
  cyclic: {
    unit: 'step', keys: ['baseLr', 'maxLr', 'stepSizeUp', 'stepSizeDown', 'mode', 'gamma', 'cycleMomentum', 'baseMomentum', 'maxMomentum'],
    build: (opt, o) => new CyclicLR(opt, { baseLr: baseLr(opt) / 10, maxLr: baseLr(opt), ...o } as never),
  },
  stc: { unit: 'step', keys: ['tau'], build: (opt, o) => lambda(opt, searchThenConverge(baseLr(opt), (o['tau'] as number) ?? 1000)) },
  invsqrt: { unit: 'step', keys: ['warmup'], build: (opt, o) => lambda(opt, (t) => inverseSqrtSchedule(baseLr(opt), (o['warmup'] as number) ?? 100)(t + 1)) },
  warmupcosine: {
    unit: 'step', keys: ['warmup', 'endValue'],
    build: (opt, o, run, u) => lambda(opt, warmupCosine(baseLr(opt), (o['warmup'] as number) ?? 0, length(run, u), { endValue: (o['endValue'] as number) ?? 0, initValue: 0 })),
  },
};

export const SCHEDULE_NAMES: readonly string[] = Object.keys(ENTRIES);

export function parseScheduleSpec(text: string): Spec {
  return parseSpec(text, 'schedule', SCHEDULE_NAMES, (name) => ENTRIES[name]!.keys);
}

export const formatScheduleSpec: (spec: Spec) => string = formatSpec;

/** Builds the scheduler a spec names, driving `optimizer`; `unit` overrides the schedule's default. */
export function createScheduler(spec: string | Spec, optimizer: Optimizer, run: Run, unit?: ScheduleUnit): BuiltScheduler {
  const parsed = typeof spec === 'string' ? parseScheduleSpec(spec) : spec;
  const entry = ENTRIES[parsed.name];
  if (entry === undefined) throw new ValueError(`unknown schedule ${show(parsed.name)}, expected one of ${SCHEDULE_NAMES.join(', ')}`);
  if (unit !== undefined && unit !== 'step' && unit !== 'epoch') throw new ValueError(`invalid schedule unit ${show(unit)}, expected "step" or "epoch"`);
  const u = unit ?? entry.unit;
  const s = entry.build(optimizer, parsed.options, run, u);
  return {
    step: (metric?: number) => s.step(metric),
    stateDict: () => s.stateDict(),
    loadStateDict: (state: never) => s.loadStateDict(state),
    unit: u,
    needsMetric: parsed.name === 'plateau',
  };
}

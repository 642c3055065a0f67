/**
 * The 1cycle policy (Smith & Topin, 2017) as torch 1.13's OneCycleLR does it: the lr rises
 * from maxLr/divFactor to maxLr over the first pctStart of the steps, then anneals down to
 * initial/finalDivFactor (three-phase: back to the initial lr, then down to the minimum).
 * Momentum (or Adam's beta1) moves the opposite way between maxMomentum and baseMomentum.
 */
import { ValueError, show } from '../../core/errors.js';
import { checkAnnealStrategy } from './cosine-schedulers.js';
import {
  LRScheduler, checkOptimizer, checkOptionKeys, lastEpochOption, finite, getMomentum, momentumKey, perGroup, positiveInteger, setMomentum,
} from './scheduler.js';

/** Anneals from `start` (pct = 0) to `end` (pct = 1). */
export type AnnealFunction = (start: number, end: number, pct: number) => number;

/** Half a cosine from start to end (torch's `_annealing_cos`). */
export const annealCos: AnnealFunction = (start, end, pct) => end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
export const annealLinear: AnnealFunction = (start, end, pct) => (end - start) * pct + start;

type LrPoint = 'initial' | 'max' | 'min';
type MomentumPoint = 'max' | 'base';

export interface OneCyclePhase {
  endStep: number;
  startLr: LrPoint;
  endLr: LrPoint;
  startMomentum: MomentumPoint;
  endMomentum: MomentumPoint;
}

export function oneCyclePhases(totalSteps: number, pctStart: number, threePhase: boolean): OneCyclePhase[] {
  const up = pctStart * totalSteps - 1;
  if (threePhase) {
    return [
      { endStep: up, startLr: 'initial', endLr: 'max', startMomentum: 'max', endMomentum: 'base' },
      { endStep: 2 * pctStart * totalSteps - 2, startLr: 'max', endLr: 'initial', startMomentum: 'base', endMomentum: 'max' },
      { endStep: totalSteps - 1, startLr: 'initial', endLr: 'min', startMomentum: 'max', endMomentum: 'max' },
    ];
  }
  return [
    { endStep: up, startLr: 'initial', endLr: 'max', startMomentum: 'max', endMomentum: 'base' },
    { endStep: totalSteps - 1, startLr: 'max', endLr: 'min', startMomentum: 'base', endMomentum: 'max' },
  ];
}

/** The phase that contains `step` and how far into it `step` is. */
export function oneCyclePosition(phases: OneCyclePhase[], step: number): { phase: OneCyclePhase; pct: number } {
  let start = 0;
  for (let i = 0; i < phases.length; i++) {
    const phase = phases[i]!;
    if (step <= phase.endStep || i === phases.length - 1) {
      return { phase, pct: (step - start) / (phase.endStep - start) };
    }
    start = phase.endStep;
  }
  throw new ValueError('oneCyclePosition: no phases'); // unreachable: phases is never empty
}

export function checkPctStart(value: unknown, where: string): number {
  const v = finite(value, 'pctStart', where);
  if (v < 0 || v > 1) throw new ValueError(`${where}: invalid pctStart ${v}, expected 0 <= pctStart <= 1`);
  return v;
}

export interface OneCycleLROptions {
  /** Peak lr, one for all groups or one per group. */
  maxLr: number | number[];
  /** Number of steps in the cycle; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  pctStart?: number;
  annealStrategy?: 'cos' | 'linear';
  cycleMomentum?: boolean;
  baseMomentum?: number | number[];
  maxMomentum?: number | number[];
  divFactor?: number;
  finalDivFactor?: number;
  threePhase?: boolean;
  lastEpoch?: number;
}

const ONE_CYCLE_KEYS = [
  'maxLr', 'totalSteps', 'epochs', 'stepsPerEpoch', 'pctStart', 'annealStrategy', 'cycleMomentum', 'baseMomentum',
  'maxMomentum', 'divFactor', 'finalDivFactor', 'threePhase', 'lastEpoch',
];

/** torch.optim.lr_scheduler.OneCycleLR. Stepping past `totalSteps` throws, as in torch. */
export class OneCycleLR extends LRScheduler {
  totalSteps: number;
  annealStrategy: 'cos' | 'linear';
  phases: OneCyclePhase[];
  initialLrs: number[];
  maxLrs: number[];
  minLrs: number[];
  cycleMomentum: boolean;
  /** 'betas' when the optimizer has betas (beta1 is cycled), else 'momentum'. */
  momentumKey: 'momentum' | 'betas';
  maxMomentums: number[];
  baseMomentums: number[];

  constructor(optimizer: unknown, options: OneCycleLROptions) {
    const where = 'OneCycleLR';
    checkOptionKeys(options, ONE_CYCLE_KEYS, where, true);
    const o = options;
    if (o.totalSteps === undefined && (o.epochs === undefined || o.stepsPerEpoch === undefined)) {
      throw new ValueError(`${where}: totalSteps ${show(o.totalSteps)}, epochs ${show(o.epochs)}, stepsPerEpoch ${show(o.stepsPerEpoch)}: expected totalSteps or both epochs and stepsPerEpoch`);
    }
    const totalSteps = o.totalSteps !== undefined
      ? positiveInteger(o.totalSteps, 'totalSteps', where)
      : positiveInteger(o.epochs, 'epochs', where) * positiveInteger(o.stepsPerEpoch, 'stepsPerEpoch', where);
    const pctStart = checkPctStart(o.pctStart ?? 0.3, where);
    const annealStrategy = checkAnnealStrategy(o.annealStrategy ?? 'cos', where);
    const divFactor = positiveFinite(o.divFactor ?? 25, 'divFactor', where);
    const finalDivFactor = positiveFinite(o.finalDivFactor ?? 1e4, 'finalDivFactor', where);
    const threePhase = booleanOption(o.threePhase ?? false, 'threePhase', where);
    const cycleMomentum = booleanOption(o.cycleMomentum ?? true, 'cycleMomentum', where);
    // torch sets the groups' initial_lr before the base constructor reads it.
    const opt = checkOptimizer(optimizer, where);
    const key: 'momentum' | 'betas' = cycleMomentum ? momentumKey(opt, where) : 'momentum';
    const groups = opt.paramGroups;
    const lastEpoch = lastEpochOption(o.lastEpoch, where);
    const maxLrs = perGroup(o.maxLr, groups.length, 'maxLr', where);
    const initialLrs = maxLrs.map((m) => m / divFactor);
    if (lastEpoch === -1) groups.forEach((group, g) => { group.initialLr = initialLrs[g]; });
    let maxMomentums: number[] = [];
    let baseMomentums: number[] = [];
    if (cycleMomentum) {
      maxMomentums = perGroup(o.maxMomentum ?? 0.95, groups.length, 'maxMomentum', where);
      baseMomentums = perGroup(o.baseMomentum ?? 0.85, groups.length, 'baseMomentum', where);
      if (lastEpoch === -1) groups.forEach((group, g) => setMomentum(group, key, maxMomentums[g]!));
    }
    super(optimizer, lastEpoch, where);
    this.totalSteps = totalSteps;
    this.annealStrategy = annealStrategy;
    this.phases = oneCyclePhases(totalSteps, pctStart, threePhase);
    this.initialLrs = initialLrs;
    this.maxLrs = maxLrs;
    this.minLrs = initialLrs.map((lr) => lr / finalDivFactor);
    this.cycleMomentum = cycleMomentum;
    this.momentumKey = key;
    this.maxMomentums = maxMomentums;
    this.baseMomentums = baseMomentums;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const step = this.lastEpoch;
    if (step > this.totalSteps) {
      throw new ValueError(`OneCycleLR: tried to step ${step} times, expected at most totalSteps = ${this.totalSteps}`);
    }
    const anneal = this.annealStrategy === 'cos' ? annealCos : annealLinear;
    const { phase, pct } = oneCyclePosition(this.phases, step);
    return this.optimizer.paramGroups.map((group, g) => {
      const lrAt = { initial: this.initialLrs[g]!, max: this.maxLrs[g]!, min: this.minLrs[g]! };
      if (this.cycleMomentum) {
        const mAt = { max: this.maxMomentums[g]!, base: this.baseMomentums[g]! };
        setMomentum(group, this.momentumKey, anneal(mAt[phase.startMomentum], mAt[phase.endMomentum], pct));
      }
      return anneal(lrAt[phase.startLr], lrAt[phase.endLr], pct);
    });
  }

  /** The momentum (or beta1) of each group now. */
  getLastMomentum(): number[] {
    return this.optimizer.paramGroups.map((group) => getMomentum(group, this.momentumKey));
  }
}

function positiveFinite(value: unknown, name: string, where: string): number {
  const v = finite(value, name, where);
  if (v <= 0) throw new ValueError(`${where}: invalid ${name} ${v}, expected ${name} > 0`);
  return v;
}

export function booleanOption(value: unknown, name: string, where: string): boolean {
  if (typeof value !== 'boolean') throw new ValueError(`${where}: invalid ${name} ${show(value)}, expected true or false`);
  return value;
}

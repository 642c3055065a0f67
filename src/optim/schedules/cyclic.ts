/**
 * Cyclical learning rates (Smith, 2017) as torch 1.13's CyclicLR does them: the lr moves
 * linearly between baseLr and maxLr, up over stepSizeUp steps and down over stepSizeDown,
 * with the amplitude scaled per cycle ('triangular': 1, 'triangular2': halved each cycle)
 * or per step ('exp_range': gamma^step). Momentum moves the opposite way.
 */
import { ValueError, show } from '../../core/errors.js';
import { booleanOption } from './one-cycle.js';
import {
  LRScheduler, checkOptimizer, checkOptionKeys, lastEpochOption, finite, getMomentum, momentumKey, perGroup, setMomentum,
} from './scheduler.js';

export type CyclicMode = 'triangular' | 'triangular2' | 'exp_range';
export type ScaleMode = 'cycle' | 'iterations';

/** Cycle number (from 1) and the height in [0, 1] of the triangle wave at `step`. */
export function cyclicPosition(step: number, stepSizeUp: number, stepSizeDown: number): { cycle: number; height: number } {
  const total = stepSizeUp + stepSizeDown;
  const ratio = stepSizeUp / total;
  const cycle = Math.floor(1 + step / total);
  const x = 1 + step / total - cycle;
  const height = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
  return { cycle, height };
}

/** The amplitude scale of a built-in mode, and whether it reads the cycle or the step. */
export function modeScale(mode: CyclicMode, gamma: number): { scaleFn: (x: number) => number; scaleMode: ScaleMode } {
  if (mode === 'triangular') return { scaleFn: () => 1, scaleMode: 'cycle' };
  if (mode === 'triangular2') return { scaleFn: (x) => 1 / 2 ** (x - 1), scaleMode: 'cycle' };
  return { scaleFn: (x) => gamma ** x, scaleMode: 'iterations' };
}

export function checkCyclicMode(value: unknown, where: string): CyclicMode {
  if (value !== 'triangular' && value !== 'triangular2' && value !== 'exp_range') {
    throw new ValueError(`${where}: invalid mode ${show(value)}, expected "triangular", "triangular2" or "exp_range" (or a scaleFn)`);
  }
  return value;
}

export function checkStepSize(value: unknown, name: string, where: string): number {
  const v = finite(value, name, where);
  if (v <= 0) throw new ValueError(`${where}: invalid ${name} ${v}, expected ${name} > 0`);
  return v;
}

export interface CyclicLROptions {
  baseLr: number | number[];
  maxLr: number | number[];
  stepSizeUp?: number;
  stepSizeDown?: number;
  mode?: CyclicMode;
  gamma?: number;
  /** A custom amplitude scale; overrides `mode`. Not saved in the state dict. */
  scaleFn?: (x: number) => number;
  scaleMode?: ScaleMode;
  cycleMomentum?: boolean;
  baseMomentum?: number | number[];
  maxMomentum?: number | number[];
  lastEpoch?: number;
}

const CYCLIC_KEYS = [
  'baseLr', 'maxLr', 'stepSizeUp', 'stepSizeDown', 'mode', 'gamma', 'scaleFn', 'scaleMode', 'cycleMomentum',
  'baseMomentum', 'maxMomentum', 'lastEpoch',
];

/**
 * torch.optim.lr_scheduler.CyclicLR. Sets every group's lr to baseLr (and momentum to
 * baseMomentum) at construction. Named extension: on an optimizer with `betas` it cycles
 * beta1, as OneCycleLR does (torch 1.13 refuses such optimizers when cycleMomentum is true).
 */
export class CyclicLR extends LRScheduler {
  maxLrs: number[];
  stepSizeUp: number;
  stepSizeDown: number;
  mode: CyclicMode;
  gamma: number;
  scaleMode: ScaleMode;
  scaleFn: (x: number) => number;
  /** True when the options gave a scaleFn. */
  customScale: boolean;
  cycleMomentum: boolean;
  momentumKey: 'momentum' | 'betas';
  baseMomentums: number[];
  maxMomentums: number[];

  constructor(optimizer: unknown, options: CyclicLROptions) {
    const where = 'CyclicLR';
    checkOptionKeys(options, CYCLIC_KEYS, where, true);
    const o = options;
    const opt = checkOptimizer(optimizer, where);
    const cycleMomentum = booleanOption(o.cycleMomentum ?? true, 'cycleMomentum', where);
    const key: 'momentum' | 'betas' = cycleMomentum ? momentumKey(opt, where) : 'momentum';
    const groups = opt.paramGroups;
    const lastEpoch = lastEpochOption(o.lastEpoch, where);
    const baseLrs = perGroup(o.baseLr, groups.length, 'baseLr', where);
    if (lastEpoch === -1) groups.forEach((group, g) => { group.lr = baseLrs[g]!; });
    const maxLrs = perGroup(o.maxLr, groups.length, 'maxLr', where);
    const up = checkStepSize(o.stepSizeUp ?? 2000, 'stepSizeUp', where);
    const down = o.stepSizeDown === undefined ? up : checkStepSize(o.stepSizeDown, 'stepSizeDown', where);
    const gamma = finite(o.gamma ?? 1, 'gamma', where);
    if (gamma <= 0) throw new ValueError(`${where}: invalid gamma ${gamma}, expected gamma > 0`);
    let mode: CyclicMode = 'triangular';
    let scale: { scaleFn: (x: number) => number; scaleMode: ScaleMode };
    if (o.scaleFn === undefined) {
      mode = checkCyclicMode(o.mode ?? 'triangular', where);
      scale = modeScale(mode, gamma);
    } else {
      if (typeof o.scaleFn !== 'function') throw new ValueError(`${where}: invalid scaleFn ${show(o.scaleFn)}, expected a function`);
      const scaleMode = o.scaleMode ?? 'cycle';
      if (scaleMode !== 'cycle' && scaleMode !== 'iterations') {
        throw new ValueError(`${where}: invalid scaleMode ${show(scaleMode)}, expected "cycle" or "iterations"`);
      }
      scale = { scaleFn: o.scaleFn, scaleMode };
    }
    let baseMomentums: number[] = [];
    let maxMomentums: number[] = [];
    if (cycleMomentum) {
      const base = perGroup(o.baseMomentum ?? 0.8, groups.length, 'baseMomentum', where);
      if (lastEpoch === -1) groups.forEach((group, g) => setMomentum(group, key, base[g]!));
      baseMomentums = groups.map((group) => getMomentum(group, key));
      maxMomentums = perGroup(o.maxMomentum ?? 0.9, groups.length, 'maxMomentum', where);
    }
    super(optimizer, lastEpoch, where);
    this.maxLrs = maxLrs;
    this.stepSizeUp = up;
    this.stepSizeDown = down;
    this.mode = mode;
    this.gamma = gamma;
    this.scaleFn = scale.scaleFn;
    this.scaleMode = scale.scaleMode;
    this.customScale = o.scaleFn !== undefined;
    this.cycleMomentum = cycleMomentum;
    this.momentumKey = key;
    this.baseMomentums = baseMomentums;
    this.maxMomentums = maxMomentums;
    this.initialStep();
    // torch: the initial step uses the groups' initialLr; from then on the baseLr option.
    this.baseLrs = baseLrs;
  }

  protected computeLr(): number[] {
    const { cycle, height } = cyclicPosition(this.lastEpoch, this.stepSizeUp, this.stepSizeDown);
    const scale = this.scaleFn(this.scaleMode === 'cycle' ? cycle : this.lastEpoch);
    if (this.cycleMomentum) {
      this.optimizer.paramGroups.forEach((group, g) => {
        const max = this.maxMomentums[g]!;
        setMomentum(group, this.momentumKey, max - (max - this.baseMomentums[g]!) * height * scale);
      });
    }
    return this.baseLrs.map((base, g) => base + (this.maxLrs[g]! - base) * height * scale);
  }

  override loadStateDict(state: Record<string, unknown>): void {
    super.loadStateDict(state);
    // A built-in scale follows the restored mode and gamma; a custom scaleFn is kept as is.
    if (!this.customScale) this.scaleFn = modeScale(this.mode, this.gamma).scaleFn;
  }
}

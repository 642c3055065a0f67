/**
 * ReduceLROnPlateau (torch 1.13): multiply every group's lr by `factor` when a metric has not
 * improved for more than `patience` steps. Driven by `step(metric)`; it has no initial step and
 * does not set `initialLr`.
 */
import { ValueError, show } from '../../core/errors.js';
import type { SchedulableOptimizer, SchedulerState } from './scheduler.js';
import { checkNumericLrs, checkOptimizer, checkOptionKeys, finite, perGroup } from './scheduler.js';

export interface ReduceLROnPlateauOptions {
  /** 'min': lower is better (a loss); 'max': higher is better (an accuracy). */
  mode?: 'min' | 'max';
  /** New lr = lr * factor; 0 <= factor < 1. Default 0.1. */
  factor?: number;
  /** Steps without improvement tolerated before reducing. Default 10. */
  patience?: number;
  /** Minimum change that counts as an improvement. Default 1e-4. */
  threshold?: number;
  /** 'rel': relative to the best value; 'abs': absolute. Default 'rel'. */
  thresholdMode?: 'rel' | 'abs';
  /** Steps to wait after a reduction before counting bad steps again. Default 0. */
  cooldown?: number;
  /** Lower bound on the lr, one for all groups or one per group. Default 0. */
  minLr?: number | number[];
  /** Reductions smaller than eps are skipped. Default 1e-8. */
  eps?: number;
}

const KEYS = ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps'];

function nonNegativeInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ValueError(`ReduceLROnPlateau: invalid ${name} ${show(value)}, expected an integer >= 0`);
  }
  return value;
}

export class ReduceLROnPlateau {
  readonly optimizer: SchedulableOptimizer;
  mode: 'min' | 'max';
  factor: number;
  patience: number;
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  cooldown: number;
  minLrs: number[];
  eps: number;
  /** Best metric so far (Infinity or -Infinity before the first step, by mode). */
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;
  private lastLr: number[];

  constructor(optimizer: unknown, options: ReduceLROnPlateauOptions = {}) {
    const where = 'ReduceLROnPlateau';
    checkOptionKeys(options, KEYS, where);
    this.optimizer = checkOptimizer(optimizer, where);
    const mode = options.mode ?? 'min';
    if (mode !== 'min' && mode !== 'max') throw new ValueError(`${where}: invalid mode ${show(mode)}, expected "min" or "max"`);
    const factor = finite(options.factor ?? 0.1, 'factor', where);
    if (factor < 0 || factor >= 1) throw new ValueError(`${where}: invalid factor ${factor}, expected 0 <= factor < 1`);
    const thresholdMode = options.thresholdMode ?? 'rel';
    if (thresholdMode !== 'rel' && thresholdMode !== 'abs') {
      throw new ValueError(`${where}: invalid thresholdMode ${show(thresholdMode)}, expected "rel" or "abs"`);
    }
    const threshold = finite(options.threshold ?? 1e-4, 'threshold', where);
    if (threshold < 0) throw new ValueError(`${where}: invalid threshold ${threshold}, expected threshold >= 0`);
    const eps = finite(options.eps ?? 1e-8, 'eps', where);
    if (eps < 0) throw new ValueError(`${where}: invalid eps ${eps}, expected eps >= 0`);
    this.mode = mode;
    this.factor = factor;
    this.patience = nonNegativeInteger(options.patience ?? 10, 'patience');
    this.threshold = threshold;
    this.thresholdMode = thresholdMode;
    this.cooldown = nonNegativeInteger(options.cooldown ?? 0, 'cooldown');
    this.minLrs = perGroup(options.minLr ?? 0, this.optimizer.paramGroups.length, 'minLr', where);
    this.minLrs.forEach((m, g) => {
      if (m < 0) throw new ValueError(`${where}: invalid minLr ${show(options.minLr)} (group ${g}: ${m}), expected values >= 0`);
    });
    this.eps = eps;
    this.best = this.worst;
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private get worst(): number {
    return this.mode === 'min' ? Infinity : -Infinity;
  }

  /** Whether `a` improves on `best` by more than the threshold. */
  isBetter(a: number, best: number): boolean {
    const t = this.threshold;
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - t) : a < best - t;
    return this.thresholdMode === 'rel' ? a > best * (t + 1) : a > best + t;
  }

  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** Records `metric` (e.g. the validation loss) and reduces the lr if it has plateaued. */
  step(metric: number, epoch?: number): void {
    if (typeof metric !== 'number' || Number.isNaN(metric)) {
      throw new ValueError(`ReduceLROnPlateau.step: invalid metric ${show(metric)}, expected a number`);
    }
    checkNumericLrs(this.optimizer.paramGroups, 'ReduceLROnPlateau.step');
    this.lastEpoch = epoch === undefined ? this.lastEpoch + 1 : finite(epoch, 'epoch', 'ReduceLROnPlateau.step');
    if (this.isBetter(metric, this.best)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((group, g) => {
      const old = group.lr;
      const next = Math.max(old * this.factor, this.minLrs[g]!);
      if (old - next > this.eps) group.lr = next;
    });
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** Plain JSON data; `best` is null while it is still infinite. */
  stateDict(): SchedulerState {
    return {
      mode: this.mode, factor: this.factor, patience: this.patience, threshold: this.threshold,
      thresholdMode: this.thresholdMode, cooldown: this.cooldown, minLrs: [...this.minLrs], eps: this.eps,
      best: Number.isFinite(this.best) ? this.best : null, numBadEpochs: this.numBadEpochs,
      cooldownCounter: this.cooldownCounter, lastEpoch: this.lastEpoch, lastLr: [...this.lastLr],
    };
  }

  loadStateDict(state: SchedulerState): void {
    const where = 'ReduceLROnPlateau.loadStateDict';
    if (state === null || typeof state !== 'object' || Array.isArray(state)) {
      throw new ValueError(`${where}: invalid state ${show(state)}, expected an object from stateDict()`);
    }
    const s = state as Record<string, unknown>;
    for (const key of Object.keys(s)) {
      if (![...KEYS.filter((k) => k !== 'minLr'), 'minLrs', 'best', 'numBadEpochs', 'cooldownCounter', 'lastEpoch', 'lastLr'].includes(key)) {
        throw new ValueError(`${where}: unknown key ${JSON.stringify(key)}, expected keys of ReduceLROnPlateau.stateDict()`);
      }
    }
    Object.assign(this, JSON.parse(JSON.stringify(s)) as object);
    if ('best' in s && s['best'] === null) this.best = this.worst;
  }
}

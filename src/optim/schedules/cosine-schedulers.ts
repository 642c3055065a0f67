/**
 * Cosine annealing schedulers (torch 1.13): CosineAnnealingLR (Loshchilov & Hutter's SGDR
 * without restarts, in torch's recursive form) and CosineAnnealingWarmRestarts (SGDR).
 */
import { ValueError, show } from '../../core/errors.js';
import { LRScheduler, checkEpoch, checkOptionKeys, finite, positiveInteger, pyMod } from './scheduler.js';

export interface CosineAnnealingLROptions {
  /** Half-period, in steps. */
  TMax: number;
  etaMin?: number;
  lastEpoch?: number;
}

/**
 * lr follows etaMin + (initialLr - etaMin) (1 + cos(pi t / TMax)) / 2, computed recursively
 * from the current lr as torch does; past TMax it keeps oscillating with period 2 TMax.
 */
export class CosineAnnealingLR extends LRScheduler {
  TMax: number;
  etaMin: number;

  constructor(optimizer: unknown, options: CosineAnnealingLROptions) {
    checkOptionKeys(options, ['TMax', 'etaMin', 'lastEpoch'], 'CosineAnnealingLR', true);
    super(optimizer, options.lastEpoch, 'CosineAnnealingLR');
    this.TMax = positiveInteger(options.TMax, 'TMax', 'CosineAnnealingLR');
    this.etaMin = finite(options.etaMin ?? 0, 'etaMin', 'CosineAnnealingLR');
    this.initialStep();
  }

  protected computeLr(): number[] {
    const { TMax: T, etaMin, lastEpoch: t } = this;
    const groups = this.optimizer.paramGroups;
    if (t === 0) return groups.map((g) => g.lr);
    if (this.stepCount === 1 && t > 0) {
      return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((t * Math.PI) / T))) / 2);
    }
    if (pyMod(t - 1 - T, 2 * T) === 0) {
      return groups.map((g, i) => g.lr + ((this.baseLrs[i]! - etaMin) * (1 - Math.cos(Math.PI / T))) / 2);
    }
    const ratio = (1 + Math.cos((Math.PI * t) / T)) / (1 + Math.cos((Math.PI * (t - 1)) / T));
    return groups.map((g) => ratio * (g.lr - etaMin) + etaMin);
  }

  protected override closedFormLr(): number[] {
    const c = 1 + Math.cos((Math.PI * this.lastEpoch) / this.TMax);
    return this.baseLrs.map((base) => this.etaMin + ((base - this.etaMin) * c) / 2);
  }
}

export interface CosineAnnealingWarmRestartsOptions {
  /** Length of the first period, in epochs. */
  T0: number;
  /** Each period is TMult times the previous one (integer >= 1, default 1). */
  TMult?: number;
  etaMin?: number;
  lastEpoch?: number;
}

/**
 * SGDR: lr = etaMin + (initialLr - etaMin) (1 + cos(pi TCur / Ti)) / 2, where TCur counts
 * epochs since the last restart and Ti is the current period. `step(epoch)` accepts
 * fractional epochs (e.g. `epoch + batch / batchesPerEpoch`).
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  T0: number;
  TI: number;
  TMult: number;
  etaMin: number;
  TCur: number;

  constructor(optimizer: unknown, options: CosineAnnealingWarmRestartsOptions) {
    const where = 'CosineAnnealingWarmRestarts';
    checkOptionKeys(options, ['T0', 'TMult', 'etaMin', 'lastEpoch'], where, true);
    super(optimizer, options.lastEpoch, where);
    this.T0 = positiveInteger(options.T0, 'T0', where);
    this.TI = this.T0;
    this.TMult = positiveInteger(options.TMult ?? 1, 'TMult', where);
    this.etaMin = finite(options.etaMin ?? 0, 'etaMin', where);
    this.TCur = this.lastEpoch;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const c = 1 + Math.cos((Math.PI * this.TCur) / this.TI);
    return this.baseLrs.map((base) => this.etaMin + ((base - this.etaMin) * c) / 2);
  }

  /** One epoch on (no argument), or to `epoch` (may be fractional). */
  override step(epoch?: number): void {
    this.stepCount += 1;
    if (epoch === undefined && this.lastEpoch >= 0) {
      this.TCur += 1;
      if (this.TCur >= this.TI) {
        this.TCur -= this.TI;
        this.TI *= this.TMult;
      }
      this.lastEpoch += 1;
    } else {
      const e = epoch === undefined ? 0 : checkEpoch(epoch, 'CosineAnnealingWarmRestarts');
      this.jumpTo(e);
      this.lastEpoch = Math.floor(e);
    }
    this.applyLr(this.computeLr());
  }

  /** Sets TCur and TI for epoch `e` counted from the start of the run. */
  private jumpTo(e: number): void {
    const { T0, TMult } = this;
    if (e < T0) {
      this.TI = T0;
      this.TCur = e;
    } else if (TMult === 1) {
      this.TCur = e % T0;
    } else {
      // Period k lasts T0 TMult^k and starts at T0 (TMult^k - 1) / (TMult - 1).
      const n = Math.trunc(Math.log((e / T0) * (TMult - 1) + 1) / Math.log(TMult));
      this.TCur = e - (T0 * (TMult ** n - 1)) / (TMult - 1);
      this.TI = T0 * TMult ** n;
    }
  }
}

export function checkAnnealStrategy(value: unknown, where: string): 'cos' | 'linear' {
  if (value !== 'cos' && value !== 'linear') {
    throw new ValueError(`${where}: invalid annealStrategy ${show(value)}, expected "cos" or "linear"`);
  }
  return value;
}

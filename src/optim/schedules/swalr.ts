/**
 * SWALR (torch.optim.swa_utils, 1.13): anneals each group's lr towards a constant `swaLr`
 * over `annealEpochs` steps (cosine or linear), then holds it. Used with AveragedModel for
 * stochastic weight averaging (Izmailov et al., 2018).
 */
import { ValueError, show } from '../../core/errors.js';
import { checkAnnealStrategy } from './cosine-schedulers.js';
import { LRScheduler, checkOptimizer, checkOptionKeys, perGroup } from './scheduler.js';

export interface SWALROptions {
  /** The lr to anneal to, one for all groups or one per group. */
  swaLr: number | number[];
  /** Steps of annealing (integer >= 0, default 10). */
  annealEpochs?: number;
  annealStrategy?: 'cos' | 'linear';
  lastEpoch?: number;
}

export class SWALR extends LRScheduler {
  swaLrs: number[];
  annealEpochs: number;
  annealStrategy: 'cos' | 'linear';

  constructor(optimizer: unknown, options: SWALROptions) {
    const where = 'SWALR';
    checkOptionKeys(options, ['swaLr', 'annealEpochs', 'annealStrategy', 'lastEpoch'], where, true);
    const opt = checkOptimizer(optimizer, where);
    const swaLrs = perGroup(options.swaLr, opt.paramGroups.length, 'swaLr', where);
    const annealStrategy = checkAnnealStrategy(options.annealStrategy ?? 'cos', where);
    const annealEpochs = options.annealEpochs ?? 10;
    if (typeof annealEpochs !== 'number' || !Number.isInteger(annealEpochs) || annealEpochs < 0) {
      throw new ValueError(`${where}: invalid annealEpochs ${show(annealEpochs)}, expected an integer >= 0`);
    }
    super(optimizer, options.lastEpoch, where);
    this.swaLrs = swaLrs;
    this.annealEpochs = annealEpochs;
    this.annealStrategy = annealStrategy;
    this.initialStep();
  }

  private anneal(t: number): number {
    return this.annealStrategy === 'cos' ? (1 - Math.cos(Math.PI * t)) / 2 : t;
  }

  protected computeLr(): number[] {
    let step = this.stepCount - 1;
    if (this.annealEpochs === 0) step = Math.max(1, step);
    const span = Math.max(1, this.annealEpochs);
    const prevAlpha = this.anneal(Math.max(0, Math.min(1, (step - 1) / span)));
    const alpha = this.anneal(Math.max(0, Math.min(1, step / span)));
    return this.optimizer.paramGroups.map((group, g) => {
      const swaLr = this.swaLrs[g]!;
      // Recover the lr the annealing started from, then move alpha of the way to swaLr.
      const start = prevAlpha === 1 ? swaLr : (group.lr - prevAlpha * swaLr) / (1 - prevAlpha);
      return swaLr * alpha + start * (1 - alpha);
    });
  }
}

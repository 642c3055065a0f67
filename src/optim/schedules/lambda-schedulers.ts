/**
 * LambdaLR and MultiplicativeLR (torch 1.13): the lr factor comes from a user function of the
 * epoch, one for all groups or one per group. The functions are not part of the state dict.
 */
import { ValueError, show } from '../../core/errors.js';
import { LRScheduler, checkOptionKeys } from './scheduler.js';

export type LrLambda = (epoch: number) => number;

export interface LambdaLROptions {
  lrLambda: LrLambda | LrLambda[];
  lastEpoch?: number;
}

function lambdasPerGroup(value: unknown, groupCount: number, where: string): LrLambda[] {
  if (Array.isArray(value)) {
    if (value.length !== groupCount) {
      throw new ValueError(`${where}: got ${value.length} lrLambda functions, expected one per param group (${groupCount})`);
    }
    value.forEach((fn, g) => {
      if (typeof fn !== 'function') throw new ValueError(`${where}: invalid lrLambda[${g}] ${show(fn)}, expected a function (epoch) => factor`);
    });
    return [...value] as LrLambda[];
  }
  if (typeof value !== 'function') throw new ValueError(`${where}: invalid lrLambda ${show(value)}, expected a function (epoch) => factor or one per group`);
  return new Array<LrLambda>(groupCount).fill(value as LrLambda);
}

function factorOf(fn: LrLambda, epoch: number, g: number, where: string): number {
  const f = fn(epoch);
  if (typeof f !== 'number' || Number.isNaN(f)) {
    throw new ValueError(`${where}: lrLambda for group ${g} returned ${show(f)} at epoch ${epoch}, expected a number`);
  }
  return f;
}

/** lr = initialLr * lrLambda(epoch). */
export class LambdaLR extends LRScheduler {
  lrLambdas: LrLambda[];

  constructor(optimizer: unknown, options: LambdaLROptions) {
    checkOptionKeys(options, ['lrLambda', 'lastEpoch'], 'LambdaLR', true);
    super(optimizer, options.lastEpoch, 'LambdaLR');
    this.lrLambdas = lambdasPerGroup(options.lrLambda, this.optimizer.paramGroups.length, 'LambdaLR');
    this.initialStep();
  }

  protected computeLr(): number[] {
    return this.baseLrs.map((base, g) => base * factorOf(this.lrLambdas[g]!, this.lastEpoch, g, 'LambdaLR'));
  }
}

/** lr = previous lr * lrLambda(epoch) for epoch > 0. */
export class MultiplicativeLR extends LRScheduler {
  lrLambdas: LrLambda[];

  constructor(optimizer: unknown, options: LambdaLROptions) {
    checkOptionKeys(options, ['lrLambda', 'lastEpoch'], 'MultiplicativeLR', true);
    super(optimizer, options.lastEpoch, 'MultiplicativeLR');
    this.lrLambdas = lambdasPerGroup(options.lrLambda, this.optimizer.paramGroups.length, 'MultiplicativeLR');
    this.initialStep();
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch <= 0) return groups.map((g) => g.lr);
    return groups.map((group, g) => group.lr * factorOf(this.lrLambdas[g]!, this.lastEpoch, g, 'MultiplicativeLR'));
  }
}

/**
 * Adadelta (Zeiler, 2012), as torch.optim.Adadelta 1.13 (lr = 1 by default):
 * = chain(flipSign, addWeightDecay, scaleByAdadelta, scaleByLearningRate).
 * State: `step`, `squareAvg`, `accDelta`.
 */
import type { Transform } from '../transforms/types.js';
import { chain, type ChainState } from '../transforms/chain.js';
import { flipSign } from '../transforms/flip-sign.js';
import { addWeightDecay } from '../transforms/add-decayed-weights.js';
import { scaleByAdadelta } from '../transforms/scale-by-adadelta.js';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate.js';
import { ValueError, show } from '../../core/errors.js';
import type { OptimizerOptions, ParamGroup, ParamsInput } from './optimizer.js';
import { TransformOptimizer } from './transform-optimizer.js';
import { checkBool, checkEps, checkLr, checkWeightDecay } from './options.js';
import { resolveOptions } from './resolve.js';

export interface AdadeltaGroup extends ParamGroup {
  rho: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

export interface AdadeltaOptions extends OptimizerOptions {
  lr?: number;
  rho?: number;
  eps?: number;
  weightDecay?: number;
  maximize?: boolean;
}

function validate(g: Partial<AdadeltaGroup>, where: string): void {
  checkLr(where, g.lr);
  if (typeof g.rho !== 'number' || !(g.rho >= 0 && g.rho <= 1)) throw new ValueError(`${where}: Invalid rho value: ${show(g.rho)}, expected 0 <= rho <= 1`);
  checkEps(where, g.eps);
  checkWeightDecay(where, g.weightDecay);
  checkBool(where, 'maximize', g.maximize);
}

export class Adadelta extends TransformOptimizer<AdadeltaGroup> {
  constructor(params: ParamsInput, options: AdadeltaOptions = {}) {
    const { defaults, optimizer } = resolveOptions('Adadelta', options, { lr: 1.0, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false });
    validate(defaults as Partial<AdadeltaGroup>, 'Adadelta');
    super('Adadelta', params, defaults, optimizer, { stepInState: true });
  }

  protected validateGroup(group: AdadeltaGroup, index: number): void {
    validate(group, `Adadelta: group ${index}`);
  }

  protected buildTransform(g: AdadeltaGroup): Transform<ChainState> {
    return chain(
      flipSign(() => g.maximize),
      addWeightDecay(() => g.weightDecay),
      scaleByAdadelta({ rho: () => g.rho, eps: () => g.eps }),
      scaleByLearningRate(() => g.lr),
    );
  }
}

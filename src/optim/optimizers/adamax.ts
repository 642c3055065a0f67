/**
 * Adamax (Kingma & Ba, 2015, Sec. 7.1), as torch.optim.Adamax 1.13:
 * = chain(flipSign, addWeightDecay, scaleByAdamax, scaleByLearningRate).
 * State: `step`, `expAvg`, `expInf`.
 */
import type { Transform } from '../transforms/types.js';
import { chain, type ChainState } from '../transforms/chain.js';
import { flipSign } from '../transforms/flip-sign.js';
import { addWeightDecay } from '../transforms/add-decayed-weights.js';
import { scaleByAdamax } from '../transforms/scale-by-adamax.js';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate.js';
import type { OptimizerOptions, ParamGroup, ParamsInput } from './optimizer.js';
import { TransformOptimizer } from './transform-optimizer.js';
import { checkBetas, checkBool, checkEps, checkLr, checkWeightDecay } from './options.js';
import { resolveOptions } from './resolve.js';

export interface AdamaxGroup extends ParamGroup {
  betas: [number, number];
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

export interface AdamaxOptions extends OptimizerOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  maximize?: boolean;
}

function validate(g: Partial<AdamaxGroup>, where: string): void {
  checkLr(where, g.lr);
  checkEps(where, g.eps);
  checkBetas(where, g.betas);
  checkWeightDecay(where, g.weightDecay);
  checkBool(where, 'maximize', g.maximize);
}

export class Adamax extends TransformOptimizer<AdamaxGroup> {
  constructor(params: ParamsInput, options: AdamaxOptions = {}) {
    const { defaults, optimizer } = resolveOptions('Adamax', options, { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false });
    validate(defaults as Partial<AdamaxGroup>, 'Adamax');
    super('Adamax', params, defaults, optimizer, { stepInState: true });
  }

  protected validateGroup(group: AdamaxGroup, index: number): void {
    validate(group, `Adamax: group ${index}`);
  }

  protected buildTransform(g: AdamaxGroup): Transform<ChainState> {
    return chain(
      flipSign(() => g.maximize),
      addWeightDecay(() => g.weightDecay),
      scaleByAdamax({ b1: () => g.betas[0], b2: () => g.betas[1], eps: () => g.eps }),
      scaleByLearningRate(() => g.lr),
    );
  }
}

/**
 * NAdam (Dozat, 2016), as torch.optim.NAdam 1.13 (which has no `maximize` and no decoupled
 * decay): = chain(addWeightDecay, scaleByNadam, scaleByLearningRate).
 * State: `step`, `muProduct`, `expAvg`, `expAvgSq`.
 */
import type { Transform } from '../transforms/types.js';
import { chain, type ChainState } from '../transforms/chain.js';
import { addWeightDecay } from '../transforms/add-decayed-weights.js';
import { scaleByNadam } from '../transforms/scale-by-nadam.js';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate.js';
import type { OptimizerOptions, ParamGroup, ParamsInput } from './optimizer.js';
import { TransformOptimizer } from './transform-optimizer.js';
import { checkBetas, checkEps, checkLr, checkNonNegativeOption, checkWeightDecay } from './options.js';
import { resolveOptions } from './resolve.js';

export interface NAdamGroup extends ParamGroup {
  betas: [number, number];
  eps: number;
  weightDecay: number;
  momentumDecay: number;
}

export interface NAdamOptions extends OptimizerOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  momentumDecay?: number;
}

function validate(g: Partial<NAdamGroup>, where: string): void {
  checkLr(where, g.lr);
  checkEps(where, g.eps);
  checkBetas(where, g.betas);
  checkWeightDecay(where, g.weightDecay);
  checkNonNegativeOption(where, 'momentumDecay', 'momentum_decay', g.momentumDecay);
}

export class NAdam extends TransformOptimizer<NAdamGroup> {
  constructor(params: ParamsInput, options: NAdamOptions = {}) {
    const { defaults, optimizer } = resolveOptions('NAdam', options, { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3 });
    validate(defaults as Partial<NAdamGroup>, 'NAdam');
    super('NAdam', params, defaults, optimizer, { stepInState: true });
  }

  protected validateGroup(group: NAdamGroup, index: number): void {
    validate(group, `NAdam: group ${index}`);
  }

  protected buildTransform(g: NAdamGroup): Transform<ChainState> {
    return chain(
      addWeightDecay(() => g.weightDecay),
      scaleByNadam({ b1: () => g.betas[0], b2: () => g.betas[1], eps: () => g.eps, momentumDecay: () => g.momentumDecay }),
      scaleByLearningRate(() => g.lr),
    );
  }
}

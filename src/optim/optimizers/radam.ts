/**
 * RAdam (Liu et al., 2020), as torch.optim.RAdam 1.13 (no `maximize` there):
 * = chain(addWeightDecay, scaleByRadam, scaleByLearningRate).
 * State: `step`, `expAvg`, `expAvgSq`.
 */
import type { Transform } from '../transforms/types.js';
import { chain, type ChainState } from '../transforms/chain.js';
import { addWeightDecay } from '../transforms/add-decayed-weights.js';
import { scaleByRadam } from '../transforms/scale-by-radam.js';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate.js';
import type { OptimizerOptions, ParamGroup, ParamsInput } from './optimizer.js';
import { TransformOptimizer } from './transform-optimizer.js';
import { checkBetas, checkEps, checkLr, checkWeightDecay } from './options.js';
import { resolveOptions } from './resolve.js';

export interface RAdamGroup extends ParamGroup {
  betas: [number, number];
  eps: number;
  weightDecay: number;
}

export interface RAdamOptions extends OptimizerOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
}

function validate(g: Partial<RAdamGroup>, where: string): void {
  checkLr(where, g.lr);
  checkEps(where, g.eps);
  checkBetas(where, g.betas);
  checkWeightDecay(where, g.weightDecay);
}

export class RAdam extends TransformOptimizer<RAdamGroup> {
  constructor(params: ParamsInput, options: RAdamOptions = {}) {
    const { defaults, optimizer } = resolveOptions('RAdam', options, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 });
    validate(defaults as Partial<RAdamGroup>, 'RAdam');
    super('RAdam', params, defaults, optimizer, { stepInState: true });
  }

  protected validateGroup(group: RAdamGroup, index: number): void {
    validate(group, `RAdam: group ${index}`);
  }

  protected buildTransform(g: RAdamGroup): Transform<ChainState> {
    return chain(
      addWeightDecay(() => g.weightDecay),
      scaleByRadam({ b1: () => g.betas[0], b2: () => g.betas[1], eps: () => g.eps }),
      scaleByLearningRate(() => g.lr),
    );
  }
}

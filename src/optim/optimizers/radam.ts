/**
 * RAdam (Liu et al., 2020), as torch.optim.RAdam 1.13 (no `maximize` there):
 * = chain(addWeightDecay, scaleByRadam, scaleByLearningRate).
 * `lr`, `betas[0]`, `betas[1]`, `eps` and `weightDecay` may be schedules `(t) => value`
 * (see `hyper.ts`). State: `step`, `expAvg`, `expAvgSq`.
 */
import type { Transform } from '../transforms/types.js';
import { chain, type ChainState } from '../transforms/chain.js';
import { addWeightDecay } from '../transforms/add-decayed-weights.js';
import { scaleByRadam } from '../transforms/scale-by-radam.js';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate.js';
import type { OptimizerOptions, ParamGroup, ParamsInput } from './optimizer.js';
import { TransformOptimizer } from './transform-optimizer.js';
import { BETA, EPS, LR, WEIGHT_DECAY, checkBetas, checkEps, checkLr, checkWeightDecay } from './options.js';
import { betaSpecs, optionSpec, type Hyper, type HyperSpec } from './hyper.js';
import { resolveOptions } from './resolve.js';

export interface RAdamGroup extends ParamGroup {
  betas: [Hyper, Hyper];
  eps: Hyper;
  weightDecay: Hyper;
}

export interface RAdamOptions extends OptimizerOptions {
  lr?: Hyper;
  betas?: [Hyper, Hyper];
  eps?: Hyper;
  weightDecay?: Hyper;
}

const SPECS: readonly HyperSpec<RAdamGroup>[] = [optionSpec('lr', LR), ...betaSpecs<RAdamGroup>(BETA), optionSpec('eps', EPS), optionSpec('weightDecay', WEIGHT_DECAY)];

function validate(g: Partial<RAdamGroup>, where: string): void {
  checkLr(where, g.lr, true);
  checkEps(where, g.eps, true);
  checkBetas(where, g.betas, true);
  checkWeightDecay(where, g.weightDecay, true);
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

  protected override get hyperSpecs(): readonly HyperSpec<RAdamGroup>[] {
    return SPECS;
  }

  protected buildTransform(g: RAdamGroup): Transform<ChainState> {
    const h = this.hyper(g);
    return chain(
      addWeightDecay(h.weightDecay!),
      scaleByRadam({ b1: h['betas[0]']!, b2: h['betas[1]']!, eps: h.eps! }),
      scaleByLearningRate(h.lr!),
    );
  }
}

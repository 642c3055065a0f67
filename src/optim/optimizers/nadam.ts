/**
 * NAdam (Dozat, 2016), as torch.optim.NAdam 1.13 (which has no `maximize` and no decoupled
 * decay): = chain(addWeightDecay, scaleByNadam, scaleByLearningRate).
 * `lr`, `betas[0]`, `betas[1]`, `eps`, `weightDecay` and `momentumDecay` may be schedules
 * `(t) => value` (see `hyper.ts`). State: `step`, `muProduct`, `expAvg`, `expAvgSq`.
 */
import type { Transform } from '../transforms/types.js';
import { chain, type ChainState } from '../transforms/chain.js';
import { addWeightDecay } from '../transforms/add-decayed-weights.js';
import { scaleByNadam } from '../transforms/scale-by-nadam.js';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate.js';
import type { OptimizerOptions, ParamGroup, ParamsInput } from './optimizer.js';
import { TransformOptimizer } from './transform-optimizer.js';
import { BETA, EPS, LR, WEIGHT_DECAY, nonNegativeRule, checkBetas, checkEps, checkLr, checkNonNegativeOption, checkWeightDecay } from './options.js';
import { betaSpecs, optionSpec, type Hyper, type HyperSpec } from './hyper.js';
import { resolveOptions } from './resolve.js';

export interface NAdamGroup extends ParamGroup {
  betas: [Hyper, Hyper];
  eps: Hyper;
  weightDecay: Hyper;
  momentumDecay: Hyper;
}

export interface NAdamOptions extends OptimizerOptions {
  lr?: Hyper;
  betas?: [Hyper, Hyper];
  eps?: Hyper;
  weightDecay?: Hyper;
  momentumDecay?: Hyper;
}

const SPECS: readonly HyperSpec<NAdamGroup>[] = [
  optionSpec('lr', LR), ...betaSpecs<NAdamGroup>(BETA), optionSpec('eps', EPS), optionSpec('weightDecay', WEIGHT_DECAY),
  optionSpec('momentumDecay', nonNegativeRule('momentumDecay', 'momentum_decay')),
];

function validate(g: Partial<NAdamGroup>, where: string): void {
  checkLr(where, g.lr, true);
  checkEps(where, g.eps, true);
  checkBetas(where, g.betas, true);
  checkWeightDecay(where, g.weightDecay, true);
  checkNonNegativeOption(where, 'momentumDecay', 'momentum_decay', g.momentumDecay, true);
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

  protected override get hyperSpecs(): readonly HyperSpec<NAdamGroup>[] {
    return SPECS;
  }

  protected buildTransform(g: NAdamGroup): Transform<ChainState> {
    const h = this.hyper(g);
    return chain(
      addWeightDecay(h.weightDecay!),
      scaleByNadam({ b1: h['betas[0]']!, b2: h['betas[1]']!, eps: h.eps!, momentumDecay: h.momentumDecay! }),
      scaleByLearningRate(h.lr!),
    );
  }
}

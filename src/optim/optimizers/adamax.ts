/**
 * Adamax (Kingma & Ba, 2015, Sec. 7.1), as torch.optim.Adamax 1.13:
 * = chain(flipSign, addWeightDecay, scaleByAdamax, scaleByLearningRate).
 * `lr`, `betas[0]`, `betas[1]`, `eps` and `weightDecay` may be schedules `(t) => value`
 * (see `hyper.ts`). State: `step`, `expAvg`, `expInf`.
 */
import type { Transform } from '../transforms/types.js';
import { chain, type ChainState } from '../transforms/chain.js';
import { flipSign } from '../transforms/flip-sign.js';
import { addWeightDecay } from '../transforms/add-decayed-weights.js';
import { scaleByAdamax } from '../transforms/scale-by-adamax.js';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate.js';
import type { OptimizerOptions, ParamGroup, ParamsInput } from './optimizer.js';
import { TransformOptimizer } from './transform-optimizer.js';
import { BETA, EPS, LR, WEIGHT_DECAY, checkBetas, checkBool, checkEps, checkLr, checkWeightDecay } from './options.js';
import { betaSpecs, optionSpec, type Hyper, type HyperSpec } from './hyper.js';
import { resolveOptions } from './resolve.js';

export interface AdamaxGroup extends ParamGroup {
  betas: [Hyper, Hyper];
  eps: Hyper;
  weightDecay: Hyper;
  maximize: boolean;
}

export interface AdamaxOptions extends OptimizerOptions {
  lr?: Hyper;
  betas?: [Hyper, Hyper];
  eps?: Hyper;
  weightDecay?: Hyper;
  maximize?: boolean;
}

const SPECS: readonly HyperSpec<AdamaxGroup>[] = [optionSpec('lr', LR), ...betaSpecs<AdamaxGroup>(BETA), optionSpec('eps', EPS), optionSpec('weightDecay', WEIGHT_DECAY)];

function validate(g: Partial<AdamaxGroup>, where: string): void {
  checkLr(where, g.lr, true);
  checkEps(where, g.eps, true);
  checkBetas(where, g.betas, true);
  checkWeightDecay(where, g.weightDecay, true);
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

  protected override get hyperSpecs(): readonly HyperSpec<AdamaxGroup>[] {
    return SPECS;
  }

  protected buildTransform(g: AdamaxGroup): Transform<ChainState> {
    const h = this.hyper(g);
    return chain(
      flipSign(() => g.maximize),
      addWeightDecay(h.weightDecay!),
      scaleByAdamax({ b1: h['betas[0]']!, b2: h['betas[1]']!, eps: h.eps! }),
      scaleByLearningRate(h.lr!),
    );
  }
}

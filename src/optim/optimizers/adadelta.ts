/**
 * Adadelta (Zeiler, 2012), as torch.optim.Adadelta 1.13 (lr = 1 by default):
 * = chain(flipSign, addWeightDecay, scaleByAdadelta, scaleByLearningRate). `lr`, `rho`, `eps`
 * and `weightDecay` may be schedules `(t) => value` (see `hyper.ts`).
 * State: `step`, `squareAvg`, `accDelta`.
 */
import type { Transform } from '../transforms/types.js';
import { chain, type ChainState } from '../transforms/chain.js';
import { flipSign } from '../transforms/flip-sign.js';
import { addWeightDecay } from '../transforms/add-decayed-weights.js';
import { scaleByAdadelta } from '../transforms/scale-by-adadelta.js';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate.js';
import type { OptimizerOptions, ParamGroup, ParamsInput } from './optimizer.js';
import { TransformOptimizer } from './transform-optimizer.js';
import { EPS, LR, WEIGHT_DECAY, checkBool, checkEps, checkLr, checkOption, checkWeightDecay, type OptionRule } from './options.js';
import { optionSpec, type Hyper, type HyperSpec } from './hyper.js';
import { resolveOptions } from './resolve.js';

export interface AdadeltaGroup extends ParamGroup {
  rho: Hyper;
  eps: Hyper;
  weightDecay: Hyper;
  maximize: boolean;
}

export interface AdadeltaOptions extends OptimizerOptions {
  lr?: Hyper;
  rho?: Hyper;
  eps?: Hyper;
  weightDecay?: Hyper;
  maximize?: boolean;
}

const RHO: OptionRule = { what: 'rho value', expected: '0 <= rho <= 1', ok: (v) => v >= 0 && v <= 1 };
const SPECS: readonly HyperSpec<AdadeltaGroup>[] = [optionSpec('lr', LR), optionSpec('rho', RHO), optionSpec('eps', EPS), optionSpec('weightDecay', WEIGHT_DECAY)];

function validate(g: Partial<AdadeltaGroup>, where: string): void {
  checkLr(where, g.lr, true);
  checkOption(where, RHO, g.rho, true);
  checkEps(where, g.eps, true);
  checkWeightDecay(where, g.weightDecay, true);
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

  protected override get hyperSpecs(): readonly HyperSpec<AdadeltaGroup>[] {
    return SPECS;
  }

  protected buildTransform(g: AdadeltaGroup): Transform<ChainState> {
    const h = this.hyper(g);
    return chain(
      flipSign(() => g.maximize),
      addWeightDecay(h.weightDecay!),
      scaleByAdadelta({ rho: h.rho!, eps: h.eps! }),
      scaleByLearningRate(h.lr!),
    );
  }
}

/**
 * RMSprop (Hinton, 2012; centered: Graves, 2013), as torch.optim.RMSprop 1.13:
 *
 *   g <- -g (maximize);  g <- g + wd p;  d <- g / (sqrt(s) + eps)  (see `scaleByRms`);
 *   b <- mu b + d (momentum > 0; b starts at 0);  p <- p - lr (b or d)
 *
 * = chain(flipSign, addWeightDecay, scaleByRms, trace, scaleByLearningRate); with a zero
 * buffer, torch's first momentum step equals trace's copy. `lr`, `alpha`, `eps`, `weightDecay`
 * and `momentum` may be schedules `(t) => value` (see `hyper.ts`). State: `step`, `squareAvg`,
 * `momentumBuffer` (momentum > 0), `gradAvg` (centered).
 */
import type { Transform } from '../transforms/types.js';
import { chain, type ChainState } from '../transforms/chain.js';
import { flipSign } from '../transforms/flip-sign.js';
import { addWeightDecay } from '../transforms/add-decayed-weights.js';
import { scaleByRms } from '../transforms/scale-by-rms.js';
import { trace } from '../transforms/trace.js';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate.js';
import type { OptimizerOptions, ParamGroup, ParamsInput } from './optimizer.js';
import { TransformOptimizer } from './transform-optimizer.js';
import { EPS, LR, MOMENTUM, WEIGHT_DECAY, checkBool, checkEps, checkLr, checkMomentum, checkNonNegativeOption, checkWeightDecay, nonNegativeRule } from './options.js';
import { optionSpec, type Hyper, type HyperSpec } from './hyper.js';
import { resolveOptions } from './resolve.js';

export interface RMSpropGroup extends ParamGroup {
  alpha: Hyper;
  eps: Hyper;
  weightDecay: Hyper;
  momentum: Hyper;
  centered: boolean;
  maximize: boolean;
}

export interface RMSpropOptions extends OptimizerOptions {
  lr?: Hyper;
  alpha?: Hyper;
  eps?: Hyper;
  weightDecay?: Hyper;
  momentum?: Hyper;
  centered?: boolean;
  maximize?: boolean;
}

const SPECS: readonly HyperSpec<RMSpropGroup>[] = [
  optionSpec('lr', LR), optionSpec('alpha', nonNegativeRule('alpha', 'alpha')), optionSpec('eps', EPS), optionSpec('weightDecay', WEIGHT_DECAY), optionSpec('momentum', MOMENTUM),
];

function validate(g: Partial<RMSpropGroup>, where: string): void {
  checkLr(where, g.lr, true);
  checkEps(where, g.eps, true);
  checkMomentum(where, g.momentum, true);
  checkWeightDecay(where, g.weightDecay, true);
  checkNonNegativeOption(where, 'alpha', 'alpha', g.alpha, true);
  checkBool(where, 'centered', g.centered);
  checkBool(where, 'maximize', g.maximize);
}

export class RMSprop extends TransformOptimizer<RMSpropGroup> {
  constructor(params: ParamsInput, options: RMSpropOptions = {}) {
    const { defaults, optimizer } = resolveOptions('RMSprop', options, { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false });
    validate(defaults as Partial<RMSpropGroup>, 'RMSprop');
    super('RMSprop', params, defaults, optimizer, { stepInState: true });
  }

  protected validateGroup(group: RMSpropGroup, index: number): void {
    validate(group, `RMSprop: group ${index}`);
  }

  protected override get hyperSpecs(): readonly HyperSpec<RMSpropGroup>[] {
    return SPECS;
  }

  protected buildTransform(g: RMSpropGroup): Transform<ChainState> {
    const h = this.hyper(g);
    return chain(
      flipSign(() => g.maximize),
      addWeightDecay(h.weightDecay!),
      scaleByRms({ alpha: h.alpha!, eps: h.eps!, centered: () => g.centered }),
      trace({ momentum: h.momentum! }),
      scaleByLearningRate(h.lr!),
    );
  }
}

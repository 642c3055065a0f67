/**
 * ASGD, averaged SGD (Polyak & Juditsky, 1992), as torch.optim.ASGD 1.13:
 * = chain(flipSign, addWeightDecay, scaleByAsgd). `ax` holds the averaged parameters.
 * `weightDecay` may be a schedule `(t) => value` (see `hyper.ts`); `lr`, `lambd`, `alpha` and
 * `t0` take numbers only: they define ASGD's own step-size schedule, eta_t = lr / (1 + lambd
 * lr t)^alpha, kept in state. State: `step`, `eta`, `mu`, `ax`.
 */
import type { Transform } from '../transforms/types.js';
import { chain, type ChainState } from '../transforms/chain.js';
import { flipSign } from '../transforms/flip-sign.js';
import { addWeightDecay } from '../transforms/add-decayed-weights.js';
import { scaleByAsgd } from '../transforms/scale-by-asgd.js';
import type { OptimizerOptions, ParamGroup, ParamsInput } from './optimizer.js';
import { TransformOptimizer } from './transform-optimizer.js';
import { WEIGHT_DECAY, checkBool, checkFiniteOption, checkLr, checkNotScheduled, checkWeightDecay } from './options.js';
import { optionSpec, type Hyper, type HyperSpec } from './hyper.js';
import { resolveOptions } from './resolve.js';

export interface ASGDGroup extends ParamGroup {
  lambd: number;
  alpha: number;
  t0: number;
  weightDecay: Hyper;
  maximize: boolean;
}

export interface ASGDOptions extends OptimizerOptions {
  lr?: number;
  lambd?: number;
  alpha?: number;
  t0?: number;
  weightDecay?: Hyper;
  maximize?: boolean;
}

const SPECS: readonly HyperSpec<ASGDGroup>[] = [optionSpec('weightDecay', WEIGHT_DECAY)];
const OWN_SCHEDULE = "ASGD's step size eta_t = lr / (1 + lambd lr t)^alpha is already a schedule of lr, lambd, alpha and t0";

function validate(g: Partial<ASGDGroup>, where: string): void {
  for (const k of ['lr', 'lambd', 'alpha', 't0'] as const) checkNotScheduled(where, k, g[k], OWN_SCHEDULE);
  checkLr(where, g.lr);
  checkFiniteOption(where, 'lambd', g.lambd);
  checkFiniteOption(where, 'alpha', g.alpha);
  checkFiniteOption(where, 't0', g.t0);
  checkWeightDecay(where, g.weightDecay, true);
  checkBool(where, 'maximize', g.maximize);
}

export class ASGD extends TransformOptimizer<ASGDGroup> {
  constructor(params: ParamsInput, options: ASGDOptions = {}) {
    const { defaults, optimizer } = resolveOptions('ASGD', options, { lr: 1e-2, lambd: 1e-4, alpha: 0.75, t0: 1e6, weightDecay: 0, maximize: false });
    validate(defaults as Partial<ASGDGroup>, 'ASGD');
    super('ASGD', params, defaults, optimizer, { stepInState: true });
  }

  protected validateGroup(group: ASGDGroup, index: number): void {
    validate(group, `ASGD: group ${index}`);
  }

  protected override get hyperSpecs(): readonly HyperSpec<ASGDGroup>[] {
    return SPECS;
  }

  protected buildTransform(g: ASGDGroup): Transform<ChainState> {
    return chain(
      flipSign(() => g.maximize),
      addWeightDecay(this.hyper(g).weightDecay!),
      scaleByAsgd({ lr: () => g.lr, lambd: () => g.lambd, alpha: () => g.alpha, t0: () => g.t0 }),
    );
  }
}

/**
 * ASGD, averaged SGD (Polyak & Juditsky, 1992), as torch.optim.ASGD 1.13:
 * = chain(flipSign, addWeightDecay, scaleByAsgd). `ax` holds the averaged parameters.
 * State: `step`, `eta`, `mu`, `ax`.
 */
import type { Transform } from '../transforms/types.js';
import { chain, type ChainState } from '../transforms/chain.js';
import { flipSign } from '../transforms/flip-sign.js';
import { addWeightDecay } from '../transforms/add-decayed-weights.js';
import { scaleByAsgd } from '../transforms/scale-by-asgd.js';
import type { OptimizerOptions, ParamGroup, ParamsInput } from './optimizer.js';
import { TransformOptimizer } from './transform-optimizer.js';
import { checkBool, checkFiniteOption, checkLr, checkWeightDecay } from './options.js';
import { resolveOptions } from './resolve.js';

export interface ASGDGroup extends ParamGroup {
  lambd: number;
  alpha: number;
  t0: number;
  weightDecay: number;
  maximize: boolean;
}

export interface ASGDOptions extends OptimizerOptions {
  lr?: number;
  lambd?: number;
  alpha?: number;
  t0?: number;
  weightDecay?: number;
  maximize?: boolean;
}

function validate(g: Partial<ASGDGroup>, where: string): void {
  checkLr(where, g.lr);
  checkFiniteOption(where, 'lambd', g.lambd);
  checkFiniteOption(where, 'alpha', g.alpha);
  checkFiniteOption(where, 't0', g.t0);
  checkWeightDecay(where, g.weightDecay);
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

  protected buildTransform(g: ASGDGroup): Transform<ChainState> {
    return chain(
      flipSign(() => g.maximize),
      addWeightDecay(() => g.weightDecay),
      scaleByAsgd({ lr: () => g.lr, lambd: () => g.lambd, alpha: () => g.alpha, t0: () => g.t0 }),
    );
  }
}

/**
 * SparseAdam, as torch.optim.SparseAdam 1.13: Adam on row-sparse gradients (nn.Embedding),
 * where only the rows in `param.gradRows` update their moments and values ("lazy Adam"); the
 * cost is proportional to the rows touched. It uses the paper's efficient form:
 *
 *   p <- p - lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)      (touched rows only)
 *
 * = chain(flipSign, scaleByAdam({ epsAfterCorrection: false }), scaleByLearningRate), run
 * with the rows. A parameter without `gradRows` is treated as having every row touched
 * (torch raises instead). `lr`, `betas[0]`, `betas[1]` and `eps` may be schedules
 * `(t) => value` (see `hyper.ts`). State: `step`, `expAvg`, `expAvgSq`.
 */
import type { Transform } from '../transforms/types.js';
import { chain, type ChainState } from '../transforms/chain.js';
import { flipSign } from '../transforms/flip-sign.js';
import { scaleByAdam } from '../transforms/scale-by-adam.js';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate.js';
import type { OptimizerOptions, ParamGroup, ParamsInput } from './optimizer.js';
import { TransformOptimizer } from './transform-optimizer.js';
import { BETA, EPS, LR, checkBetas, checkBool, checkEps, checkLr } from './options.js';
import { betaSpecs, optionSpec, type Hyper, type HyperSpec } from './hyper.js';
import { resolveOptions } from './resolve.js';

export interface SparseAdamGroup extends ParamGroup {
  betas: [Hyper, Hyper];
  eps: Hyper;
  maximize: boolean;
}

export interface SparseAdamOptions extends OptimizerOptions {
  lr?: Hyper;
  betas?: [Hyper, Hyper];
  eps?: Hyper;
  maximize?: boolean;
}

const SPECS: readonly HyperSpec<SparseAdamGroup>[] = [optionSpec('lr', LR), ...betaSpecs<SparseAdamGroup>(BETA), optionSpec('eps', EPS)];

function validate(g: Partial<SparseAdamGroup>, where: string): void {
  checkLr(where, g.lr, true);
  checkEps(where, g.eps, true);
  checkBetas(where, g.betas, true);
  checkBool(where, 'maximize', g.maximize);
}

export class SparseAdam extends TransformOptimizer<SparseAdamGroup> {
  constructor(params: ParamsInput, options: SparseAdamOptions = {}) {
    const { defaults, optimizer } = resolveOptions('SparseAdam', options, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, maximize: false });
    validate(defaults as Partial<SparseAdamGroup>, 'SparseAdam');
    super('SparseAdam', params, defaults, optimizer, { stepInState: true });
  }

  protected override get sparseAware(): boolean {
    return true;
  }

  protected validateGroup(group: SparseAdamGroup, index: number): void {
    validate(group, `SparseAdam: group ${index}`);
  }

  protected override get hyperSpecs(): readonly HyperSpec<SparseAdamGroup>[] {
    return SPECS;
  }

  protected buildTransform(g: SparseAdamGroup): Transform<ChainState> {
    const h = this.hyper(g);
    return chain(
      flipSign(() => g.maximize),
      scaleByAdam({ b1: h['betas[0]']!, b2: h['betas[1]']!, eps: h.eps!, amsgrad: false, epsAfterCorrection: false }),
      scaleByLearningRate(h.lr!),
    );
  }
}

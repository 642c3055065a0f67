/**
 * Adagrad (Duchi, Hazan & Singer, 2011), as torch.optim.Adagrad 1.13:
 *
 *   g <- -g (maximize);  g <- g + wd p;  s <- s + g^2;
 *   p <- p - lr / (1 + (t - 1) lrDecay) * g / (sqrt(s) + eps)
 *
 * = chain(flipSign, addWeightDecay, scaleByAdagrad, scaleByLearningRate(lr decay schedule)).
 * Torch quirk kept: state is created in the constructor, with the constructor-level
 * `initialAccumulatorValue` (a per-group value is ignored). Row-sparse gradients
 * (`param.gradRows`) update only those rows, as torch's sparse path (no weight decay then).
 * State: `step`, `sum`.
 */
import type { Transform } from '../transforms/types.js';
import type { Parameter } from '../../core/param.js';
import { ValueError } from '../../core/errors.js';
import { chain, type ChainState } from '../transforms/chain.js';
import { flipSign } from '../transforms/flip-sign.js';
import { addWeightDecay } from '../transforms/add-decayed-weights.js';
import { scaleByAdagrad } from '../transforms/scale-by-adagrad.js';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate.js';
import type { OptimizerOptions, ParamGroup, ParamGroupInput, ParamsInput } from './optimizer.js';
import { TransformOptimizer } from './transform-optimizer.js';
import { checkBool, checkEps, checkLr, checkNonNegativeOption, checkWeightDecay } from './options.js';
import { resolveOptions } from './resolve.js';

export interface AdagradGroup extends ParamGroup {
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
  maximize: boolean;
}

export interface AdagradOptions extends OptimizerOptions {
  lr?: number;
  lrDecay?: number;
  weightDecay?: number;
  initialAccumulatorValue?: number;
  eps?: number;
  maximize?: boolean;
}

function validate(g: Partial<AdagradGroup>, where: string): void {
  checkLr(where, g.lr);
  checkNonNegativeOption(where, 'lrDecay', 'lr_decay', g.lrDecay);
  checkWeightDecay(where, g.weightDecay);
  checkNonNegativeOption(where, 'initialAccumulatorValue', 'initial_accumulator_value', g.initialAccumulatorValue);
  checkEps(where, g.eps);
  checkBool(where, 'maximize', g.maximize);
}

export class Adagrad extends TransformOptimizer<AdagradGroup> {
  private readonly initialAccumulator: number;
  private ready = false;

  constructor(params: ParamsInput, options: AdagradOptions = {}) {
    const { defaults, optimizer } = resolveOptions('Adagrad', options, { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false });
    validate(defaults as Partial<AdagradGroup>, 'Adagrad');
    super('Adagrad', params, defaults, optimizer, { stepInState: true });
    this.initialAccumulator = defaults.initialAccumulatorValue as number;
    this.ready = true;
    for (const g of this.paramGroups) for (const p of g.params) this.initState(p, g);
  }

  protected override get sparseAware(): boolean {
    return true;
  }

  override addParamGroup(group: ParamGroupInput): void {
    super.addParamGroup(group);
    if (this.ready) {
      const g = this.paramGroups[this.paramGroups.length - 1]!;
      for (const p of g.params) this.initState(p, g);
    }
  }

  protected validateGroup(group: AdagradGroup, index: number): void {
    validate(group, `Adagrad: group ${index}`);
  }

  protected override checkSparseParam(_p: Parameter, g: AdagradGroup, index: number): void {
    if (g.weightDecay !== 0) {
      throw new ValueError(`Adagrad.step: parameter ${index} has a row-sparse gradient and weightDecay ${g.weightDecay}: weight_decay option is not compatible with sparse gradients, expected weightDecay 0`);
    }
  }

  protected buildTransform(g: AdagradGroup): Transform<ChainState> {
    return chain(
      flipSign(() => g.maximize),
      addWeightDecay(() => g.weightDecay),
      scaleByAdagrad({ eps: () => g.eps, initialAccumulatorValue: this.initialAccumulator }),
      scaleByLearningRate((t) => g.lr / (1 + t * g.lrDecay)),
    );
  }
}

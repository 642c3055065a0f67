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
 * `lr`, `lrDecay`, `weightDecay` and `eps` may be schedules `(t) => value` (see `hyper.ts`;
 * the rate is then lr(t) / (1 + t lrDecay(t))); `initialAccumulatorValue` is used once, a number.
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
import { EPS, LR, WEIGHT_DECAY, checkBool, checkEps, checkLr, checkNonNegativeOption, checkNotScheduled, checkWeightDecay, nonNegativeRule } from './options.js';
import { optionSpec, type Hyper, type HyperSpec } from './hyper.js';
import { resolveOptions } from './resolve.js';

export interface AdagradGroup extends ParamGroup {
  lrDecay: Hyper;
  weightDecay: Hyper;
  initialAccumulatorValue: number;
  eps: Hyper;
  maximize: boolean;
}

export interface AdagradOptions extends OptimizerOptions {
  lr?: Hyper;
  lrDecay?: Hyper;
  weightDecay?: Hyper;
  initialAccumulatorValue?: number;
  eps?: Hyper;
  maximize?: boolean;
}

const SPECS: readonly HyperSpec<AdagradGroup>[] = [
  optionSpec('lr', LR), optionSpec('lrDecay', nonNegativeRule('lrDecay', 'lr_decay')), optionSpec('weightDecay', WEIGHT_DECAY), optionSpec('eps', EPS),
];

function validate(g: Partial<AdagradGroup>, where: string): void {
  checkLr(where, g.lr, true);
  checkNonNegativeOption(where, 'lrDecay', 'lr_decay', g.lrDecay, true);
  checkWeightDecay(where, g.weightDecay, true);
  checkNotScheduled(where, 'initialAccumulatorValue', g.initialAccumulatorValue, 'it sets the accumulator once, when the state is created');
  checkNonNegativeOption(where, 'initialAccumulatorValue', 'initial_accumulator_value', g.initialAccumulatorValue);
  checkEps(where, g.eps, true);
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

  protected override get hyperSpecs(): readonly HyperSpec<AdagradGroup>[] {
    return SPECS;
  }

  protected override checkSparseParam(_p: Parameter, g: AdagradGroup, index: number): void {
    if (g.weightDecay !== 0) {
      throw new ValueError(`Adagrad.step: parameter ${index} has a row-sparse gradient and weightDecay ${g.weightDecay}: weight_decay option is not compatible with sparse gradients, expected weightDecay 0`);
    }
  }

  protected buildTransform(g: AdagradGroup): Transform<ChainState> {
    const h = this.hyper(g);
    const lr = h.lr!;
    const lrDecay = h.lrDecay!;
    return chain(
      flipSign(() => g.maximize),
      addWeightDecay(h.weightDecay!),
      scaleByAdagrad({ eps: h.eps!, initialAccumulatorValue: this.initialAccumulator }),
      scaleByLearningRate((t) => lr(t) / (1 + t * lrDecay(t))),
    );
  }
}

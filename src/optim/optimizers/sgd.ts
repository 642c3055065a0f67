/**
 * SGD with momentum (Polyak, 1964), Nesterov momentum (Sutskever et al., 2013), dampening
 * and coupled weight decay, as torch.optim.SGD 1.13:
 *
 *   g <- -g (maximize);  g <- g + wd p;  b <- mu b + (1 - dampening) g  (b <- g at first);
 *   d <- g + mu b (nesterov) or b;  p <- p - lr d
 *
 * = chain(flipSign, addWeightDecay, trace, scaleByLearningRate). `lr` is required, as in
 * torch 1.13 (no default). `lr`, `momentum`, `dampening` and `weightDecay` may be schedules
 * `(t) => value` (t: the parameter's 0-based step; see `hyper.ts`). State: `momentumBuffer`
 * (null when momentum is 0), and `step` when the group has a schedule (torch has none).
 */
import { zerosBeside } from '../../kernels/memory.js';
import type { Transform } from '../transforms/types.js';
import { chain, type ChainState } from '../transforms/chain.js';
import { flipSign } from '../transforms/flip-sign.js';
import { addWeightDecay } from '../transforms/add-decayed-weights.js';
import { trace } from '../transforms/trace.js';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate.js';
import { ValueError } from '../../core/errors.js';
import type { OptimizerOptions, ParamGroup, ParamsInput } from './optimizer.js';
import { TransformOptimizer } from './transform-optimizer.js';
import { LR, MOMENTUM, WEIGHT_DECAY, checkBool, checkLr, checkLrRequired, checkMomentum, checkWeightDecay, checkFiniteOption, finiteRule } from './options.js';
import { optionSpec, type Hyper, type HyperSpec, type HyperValues } from './hyper.js';
import { resolveOptions } from './resolve.js';
import type { FloatArray } from '../../core/dtype.js';
import type { TraceState } from '../transforms/trace.js';
import { fusedSgdStep } from './fused.js';
import { getBackend } from '../../kernels/registry.js';
import type { SgdStepOptions } from '../../kernels/backend.js';

/** Reused for every call, so a step allocates nothing. */
const SGD_STEP: Required<SgdStepOptions> = { lr: 0, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, firstStep: false };

export interface SGDGroup extends ParamGroup {
  momentum: Hyper;
  dampening: Hyper;
  weightDecay: Hyper;
  nesterov: boolean;
  maximize: boolean;
}

export interface SGDOptions extends OptimizerOptions {
  lr?: Hyper;
  momentum?: Hyper;
  dampening?: Hyper;
  weightDecay?: Hyper;
  nesterov?: boolean;
  maximize?: boolean;
}

const DEFAULTS = { lr: undefined, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };

const SPECS: readonly HyperSpec<SGDGroup>[] = [
  optionSpec('lr', LR), optionSpec('momentum', MOMENTUM), optionSpec('dampening', finiteRule('dampening')), optionSpec('weightDecay', WEIGHT_DECAY),
];

function validate(g: Partial<SGDGroup>, where: string): void {
  if (g.lr !== undefined) checkLr(where, g.lr, true);
  checkMomentum(where, g.momentum, true);
  checkFiniteOption(where, 'dampening', g.dampening, true);
  checkWeightDecay(where, g.weightDecay, true);
  checkBool(where, 'nesterov', g.nesterov);
  checkBool(where, 'maximize', g.maximize);
  // With a schedule, the rule is checked on its values at each step (checkScheduled).
  if (g.nesterov && typeof g.momentum === 'number' && typeof g.dampening === 'number') checkNesterov(where, g.momentum, g.dampening, '');
}

function checkNesterov(where: string, momentum: number, dampening: number, at: string): void {
  if (momentum <= 0 || dampening !== 0) {
    throw new ValueError(`${where}: Nesterov momentum requires a momentum and zero dampening, got momentum ${momentum} and dampening ${dampening}${at}`);
  }
}

export class SGD extends TransformOptimizer<SGDGroup> {
  constructor(params: ParamsInput, options: SGDOptions = {}) {
    const { defaults, optimizer } = resolveOptions('SGD', options, DEFAULTS);
    validate(defaults as Partial<SGDGroup>, 'SGD');
    super('SGD', params, defaults, optimizer, { stepInState: false, keepNull: ['momentumBuffer'] });
  }

  protected validateGroup(group: SGDGroup, index: number): void {
    checkLrRequired(`SGD: group ${index}`, group.lr, true);
    validate(group, `SGD: group ${index}`);
  }

  protected override get hyperSpecs(): readonly HyperSpec<SGDGroup>[] {
    return SPECS;
  }

  protected override checkScheduled(g: SGDGroup, h: HyperValues, t: number, index: number): void {
    if (g.nesterov) checkNesterov(`SGD: group ${index}`, h.momentum!(t), h.dampening!(t), ` (scheduled values at step ${t})`);
  }

  protected buildTransform(g: SGDGroup): Transform<ChainState> {
    const h = this.hyper(g);
    return chain(
      flipSign(() => g.maximize),
      addWeightDecay(h.weightDecay!),
      trace({ momentum: h.momentum!, dampening: h.dampening!, nesterov: () => g.nesterov }),
      scaleByLearningRate(h.lr!),
    );
  }

  /**
   * The fused one-pass step: the backend's (float32, within rounding of the chain, tested)
   * where it has one, else fusedSgdStep (bit-identical to the chain, tested).
   */
  protected override fusedUpdate(g: SGDGroup, data: FloatArray, grad: FloatArray, s: ChainState): boolean {
    const h = this.hyper(g);
    const t = s.count; // 0-based index of this update, as the chain's transforms see it
    const lr = h.lr!(t);
    const momentum = h.momentum!(t);
    const dampening = h.dampening!(t);
    const weightDecay = h.weightDecay!(t);
    const trace = s.states[2] as TraceState;
    const first = momentum !== 0 && trace.momentumBuffer === null;
    if (first) trace.momentumBuffer = zerosBeside(data);
    s.count += 1;
    const o = SGD_STEP;
    o.lr = lr;
    o.momentum = momentum;
    o.dampening = dampening;
    o.weightDecay = weightDecay;
    o.nesterov = g.nesterov;
    o.maximize = g.maximize;
    o.firstStep = first;
    const buf = momentum === 0 ? null : trace.momentumBuffer;
    const steps = data instanceof Float32Array && grad instanceof Float32Array ? getBackend().optimizerSteps : undefined;
    if (steps !== undefined) steps.sgdStep(data as Float32Array, grad as Float32Array, buf as Float32Array | null, o);
    else fusedSgdStep(data, grad, buf, o);
    return true;
  }
}

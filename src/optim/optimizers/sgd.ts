/**
 * SGD with momentum (Polyak, 1964), Nesterov momentum (Sutskever et al., 2013), dampening
 * and coupled weight decay, as torch.optim.SGD 1.13:
 *
 *   g <- -g (maximize);  g <- g + wd p;  b <- mu b + (1 - dampening) g  (b <- g at first);
 *   d <- g + mu b (nesterov) or b;  p <- p - lr d
 *
 * = chain(flipSign, addWeightDecay, trace, scaleByLearningRate). `lr` is required, as in
 * torch 1.13 (no default). State: `momentumBuffer` (null when momentum is 0).
 */
import type { Transform } from '../transforms/types.js';
import { chain, type ChainState } from '../transforms/chain.js';
import { flipSign } from '../transforms/flip-sign.js';
import { addWeightDecay } from '../transforms/add-decayed-weights.js';
import { trace } from '../transforms/trace.js';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate.js';
import { ValueError } from '../../core/errors.js';
import type { OptimizerOptions, ParamGroup, ParamsInput } from './optimizer.js';
import { TransformOptimizer } from './transform-optimizer.js';
import { checkBool, checkLr, checkLrRequired, checkMomentum, checkWeightDecay, checkFiniteOption } from './options.js';
import { resolveOptions } from './resolve.js';
import type { FloatArray } from '../../core/dtype.js';
import type { TraceState } from '../transforms/trace.js';
import { fusedSgdStep, type FusedSgdArgs } from './fused.js';
import { getBackend } from '../../kernels/registry.js';
import type { SgdStepOptions } from '../../kernels/backend.js';

/** Reused for every call, so a step allocates nothing. */
const SGD_ARGS: FusedSgdArgs = { lr: 0, momentum: 0, dampening: 0, nesterov: false, maximize: false, weightDecay: 0, first: false };
const SGD_STEP: Required<SgdStepOptions> = { lr: 0, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, firstStep: false };

export interface SGDGroup extends ParamGroup {
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

export interface SGDOptions extends OptimizerOptions {
  lr?: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
  maximize?: boolean;
}

const DEFAULTS = { lr: undefined, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };

function validate(g: Partial<SGDGroup>, where: string): void {
  if (g.lr !== undefined) checkLr(where, g.lr);
  checkMomentum(where, g.momentum);
  checkFiniteOption(where, 'dampening', g.dampening);
  checkWeightDecay(where, g.weightDecay);
  checkBool(where, 'nesterov', g.nesterov);
  checkBool(where, 'maximize', g.maximize);
  if (g.nesterov && (g.momentum! <= 0 || g.dampening !== 0)) {
    throw new ValueError(`${where}: Nesterov momentum requires a momentum and zero dampening, got momentum ${g.momentum} and dampening ${g.dampening}`);
  }
}

export class SGD extends TransformOptimizer<SGDGroup> {
  constructor(params: ParamsInput, options: SGDOptions = {}) {
    const { defaults, optimizer } = resolveOptions('SGD', options, DEFAULTS);
    validate(defaults as Partial<SGDGroup>, 'SGD');
    super('SGD', params, defaults, optimizer, { stepInState: false, keepNull: ['momentumBuffer'] });
  }

  protected validateGroup(group: SGDGroup, index: number): void {
    checkLrRequired(`SGD: group ${index}`, group.lr);
    validate(group, `SGD: group ${index}`);
  }

  protected buildTransform(g: SGDGroup): Transform<ChainState> {
    return chain(
      flipSign(() => g.maximize),
      addWeightDecay(() => g.weightDecay),
      trace({ momentum: () => g.momentum, dampening: () => g.dampening, nesterov: () => g.nesterov }),
      scaleByLearningRate(() => g.lr),
    );
  }

  /**
   * The fused one-pass step: the backend's (float32, within rounding of the chain, tested)
   * where it has one, else fusedSgdStep (bit-identical to the chain, tested).
   */
  protected override fusedUpdate(g: SGDGroup, data: FloatArray, grad: FloatArray, s: ChainState): boolean {
    const trace = s.states[2] as TraceState;
    const first = g.momentum !== 0 && trace.momentumBuffer === null;
    if (first) trace.momentumBuffer = data instanceof Float64Array ? new Float64Array(data.length) : new Float32Array(data.length);
    s.count += 1;
    const steps = data instanceof Float32Array && grad instanceof Float32Array ? getBackend().optimizerSteps : undefined;
    if (steps !== undefined) {
      const o = SGD_STEP;
      o.lr = g.lr;
      o.momentum = g.momentum;
      o.dampening = g.dampening;
      o.weightDecay = g.weightDecay;
      o.nesterov = g.nesterov;
      o.maximize = g.maximize;
      o.firstStep = first;
      steps.sgdStep(data as Float32Array, grad as Float32Array, g.momentum === 0 ? null : trace.momentumBuffer as Float32Array, o);
      return true;
    }
    const a = SGD_ARGS;
    a.lr = g.lr;
    a.momentum = g.momentum;
    a.dampening = g.dampening;
    a.nesterov = g.nesterov;
    a.maximize = g.maximize;
    a.weightDecay = g.weightDecay;
    a.first = first;
    fusedSgdStep(data, grad, g.momentum === 0 ? null : trace.momentumBuffer, a);
    return true;
  }
}

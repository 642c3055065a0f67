/**
 * Adam (Kingma & Ba, 2015) with AMSGrad (Reddi et al., 2018), as torch.optim.Adam 1.13:
 *
 *   g <- -g (maximize);  g <- g + wd p  (coupled, L2);  m, v as in `scaleByAdam`;
 *   p <- p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 *
 * = chain(flipSign, addWeightDecay, scaleByAdam, scaleByLearningRate). `lr`, `betas[0]`,
 * `betas[1]`, `eps` and `weightDecay` may be schedules `(t) => value` (see `hyper.ts`).
 * State: `step`, `expAvg`, `expAvgSq`, `maxExpAvgSq` (amsgrad).
 */
import type { Transform } from '../transforms/types.js';
import { chain, type ChainState } from '../transforms/chain.js';
import { flipSign } from '../transforms/flip-sign.js';
import { addWeightDecay, addDecayedWeights } from '../transforms/add-decayed-weights.js';
import { scaleByAdam } from '../transforms/scale-by-adam.js';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate.js';
import type { OptimizerOptions, ParamGroup, ParamsInput } from './optimizer.js';
import { TransformOptimizer } from './transform-optimizer.js';
import { BETA, EPS, LR, WEIGHT_DECAY, checkBetas, checkBool, checkEps, checkLr, checkWeightDecay } from './options.js';
import { betaSpecs, optionSpec, type Hyper, type HyperSpec, type HyperValues } from './hyper.js';
import { resolveOptions } from './resolve.js';
import type { FloatArray } from '../../core/dtype.js';
import type { AdamState } from '../transforms/scale-by-adam.js';
import { fusedAdamStep } from './fused.js';
import { getBackend } from '../../kernels/registry.js';
import type { AdamStepOptions } from '../../kernels/backend.js';

export interface AdamGroup extends ParamGroup {
  betas: [Hyper, Hyper];
  eps: Hyper;
  weightDecay: Hyper;
  amsgrad: boolean;
  maximize: boolean;
}

export interface AdamOptions extends OptimizerOptions {
  lr?: Hyper;
  betas?: [Hyper, Hyper];
  eps?: Hyper;
  weightDecay?: Hyper;
  amsgrad?: boolean;
  maximize?: boolean;
}

/** Adam's and AdamW's options that may be schedules. */
const ADAM_SPECS: readonly HyperSpec<AdamGroup>[] = [
  optionSpec('lr', LR), ...betaSpecs<AdamGroup>(BETA), optionSpec('eps', EPS), optionSpec('weightDecay', WEIGHT_DECAY),
];

export function validateAdamGroup(g: Partial<AdamGroup>, where: string): void {
  checkLr(where, g.lr, true);
  checkEps(where, g.eps, true);
  checkBetas(where, g.betas, true);
  checkWeightDecay(where, g.weightDecay, true);
  checkBool(where, 'amsgrad', g.amsgrad);
  checkBool(where, 'maximize', g.maximize);
}

/**
 * The fused one-pass step: the backend's (float32, within rounding of the chain, tested) where
 * it has one, else fusedAdamStep (bit-identical to the chain, tested). `adamIndex` locates
 * scaleByAdam's state.
 */
function fusedAdam(g: AdamGroup, h: HyperValues, data: FloatArray, grad: FloatArray, s: ChainState, adamIndex: number, decoupled: boolean): boolean {
  const st = s.states[adamIndex] as AdamState;
  if (g.amsgrad && st.maxExpAvgSq === null) return false; // amsgrad switched on mid-run: the chain allocates the buffer
  const t = s.count; // 0-based index of this update, as the chain's transforms see it
  const lr = h.lr!(t);
  const b1 = h['betas[0]']!(t);
  const b2 = h['betas[1]']!(t);
  const eps = h.eps!(t);
  const weightDecay = h.weightDecay!(t);
  s.count += 1;
  const o = ADAM_STEP;
  o.step = s.count;
  o.lr = lr;
  o.beta1 = b1;
  o.beta2 = b2;
  o.eps = eps;
  o.weightDecay = weightDecay;
  o.decoupledWeightDecay = decoupled;
  o.amsgrad = g.amsgrad;
  o.maximize = g.maximize;
  const max = g.amsgrad ? st.maxExpAvgSq : null;
  const steps = data instanceof Float32Array && grad instanceof Float32Array ? getBackend().optimizerSteps : undefined;
  if (steps !== undefined) steps.adamStep(data as Float32Array, grad as Float32Array, st.expAvg as Float32Array, st.expAvgSq as Float32Array, max as Float32Array | null, o);
  else fusedAdamStep(data, grad, st.expAvg, st.expAvgSq, max, o);
  return true;
}

/** Reused for every call, so a step allocates nothing. */
const ADAM_STEP: Required<AdamStepOptions> = { step: 1, lr: 0, beta1: 0, beta2: 0, eps: 0, weightDecay: 0, decoupledWeightDecay: false, amsgrad: false, maximize: false };

function adamChain(g: AdamGroup, h: HyperValues, decoupled: boolean): Transform<ChainState> {
  const wd = h.weightDecay!;
  const scale = scaleByAdam({ b1: h['betas[0]']!, b2: h['betas[1]']!, eps: h.eps!, amsgrad: () => g.amsgrad });
  return decoupled
    ? chain(flipSign(() => g.maximize), scale, addDecayedWeights(wd), scaleByLearningRate(h.lr!))
    : chain(flipSign(() => g.maximize), addWeightDecay(wd), scale, scaleByLearningRate(h.lr!));
}

export class Adam extends TransformOptimizer<AdamGroup> {
  constructor(params: ParamsInput, options: AdamOptions = {}) {
    const { defaults, optimizer } = resolveOptions('Adam', options, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false });
    validateAdamGroup(defaults as Partial<AdamGroup>, 'Adam');
    super('Adam', params, defaults, optimizer, { stepInState: true });
  }

  protected validateGroup(group: AdamGroup, index: number): void {
    validateAdamGroup(group, `Adam: group ${index}`);
  }

  protected override get hyperSpecs(): readonly HyperSpec<AdamGroup>[] {
    return ADAM_SPECS;
  }

  protected buildTransform(g: AdamGroup): Transform<ChainState> {
    return adamChain(g, this.hyper(g), false);
  }

  protected override fusedUpdate(g: AdamGroup, data: FloatArray, grad: FloatArray, s: ChainState): boolean {
    return fusedAdam(g, this.hyper(g), data, grad, s, 2, false);
  }
}

/**
 * AdamW (Loshchilov & Hutter, 2019), as torch.optim.AdamW 1.13: Adam with decoupled weight
 * decay, p <- p (1 - lr wd) before the Adam step; weightDecay defaults to 1e-2.
 * = chain(flipSign, scaleByAdam, addDecayedWeights, scaleByLearningRate).
 */
export class AdamW extends TransformOptimizer<AdamGroup> {
  constructor(params: ParamsInput, options: AdamOptions = {}) {
    const { defaults, optimizer } = resolveOptions('AdamW', options, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false });
    validateAdamGroup(defaults as Partial<AdamGroup>, 'AdamW');
    super('AdamW', params, defaults, optimizer, { stepInState: true });
  }

  protected validateGroup(group: AdamGroup, index: number): void {
    validateAdamGroup(group, `AdamW: group ${index}`);
  }

  protected override get hyperSpecs(): readonly HyperSpec<AdamGroup>[] {
    return ADAM_SPECS;
  }

  protected buildTransform(g: AdamGroup): Transform<ChainState> {
    return adamChain(g, this.hyper(g), true);
  }

  protected override fusedUpdate(g: AdamGroup, data: FloatArray, grad: FloatArray, s: ChainState): boolean {
    return fusedAdam(g, this.hyper(g), data, grad, s, 1, true);
  }
}

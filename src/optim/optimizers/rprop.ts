/**
 * Rprop (Riedmiller & Braun, 1993), as torch.optim.Rprop 1.13: = chain(flipSign, scaleByRprop).
 * Step sizes start at the group's lr. No option takes a schedule: `lr` is used once, as the
 * initial step size, and the step sizes then adapt by themselves (etas, stepSizes).
 * State: `step`, `prev`, `stepSize`.
 */
import type { Transform } from '../transforms/types.js';
import { ValueError, show } from '../../core/errors.js';
import { chain, type ChainState } from '../transforms/chain.js';
import { flipSign } from '../transforms/flip-sign.js';
import { scaleByRprop } from '../transforms/scale-by-rprop.js';
import type { OptimizerOptions, ParamGroup, ParamsInput } from './optimizer.js';
import { TransformOptimizer } from './transform-optimizer.js';
import { checkBool, checkLr, checkNotScheduled } from './options.js';
import { resolveOptions } from './resolve.js';

export interface RpropGroup extends ParamGroup {
  etas: [number, number];
  stepSizes: [number, number];
  maximize: boolean;
}

export interface RpropOptions extends OptimizerOptions {
  lr?: number;
  etas?: [number, number];
  stepSizes?: [number, number];
  maximize?: boolean;
}

function validate(g: Partial<RpropGroup>, where: string): void {
  checkNotScheduled(where, 'lr', g.lr, "Rprop's lr is only the initial step size (used once, when the state is created)");
  checkLr(where, g.lr);
  const e = g.etas;
  if (!Array.isArray(e) || e.length !== 2 || !(e[0] > 0 && e[0] < 1 && e[1] > 1)) {
    throw new ValueError(`${where}: Invalid eta values: ${show(e)}, expected [etaminus, etaplus] with 0 < etaminus < 1 < etaplus`);
  }
  const s = g.stepSizes;
  if (!Array.isArray(s) || s.length !== 2 || !s.every((x) => typeof x === 'number' && x >= 0) || s[0] > s[1]) {
    throw new ValueError(`${where}: Invalid step_sizes: ${show(s)}, expected [min, max] with 0 <= min <= max`);
  }
  checkBool(where, 'maximize', g.maximize);
}

export class Rprop extends TransformOptimizer<RpropGroup> {
  constructor(params: ParamsInput, options: RpropOptions = {}) {
    const { defaults, optimizer } = resolveOptions('Rprop', options, { lr: 1e-2, etas: [0.5, 1.2], stepSizes: [1e-6, 50], maximize: false });
    validate(defaults as Partial<RpropGroup>, 'Rprop');
    super('Rprop', params, defaults, optimizer, { stepInState: true });
  }

  protected validateGroup(group: RpropGroup, index: number): void {
    validate(group, `Rprop: group ${index}`);
  }

  protected buildTransform(g: RpropGroup): Transform<ChainState> {
    return chain(
      flipSign(() => g.maximize),
      scaleByRprop({ initialStepSize: () => g.lr, etas: () => g.etas, stepSizes: () => g.stepSizes }),
    );
  }
}

/**
 * Any transform chain as a torch-shaped optimizer: groups, `step(closure?)`, `zeroGrad()`,
 * the non-finite policy and `stateDict()` come from the base classes.
 *
 *   // Keras-style momentum (the learning rate inside the velocity):
 *   const opt = new ChainOptimizer(params, (g) => chain(scaleByLearningRate(() => g.lr), trace({ momentum: 0.9 })), { lr: 0.01 });
 *
 * `build(group)` is called once per group; read options from `group` inside functions so that
 * schedulers changing `group.lr` take effect. State keys are the transforms' state names, plus
 * `step` (the chain's count).
 */
import type { Transform } from '../transforms/types.js';
import type { ChainState } from '../transforms/chain.js';
import { ValueError, show } from '../../core/errors.js';
import type { OptimizerOptions, ParamGroup, ParamsInput } from './optimizer.js';
import { TransformOptimizer } from './transform-optimizer.js';
import { checkLr } from './options.js';

export interface ChainOptimizerOptions extends OptimizerOptions {
  /** The groups' default lr (for `build` and for schedulers); 0 when the chain has its own. */
  lr?: number;
  /** Extra per-group options `build` may read (numbers, booleans, arrays). */
  extra?: Record<string, unknown>;
}

export class ChainOptimizer extends TransformOptimizer<ParamGroup> {
  private readonly build: (group: ParamGroup) => Transform<ChainState>;

  constructor(params: ParamsInput, build: (group: ParamGroup) => Transform<ChainState>, options: ChainOptimizerOptions = {}) {
    if (typeof build !== 'function') throw new ValueError(`ChainOptimizer: invalid build ${show(build)}, expected (group) => chain(...)`);
    if (options === null || typeof options !== 'object') throw new ValueError(`ChainOptimizer: invalid options ${show(options)}, expected an object`);
    const lr = options.lr ?? 0;
    checkLr('ChainOptimizer', lr);
    super('ChainOptimizer', params, { ...(options.extra ?? {}), lr }, { nonFinite: options.nonFinite }, { stepInState: true });
    this.build = build;
  }

  protected validateGroup(group: ParamGroup, index: number): void {
    checkLr(`ChainOptimizer: group ${index}`, group.lr);
  }

  protected buildTransform(group: ParamGroup): Transform<ChainState> {
    const t = this.build(group);
    if (t === null || typeof t !== 'object' || typeof t.init !== 'function' || typeof t.update !== 'function') {
      throw new ValueError(`ChainOptimizer: build returned ${show(t)}, expected a transform from chain(...)`);
    }
    return t;
  }
}

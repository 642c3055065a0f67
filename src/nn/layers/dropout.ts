/**
 * Dropout: in training, zeroes each element with probability p and scales the kept ones by
 * 1/(1-p) (inverted dropout, as torch); in eval, the identity. Masks come from `options.rng`,
 * or the global generator (manualSeed) at each call.
 */
import { ValueError, show } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import type { Tensor } from '../../tensor/tensor.js';
import { dropout } from '../../tensor/functional.js';
import { Module } from '../module.js';
import { defaultRng } from '../random.js';
import { checkTensor } from './check-input.js';
import { checkOptions, layerRng } from './options.js';

export class Dropout extends Module {
  readonly p: number;
  readonly #rng: Rng | undefined;

  constructor(p = 0.5, options: { rng?: Rng } = {}) {
    super();
    const where = 'Dropout';
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw new ValueError(`${where}: invalid p ${show(p)}, expected a probability in [0, 1]`);
    }
    checkOptions(options, where, ['rng']);
    this.p = p;
    this.#rng = options.rng === undefined ? undefined : layerRng(options, where);
  }

  /** The layer's own generator, when one was given (else masks come from the global one). */
  get generator(): Rng | undefined {
    return this.#rng;
  }

  forward(input: Tensor): Tensor {
    const x = checkTensor(input, 'Dropout');
    if (!this.training || this.p === 0) return x;
    return dropout(x, this.p, true, this.#rng ?? defaultRng());
  }

  protected override extraRepr(): string {
    return `p=${this.p}`;
  }
}

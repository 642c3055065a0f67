/** Where the data generators' randomness comes from: a seed, or a generator that they advance. */
import { ValueError, show } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { checkInteger } from '../core/validate.js';

export interface RandomSource {
  /** Seed of a fresh generator (an integer >= 0; each generator documents its default). */
  seed?: number;
  /** A generator to draw from instead (it is advanced); give seed or rng, not both. */
  rng?: Rng;
}

/** The generator of `options`: `rng` itself (advanced by the caller's use), else `new Rng(seed ?? fallbackSeed)`. */
export function rngFrom(options: RandomSource, where: string, fallbackSeed = 0): Rng {
  if (options.rng !== undefined) {
    if (!(options.rng instanceof Rng)) throw new ValueError(`${where}: invalid rng ${show(options.rng)}, expected an Rng`);
    if (options.seed !== undefined) throw new ValueError(`${where}: got both seed ${show(options.seed)} and rng, expected one of them`);
    return options.rng;
  }
  const seed = options.seed ?? fallbackSeed;
  checkInteger(seed, `${where} seed`, 0);
  return new Rng(seed);
}


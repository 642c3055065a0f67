/**
 * The generator layers and initializers draw from when no `rng` is given: the engine's
 * global one, reseeded by `manualSeed`.
 */
import type { Rng } from '../core/rng.js';
import { globalGenerator } from '../tensor/index.js';

export function defaultRng(): Rng {
  return globalGenerator();
}

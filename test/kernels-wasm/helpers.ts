// Shared helpers for the WASM kernel tests.
import { Rng } from '../../src/core/rng.js';

export function randomArray(rng: Rng, length: number, low = -1, high = 1): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = rng.uniform(low, high);
  return out;
}

/**
 * Asserts |actual - expected| <= tol[i] elementwise (tol a number or per-element bounds),
 * reporting the first offending index.
 */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number | ArrayLike<number>, what: string): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length} != ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const t = typeof tol === 'number' ? tol : tol[i]!;
    const a = actual[i]!, e = expected[i]!;
    if (Number.isNaN(a) !== Number.isNaN(e) || Math.abs(a - e) > t) {
      throw new Error(`${what}: index ${i}: got ${a}, expected ${e} (tolerance ${t})`);
    }
  }
}

/** Tolerance for float32 results: a few units in the last place of the expected value. */
export function ulps(expected: ArrayLike<number>, count = 4): Float64Array {
  const out = new Float64Array(expected.length);
  for (let i = 0; i < expected.length; i++) out[i] = count * 2 ** -23 * Math.abs(expected[i]!) + 1e-30;
  return out;
}

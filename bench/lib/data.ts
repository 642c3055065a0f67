/**
 * Benchmark inputs, identical in every implementation (bench/peers/torch_bench.py computes the
 * same numbers): x[i] = ((i · 2654435761) mod 2³² mod 1000) / 1000, labels y[j] = j mod 10.
 * Timing does not depend on the values; using the same ones everywhere rules out surprises
 * (denormals, NaNs) that would differ between implementations.
 */

export const BATCH = 128;
export const MLP_SIZES = [784, 1000, 500, 100, 10] as const;

export function benchFeatures(n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = ((i * 2654435761) % 4294967296 % 1000) / 1000;
  return out;
}

export function benchLabels(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i % 10;
  return out;
}

/** Uniform(-0.5, 0.5) from a small deterministic generator (GEMM operands, 10M-parameter steps). */
export function uniformArray(n: number, seed = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = (s >>> 0) / 4294967296 - 0.5;
  }
  return out;
}

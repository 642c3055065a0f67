/**
 * Statistics for reports: order statistics over seeds, and AlgoPerf-style performance profiles.
 *
 * Performance profile (Dolan & Moré 2002, as used by AlgoPerf, Dahl et al. 2023): for problem p
 * and optimizer s let t(p, s) be its cost to reach p's target (∞ if it did not); the ratio is
 * r(p, s) = t(p, s) / min_s t(p, s), and ρ_s(τ) = (1/|P|) #{p : r(p, s) <= τ}. The score is the
 * normalized area under ρ_s on [1, r_max]: (1/(r_max − 1)) ∫₁^{r_max} ρ_s(τ) dτ, with r_max = 4;
 * 1 means fastest on every problem, 0 never within 4× of the fastest.
 */

export interface Spread {
  median: number;
  q1: number;
  q3: number;
  min: number;
  max: number;
  n: number;
}

/** Linear-interpolated quantile q ∈ [0, 1] of sorted values. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function spreadOf(values: readonly number[]): Spread | null {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  return { median: quantileSorted(v, 0.5), q1: quantileSorted(v, 0.25), q3: quantileSorted(v, 0.75), min: v[0]!, max: v[v.length - 1]!, n: v.length };
}

/** The median where missing values count as +∞ (null when more than half are missing). */
export function medianWithFailures(values: ReadonlyArray<number | null>): number | null {
  if (values.length === 0) return null;
  const v = values.map((x) => (x === null ? Infinity : x)).sort((a, b) => a - b);
  const m = quantileSorted(v, 0.5);
  return Number.isFinite(m) ? m : null;
}

export interface PerformanceProfile {
  rMax: number;
  /** What t(p, s) measures. */
  measure: string;
  problems: string[];
  optimizers: string[];
  /** ratios[optimizer][problem index]: r(p, s), null when not reached. */
  ratios: Record<string, Array<number | null>>;
  /** τ values at which ρ is tabulated (1 … r_max). */
  taus: number[];
  rho: Record<string, number[]>;
  scores: Record<string, number>;
}

/** `cost(problem, optimizer)` gives t(p, s) or null (target not reached / not run). */
export function performanceProfile(
  problems: readonly string[],
  optimizers: readonly string[],
  cost: (problem: string, optimizer: string) => number | null,
  rMax = 4,
  measure = 'steps to target',
): PerformanceProfile {
  const ratios: Record<string, Array<number | null>> = {};
  for (const s of optimizers) ratios[s] = [];
  problems.forEach((p) => {
    const costs = optimizers.map((s) => cost(p, s));
    const finite = costs.filter((c): c is number => c !== null && Number.isFinite(c));
    const best = finite.length ? Math.min(...finite) : null;
    optimizers.forEach((s, i) => {
      const c = costs[i];
      ratios[s]!.push(best === null || c === null || c === undefined || !Number.isFinite(c) ? null : best === 0 ? (c === 0 ? 1 : Infinity) : c / best);
    });
  });
  const taus = Array.from({ length: 61 }, (_, i) => 1 + ((rMax - 1) * i) / 60);
  const rho: Record<string, number[]> = {};
  const scores: Record<string, number> = {};
  const nP = Math.max(problems.length, 1);
  for (const s of optimizers) {
    const r = ratios[s]!;
    rho[s] = taus.map((tau) => r.filter((x) => x !== null && x <= tau).length / nP);
    // Exact area: each problem with ratio r <= r_max contributes (r_max − max(r, 1)) / (r_max − 1).
    scores[s] = r.reduce<number>((acc, x) => acc + (x !== null && x <= rMax ? (rMax - Math.max(x, 1)) / (rMax - 1) : 0), 0) / nP;
  }
  return { rMax, measure, problems: [...problems], optimizers: [...optimizers], ratios, taus, rho, scores };
}

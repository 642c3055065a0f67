/** Number formatting for tables: 3 significant digits, exponents for very small or large values. */
export function formatNumber(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (value === 0) return '0';
  const a = Math.abs(value);
  if (Number.isInteger(value) && a < 1e6) return String(value);
  if (a >= 1e-3 && a < 1e5) return String(Number(value.toPrecision(digits)));
  return value.toExponential(Math.max(0, digits - 1));
}

/** What a table needs of a row to show its steps to the target. */
export interface ToTargetCounts {
  /** Median over all seeds, a seed that missed counting as ∞ (null: at least half missed). */
  medianStepsToTarget: number | null;
  /** The spread over the seeds that reached the target (null: none did). */
  stepsToTarget: { min: number; max: number } | null;
  reached: number;
  seeds: number;
}

/**
 * Steps to the target as every table shows them (docs/lab.md, protocol step 3): the median over
 * all seeds with a seed that missed counting as ∞, and the range over all seeds (max ∞ when a
 * seed missed). Divided by `stepsPerUnit` for other units (epochs). null when there are no seeds.
 */
export function toTargetRange(r: ToTargetCounts, stepsPerUnit = 1): { median: number; min: number; max: number } | null {
  if (r.seeds === 0) return null;
  const median = r.medianStepsToTarget ?? Infinity;
  const min = r.stepsToTarget?.min ?? Infinity;
  const max = r.reached < r.seeds || !r.stepsToTarget ? Infinity : r.stepsToTarget.max;
  return { median: median / stepsPerUnit, min: min / stepsPerUnit, max: max / stepsPerUnit };
}

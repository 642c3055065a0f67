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

/**
 * Result rows: one JSON object per line, `{"bench", "impl", "threads", "value", "unit", ...}`
 * (GEMM rows also carry `n`); a row that could not be measured has `value: null` and
 * `skipped: <reason>`. And the same rows as a table for people.
 */

export interface Row {
  bench: string;
  impl: string;
  threads: number;
  value: number | null;
  unit: string;
  n?: number;
  /** Why there is no value. */
  skipped?: string;
  [extra: string]: unknown;
}

export function skippedRow(bench: string, impl: string, threads: number, unit: string, reason: string, extra: Record<string, unknown> = {}): Row {
  return { bench, impl, threads, value: null, unit, ...extra, skipped: reason };
}

function round(v: number): number {
  const digits = Math.abs(v) >= 100 ? 1 : Math.abs(v) >= 1 ? 3 : 4;
  return Number(v.toFixed(digits));
}

export function jsonLine(row: Row): string {
  const { bench, impl, threads, value, unit, ...rest } = row;
  return JSON.stringify({ bench, impl, threads, value: value === null ? null : round(value), unit, ...rest });
}

function label(row: Row): string {
  const mode = typeof row['mode'] === 'string' ? ` (${row['mode']})` : '';
  return row.impl + mode;
}

export function formatTable(rows: readonly Row[]): string {
  const header = ['bench', 'impl', 'threads', 'value', 'unit', 'runs', 'note'];
  const body = rows.map((r) => [
    r.n !== undefined ? `${r.bench} n=${r.n}` : r.bench,
    label(r),
    String(r.threads),
    r.value === null ? '-' : round(r.value).toString(),
    r.unit,
    r['runs'] === undefined ? '' : String(r['runs']),
    r.skipped !== undefined ? `skipped: ${r.skipped}` : typeof r['note'] === 'string' ? (r['note'] as string) : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (i === 6 ? 0 : b[i]!.length))));
  const fmt = (cells: string[]): string => cells.map((c, i) => (i === 6 ? c : i === 2 || i === 3 || i === 5 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [fmt(header), ...body.map(fmt)].join('\n');
}

/** Prints the table (stdout), then one JSON object per line. */
export function printRows(rows: readonly Row[]): void {
  console.log('');
  console.log(formatTable(rows));
  console.log('');
  for (const r of rows) console.log(jsonLine(r));
}

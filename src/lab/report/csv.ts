/** results.csv: one row per trial (curves and paths are only in results.json). */
import type { ComparisonResults } from '../run-comparison.js';

export const CSV_COLUMNS = [
  'problem', 'optimizer', 'phase', 'lr', 'seed', 'budget', 'steps', 'final', 'reachedTargetAt',
  'wallMsToTarget', 'evaluationsToTarget', 'evaluations', 'wallMs', 'diverged', 'divergedReason',
] as const;

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function renderCsv(results: Pick<ComparisonResults, 'trials'>): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const t of results.trials) {
    const row = t as unknown as Record<string, unknown>;
    lines.push(CSV_COLUMNS.map((c) => cell(c === 'wallMs' || c === 'wallMsToTarget' ? roundMs(row[c]) : row[c])).join(','));
  }
  return `${lines.join('\n')}\n`;
}

function roundMs(v: unknown): unknown {
  return typeof v === 'number' ? Math.round(v * 1000) / 1000 : v;
}

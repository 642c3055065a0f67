/** The terminal summary: one line per problem × configuration, then the scores. */
import type { ComparisonResults } from '../run-comparison.js';
import { formatNumber } from './format.js';

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

export function renderTerminalTable(results: ComparisonResults): string {
  const head = ['problem', 'optimizer', 'lr', 'final (median)', 'reached', 'steps to target', 'epochs', 'default lr: final', 'test acc.', 'note'];
  const rows = results.summary.rows.map((r) => [
    r.problem,
    r.optimizer,
    r.skipped ? '—' : formatNumber(r.lr),
    r.skipped ? '—' : `${formatNumber(r.final?.median)}${r.divergedSeeds ? ` (${r.divergedSeeds} div.)` : ''}`,
    r.skipped ? '' : `${r.reached}/${r.seeds}`,
    // The median over all seeds, a miss counting as ∞ (as in the HTML table and the profile).
    r.skipped ? '—' : formatNumber(r.medianStepsToTarget ?? Infinity),
    // Data problems: the same in epochs (passes over the training set).
    r.skipped || r.stepsPerEpoch === null ? '' : formatNumber((r.medianStepsToTarget ?? Infinity) / r.stepsPerEpoch),
    !r.default ? '' : r.default.diverged ? 'diverged' : formatNumber(r.default.final),
    // Data problems: the median final test accuracy (reported, never used for selection).
    r.measures?.['test accuracy'] ? formatNumber(r.measures['test accuracy'].median) : '',
    r.skipped ?? '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!, i === 2 || i === 4 || i === 5 || i === 6 || i === 8)).join('  ').trimEnd();
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  ')];
  let last = '';
  for (const r of rows) {
    if (last && r[0] !== last) out.push('');
    last = r[0]!;
    out.push(line(r));
  }
  out.push('', 'steps (epochs, data problems) to target: the median over seeds, a seed that missed counting as ∞.');
  const p = results.summary.profile;
  const scores = p.optimizers.map((o) => [o, p.scores[o]!] as const).sort((a, b) => b[1] - a[1]);
  out.push('', `score (performance profile on ${p.measure}, r_max = ${p.rMax}):`);
  for (const [o, s] of scores) out.push(`  ${pad(o, Math.max(...scores.map(([n]) => n.length)))}  ${s.toFixed(3)}`);
  return out.join('\n');
}

/**
 * index.html: one self-contained page (inline CSS, inline SVG plots, no scripts) that reads
 * offline: the configuration and protocol, the performance profile and scores, then one
 * section per problem with its table, loss curves, learning-rate sensitivity, steps/time to
 * target and, for 2-D problems, the optimizers' paths over the landscape.
 */
import { getProblem } from '../problems/registry.js';
import type { ComparisonResults } from '../run-comparison.js';
import type { ComparisonRow } from '../summary.js';
import { curvesSpec, lrSensitivitySpec, pathsSpec, profileSpec, renderSvg, toTargetSpec } from './charts.js';
import { formatNumber, toTargetRange } from './format.js';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:2rem auto;max-width:1180px;padding:0 1rem;color:#222}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:13px}th,td{padding:.2rem .55rem;border-bottom:1px solid #eee;text-align:right}
th{background:#f6f6f6}td:first-child,th:first-child{text-align:left}.muted{color:#777}.bad{color:#b00}
.plots{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}.plots figure{margin:0}
code{background:#f3f3f3;padding:0 .25rem;border-radius:3px}.note{background:#fff8e0;padding:.3rem .6rem;border-left:3px solid #e0b000}
`;

function table(headers: string[], rows: string[][]): string {
  return `<table><thead><tr>${headers.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function spreadText(s: { median: number; min: number; max: number } | null, digits = 3): string {
  if (!s) return '<span class="muted">—</span>';
  return `${formatNumber(s.median, digits)} <span class="muted">[${formatNumber(s.min, digits)}, ${formatNumber(s.max, digits)}]</span>`;
}

/** Steps to the target: the median with misses as ∞ (as in the terminal table and the profile), and [min, max] over all seeds. */
function toTargetText(r: ComparisonRow, stepsPerUnit = 1): string {
  const range = toTargetRange(r, stepsPerUnit);
  if (range && r.reached === 0) return '∞';
  return spreadText(range, 4);
}

/** The measure columns of a data problem's table: each measure's final value, and the measure target. */
function measureCells(r: ComparisonRow, info: ComparisonResults['problems'][number]): string[] {
  const cells = info.measures.map((m) => (r.skipped ? '' : spreadText(r.measures?.[m] ?? null)));
  if (info.measureTarget) cells.push(r.skipped ? '' : `${r.measureTargetReached ?? 0}/${r.seeds}`);
  return cells;
}

/** A row's cells; `epochs`: the problem has a training set, and the table a column of epochs to the target. */
function rowCells(r: ComparisonRow, epochs: boolean): string[] {
  if (r.skipped) return [escapeHtml(r.optimizer), '—', `<span class="muted">${escapeHtml(r.skipped)}</span>`, '', '', ...(epochs ? [''] : []), '', ''];
  const def = r.default
    ? r.default.diverged ? `<span class="bad">diverged</span> (lr ${formatNumber(r.default.lr)})` : `${formatNumber(r.default.final)} (lr ${formatNumber(r.default.lr)}${r.default.reachedTargetAt !== null ? `, ${r.default.reachedTargetAt} steps` : ''})`
    : '<span class="muted">= final</span>';
  return [
    escapeHtml(r.optimizer),
    `${formatNumber(r.lr)}${r.tuned ? '' : ' <span class="muted">(fixed)</span>'}`,
    `${spreadText(r.final)}${r.divergedSeeds ? ` <span class="bad">${r.divergedSeeds} diverged</span>` : ''}`,
    `${r.reached}/${r.seeds}`,
    toTargetText(r),
    ...(epochs ? [r.stepsPerEpoch === null ? '<span class="muted">—</span>' : toTargetText(r, r.stepsPerEpoch)] : []),
    formatNumber(r.medianWallMsToTarget ?? Infinity),
    def,
  ];
}

async function problemSection(results: ComparisonResults, name: string): Promise<string> {
  const info = results.problems.find((p) => p.name === name)!;
  const rows = results.summary.rows.filter((r) => r.problem === name);
  const order = results.optimizers.map((o) => o.label);
  const trials = results.trials.filter((t) => t.problem === name);
  const finals = trials.filter((t) => t.phase === 'final');
  const metric = info.target.metric;
  const plots: string[] = [];
  const epochs = info.stepsPerEpoch !== null;
  const header = ['optimizer', 'lr', `final ${metric}: median [min, max]`, 'reached', 'steps to target: median [min, max] (a miss = ∞)',
    ...(epochs ? ['epochs to target: median [min, max]'] : []), 'wall ms to target (median)', 'default lr, untuned (seed 0)',
    ...info.measures.map((m) => `final ${escapeHtml(m)}`),
    ...(info.measureTarget ? [`${escapeHtml(info.measureTarget.measure)} ${info.measureTarget.direction === 'above' ? '&gt;=' : '&lt;='} ${formatNumber(info.measureTarget.value)}`] : [])];
  const settings = `<p class="muted">${info.kind}, ${info.dim.toLocaleString('en-US')} parameters; budget ${info.budget} steps; target: ${metric} &lt;= ${formatNumber(info.target.value)}${info.stopAtTarget ? ' (a run stops at the target)' : ''}` +
    `${info.evalEvery > 1 ? `; the metric is evaluated every ${info.evalEvery} steps` : ''}` +
    `${info.stepsPerEpoch !== null ? `; an epoch (a pass over the ${info.trainSize?.toLocaleString('en-US') ?? ''} training examples) is ${info.stepsPerEpoch} mini-batch steps, or one full-batch step of gd` : ''}; ${info.lrGrid.length} learning rates (${formatNumber(info.lrGrid[0])} … ${formatNumber(info.lrGrid[info.lrGrid.length - 1])}), ${info.seeds} seed(s).</p>` +
    (info.note ? `<p class="note">Settings: ${escapeHtml(info.note)}.</p>` : '');
  const intro = `<section id="${escapeHtml(name)}"><h2>${escapeHtml(name)}</h2>\n<p>${escapeHtml(info.description)}</p>\n${settings}`;
  if (info.unavailable) return `${intro}<p class="bad">not run: ${escapeHtml(info.unavailable)}</p></section>`;
  if (finals.length === 0) return `${intro}${table(header, rows.map((r) => [...rowCells(r, epochs), ...measureCells(r, info)]))}<p class="muted">No final runs.</p></section>`;
  plots.push(await renderSvg(curvesSpec(`${metric} over steps (median, min–max over seeds)`, metric, finals, order)));
  for (const m of info.measures.filter((m) => m.startsWith('test'))) {
    plots.push(await renderSvg(curvesSpec(`${m} over steps (median, min–max over seeds; report only)`, m, finals, order, (t) => t.measures?.[m])));
  }
  const tune = trials.filter((t) => t.phase === 'tune');
  if (tune.length) plots.push(await renderSvg(lrSensitivitySpec(`learning-rate sensitivity (seed 0, ${info.budget} steps)`, metric, tune, order, info.stopAtTarget)));
  const problem = getProblem(name);
  if (problem.plane) {
    const paths = finals.filter((t) => t.seed === 0 && t.path).map((t) => ({ optimizer: t.optimizer, path: t.path! }));
    if (paths.length) plots.push(await renderSvg(pathsSpec('paths from the same start (seed 0, tuned lr)', problem.plane, paths, order)));
    const untuned = trials.filter((t) => t.phase === 'default' && t.path).map((t) => ({ optimizer: t.optimizer, path: t.path! }));
    if (untuned.length) plots.push(await renderSvg(pathsSpec('paths at the default learning rates (untuned)', problem.plane, untuned, order)));
  }
  const bars = toTargetSpec(`to the target (${metric} <= ${formatNumber(info.target.value)})`, rows, order);
  plots.push(bars ? await renderSvg(bars) : '<p class="muted">No optimizer reached the target on at least half of its seeds.</p>');
  return `${intro}
${table(header, rows.map((r) => [...rowCells(r, epochs), ...measureCells(r, info)]))}
<div class="plots">${plots.map((p) => `<figure>${p}</figure>`).join('')}</div></section>`;
}

/** What the SGD family's configurations see, when the report has more than one of them or sgd1. */
function gradientNotes(names: readonly string[]): string {
  const family = ['gd', 'sgd1', 'sgd'].filter((n) => names.includes(n));
  const notes: string[] = [];
  if (family.length > 1) {
    notes.push(`On deterministic problems ${family.map((n) => `<code>${n}</code>`).join(', ')} see the same gradient, so their numbers are identical there; they differ on stochastic problems${family.includes('sgd1') && family.includes('sgd') ? ' (<code>sgd1</code> and <code>sgd</code> are also identical on problems without training examples: reddi, reddi-stochastic)' : ''}.`);
  }
  if (names.includes('sgd1')) {
    notes.push('A step is one update: of <code>sgd1</code> (stochastic gradient descent) one training example, of <code>sgd</code> and the other first-order methods one mini-batch of the problem\'s batch size, of <code>gd</code> one pass over the training set. Budgets are in steps, so within the same budget <code>sgd1</code> sees 1/B of the examples a mini-batch method sees (B = the problem\'s batch size, in its description); the epochs-to-target column puts them on one scale.');
  }
  return notes.map((n) => `<p class="muted">${n}</p>`).join('\n');
}

export async function renderHtmlReport(results: ComparisonResults): Promise<string> {
  const { config, summary } = results;
  const scores = summary.profile.optimizers.map((o) => [
    escapeHtml(o), formatNumber(summary.profile.scores[o]!, 3), formatNumber(summary.profileWallTime.scores[o]!, 3),
    `${summary.profile.ratios[o]!.filter((r) => r !== null).length}/${summary.profile.problems.length}`,
  ]).sort((a, b) => Number(b[1]) - Number(a[1]));
  const sections: string[] = [];
  for (const p of config.problems) sections.push(await problemSection(results, p));
  const identical = gradientNotes(results.optimizers.map((o) => o.name));
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>descent compare — ${escapeHtml(config.suite)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${CSS}</style></head><body>
<h1>descent compare</h1>
<p class="muted">descent ${escapeHtml(results.descentVersion)} · ${escapeHtml(results.createdAt)} · suite <b>${escapeHtml(config.suite)}</b></p>
<p>Problems: ${config.problems.map((p) => `<a href="#${escapeHtml(p)}">${escapeHtml(p)}</a>`).join(', ')}.<br>
Optimizers: ${config.optimizers.map((o) => `<code>${escapeHtml(o)}</code>`).join(', ')}.<br>
Learning-rate grid: ${config.lrGrid.length} values, ${formatNumber(config.grid.min)} … ${formatNumber(config.grid.max)} (log-spaced); ${config.seeds} seed(s); budget ${config.budget === null ? config.epochs === null ? "each problem's own" : `${config.epochs} epochs for the data problems, the others their own` : `${config.budget} steps`}; ${config.workers} worker(s).${Object.keys(config.settings).length ? ` Problems with their own settings (said in their sections): ${Object.keys(config.settings).map(escapeHtml).join(', ')}.` : ''}</p>
<p><b>Protocol.</b> Each configuration's learning rate is tuned on the grid (seed 0, fixed budget): among runs that reached the target and ended below it, the fewest steps to it wins, else the lowest final metric; only the training metric is used (data problems: the train-eval loss; their test loss and accuracy are reported, never used to choose). The chosen rate is rerun on every seed (seeds change the start point and the batches); the tables show the median and [min, max] over seeds. Each optimizer also runs once at its default learning rate, untuned. Configurations with a fixed <code>lr=</code>, L-BFGS (line search) and Newton are not tuned. Diverged runs (NaN/Inf or blow-up) are recorded as diverged. Nothing is hidden: schedules or clipping would have to be part of a configuration's name (the Reddi problems' α/√t is part of their definition).</p>
${identical}
<h2>Across problems</h2>
<p>Score: the normalized area under the performance profile on [1, 4] (AlgoPerf-style): 1 = the fastest on every problem; a problem not solved (or not run) counts as a failure.</p>
${table(['optimizer', 'score (steps)', 'score (wall time)', 'problems solved'], scores)}
<div class="plots"><figure>${await renderSvg(profileSpec(summary.profile))}</figure></div>
${sections.join('\n')}
<p class="muted">Data: results.json (schema ${escapeHtml(results.schema)}), results.csv, trials.jsonl.</p>
</body></html>
`;
}

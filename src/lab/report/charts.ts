/**
 * The report's plots as vega-lite specs, rendered to SVG strings in Node
 * (vega-lite compiles to a vega spec; a headless vega View renders it with no DOM). What
 * vega-lite cannot express — the contour lines of the 2-D landscapes, vega's isocontour
 * transform — is added to the compiled vega spec (`Chart.extend`).
 */
import * as vl from 'vega-lite';
import * as vega from 'vega';
import type { LabPlane } from '../problem.js';
import type { PerformanceProfile } from '../stats.js';
import type { TrialRecord } from '../trial.js';
import type { ComparisonRow } from '../summary.js';

type Spec = vl.TopLevelSpec;

const COLOR = { scheme: 'tableau20' };
/** The same optimizer gets the same color in every chart: the domain is the whole configuration list. */
const colorBy = (order: readonly string[]) => ({ field: 'optimizer', type: 'nominal' as const, scale: { ...COLOR, domain: [...order] }, sort: [...order] });
const FLOOR = 1e-16;

/** A vega-lite spec with additions to the vega spec it compiles to. */
export interface Chart {
  vegaLite: Spec;
  extend(spec: vega.Spec): vega.Spec;
}

/** The vega spec of a chart: the vega-lite spec compiled (ARIA attributes off: they would triple the plots' size), then extended. */
export function vegaSpecOf(chart: Spec | Chart): vega.Spec {
  const spec = 'vegaLite' in chart ? chart.vegaLite : chart;
  const withConfig = { ...spec, config: { aria: false, ...(spec.config ?? {}) } } as Spec;
  const compiled = vl.compile(withConfig).spec;
  return 'vegaLite' in chart ? chart.extend(compiled) : compiled;
}

/** Renders a chart to an SVG string. */
export async function renderSvg(chart: Spec | Chart): Promise<string> {
  const view = new vega.View(vega.parse(vegaSpecOf(chart)), { renderer: 'none' });
  try {
    // Path coordinates to 2 decimals (1/100 px): smaller files, the same picture.
    const svg = await view.toSVG();
    return svg.replace(/ d="([^"]*)"/g, (_m, d: string) => ` d="${d.replace(/(\d\.\d\d)\d+/g, '$1')}"`);
  } finally {
    view.finalize();
  }
}

/** Quantities drawn on a linear axis as they are (accuracies, and any test measure). */
const linear = (metric: string): boolean => /accuracy/.test(metric);

/**
 * A y scale for a metric: log when it is a distance/suboptimality (clamped at 1e-16), symlog for
 * a loss that may be negative, linear for accuracies.
 */
function yScale(metric: string): { type: 'log' | 'symlog' | 'linear'; zero?: boolean } {
  if (linear(metric)) return { type: 'linear', zero: false };
  return { type: /loss/.test(metric) ? 'symlog' : 'log' };
}

function yAxis(metric: string): { format: string } | undefined {
  return /loss/.test(metric) || linear(metric) ? undefined : { format: '.0e' };
}

function clampFor(metric: string): (v: number) => number {
  return /loss/.test(metric) || linear(metric) ? (v) => v : (v) => Math.max(v, FLOOR);
}

/**
 * Median and min–max band over the seeds of the final runs that did not diverge, per optimizer;
 * `series` picks the curve (default: the recorded metric; data problems: a measure such as test accuracy).
 */
export function curvesSpec(
  title: string, metric: string, finals: readonly TrialRecord[], order: readonly string[],
  series: (t: TrialRecord) => ReadonlyArray<[number, number]> | undefined = (t) => t.curve,
): Spec {
  const clamp = clampFor(metric);
  const values: Array<{ optimizer: string; step: number; median: number; lo: number; hi: number }> = [];
  for (const optimizer of order) {
    const runs = finals.filter((t) => t.optimizer === optimizer && !t.diverged);
    const byStep = new Map<number, number[]>();
    for (const r of runs) for (const [s, m] of series(r) ?? []) if (m !== null && Number.isFinite(m)) (byStep.get(s) ?? byStep.set(s, []).get(s)!).push(clamp(m));
    for (const [step, vs] of [...byStep].sort((a, b) => a[0] - b[0])) {
      vs.sort((a, b) => a - b);
      const mid = vs.length >> 1;
      const median = vs.length % 2 ? vs[mid]! : 0.5 * (vs[mid - 1]! + vs[mid]!);
      values.push({ optimizer, step, median, lo: vs[0]!, hi: vs[vs.length - 1]! });
    }
  }
  const color = colorBy(order);
  return {
    title, width: 420, height: 260, data: { values },
    resolve: { legend: { color: 'independent' } },
    encoding: { x: { field: 'step', type: 'quantitative', title: 'step' } },
    layer: [
      { mark: { type: 'area', opacity: 0.18 }, encoding: { y: { field: 'lo', type: 'quantitative', scale: yScale(metric), title: metric, axis: yAxis(metric) }, y2: { field: 'hi' }, color: { ...color, legend: null } } },
      { mark: { type: 'line', strokeWidth: 1.6 }, encoding: { y: { field: 'median', type: 'quantitative', scale: yScale(metric) }, color } },
    ],
  };
}

/** Contour levels of the 2-D landscapes, evenly spaced in log10(1 + f − min f). */
export const CONTOUR_LEVELS = 14;

/**
 * Iterates of every optimizer (seed 0, same start) over the landscape: filled contours of
 * log10(1 + f − min f) on a `samples` × `samples` grid, at CONTOUR_LEVELS evenly spaced levels,
 * drawn by vega's isocontour transform (shaded bands, a line at each level). vega-lite has no
 * contour transform, so the contours are added to the compiled vega spec, under the layers.
 */
export function pathsSpec(title: string, plane: LabPlane, paths: ReadonlyArray<{ optimizer: string; path: Array<[number, number]> }>, order: readonly string[], samples = 64): Chart {
  const [x0, x1] = plane.x;
  const [y0, y1] = plane.y;
  const dx = (x1 - x0) / samples;
  const dy = (y1 - y0) / samples;
  // Row-major from the top row (y1) down, as the isocontour transform reads a grid: sample (i, j)
  // sits at grid coordinates (i + 0.5, j + 0.5), so scaling by width / samples and height / samples
  // puts it at the pixel of (x0 + (i + 0.5) dx, y1 − (j + 0.5) dy) on the linear x and y scales.
  const f = new Float64Array(samples * samples);
  let fmin = Infinity;
  for (let j = 0; j < samples; j++) {
    for (let i = 0; i < samples; i++) {
      const v = plane.value(x0 + (i + 0.5) * dx, y1 - (j + 0.5) * dy);
      f[j * samples + i] = v;
      if (v < fmin) fmin = v;
    }
  }
  const levels = Array.from(f, (v) => Number(Math.log10(1 + v - fmin).toPrecision(4)));
  const top = Math.max(...levels);
  const thresholds = Array.from({ length: CONTOUR_LEVELS }, (_, k) => Number(((top * k) / CONTOUR_LEVELS).toPrecision(4)));
  const lines = paths.flatMap(({ optimizer, path }) => path.map(([x, y], k) => ({ optimizer, k, x, y })));
  const start = paths.length ? [{ x: paths[0]!.path[0]![0], y: paths[0]!.path[0]![1] }] : [];
  const minima = (plane.minima ?? []).map(([x, y]) => ({ x, y }));
  const xs = { type: 'quantitative' as const, scale: { domain: [x0, x1], nice: false, zero: false }, title: 'x' };
  const ys = { type: 'quantitative' as const, scale: { domain: [y0, y1], nice: false, zero: false }, title: 'y' };
  const vegaLite: Spec = {
    title, width: 360, height: 320,
    config: { axis: { grid: false } },
    layer: [
      {
        data: { values: lines }, mark: { type: 'line', clip: true, strokeWidth: 1.5, point: false },
        encoding: { x: { field: 'x', ...xs }, y: { field: 'y', ...ys }, order: { field: 'k', type: 'quantitative' }, color: colorBy(order) },
      },
      { data: { values: start }, mark: { type: 'point', shape: 'circle', filled: true, color: 'black', size: 50 }, encoding: { x: { field: 'x', ...xs }, y: { field: 'y', ...ys } } },
      { data: { values: minima }, mark: { type: 'point', shape: 'cross', filled: true, color: '#d62728', size: 80 }, encoding: { x: { field: 'x', ...xs }, y: { field: 'y', ...ys } } },
    ],
  };
  return {
    vegaLite,
    extend(spec) {
      return {
        ...spec,
        data: [
          ...(spec.data ?? []),
          {
            name: 'contour_data',
            values: [{ width: samples, height: samples, values: levels }],
            transform: [{ type: 'isocontour', thresholds, smooth: true, scale: { expr: '[width / datum.width, height / datum.height]' } }],
          },
        ],
        scales: [...(spec.scales ?? []), { name: 'contour_level', type: 'linear', domain: [0, top || 1], range: ['#ffffff', '#b4b4b4'], zero: false }],
        marks: [
          {
            type: 'shape', name: 'contours', from: { data: 'contour_data' }, clip: true,
            encode: { update: { fill: { scale: 'contour_level', field: 'contour.value' }, stroke: { value: '#666666' }, strokeWidth: { value: 0.6 }, strokeOpacity: { value: 0.5 } } },
            transform: [{ type: 'geoshape', field: 'datum.contour' }],
          },
          ...(spec.marks ?? []),
        ],
      } as vega.Spec;
    },
  };
}

/**
 * Learning-rate sensitivity on the tuning grid (seed 0): the final metric against the rate, or,
 * for problems that stop at the target (escapes), the steps to the target (a run that never got
 * there is drawn at the budget). Diverged runs are crosses along the top.
 */
export function lrSensitivitySpec(title: string, metric: string, tune: readonly TrialRecord[], order: readonly string[], stepsToTarget = false): Spec {
  const clamp = stepsToTarget ? (v: number) => v : clampFor(metric);
  const value = (t: TrialRecord): number | null => (stepsToTarget ? t.reachedTargetAt ?? t.budget : t.final === null ? null : clamp(t.final));
  const finite = tune.filter((t) => !t.diverged && value(t) !== null).map((t) => value(t)!);
  const top = finite.length ? Math.max(...finite) : 1;
  const cap = !stepsToTarget && /loss/.test(metric) ? top + Math.abs(top) + 1 : top * 10;
  const values = tune.map((t) => ({ optimizer: t.optimizer, lr: t.lr, y: t.diverged || value(t) === null ? cap : value(t)!, status: t.diverged ? 'diverged' : 'finished' }));
  const scale = stepsToTarget ? { type: 'log' as const } : yScale(metric);
  const axis = stepsToTarget ? undefined : yAxis(metric);
  const yTitle = stepsToTarget ? 'steps to target' : `final ${metric}`;
  const color = colorBy(order);
  return {
    title, width: 420, height: 260, data: { values },
    encoding: { x: { field: 'lr', type: 'quantitative', scale: { type: 'log' }, title: 'learning rate', axis: { format: '.0e' } } },
    layer: [
      { transform: [{ filter: "datum.status === 'finished'" }], mark: { type: 'line', point: true }, encoding: { y: { field: 'y', type: 'quantitative', scale, title: `${yTitle} (crosses: diverged)`, axis }, color } },
      { transform: [{ filter: "datum.status === 'diverged'" }], mark: { type: 'point', shape: 'cross', filled: true, size: 40 }, encoding: { y: { field: 'y', type: 'quantitative', scale }, color } },
    ],
  };
}

/**
 * Median steps (and wall time) to the target over all seeds, a seed that missed counting as ∞ (as
 * in the tables), for the rows whose median is finite; whiskers: min–max over the seeds that reached it.
 */
export function toTargetSpec(title: string, rows: readonly ComparisonRow[], order: readonly string[]): Spec | null {
  const values = rows
    .filter((r) => r.medianStepsToTarget !== null && r.stepsToTarget !== null)
    .map((r) => ({ optimizer: r.optimizer, median: r.medianStepsToTarget!, min: r.stepsToTarget!.min, max: r.stepsToTarget!.max, reached: `${r.reached}/${r.seeds}`, wall: r.medianWallMsToTarget ?? 0 }));
  if (values.length === 0) return null;
  const y = { field: 'optimizer', type: 'nominal' as const, sort: [...order], title: null };
  const color = { ...colorBy(order), legend: null };
  return {
    title, data: { values },
    hconcat: [
      {
        width: 260, height: { step: 16 },
        layer: [
          { mark: 'bar', encoding: { y, x: { field: 'median', type: 'quantitative', title: 'steps to target (median, a miss = ∞; min–max of the seeds that reached it)' }, color } },
          { mark: 'rule', encoding: { y, x: { field: 'min', type: 'quantitative' }, x2: { field: 'max' } } },
          { mark: { type: 'text', align: 'left', dx: 4 }, encoding: { y, x: { field: 'max', type: 'quantitative' }, text: { field: 'reached' } } },
        ],
      },
      {
        width: 180, height: { step: 16 },
        mark: 'bar', encoding: { y: { ...y, axis: null }, x: { field: 'wall', type: 'quantitative', title: 'wall ms to target (median)' }, color },
      },
    ],
  };
}

export function profileSpec(profile: PerformanceProfile): Spec {
  const values = profile.optimizers.flatMap((optimizer) => profile.taus.map((tau, i) => ({ optimizer, tau, rho: profile.rho[optimizer]![i]! })));
  return {
    title: `Performance profile (${profile.measure}; r_max = ${profile.rMax})`,
    width: 460, height: 280, data: { values },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: { field: 'tau', type: 'quantitative', title: 'τ (ratio to the fastest)', scale: { domain: [1, profile.rMax] } },
      y: { field: 'rho', type: 'quantitative', title: 'fraction of problems solved within τ × the fastest', scale: { domain: [0, 1] } },
      color: colorBy(profile.optimizers),
    },
  };
}

/** From trial records to the summary: one row per problem × configuration, and the performance profile. */
import type { LabMeasureTarget } from './problem.js';
import { getProblem } from './problems/registry.js';
import type { Cell, Selection } from './protocol.js';
import { type PerformanceProfile, type Spread, medianWithFailures, performanceProfile, spreadOf } from './stats.js';
import type { TrialRecord } from './trial.js';

export interface ComparisonRow {
  problem: string;
  optimizer: string;
  /** null when run; otherwise why it was not (not applicable, every grid point diverged). */
  skipped: string | null;
  tuned: boolean;
  /** The learning rate of the final runs, and how it was chosen. */
  lr: number | null;
  selection: string;
  seeds: number;
  divergedSeeds: number;
  /** Final metric over the seeds that did not diverge. */
  final: Spread | null;
  /** Seeds that reached the target, and their steps to it. */
  reached: number;
  stepsToTarget: Spread | null;
  /** Medians over all seeds, a seed that missed the target counting as ∞ (null: most missed). */
  medianStepsToTarget: number | null;
  medianWallMsToTarget: number | null;
  medianEvaluationsToTarget: number | null;
  /** Data problems: this configuration's steps per epoch (mini-batch steps per pass; 1 for gd); null otherwise. */
  stepsPerEpoch: number | null;
  /** Data problems: medianStepsToTarget / stepsPerEpoch (null: not a data problem, or at least half the seeds missed). */
  medianEpochsToTarget: number | null;
  /** Data problems: each reported measure at the end of the final runs (non-diverged seeds), for the report only. */
  measures: Record<string, Spread> | null;
  /** Data problems with a measure target: seeds whose final value meets it (e.g. test accuracy >= 0.88). */
  measureTargetReached: number | null;
  /** The untuned run at the default learning rate (seed 0), when there is one. */
  default: { lr: number; final: number | null; reachedTargetAt: number | null; diverged: boolean } | null;
}

export interface ComparisonSummary {
  rows: ComparisonRow[];
  /** Performance profile on median steps to target of the final runs. */
  profile: PerformanceProfile;
  /** The same on median wall time to target (machine-dependent). */
  profileWallTime: PerformanceProfile;
}

/** The last value of a measure in a trial, or null. */
export function lastMeasure(t: TrialRecord, name: string): number | null {
  const series = t.measures?.[name];
  return series && series.length ? series[series.length - 1]![1] : null;
}

function measuresOf(finals: readonly TrialRecord[]): Record<string, Spread> | null {
  const ok = finals.filter((t) => !t.diverged && t.measures);
  if (ok.length === 0) return null;
  const out: Record<string, Spread> = {};
  for (const name of Object.keys(ok[0]!.measures!)) {
    const spread = spreadOf(ok.map((t) => lastMeasure(t, name)).filter((v): v is number => v !== null));
    if (spread) out[name] = spread;
  }
  return out;
}

export function summarize(cells: readonly Cell[], selections: ReadonlyMap<Cell, Selection>, trials: readonly TrialRecord[]): ComparisonSummary {
  const rows: ComparisonRow[] = cells.map((cell) => {
    const mine = trials.filter((t) => t.problem === cell.problem && t.optimizer === cell.spec.label);
    const sel = selections.get(cell);
    const finals = mine.filter((t) => t.phase === 'final');
    const def = mine.find((t) => t.phase === 'default');
    const measureTarget = getProblem(cell.problem).measureTarget;
    const medianStepsToTarget = medianWithFailures(finals.map((t) => t.reachedTargetAt));
    const skipped = cell.applicable !== true ? `not run: ${cell.applicable}` : sel && sel.lr === null ? `not run: ${sel.reason}` : null;
    return {
      problem: cell.problem,
      optimizer: cell.spec.label,
      skipped,
      tuned: cell.tuned,
      lr: cell.tuned ? sel?.lr ?? null : cell.applicable === true && cell.spec.name !== 'newton' ? cell.fixedLr : null, // Newton has no lr
      selection: cell.tuned ? sel?.reason ?? '' : cell.spec.lr !== null ? 'fixed by the spec' : 'not tuned (default)',
      seeds: finals.length,
      divergedSeeds: finals.filter((t) => t.diverged).length,
      final: spreadOf(finals.filter((t) => !t.diverged && t.final !== null).map((t) => t.final!)),
      reached: finals.filter((t) => t.reachedTargetAt !== null).length,
      stepsToTarget: spreadOf(finals.filter((t) => t.reachedTargetAt !== null).map((t) => t.reachedTargetAt!)),
      medianStepsToTarget,
      medianWallMsToTarget: medianWithFailures(finals.map((t) => t.wallMsToTarget)),
      medianEvaluationsToTarget: medianWithFailures(finals.map((t) => t.evaluationsToTarget)),
      stepsPerEpoch: cell.stepsPerEpoch,
      medianEpochsToTarget: cell.stepsPerEpoch === null || medianStepsToTarget === null ? null : medianStepsToTarget / cell.stepsPerEpoch,
      measures: measuresOf(finals),
      measureTargetReached: measureTarget ? finals.filter((t) => !t.diverged && meets(lastMeasure(t, measureTarget.measure), measureTarget)).length : null,
      default: def ? { lr: def.lr, final: def.final, reachedTargetAt: def.reachedTargetAt, diverged: def.diverged } : null,
    };
  });
  // A problem that cannot run here (data not installed) is left out of the profile, not counted as everyone's failure.
  const problems = [...new Set(cells.map((c) => c.problem))].filter((p) => !getProblem(p).unavailable?.());
  const optimizers = [...new Set(cells.map((c) => c.spec.label))];
  const find = (p: string, s: string) => rows.find((r) => r.problem === p && r.optimizer === s);
  return {
    rows,
    profile: performanceProfile(problems, optimizers, (p, s) => find(p, s)?.medianStepsToTarget ?? null, 4, 'median steps to target'),
    profileWallTime: performanceProfile(problems, optimizers, (p, s) => find(p, s)?.medianWallMsToTarget ?? null, 4, 'median wall time to target (ms)'),
  };
}

function meets(value: number | null, target: LabMeasureTarget): boolean {
  return value !== null && (target.direction === 'above' ? value >= target.value : value <= target.value);
}

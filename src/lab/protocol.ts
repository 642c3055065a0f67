/**
 * The comparison protocol (docs/lab.md has the full statement):
 *
 * 1. Tune: for each problem and optimizer configuration, run seed 0 at every learning rate of
 *    the log grid for the fixed budget (configurations with a fixed `lr=`, and L-BFGS / Newton,
 *    are not tuned).
 * 2. Select, on the recorded (training) metric only: among non-diverged grid runs that reached
 *    the target and ended the budget below it, the one that reached it in the fewest steps; if
 *    there is none, the lowest final metric. Ties go to the smaller learning rate. If every grid
 *    run diverged, nothing is selected.
 * 3. Final: rerun the selected learning rate on seeds 0 … S−1 (a seed changes the start
 *    perturbation and, for stochastic problems, the batches).
 * 4. Default: one run (seed 0) at the optimizer's default learning rate, untuned.
 */
import type { CompareConfig, LrGrid } from './config.js';
import { lrGrid } from './config.js';
import { type LabOptimizerEntry, getLabOptimizer } from './optimizers.js';
import type { LabProblem } from './problem.js';
import type { LabOptimizerSpec } from './optimizer-spec.js';
import { getProblem } from './problems/registry.js';
import type { TrialRecord, TrialSpec } from './trial.js';

export interface Cell {
  problem: string;
  spec: LabOptimizerSpec;
  budget: number;
  /** true, or why this optimizer does not run on this problem. */
  applicable: true | string;
  tuned: boolean;
  /** The learning rate when not tuned (fixed `lr=` or the optimizer's default). */
  fixedLr: number;
  /** This problem's grid and seeds (the suite's, or its per-problem settings). */
  grid: LrGrid;
  seeds: number;
  /** Evaluation interval and examples, when set for this problem (else the problem's own). */
  evalEvery?: number;
  evalExamples?: number;
  /** Data problems: this optimizer's steps per epoch (see `stepsPerEpochOf`); null otherwise. */
  stepsPerEpoch: number | null;
}

/**
 * An optimizer's steps per pass over a data problem's training set, from the gradient it takes:
 * the problem's mini-batch steps per epoch, 1 for a full-batch step (`gd`), the number of
 * training examples for one example per step (`sgd1`). null for problems without a training set
 * (analytic, online).
 */
export function stepsPerEpochOf(problem: LabProblem, entry: Pick<LabOptimizerEntry, 'batch'>): number | null {
  if (problem.stepsPerEpoch === undefined) return null;
  if (entry.batch === 'full') return 1;
  if (entry.batch === 'example') return problem.trainSize ?? null;
  return problem.stepsPerEpoch;
}

/** Steps per trial on a problem: --budget, else --epochs (data problems), else the suite's setting, else the problem's own. */
export function budgetOf(config: CompareConfig, name: string): number {
  const problem = getProblem(name);
  if (config.budget !== null) return config.budget;
  if (config.epochs !== null && problem.stepsPerEpoch !== undefined) return config.epochs * problem.stepsPerEpoch;
  return config.settings[name]?.budget ?? problem.defaultBudget;
}

export function cellsOf(config: CompareConfig): Cell[] {
  const cells: Cell[] = [];
  for (const name of config.problems) {
    const problem = getProblem(name);
    const settings = config.settings[name] ?? {};
    const unavailable = problem.unavailable?.() ?? null;
    const evalEvery = problem.evalEvery === undefined ? undefined : config.evalEvery ?? settings.evalEvery;
    for (const spec of config.optimizers) {
      const entry = getLabOptimizer(spec.name);
      let applicable = unavailable ?? entry.applicable(problem);
      if (applicable === true && entry.name === 'newton' && problem.create(0).objective === undefined) applicable = `${name} has no exact Hessian`;
      const tuned = entry.tuneLr && spec.lr === null;
      const cell: Cell = {
        problem: name, spec, budget: budgetOf(config, name), applicable, tuned, fixedLr: spec.lr ?? entry.defaultLr,
        grid: settings.grid ?? config.grid, seeds: settings.seeds ?? config.seeds, stepsPerEpoch: stepsPerEpochOf(problem, entry),
      };
      if (evalEvery !== undefined) cell.evalEvery = evalEvery;
      if (settings.evalExamples !== undefined) cell.evalExamples = settings.evalExamples;
      cells.push(cell);
    }
  }
  return cells;
}

function base(cell: Cell): Omit<TrialSpec, 'lr' | 'seed' | 'phase'> {
  const spec: Omit<TrialSpec, 'lr' | 'seed' | 'phase'> = { problem: cell.problem, optimizer: cell.spec.label, optimizerName: cell.spec.name, options: cell.spec.options, budget: cell.budget };
  if (cell.evalEvery !== undefined) spec.evalEvery = cell.evalEvery;
  if (cell.evalExamples !== undefined) spec.evalExamples = cell.evalExamples;
  return spec;
}

/** The tuning trials (empty when the cell is not tuned or not applicable). */
export function tuneTrials(cell: Cell): TrialSpec[] {
  if (cell.applicable !== true || !cell.tuned) return [];
  return lrGrid(cell.grid).map((lr) => ({ ...base(cell), lr, seed: 0, phase: 'tune' as const }));
}

export function defaultTrials(cell: Cell): TrialSpec[] {
  if (cell.applicable !== true || !cell.tuned) return []; // untuned cells' finals already run at this lr
  const entry = getLabOptimizer(cell.spec.name);
  return [{ ...base(cell), lr: entry.defaultLr, seed: 0, phase: 'default', recordPath: true }];
}

export function finalTrials(cell: Cell, lr: number): TrialSpec[] {
  if (cell.applicable !== true) return [];
  return Array.from({ length: cell.seeds }, (_, seed) => ({ ...base(cell), lr, seed, phase: 'final' as const, recordPath: seed === 0 }));
}

export interface Selection {
  lr: number | null;
  reason: string;
}

/**
 * Step 2 of the protocol, on one cell's tuning trials, for a problem whose target is
 * `metric <= target`: runs that reached the target and ended there (final <= target) rank by
 * steps to it; if there are none, all non-diverged runs rank by final metric.
 */
export function selectLearningRate(trials: readonly TrialRecord[], target: number): Selection {
  const ok = trials.filter((t) => !t.diverged && t.final !== null);
  if (ok.length === 0) return { lr: null, reason: trials.length ? `all ${trials.length} grid points diverged` : 'no tuning trials' };
  const reached = ok.filter((t) => t.reachedTargetAt !== null && t.final! <= target);
  const byLr = (a: TrialRecord, b: TrialRecord) => a.lr - b.lr;
  if (reached.length > 0) {
    reached.sort((a, b) => a.reachedTargetAt! - b.reachedTargetAt! || byLr(a, b));
    return { lr: reached[0]!.lr, reason: `fewest steps to target (${reached[0]!.reachedTargetAt})` };
  }
  ok.sort((a, b) => a.final! - b.final! || byLr(a, b));
  return { lr: ok[0]!.lr, reason: 'lowest final metric (no grid run reached the target and ended there)' };
}

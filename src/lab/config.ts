/**
 * The configuration of a comparison, from loose user input (CLI flags or an object) to a
 * validated, serializable `CompareConfig`. Every refusal lists what is valid.
 */
import { availableParallelism } from 'node:os';
import { ValueError, show } from '../core/errors.js';
import { DEFAULT_LAB_OPTIMIZERS, checkLabOptimizerSpec, parseLabOptimizers } from './optimizers.js';
import type { LabOptimizerSpec } from './optimizer-spec.js';
import { getProblem, problemNames } from './problems/registry.js';

export type SuiteName = 'quick' | 'standard' | 'full';
export const SUITE_NAMES: readonly SuiteName[] = ['quick', 'standard', 'full'];

export interface LrGrid {
  min: number;
  max: number;
  points: number;
}

/**
 * A suite's settings for one problem, over the suite's own (a cheap configuration of an
 * expensive problem). A flag given by the user (--budget, --epochs, --grid, --seeds,
 * --eval-every) wins over the same setting here.
 */
export interface ProblemSettings {
  budget?: number;
  grid?: LrGrid;
  seeds?: number;
  evalEvery?: number;
  /** Data problems: evaluate on this many train-eval and test examples. */
  evalExamples?: number;
  /** Why, said in the report. */
  note?: string;
}

export interface Suite {
  description: string;
  problems: string[];
  seeds: number;
  grid: LrGrid;
  settings?: Record<string, ProblemSettings>;
}

const FMNIST_QUICK: ProblemSettings = {
  budget: 60, grid: { min: 1e-3, max: 1e-1, points: 3 }, seeds: 1, evalEvery: 30, evalExamples: 1000,
  note: 'cheap configuration of the quick suite: 60 steps of 128 images (0.13 epoch), 3 learning rates (1e-3, 1e-2, 1e-1), 1 seed, evaluated every 30 steps on the first 1,000 train-eval and test images; a smoke test, far from the 100-epoch DeepOBS budget (see --suite standard)',
};

// The standard suite's Fashion-MNIST settings: DeepOBS's problems at 10 epochs (fmnist-mlp 20)
// instead of 100, on a coarser grid around the rates that work for these models. The bar,
// >= 88% test accuracy for tuned Adam, momentum and SGD on fmnist-mlp, needs the 20 epochs: at 10,
// momentum and plain SGD were still rising (bench/lab-fmnist.ts checks it).
const FMNIST_EPOCH = 469;
const FMNIST_STANDARD: Record<string, ProblemSettings> = {
  'fmnist-logreg': {
    budget: 10 * FMNIST_EPOCH, grid: { min: 1e-4, max: 1, points: 9 }, seeds: 3,
    note: 'standard suite: 10 epochs (4,690 steps of 128 images), 9 learning rates over 1e-4..1 (two per decade), 3 seeds, evaluated every epoch on 10,000 train-eval and the 10,000 test images',
  },
  'fmnist-mlp': {
    budget: 20 * FMNIST_EPOCH, grid: { min: 1e-4, max: 1, points: 9 }, seeds: 3,
    note: 'standard suite: 20 epochs (9,380 steps of 128 images), 9 learning rates over 1e-4..1 (two per decade), 3 seeds, evaluated every epoch on 10,000 train-eval and the 10,000 test images; DeepOBS trains 100 epochs',
  },
  'fmnist-2c2d': {
    budget: 10 * FMNIST_EPOCH, grid: { min: 1e-3, max: 1e-1, points: 3 }, seeds: 1,
    note: 'standard suite: 10 epochs (4,690 steps of 128 images), 3 learning rates (1e-3, 1e-2, 1e-1), 1 seed, evaluated every epoch; DeepOBS trains 100 epochs',
  },
};

export const suites: Record<SuiteName, Suite> = {
  quick: {
    description: 'Every 2-D problem (9), the κ = 100 quadratics (diagonal, rotated), reddi, moons-net, sparse-logreg and a cheap fmnist-mlp (when installed); 13 learning rates over 1e-5..1e1 (two per decade), 3 seeds; fmnist-mlp: 60 steps, 3 rates, 1 seed. Under 10 minutes on 2 cores (bench/compare-quick.ts times it).',
    problems: [
      'rosenbrock', 'rosenbrock-scaled', 'beale', 'booth', 'himmelblau', 'rastrigin', 'ackley', 'saddle', 'monkey-saddle',
      'quadratic-k100', 'quadratic-rotated-k100', 'reddi', 'moons-net', 'sparse-logreg', 'fmnist-mlp',
    ],
    seeds: 3,
    grid: { min: 1e-5, max: 1e1, points: 13 },
    settings: { 'fmnist-mlp': FMNIST_QUICK },
  },
  standard: {
    description: 'Every problem but quadratic-deep, 22 learning rates over 1e-5..1e2 (three per decade), 5 seeds; Fashion-MNIST problems on a coarser grid (logreg 10 epochs, 9 rates, 3 seeds; mlp 20 epochs, 9 rates over 1e-4..1, 3 seeds; 2c2d 10 epochs, 3 rates, 1 seed): hours on 2 cores.',
    problems: problemNames().filter((p) => p !== 'quadratic-deep'),
    seeds: 5,
    grid: { min: 1e-5, max: 1e2, points: 22 },
    settings: FMNIST_STANDARD,
  },
  full: {
    description: "Every problem, DeepOBS's 36 learning rates over 1e-5..1e2, 10 seeds.",
    problems: problemNames(),
    seeds: 10,
    grid: { min: 1e-5, max: 1e2, points: 36 },
  },
};

/** What a user may give; everything is optional. Strings are parsed as the CLI's flags are. */
export interface CompareInput {
  suite?: string;
  problems?: string | string[];
  optimizers?: string | string[];
  seeds?: number | string;
  /** Steps per trial for every problem (default: each problem's own budget). */
  budget?: number | string;
  /** Data problems: steps per trial as epochs × the problem's steps per epoch (not with `budget`). */
  epochs?: number | string;
  /** Data problems: evaluate the metric every this many steps (default: each problem's own). */
  evalEvery?: number | string;
  /** Number of learning rates on the grid (default: the suite's). */
  grid?: number | string;
  workers?: number | string;
  out?: string;
  resume?: boolean;
}

export interface CompareConfig {
  suite: SuiteName;
  problems: string[];
  optimizers: LabOptimizerSpec[];
  seeds: number;
  budget: number | null;
  /** Data problems' budget in epochs (null: not given). */
  epochs: number | null;
  /** Data problems' evaluation interval in steps (null: each problem's own). */
  evalEvery: number | null;
  grid: LrGrid;
  /** The suite's per-problem settings that apply (problems of this run; keys the user's flags set are removed). */
  settings: Record<string, ProblemSettings>;
  workers: number;
  out: string;
  resume: boolean;
}

function positiveInteger(value: number | string, name: string, hint: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new ValueError(`invalid ${name} ${show(value)}, expected a positive integer (${hint})`);
  }
  return n;
}

function list(value: string | string[]): string[] {
  const items = Array.isArray(value) ? value : value.split(',');
  return items.map((s) => s.trim()).filter((s) => s !== '');
}

export function resolveCompareConfig(input: CompareInput = {}): CompareConfig {
  if (input === null || typeof input !== 'object') throw new ValueError(`invalid comparison options ${show(input)}, expected an object`);
  const known = ['suite', 'problems', 'optimizers', 'seeds', 'budget', 'epochs', 'evalEvery', 'grid', 'workers', 'out', 'resume'];
  for (const k of Object.keys(input)) {
    if (!known.includes(k)) throw new ValueError(`unknown comparison option ${show(k)}, expected one of: ${known.join(', ')}`);
  }
  const suiteName = input.suite ?? 'quick';
  if (!(SUITE_NAMES as readonly string[]).includes(suiteName)) {
    throw new ValueError(`unknown suite ${show(suiteName)}, expected one of: ${SUITE_NAMES.join(', ')}`);
  }
  const suite = suites[suiteName as SuiteName];
  const problems = input.problems === undefined ? suite.problems : list(input.problems);
  if (problems.length === 0) throw new ValueError(`no problems given, expected some of: ${problemNames().join(', ')}`);
  for (const p of problems) getProblem(p);
  if (new Set(problems).size !== problems.length) throw new ValueError(`problems ${show(problems)} list one twice, expected each once`);
  const optimizerText = input.optimizers === undefined ? DEFAULT_LAB_OPTIMIZERS.join(',') : Array.isArray(input.optimizers) ? input.optimizers.join(',') : input.optimizers;
  const optimizers = parseLabOptimizers(optimizerText);
  for (const spec of optimizers) checkLabOptimizerSpec(spec);
  const seeds = input.seeds === undefined ? suite.seeds : positiveInteger(input.seeds, 'seeds', 'the number of seeds each tuned configuration is rerun with, e.g. 3');
  const budget = input.budget === undefined ? null : positiveInteger(input.budget, 'budget', 'steps per trial, e.g. 1000');
  const epochs = input.epochs === undefined ? null : positiveInteger(input.epochs, 'epochs', 'passes over the training set of the data problems, e.g. 10');
  if (epochs !== null && budget !== null) throw new ValueError(`got both budget ${show(input.budget)} and epochs ${show(input.epochs)}, expected one of them`);
  const evalEvery = input.evalEvery === undefined ? null : positiveInteger(input.evalEvery, 'evalEvery', 'steps between evaluations of the data problems, e.g. 100');
  const points = input.grid === undefined ? suite.grid.points : positiveInteger(input.grid, 'grid', 'learning rates on the log grid, e.g. 13');
  const grid = { ...suite.grid, points };
  const settings: Record<string, ProblemSettings> = {};
  for (const p of problems) {
    const own = suite.settings?.[p];
    if (!own) continue;
    const s: ProblemSettings = { ...own };
    if (budget !== null || epochs !== null) delete s.budget;
    if (input.grid !== undefined) delete s.grid;
    if (input.seeds !== undefined) delete s.seeds;
    if (evalEvery !== null) delete s.evalEvery;
    settings[p] = s;
  }
  const cores = Math.max(1, availableParallelism());
  const workers = input.workers === undefined ? cores : positiveInteger(input.workers, 'workers', `parallel trials; this machine has ${cores} cores`);
  const out = input.out ?? 'report';
  if (typeof out !== 'string' || out.trim() === '') throw new ValueError(`invalid out ${show(out)}, expected a directory path such as report/`);
  const resume = input.resume ?? false;
  if (typeof resume !== 'boolean') throw new ValueError(`invalid resume ${show(resume)}, expected true or false`);
  return { suite: suiteName as SuiteName, problems, optimizers, seeds, budget, epochs, evalEvery, grid, settings, workers, out, resume };
}

/** The learning rates of the grid: `points` values log-spaced from min to max (just min when points = 1). */
export function lrGrid(grid: LrGrid): number[] {
  const { min, max, points } = grid;
  if (!(min > 0) || !(max >= min) || !Number.isInteger(points) || points < 1) {
    throw new ValueError(`invalid lr grid ${show(grid)}, expected 0 < min <= max and an integer points >= 1`);
  }
  if (points === 1) return [min];
  const lo = Math.log10(min);
  const hi = Math.log10(max);
  return Array.from({ length: points }, (_, i) => Number((10 ** (lo + ((hi - lo) * i) / (points - 1))).toPrecision(6)));
}

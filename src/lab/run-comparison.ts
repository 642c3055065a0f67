/**
 * `runComparison`: the whole protocol (protocol.ts) over the configured problems and optimizers,
 * with every finished trial appended to the journal, then results.json, results.csv and
 * index.html written atomically into the out directory.
 */
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { type CompareConfig, type CompareInput, lrGrid, resolveCompareConfig } from './config.js';
import { type TrialExecutor, sequentialExecutor, workerExecutor } from './executor.js';
import { TrialJournal, loadFinishedTrials, writeFileAtomic } from './files.js';
import { getLabOptimizer } from './optimizers.js';
import { type Cell, type Selection, budgetOf, cellsOf, defaultTrials, finalTrials, selectLearningRate, tuneTrials } from './protocol.js';
import { getProblem } from './problems/registry.js';
import { type ComparisonSummary, summarize } from './summary.js';
import { type TrialRecord, type TrialSpec, trialKey } from './trial.js';
import { renderCsv } from './report/csv.js';
import { renderHtmlReport } from './report/html.js';

export const RESULTS_SCHEMA = 'descent-compare/1';

export interface ProblemInfo {
  name: string;
  description: string;
  kind: string;
  dim: number;
  target: { metric: string; value: number };
  budget: number;
  stopAtTarget: boolean;
  /** This problem's learning-rate grid and seeds (the suite's unless its settings say otherwise). */
  lrGrid: number[];
  seeds: number;
  /** Steps between evaluations of the metric (1 for analytic problems). */
  evalEvery: number;
  /** Data problems: mini-batch steps per epoch and training examples (null for the others). */
  stepsPerEpoch: number | null;
  trainSize: number | null;
  /** Data problems: the reported measures (test accuracy, ...), and the target on one of them. */
  measures: string[];
  measureTarget: { measure: string; value: number; direction: 'above' | 'below' } | null;
  /** The suite's note on this problem's settings (cheap configuration), or null. */
  note: string | null;
  /** Why the problem did not run here (data not installed), or null. */
  unavailable: string | null;
}

export interface OptimizerInfo {
  label: string;
  name: string;
  description: string;
  options: Record<string, unknown>;
  fixedLr: number | null;
  defaultLr: number;
  tuned: boolean;
}

/** The content of results.json (docs/lab.md documents every field). */
export interface ComparisonResults {
  schema: typeof RESULTS_SCHEMA;
  createdAt: string;
  descentVersion: string;
  config: Omit<CompareConfig, 'optimizers' | 'out' | 'resume'> & { optimizers: string[]; lrGrid: number[] };
  problems: ProblemInfo[];
  optimizers: OptimizerInfo[];
  trials: TrialRecord[];
  summary: ComparisonSummary;
}

export interface CompareHooks {
  /** The number of trials planned (called again if the count changes), and how many are reused. */
  onPlan?(total: number, reused: number): void;
  onTrialStart?(spec: TrialSpec): void;
  onTrialStep?(spec: TrialSpec, step: number, budget: number): void;
  onTrialDone?(record: TrialRecord, reused: boolean): void;
}

export interface ComparisonOutcome {
  config: CompareConfig;
  results: ComparisonResults;
  files: { html: string; json: string; csv: string; journal: string };
  computed: number;
  reused: number;
  /** Trials not run because a trial of another phase was the same run (data problems: see sharedKey). */
  shared: number;
}

/**
 * The identity of a trial's computation, apart from its phase, when its record does not depend
 * on the phase: problems evaluated every `evalEvery` > 1 steps record every evaluation (the
 * phase only changes the sampling of per-step curves) and have no 2-D path. Then a final run on
 * seed 0 at the tuned rate, or a default run at a rate of the grid, is the tuning run itself.
 * null when the phase matters.
 */
export function sharedKey(s: TrialSpec): string | null {
  const p = getProblem(s.problem);
  const evalEvery = s.evalEvery ?? p.evalEvery ?? 1;
  if (evalEvery <= 1 || p.dim === 2) return null;
  return `${s.problem}|${s.optimizer}|${s.lr}|${s.seed}|${s.budget}|${evalEvery}|${s.evalExamples ?? ''}`;
}

function version(): string {
  try {
    const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown }).version;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}

export async function runComparison(input: CompareInput = {}, hooks: CompareHooks = {}): Promise<ComparisonOutcome> {
  const config = resolveCompareConfig(input);
  const out = resolve(config.out);
  const finished = config.resume ? loadFinishedTrials(out) : new Map<string, TrialRecord>();
  const journal = new TrialJournal(out, !config.resume);
  const executor: TrialExecutor = config.workers > 1 ? workerExecutor(config.workers) : sequentialExecutor();
  const cells = cellsOf(config);
  const all: TrialRecord[] = [];
  let computed = 0;
  let reused = 0;
  let shared = 0;
  // Records by their run identity (sharedKey): a trial of another phase with the same identity
  // is the same computation, and its record is shared instead of run again.
  const byIdentity = new Map<string, TrialRecord>();
  for (const r of finished.values()) {
    const k = sharedKey(r);
    if (k !== null && !byIdentity.has(k)) byIdentity.set(k, r);
  }

  const runPhase = async (specs: TrialSpec[]): Promise<TrialRecord[]> => {
    const records = new Map<string, TrialRecord>();
    const todo: TrialSpec[] = [];
    const later: TrialSpec[] = [];
    const queued = new Set<string>();
    for (const s of specs) {
      const hit = finished.get(trialKey(s));
      const k = sharedKey(s);
      if (hit) {
        records.set(trialKey(s), hit);
        reused++;
        hooks.onTrialDone?.(hit, true);
      } else if (k !== null && (byIdentity.has(k) || queued.has(k))) later.push(s);
      else {
        todo.push(s);
        if (k !== null) queued.add(k);
      }
    }
    const fresh = await executor.runTrials(todo, {
      onStart: hooks.onTrialStart,
      onStep: hooks.onTrialStep,
      onDone: (r) => {
        journal.append(r);
        computed++;
        hooks.onTrialDone?.(r, false);
      },
    });
    for (const r of fresh) {
      records.set(trialKey(r), r);
      const k = sharedKey(r);
      if (k !== null && !byIdentity.has(k)) byIdentity.set(k, r);
    }
    for (const s of later) {
      const r: TrialRecord = { ...byIdentity.get(sharedKey(s)!)!, phase: s.phase };
      if (s.recordPath) r.recordPath = true;
      else delete r.recordPath;
      records.set(trialKey(s), r);
      shared++;
      hooks.onTrialDone?.(r, true);
    }
    const ordered = specs.map((s) => records.get(trialKey(s))!);
    all.push(...ordered);
    return ordered;
  };

  try {
    // Phase A: tuning grids, default-lr runs, and the final runs of untuned configurations.
    const phaseA: TrialSpec[] = [];
    for (const cell of cells) {
      phaseA.push(...tuneTrials(cell), ...defaultTrials(cell));
      if (!cell.tuned) phaseA.push(...finalTrials(cell, cell.fixedLr));
    }
    const tunedCells = cells.filter((c) => c.tuned && c.applicable === true);
    const plannedB = tunedCells.reduce((n, c) => n + c.seeds, 0);
    const reusable = (specs: TrialSpec[]) => specs.filter((s) => finished.has(trialKey(s))).length;
    hooks.onPlan?.(phaseA.length + plannedB, reusable(phaseA));
    const recordsA = await runPhase(phaseA);

    // Selection, then phase B: the final runs of tuned configurations.
    const selections = new Map<Cell, Selection>();
    const phaseB: TrialSpec[] = [];
    for (const cell of tunedCells) {
      const grid = recordsA.filter((r) => r.phase === 'tune' && r.problem === cell.problem && r.optimizer === cell.spec.label);
      const sel = selectLearningRate(grid, getProblem(cell.problem).target.value);
      selections.set(cell, sel);
      if (sel.lr !== null) phaseB.push(...finalTrials(cell, sel.lr));
    }
    if (phaseB.length !== plannedB) hooks.onPlan?.(phaseA.length + phaseB.length, reused + reusable(phaseB));
    await runPhase(phaseB);

    const summary = summarize(cells, selections, all);
    const results: ComparisonResults = {
      schema: RESULTS_SCHEMA,
      createdAt: new Date().toISOString(),
      descentVersion: version(),
      config: {
        suite: config.suite, problems: config.problems, optimizers: config.optimizers.map((o) => o.label),
        seeds: config.seeds, budget: config.budget, epochs: config.epochs, evalEvery: config.evalEvery, grid: config.grid,
        settings: config.settings, workers: config.workers, lrGrid: lrGrid(config.grid),
      },
      problems: config.problems.map((name) => {
        const p = getProblem(name);
        const cell = cells.find((c) => c.problem === name)!;
        return {
          name, description: p.description, kind: p.kind, dim: p.dim, target: { ...p.target }, budget: budgetOf(config, name), stopAtTarget: p.stopAtTarget ?? false,
          lrGrid: lrGrid(cell?.grid ?? config.grid), seeds: cell?.seeds ?? config.seeds, evalEvery: cell?.evalEvery ?? p.evalEvery ?? 1,
          stepsPerEpoch: p.stepsPerEpoch ?? null, trainSize: p.trainSize ?? null,
          measures: [...(p.measures ?? [])], measureTarget: p.measureTarget ? { ...p.measureTarget } : null,
          note: config.settings[name]?.note ?? null, unavailable: p.unavailable?.() ?? null,
        };
      }),
      optimizers: config.optimizers.map((spec) => {
        const e = getLabOptimizer(spec.name);
        return { label: spec.label, name: spec.name, description: e.description, options: spec.options, fixedLr: spec.lr, defaultLr: e.defaultLr, tuned: e.tuneLr && spec.lr === null };
      }),
      trials: all,
      summary,
    };
    const files = { html: join(out, 'index.html'), json: join(out, 'results.json'), csv: join(out, 'results.csv'), journal: journal.path };
    writeFileAtomic(files.json, JSON.stringify(results));
    writeFileAtomic(files.csv, renderCsv(results));
    writeFileAtomic(files.html, await renderHtmlReport(results));
    return { config, results, files, computed, reused, shared };
  } finally {
    await executor.close();
  }
}

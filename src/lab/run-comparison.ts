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
import { type Cell, type Selection, cellsOf, defaultTrials, finalTrials, selectLearningRate, tuneTrials } from './protocol.js';
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

  const runPhase = async (specs: TrialSpec[]): Promise<TrialRecord[]> => {
    const records = new Map<string, TrialRecord>();
    const todo: TrialSpec[] = [];
    for (const s of specs) {
      const hit = finished.get(trialKey(s));
      if (hit) {
        records.set(trialKey(s), hit);
        reused++;
        hooks.onTrialDone?.(hit, true);
      } else todo.push(s);
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
    for (const r of fresh) records.set(trialKey(r), r);
    const ordered = specs.map((s) => records.get(trialKey(s))!);
    all.push(...ordered);
    return ordered;
  };

  try {
    // Phase A: tuning grids, default-lr runs, and the final runs of untuned configurations.
    const phaseA: TrialSpec[] = [];
    for (const cell of cells) {
      phaseA.push(...tuneTrials(cell, config), ...defaultTrials(cell));
      if (!cell.tuned) phaseA.push(...finalTrials(cell, cell.fixedLr, config.seeds));
    }
    const tunedCells = cells.filter((c) => c.tuned && c.applicable === true);
    const plannedB = tunedCells.length * config.seeds;
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
      if (sel.lr !== null) phaseB.push(...finalTrials(cell, sel.lr, config.seeds));
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
        seeds: config.seeds, budget: config.budget, grid: config.grid, workers: config.workers,
        lrGrid: lrGrid(config.grid),
      },
      problems: config.problems.map((name) => {
        const p = getProblem(name);
        return { name, description: p.description, kind: p.kind, dim: p.dim, target: { ...p.target }, budget: config.budget ?? p.defaultBudget, stopAtTarget: p.stopAtTarget ?? false };
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
    return { config, results, files, computed, reused };
  } finally {
    await executor.close();
  }
}

/**
 * Interleaved timing: every candidate (one implementation of one bench at one thread count)
 * is set up, warmed up, calibrated, then timed in rounds; each round runs every candidate once,
 * in an order that rotates from round to round, so all of them see the same machine load.
 * The value is the median over rounds.
 */
import { type Row, skippedRow } from './report.js';

/** Thrown by a setup (or run) to report the candidate as skipped with a reason. */
export class Skip extends Error {}

export interface Timing {
  /** Wall milliseconds per repetition. */
  ms: number;
  /** Process CPU time / wall time over the timed repetitions, when measured in this process. */
  cpuPerWall?: number;
}

export interface Runner {
  /** Runs the unit of work `reps` times; the runner does any preparation before starting its clock. */
  run(reps: number): Promise<Timing> | Timing;
  dispose?(): void | Promise<void>;
}

export interface Candidate {
  bench: string;
  impl: string;
  threads: number;
  unit: string;
  /** Extra fields of the row (n, mode, ...). */
  extra?: Record<string, unknown>;
  /** Converts ms per repetition to the reported value (default: ms). */
  value?: (ms: number) => number;
  setup(): Promise<Runner> | Runner;
  /** At most this many timed rounds (slow implementations). */
  maxRounds?: number;
}

export interface HarnessOptions {
  rounds: number;
  /** Repetitions per timed run are calibrated so that one run lasts at least this long. */
  minMs: number;
  /** Candidates whose warm-up repetition took longer than slowMs get at most slowRounds rounds. */
  slowMs?: number;
  slowRounds?: number;
  /** Prints progress to stderr. */
  log?: (line: string) => void;
}

/** Runs `fn` `reps` times, synchronously; wall ms per rep and CPU/wall. */
export function timeSync(fn: () => void, reps: number): Timing {
  const cpu = process.cpuUsage();
  const t = performance.now();
  for (let i = 0; i < reps; i++) fn();
  const wall = performance.now() - t;
  const used = process.cpuUsage(cpu);
  return { ms: wall / reps, cpuPerWall: (used.user + used.system) / 1000 / wall };
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 200);
}

export async function measureInterleaved(candidates: readonly Candidate[], options: HarnessOptions): Promise<Row[]> {
  const log = options.log ?? (() => {});
  interface Live { c: Candidate; runner: Runner; reps: number; samples: Timing[]; row: number }
  const rows: Row[] = [];
  const live: Live[] = [];
  const where = (c: Candidate): string =>
    `${c.bench}${c.extra?.['n'] !== undefined ? ` n=${c.extra['n']}` : ''} ${c.impl}${c.extra?.['mode'] !== undefined ? ` (${c.extra['mode']})` : ''} ×${c.threads}`;
  for (const c of candidates) {
    rows.push(skippedRow(c.bench, c.impl, c.threads, c.unit, 'not run', c.extra));
    let runner: Runner | null = null;
    try {
      runner = await c.setup();
      // Warm-up (which may include one-off work such as creating optimizer state), then
      // calibration, skipped when the warm-up took over 5 slowMs. Slow candidates get fewer rounds.
      const warm = (await runner.run(1)).ms;
      const repsFor = (ms: number): number => Math.max(1, Math.min(1 << 14, Math.ceil(options.minMs / Math.max(ms, 1e-3))));
      let t = options.slowMs !== undefined && warm > 5 * options.slowMs ? warm : (await runner.run(1)).ms;
      const slow = options.slowMs !== undefined && t > options.slowMs;
      // One repetition overestimates a step that speeds up once its caches and the JIT are warm
      // (the MLP: 4 steps per "200 ms" run that lasted 90): time a run of the first estimate and
      // calibrate again on it.
      if (!slow && repsFor(t) > 1) t = (await runner.run(repsFor(t))).ms;
      const reps = repsFor(t);
      const cap = slow ? Math.min(c.maxRounds ?? Infinity, options.slowRounds ?? Infinity) : c.maxRounds;
      live.push({ c: cap === undefined ? c : { ...c, maxRounds: cap }, runner, reps, samples: [], row: rows.length - 1 });
      log(`  ${where(c)}: ${t.toFixed(2)} ms, ${reps} per run`);
    } catch (error) {
      rows[rows.length - 1]!.skipped = reasonOf(error);
      log(`  ${where(c)}: skipped (${reasonOf(error)})`);
      await disposeQuietly(runner);
    }
  }
  for (let round = 0; round < options.rounds; round++) {
    const order = live.map((_, i) => live[(i + round) % live.length]!);
    for (const l of order) {
      if (l.samples.length >= (l.c.maxRounds ?? Infinity)) continue;
      try {
        l.samples.push(await l.runner.run(l.reps));
      } catch (error) {
        rows[l.row]!.skipped = reasonOf(error);
        l.samples.length = 0;
        l.c = { ...l.c, maxRounds: 0 };
      }
    }
  }
  for (const l of live) {
    const row = rows[l.row]!;
    if (l.samples.length > 0) {
      const ms = median(l.samples.map((s) => s.ms));
      row.value = l.c.value ? l.c.value(ms) : ms;
      delete row.skipped;
      row['runs'] = l.samples.length;
      row['repsPerRun'] = l.reps;
      row['msPerRep'] = Number(ms.toFixed(3));
      const cpu = l.samples.map((s) => s.cpuPerWall).filter((v): v is number => v !== undefined);
      if (cpu.length > 0) row['cpuPerWall'] = Number(median(cpu).toFixed(2));
      const spread = (Math.max(...l.samples.map((s) => s.ms)) - Math.min(...l.samples.map((s) => s.ms))) / ms;
      row['spread'] = Number(spread.toFixed(2));
    }
    await disposeQuietly(l.runner);
  }
  return rows;
}

async function disposeQuietly(runner: Runner | null): Promise<void> {
  try {
    await runner?.dispose?.();
  } catch {
    // disposal failures do not change the figures
  }
}

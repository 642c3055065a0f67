/**
 * Files of a comparison's out directory: atomic writes (temp file + rename, so a reader never
 * sees half a file) and the trial journal `trials.jsonl`, one finished trial per line, appended
 * as each trial finishes. `--resume` reads the journal (and results.json) back, so a finished
 * trial is never recomputed or lost, even when a run is interrupted.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../core/errors.js';
import { type TrialRecord, trialKey } from './trial.js';

export const JOURNAL_FILE = 'trials.jsonl';

/** The project's one atomic write (temporary file in the same directory, then rename). */
export { writeFileAtomic } from '../core/atomic-write.js';

export class TrialJournal {
  readonly path: string;

  constructor(outDir: string, fresh: boolean) {
    mkdirSync(outDir, { recursive: true });
    this.path = join(outDir, JOURNAL_FILE);
    if (fresh && existsSync(this.path)) rmSync(this.path);
  }

  append(record: TrialRecord): void {
    appendFileSync(this.path, `${JSON.stringify(record)}\n`);
  }
}

function isRecord(x: unknown): x is TrialRecord {
  const r = x as TrialRecord;
  return r !== null && typeof r === 'object' && typeof r.problem === 'string' && typeof r.optimizer === 'string' &&
    typeof r.lr === 'number' && typeof r.seed === 'number' && typeof r.phase === 'string' && typeof r.budget === 'number' && Array.isArray(r.curve);
}

/** Finished trials found in `outDir` (journal first, then results.json), keyed by `trialKey`. */
export function loadFinishedTrials(outDir: string): Map<string, TrialRecord> {
  const found = new Map<string, TrialRecord>();
  const results = join(outDir, 'results.json');
  if (existsSync(results)) {
    let parsed: { schema?: string; trials?: unknown[] };
    try {
      parsed = JSON.parse(readFileSync(results, 'utf8')) as typeof parsed;
    } catch (e) {
      throw new DataError(`${results}: not valid JSON (${e instanceof Error ? e.message : String(e)}), expected a descent-compare results file; delete it or drop --resume`);
    }
    if (parsed.schema !== 'descent-compare/1') throw new DataError(`${results}: schema ${JSON.stringify(parsed.schema)}, expected 'descent-compare/1'`);
    for (const t of parsed.trials ?? []) if (isRecord(t)) found.set(trialKey(t), t);
  }
  const journal = join(outDir, JOURNAL_FILE);
  if (existsSync(journal)) {
    for (const line of readFileSync(journal, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        const t = JSON.parse(line) as unknown;
        if (isRecord(t)) found.set(trialKey(t), t);
      } catch {
        // A line cut short by an interruption: that trial is simply run again.
      }
    }
  }
  return found;
}

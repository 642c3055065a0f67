/**
 * Checkpoints: everything a run needs to continue with bit-identical numbers — model
 * parameters and buffers, optimizer state, scheduler state, RNG and loader positions, the
 * step counter and the run's config — in one JSON file with a format version.
 *
 * Writes are atomic: the file is written under a temporary name in the same directory and
 * renamed over the target, so a crash never leaves half a checkpoint. Reading refuses a
 * truncated or corrupt file, another format or version, and (via `checkCheckpointMatches`)
 * a checkpoint of another model, optimizer or problem, or of a run with another regime, seed
 * or batch size (continuing it would silently change the run), each with a message naming the
 * file and both values.
 *
 * Version 2 added the regime, seed and batch size to the identity; version-1 checkpoints lack
 * them and are refused rather than resumed unchecked.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../core/atomic-write.js';
import { DataError, ValueError, show } from '../core/errors.js';

export const CHECKPOINT_FORMAT = 'descent-checkpoint';
export const CHECKPOINT_VERSION = 2;

/** A parameter or buffer signature: dotted name and shape. */
export type TensorSignature = [name: string, shape: number[]];

export interface Checkpoint {
  format: typeof CHECKPOINT_FORMAT;
  version: typeof CHECKPOINT_VERSION;
  /** What the checkpoint belongs to; compared on resume. */
  identity: {
    problem: string;
    optimizer: string;
    model: TensorSignature[];
    /** 'minibatch', 'stochastic' or 'batch'. */
    regime: string;
    /** Seed of the data order. */
    seed: number;
    /** Examples per update: the mini-batch size, 1 (stochastic) or the training set size (batch). */
    batchSize: number;
  };
  /** The run's serializable config (problem, optimizer options, seed, regime, ...). */
  config: Record<string, unknown>;
  /** Updates taken so far, and the epoch in progress. */
  step: number;
  epoch: number;
  /** Module.stateDict(), encoded losslessly. */
  model: Record<string, unknown>;
  /** Optimizer.stateDict(). */
  optimizer: unknown;
  /** Scheduler.stateDict(), or null. */
  scheduler: unknown;
  /** Named RNG states (dropout, ...) and the loader's state. */
  rng: Record<string, unknown>;
  loader: unknown;
  /** Metrics recorded so far, so the run record continues too. */
  history: unknown[];
  /** Wall time already spent, in ms, and the part of it spent in updates (evaluation excluded). */
  elapsedMs: number;
  trainMs: number;
}

/** Writes `checkpoint` to `file` atomically (temp file + rename). */
export function writeCheckpoint(file: string, checkpoint: Checkpoint): void {
  if (typeof file !== 'string' || file.length === 0) throw new ValueError(`writeCheckpoint: invalid file ${show(file)}, expected a path`);
  writeFileAtomic(file, JSON.stringify(checkpoint));
}

/** Reads and validates the envelope of a checkpoint file. */
export function readCheckpoint(file: string): Checkpoint {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new DataError(`checkpoint ${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new DataError(`checkpoint ${file}: truncated or corrupt (${text.length} bytes of invalid JSON)`);
  }
  const c = value as Partial<Checkpoint> | null;
  if (c === null || typeof c !== 'object' || c.format !== CHECKPOINT_FORMAT) {
    throw new DataError(`checkpoint ${file}: not a descent checkpoint (format ${show(c?.format)}, expected ${show(CHECKPOINT_FORMAT)})`);
  }
  if (c.version !== CHECKPOINT_VERSION) {
    const older = typeof c.version === 'number' && c.version < CHECKPOINT_VERSION
      ? ' (written by an older descent, which did not record the regime, seed and batch size; start the run again)' : '';
    throw new DataError(`checkpoint ${file}: format version ${show(c.version)} is not supported, expected ${CHECKPOINT_VERSION}${older}`);
  }
  for (const key of ['identity', 'config', 'model', 'optimizer', 'rng', 'history'] as const) {
    if (c[key] === undefined || c[key] === null) throw new DataError(`checkpoint ${file}: missing ${key}`);
  }
  if (!Number.isInteger(c.step) || (c.step as number) < 0) throw new DataError(`checkpoint ${file}: invalid step ${show(c.step)}`);
  return c as Checkpoint;
}

/** The run settings compared on resume, as error messages name them. */
const RUN_SETTINGS = [['regime', 'regime'], ['seed', 'seed'], ['batchSize', 'batch size']] as const;

/**
 * Refuses a checkpoint made for another problem, optimizer or model, or by a run with another
 * regime, seed or batch size, naming both values.
 */
export function checkCheckpointMatches(file: string, checkpoint: Checkpoint, expected: Checkpoint['identity']): void {
  const got = checkpoint.identity;
  if (got === null || typeof got !== 'object' || !Array.isArray(got.model)) {
    throw new DataError(`checkpoint ${file}: invalid identity ${show(got)}, expected {problem, optimizer, model, regime, seed, batchSize}`);
  }
  if (got.problem !== expected.problem) {
    throw new DataError(`checkpoint ${file} is for problem ${show(got.problem)}, not ${show(expected.problem)}`);
  }
  if (got.optimizer !== expected.optimizer) {
    throw new DataError(`checkpoint ${file} is for optimizer ${show(got.optimizer)}, not ${show(expected.optimizer)}`);
  }
  const a = new Map(got.model.map(([n, s]) => [n, s]));
  for (const [name, shape] of expected.model) {
    const saved = a.get(name);
    if (saved === undefined) throw new DataError(`checkpoint ${file} is from another model: it has no parameter ${show(name)}`);
    if (saved.length !== shape.length || saved.some((d, i) => d !== shape[i])) {
      throw new DataError(`checkpoint ${file} is from another model: ${name} has shape ${show(saved)}, expected ${show(shape)}`);
    }
  }
  if (got.model.length !== expected.model.length) {
    const extra = got.model.map(([n]) => n).filter((n) => !expected.model.some(([m]) => m === n));
    throw new DataError(`checkpoint ${file} is from another model: unexpected parameters ${show(extra)}`);
  }
  for (const [key, what] of RUN_SETTINGS) {
    if (got[key] !== expected[key]) {
      const size = key === 'batchSize' && expected.regime === 'batch' ? ' (in the batch regime, the training set size)' : '';
      throw new DataError(`checkpoint ${file} was written by a run with ${what} ${show(got[key])}, this run has ${show(expected[key])}${size}; ` +
        'expected the same regime, seed and batch size to resume: rerun with the checkpoint\'s settings, or write to another checkpoint file');
    }
  }
}

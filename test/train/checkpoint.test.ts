import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  writeCheckpoint, readCheckpoint, checkCheckpointMatches, CHECKPOINT_FORMAT, CHECKPOINT_VERSION, type Checkpoint,
} from '../../src/train/checkpoint.js';

function sample(): Checkpoint {
  return {
    format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION,
    identity: { problem: 'spiral-mlp', optimizer: 'Adam', model: [['0.weight', [16, 2]], ['0.bias', [16]]], regime: 'minibatch', seed: 0, batchSize: 32 },
    config: { lr: 0.01 }, step: 12, epoch: 1, model: { '0.weight': [1, 2] }, optimizer: { state: {} },
    scheduler: null, rng: { dropout: { s: [1, 2, 3, 4], spare: null } }, loader: { epoch: 1 }, history: [], elapsedMs: 5, trainMs: 4,
  };
}

test('checkpoint round-trips and leaves no temporary file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'descent-ckpt-'));
  try {
    const file = join(dir, 'run.ckpt.json');
    writeCheckpoint(file, sample());
    assert.deepEqual(readCheckpoint(file), sample());
    assert.deepEqual(readdirSync(dir), ['run.ckpt.json']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a truncated, foreign or future checkpoint is refused with the file name', () => {
  const dir = mkdtempSync(join(tmpdir(), 'descent-ckpt-'));
  try {
    const file = join(dir, 'c.json');
    writeCheckpoint(file, sample());
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, text.length >> 1));
    assert.throws(() => readCheckpoint(file), new RegExp(`checkpoint ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: truncated or corrupt`));
    writeFileSync(file, JSON.stringify({ format: 'other' }));
    assert.throws(() => readCheckpoint(file), /not a descent checkpoint/);
    writeFileSync(file, JSON.stringify({ ...sample(), version: 99 }));
    assert.throws(() => readCheckpoint(file), /format version 99 is not supported/);
    writeFileSync(file, JSON.stringify({ ...sample(), version: 1 }));
    assert.throws(() => readCheckpoint(file), /format version 1 is not supported, expected 2 \(written by an older descent, which did not record the regime, seed and batch size/);
    assert.throws(() => readCheckpoint(join(dir, 'missing.json')), /cannot be read \(ENOENT\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a checkpoint of another model, optimizer or problem is refused', () => {
  const c = sample();
  const id = c.identity;
  assert.doesNotThrow(() => checkCheckpointMatches('f', c, id));
  assert.throws(() => checkCheckpointMatches('f', c, { ...id, optimizer: 'SGD' }), /for optimizer "Adam", not "SGD"/);
  assert.throws(() => checkCheckpointMatches('f', c, { ...id, problem: 'fmnist-mlp' }), /for problem "spiral-mlp"/);
  assert.throws(() => checkCheckpointMatches('f', c, { ...id, model: [['0.weight', [32, 2]], ['0.bias', [16]]] }), /0.weight has shape \[16, 2\], expected \[32, 2\]/);
  assert.throws(() => checkCheckpointMatches('f', c, { ...id, model: [['0.weight', [16, 2]]] }), /unexpected parameters \["0.bias"\]/);
  assert.throws(() => checkCheckpointMatches('f', c, { ...id, model: [...id.model, ['1.weight', [2, 16]]] }), /no parameter "1.weight"/);
});

test('a checkpoint written by a run with another regime, seed or batch size is refused, naming both values', () => {
  const c = sample();
  const id = c.identity;
  assert.throws(
    () => checkCheckpointMatches('run.ckpt', c, { ...id, regime: 'batch', batchSize: 1500 }),
    /^DataError: checkpoint run\.ckpt was written by a run with regime "minibatch", this run has "batch"; expected the same regime, seed and batch size to resume/,
  );
  assert.throws(() => checkCheckpointMatches('run.ckpt', c, { ...id, seed: 7 }), /with seed 0, this run has 7; expected the same/);
  assert.throws(() => checkCheckpointMatches('run.ckpt', c, { ...id, batchSize: 64 }), /with batch size 32, this run has 64; expected the same/);
  const full = { ...c, identity: { ...id, regime: 'batch', batchSize: 1500 } };
  assert.throws(
    () => checkCheckpointMatches('run.ckpt', full, { ...id, regime: 'batch', batchSize: 300 }),
    /with batch size 1500, this run has 300 \(in the batch regime, the training set size\)/,
  );
});

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
    identity: { problem: 'spiral-mlp', optimizer: 'Adam', model: [['0.weight', [16, 2]], ['0.bias', [16]]] },
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

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { subsetDataset, splitDataset, checkDataset, type Dataset } from '../../src/data/dataset.js';

function rows(n: number): Dataset {
  const x = Float32Array.from({ length: 2 * n }, (_, k) => (k % 2 === 0 ? k / 2 : -k));
  const y = Int32Array.from({ length: n }, (_, i) => i % 3);
  return { x, y, n, featureShape: [2], classes: 3 };
}

test('subsetDataset copies a prefix or the given rows', () => {
  const d = rows(10);
  const first = subsetDataset(d, 4);
  assert.equal(first.n, 4);
  assert.deepEqual(Array.from(first.x), Array.from(d.x.subarray(0, 8)));
  first.x[0] = 99;
  assert.equal(d.x[0], 0, 'a copy, not a view');
  const picked = subsetDataset(d, [7, 2]);
  assert.deepEqual(Array.from(picked.x), [7, -15, 2, -5]);
  assert.deepEqual(Array.from(picked.y), [1, 2]);
  assert.equal(picked.classes, 3);
  assert.throws(() => subsetDataset(d, 11), /count 11 exceeds the dataset's n = 10/);
  assert.throws(() => subsetDataset(d, [3, 10]), /invalid row index 10 at position 1, expected an integer in \[0, 10\)/);
});

test('splitDataset: seeded, disjoint, complete', () => {
  const d = rows(20);
  const a = splitDataset(d, { validation: 0.25, seed: 3 });
  const b = splitDataset(d, { validation: 5, seed: 3 });
  const c = splitDataset(d, { validation: 5, seed: 4 });
  assert.equal(a.train.n, 15);
  assert.equal(a.validation.n, 5);
  assert.deepEqual(a.validation.x, b.validation.x);
  assert.notDeepEqual(a.validation.x, c.validation.x);
  const ids = [...a.train.x.filter((_, k) => k % 2 === 0), ...a.validation.x.filter((_, k) => k % 2 === 0)];
  assert.deepEqual(ids.sort((p, q) => p - q), Array.from({ length: 20 }, (_, i) => i));
  const last = splitDataset(d, { validation: 2, shuffle: false });
  assert.deepEqual(Array.from(last.validation.y), [0, 1]);
  assert.deepEqual(Array.from(last.validation.x), [18, -37, 19, -39]);
  assert.throws(() => splitDataset(d, { validation: 20 }), /invalid validation 20/);
  assert.throws(() => splitDataset(d, { validation: 0.01 }), /leaves an empty part/);
  assert.throws(() => splitDataset(d, { validation: -1 }), /invalid validation -1/);
});

test('checkDataset names the broken invariant', () => {
  assert.throws(() => checkDataset({ ...rows(3), featureShape: [0] }, 'here'), /here: invalid featureShape \[0\]/);
  assert.throws(() => checkDataset({ ...rows(3), y: new Int32Array(4) }, 'here'), /dataset.y has 4 values, expected a multiple of n = 3/);
  assert.throws(() => checkDataset({ ...rows(3), x: [1, 2] as unknown as Float32Array }, 'here'), /dataset.x must be a Float32Array or Float64Array/);
  assert.throws(() => checkDataset({ ...rows(3), classes: -1 }, 'here'), /classes: -1/);
});

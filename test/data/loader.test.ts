import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { DataLoader, type DataBatch } from '../../src/data/loader.js';
import type { Dataset } from '../../src/data/dataset.js';

/** Row i has features [i, 100 + i, 200 + i] and label i % 7, so a batch reveals its rows. */
function rows(n: number): Dataset {
  const x = new Float32Array(3 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) { x[3 * i] = i; x[3 * i + 1] = 100 + i; x[3 * i + 2] = 200 + i; y[i] = i % 7; }
  return { x, y, n, featureShape: [3], classes: 7 };
}

function epochRows(loader: DataLoader): { order: number[]; sizes: number[] } {
  const order: number[] = [], sizes: number[] = [];
  for (const b of loader) {
    sizes.push(b.size);
    for (let r = 0; r < b.size; r++) {
      const i = b.x[3 * r]!;
      assert.equal(b.indices[r], i);
      assert.equal(b.x[3 * r + 1], 100 + i);
      assert.equal(b.x[3 * r + 2], 200 + i);
      assert.equal(b.y[r], i % 7);
      order.push(i);
    }
  }
  return { order, sizes };
}

const sorted = (a: number[]) => [...a].sort((p, q) => p - q);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('DataLoader', () => {
  test('every index exactly once per epoch; a different order each epoch', () => {
    const loader = new DataLoader(rows(23), { batchSize: 5, seed: 1 });
    assert.equal(loader.batchesPerEpoch, 5);
    const e0 = epochRows(loader);
    assert.deepEqual(sorted(e0.order), range(23));
    assert.deepEqual(e0.sizes, [5, 5, 5, 5, 3]);
    assert.deepEqual(loader.position, { epoch: 1, batch: 0 });
    const e1 = epochRows(loader);
    assert.deepEqual(sorted(e1.order), range(23));
    assert.notDeepEqual(e1.order, e0.order);
    assert.notDeepEqual(e0.order, range(23));
    assert.deepEqual(loader.orderOf(0), Int32Array.from(e0.order));
  });

  test('same seed gives the same order; another seed another; rng is copied, not advanced', () => {
    const a = epochRows(new DataLoader(rows(30), { batchSize: 4, seed: 9 })).order;
    const b = epochRows(new DataLoader(rows(30), { batchSize: 7, seed: 9 })).order;
    const c = epochRows(new DataLoader(rows(30), { batchSize: 4, seed: 10 })).order;
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    const rng = new Rng(5);
    const before = rng.getState();
    const d = epochRows(new DataLoader(rows(30), { batchSize: 4, rng })).order;
    assert.deepEqual(rng.getState(), before);
    assert.deepEqual(epochRows(new DataLoader(rows(30), { batchSize: 4, rng })).order, d);
  });

  test('dropLast drops the short batch', () => {
    const loader = new DataLoader(rows(23), { batchSize: 5, dropLast: true, seed: 2 });
    assert.equal(loader.batchesPerEpoch, 4);
    const { order, sizes } = epochRows(loader);
    assert.deepEqual(sizes, [5, 5, 5, 5]);
    assert.equal(new Set(order).size, 20);
    assert.deepEqual(loader.position, { epoch: 1, batch: 0 });
  });

  test('full batch and stochastic (batch size 1); no shuffle keeps the order', () => {
    const full = new DataLoader(rows(10), { batchSize: 10, seed: 3 });
    assert.equal(full.batchesPerEpoch, 1);
    const e = epochRows(full);
    assert.deepEqual(e.sizes, [10]);
    assert.deepEqual(sorted(e.order), range(10));
    const bigger = new DataLoader(rows(10), { batchSize: 64, shuffle: false });
    assert.deepEqual(epochRows(bigger), { order: range(10), sizes: [10] });
    const single = new DataLoader(rows(6), { batchSize: 1, seed: 4 });
    const s = epochRows(single);
    assert.deepEqual(s.sizes, [1, 1, 1, 1, 1, 1]);
    assert.deepEqual(sorted(s.order), range(6));
    const plain = new DataLoader(rows(7), { batchSize: 3, shuffle: false });
    assert.deepEqual(epochRows(plain).order, range(7));
    assert.deepEqual(epochRows(plain).order, range(7));
  });

  test('batches reuse one buffer (documented), and next() runs on across epochs', () => {
    const loader = new DataLoader(rows(8), { batchSize: 3, seed: 0 });
    const first: DataBatch = loader.next();
    const firstX = first.x;
    const second = loader.next();
    assert.equal(second, first);
    assert.equal(second.x, firstX);
    const third = loader.next();
    assert.equal(third.size, 2);
    assert.equal(third.x.buffer, firstX.buffer);
    assert.deepEqual([third.epoch, third.index], [0, 2]);
    const fourth = loader.next();
    assert.deepEqual([fourth.epoch, fourth.index, fourth.size], [1, 0, 3]);
  });

  test('state() / setState() resume mid-epoch exactly, through JSON', () => {
    const data = rows(50);
    const reference = new DataLoader(data, { batchSize: 6, seed: 77 });
    const expected: number[][] = [];
    for (let k = 0; k < 40; k++) expected.push(Array.from(reference.next().indices));

    const first = new DataLoader(data, { batchSize: 6, seed: 77 });
    for (let k = 0; k < 13; k++) first.next(); // epoch 1 (9 batches per epoch), batch 4
    assert.deepEqual(first.position, { epoch: 1, batch: 4 });
    const saved = JSON.parse(JSON.stringify(first.state()));

    const resumed = new DataLoader(data, { batchSize: 6, seed: 12345 }).setState(saved);
    assert.deepEqual(resumed.position, { epoch: 1, batch: 4 });
    const got: number[][] = [];
    for (let k = 13; k < 40; k++) got.push(Array.from(resumed.next().indices));
    assert.deepEqual(got, expected.slice(13));
    // iterating a resumed loader yields the rest of its epoch only
    const partial = new DataLoader(data, { batchSize: 6, seed: 1 }).setState(saved);
    assert.equal([...partial].length, 5);
  });

  test('setState rejects a state of another configuration', () => {
    const state = new DataLoader(rows(20), { batchSize: 4, seed: 1 }).state();
    assert.throws(() => new DataLoader(rows(21), { batchSize: 4 }).setState(state), /state has n = 20, but this loader has n = 21/);
    assert.throws(() => new DataLoader(rows(20), { batchSize: 5 }).setState(state), /batchSize = 4, but this loader has batchSize = 5/);
    assert.throws(() => new DataLoader(rows(20), { batchSize: 4, shuffle: false }).setState(state), /shuffle = true/);
    assert.throws(() => new DataLoader(rows(20), { batchSize: 4 }).setState({ ...state, batch: 5 }), /invalid batch 5, expected < 5/);
    assert.throws(() => new DataLoader(rows(20), { batchSize: 4 }).setState({ ...state, epoch: -1 }), /epoch: -1/);
  });

  test('validates options', () => {
    assert.throws(() => new DataLoader(rows(5), { batchSize: 0 }), /batchSize: 0, expected an integer >= 1/);
    assert.throws(() => new DataLoader(rows(5), { batchSize: 6, dropLast: true }), /batchSize 6 > n = 5 with dropLast/);
    assert.throws(() => new DataLoader(rows(5), { batchSize: 2, shuffle: 'yes' as unknown as boolean }), /invalid shuffle "yes", expected true or false/);
    assert.throws(() => new DataLoader(rows(5), { batchSize: 2, seed: 1.5 }), /seed: 1.5/);
    assert.throws(() => new DataLoader({ ...rows(5), n: 6 }, { batchSize: 2 }), /dataset.x has 15 values, expected n \* 3 = 18/);
    assert.throws(() => new DataLoader({ x: new Float32Array(0), y: new Int32Array(0), n: 0, featureShape: [1], classes: 2 }, { batchSize: 1 }), /dataset is empty/);
  });

  test('float targets of width 2 and unlabelled data', () => {
    const x = Float64Array.from(range(8));
    const y = Float64Array.from(range(8).map((i) => 10 * i));
    const loader = new DataLoader({ x, y, n: 4, featureShape: [2], classes: 0 }, { batchSize: 3, seed: 6 });
    const b = loader.next();
    assert.ok(b.x instanceof Float64Array && b.y instanceof Float64Array);
    for (let r = 0; r < b.size; r++) {
      const i = b.indices[r]!;
      assert.deepEqual([b.x[2 * r], b.x[2 * r + 1], b.y[2 * r], b.y[2 * r + 1]], [2 * i, 2 * i + 1, 20 * i, 20 * i + 10]);
    }
    const unlabelled = new DataLoader({ x, y: new Float32Array(0), n: 4, featureShape: [2], classes: 0 }, { batchSize: 2 });
    assert.equal(unlabelled.next().y.length, 0);
  });
});

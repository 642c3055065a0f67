import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '../../src/core/errors.js';
import { writeIdx } from '../../src/data/idx.js';
import { findFashionMnist, loadFashionMnist, FASHION_MNIST_CLASS_NAMES } from '../../src/data/fashion-mnist.js';
import { scalePixels, scalePixelsReference } from '../../src/data/pixels.js';

const installed = findFashionMnist();

describe('Fashion-MNIST (installed data)', { skip: installed === null ? 'Fashion-MNIST not installed: apt-get install dataset-fashion-mnist, or set DESCENT_DATA' : false }, () => {
  test('train: 60,000 images in [0, 1], labels 0..9, first label 9 (Ankle boot)', () => {
    const train = loadFashionMnist({ split: 'train' });
    assert.equal(train.n, 60_000);
    assert.deepEqual(train.featureShape, [1, 28, 28]);
    assert.equal(train.classes, 10);
    assert.equal(train.x.length, 60_000 * 784);
    assert.equal(train.y.length, 60_000);
    let min = Infinity, max = -Infinity;
    for (let i = 0; i < train.x.length; i++) { const v = train.x[i]!; if (v < min) min = v; if (v > max) max = v; }
    assert.equal(min, 0);
    assert.equal(max, 1);
    const counts = new Array(10).fill(0);
    for (const label of train.y) counts[label]++;
    assert.deepEqual(counts, new Array(10).fill(6000));
    assert.equal(train.y[0], 9);
    assert.equal(FASHION_MNIST_CLASS_NAMES[train.y[0]!], 'Ankle boot');
  });

  test('test: 10,000 images; limit loads a prefix', () => {
    const testSet = loadFashionMnist({ split: 'test' });
    assert.equal(testSet.n, 10_000);
    assert.ok(testSet.y.every((l) => l >= 0 && l <= 9));
    const few = loadFashionMnist({ split: 'test', limit: 5, dir: installed! });
    assert.equal(few.n, 5);
    assert.deepEqual(Array.from(few.y), Array.from(testSet.y.subarray(0, 5)));
    assert.deepEqual(few.x, testSet.x.subarray(0, 5 * 784));
  });
});

describe('Fashion-MNIST (generated files)', () => {
  let dir = '';
  const pixels = (n: number) => Uint8Array.from({ length: n * 784 }, (_, i) => (i * 31) % 256);
  const writeSet = (target: string, trainLabels: number[], trainImages = trainLabels.length) => {
    mkdirSync(target, { recursive: true });
    writeIdx(join(target, 'train-images-idx3-ubyte.gz'), { shape: [trainImages, 28, 28], data: pixels(trainImages) });
    writeIdx(join(target, 'train-labels-idx1-ubyte.gz'), { shape: [trainLabels.length], data: Uint8Array.from(trainLabels) });
    writeIdx(join(target, 't10k-images-idx3-ubyte'), { shape: [2, 28, 28], data: pixels(2) });
    writeIdx(join(target, 't10k-labels-idx1-ubyte'), { shape: [2], data: Uint8Array.from([3, 4]) });
  };
  before(() => { dir = mkdtempSync(join(tmpdir(), 'descent-fmnist-')); });
  after(() => { rmSync(dir, { recursive: true, force: true }); });

  test('loads from an explicit dir (gz and raw files), pixels / 255', () => {
    const good = join(dir, 'good');
    writeSet(good, [0, 9, 5]);
    assert.equal(findFashionMnist(good), good);
    const train = loadFashionMnist({ dir: good, split: 'train' });
    assert.equal(train.n, 3);
    assert.deepEqual(Array.from(train.y), [0, 9, 5]);
    assert.equal(train.x[1], Math.fround(31 / 255));
    assert.equal(train.dir, good);
    const t = loadFashionMnist({ dir: good, split: 'test' });
    assert.deepEqual(Array.from(t.y), [3, 4]);
  });

  test('finds a fashion-mnist subdirectory, and DESCENT_DATA', () => {
    const root = join(dir, 'root');
    writeSet(join(root, 'fashion-mnist'), [1]);
    assert.equal(findFashionMnist(root), join(root, 'fashion-mnist'));
    const saved = process.env['DESCENT_DATA'];
    try {
      process.env['DESCENT_DATA'] = root;
      assert.equal(findFashionMnist(), join(root, 'fashion-mnist'));
    } finally {
      if (saved === undefined) delete process.env['DESCENT_DATA'];
      else process.env['DESCENT_DATA'] = saved;
    }
  });

  test('missing data: the error says how to get it', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    assert.equal(findFashionMnist(empty), null);
    assert.throws(() => loadFashionMnist({ dir: empty, split: 'train' }), (e: Error) => {
      assert.ok(e instanceof DataError);
      assert.match(e.message, /apt-get install dataset-fashion-mnist/);
      assert.match(e.message, /--data DIR/);
      assert.match(e.message, /DESCENT_DATA/);
      for (const f of ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) {
        assert.ok(e.message.includes(f), f);
      }
      assert.ok(e.message.includes(empty));
      return true;
    });
  });

  test('image/label count mismatch', () => {
    const bad = join(dir, 'mismatch');
    writeSet(bad, [1, 2, 3], 2);
    assert.throws(() => loadFashionMnist({ dir: bad, split: 'train' }), (e: Error) => {
      assert.ok(e instanceof DataError);
      assert.match(e.message, /image\/label count mismatch: 2 images but 3 labels/);
      assert.match(e.message, /train-images-idx3-ubyte\.gz/);
      return true;
    });
  });

  test('label out of range names the label, its index and the valid range', () => {
    const bad = join(dir, 'label');
    writeSet(bad, [1, 2, 10]);
    assert.throws(() => loadFashionMnist({ dir: bad, split: 'train' }), (e: Error) => {
      assert.ok(e instanceof DataError);
      assert.match(e.message, /train-labels-idx1-ubyte\.gz: label 10 at index 2 is out of range, expected 0\.\.9/);
      return true;
    });
  });

  test('images of the wrong shape', () => {
    const bad = join(dir, 'shape');
    writeSet(bad, [1]);
    writeIdx(join(bad, 'train-images-idx3-ubyte.gz'), { shape: [1, 784], data: pixels(1) });
    assert.throws(() => loadFashionMnist({ dir: bad, split: 'train' }), /expected uint8 images of shape \[n, 28, 28\], got uint8 of shape \[1, 784\]/);
  });

  test('invalid options', () => {
    assert.throws(() => loadFashionMnist({ split: 'validation' as 'train' }), /split: "validation", expected one of "train", "test"/);
    assert.throws(() => loadFashionMnist({ split: 'train', limit: 0 }), /limit: 0, expected an integer >= 1/);
  });
});

describe('pixel scaling', () => {
  test('the 4-bytes-at-a-time path equals the reference, aligned or not, any length', () => {
    const bytes = Uint8Array.from({ length: 1031 }, (_, i) => (i * 113 + 7) % 256);
    for (const [start, end] of [[0, 1031], [0, 1028], [1, 1030], [4, 9], [3, 3], [0, 256]] as const) {
      const view = bytes.subarray(start, end);
      const fast = scalePixels(view);
      assert.deepEqual(fast, scalePixelsReference(view));
      for (let i = 0; i < view.length; i++) assert.equal(fast[i], Math.fround(view[i]! / 255));
    }
    assert.equal(scalePixels(Uint8Array.from([0, 255]))[1], 1);
    assert.throws(() => scalePixels(new Uint8Array(4), new Float32Array(3)), /expected a Float32Array of length >= 4/);
  });
});

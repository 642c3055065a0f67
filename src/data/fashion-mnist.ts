/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf, 2017): 28x28 grayscale images of 10 kinds of clothing,
 * 60,000 for training and 10,000 for testing, in the four IDX files of the MNIST format.
 *
 * Pixels are scaled to [0, 1] (value / 255) as in DeepOBS; no mean subtraction. There is no disk
 * cache: the gzip files are decoded in memory on each load, so nothing is ever half-written.
 *
 * Where the files are looked for, in order:
 *   1. the explicit `dir` (the CLI's `--data DIR`),
 *   2. the environment variable DESCENT_DATA,
 *   3. /usr/share/datasets/fashion-mnist (Debian's package `dataset-fashion-mnist`).
 * A directory qualifies if it, or its `fashion-mnist` subdirectory, holds the four files
 * (gzip-compressed `.gz`, or uncompressed without the suffix).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, ValueError, show } from '../core/errors.js';
import { checkInteger, checkOneOf } from '../core/validate.js';
import type { Dataset } from './dataset.js';
import { readIdx, type IdxArray } from './idx.js';
import { scalePixels } from './pixels.js';

export const FASHION_MNIST_CLASS_NAMES: readonly string[] = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];

/** The official file names, by split. */
export const FASHION_MNIST_FILES = {
  train: { images: 'train-images-idx3-ubyte.gz', labels: 'train-labels-idx1-ubyte.gz' },
  test: { images: 't10k-images-idx3-ubyte.gz', labels: 't10k-labels-idx1-ubyte.gz' },
} as const;

export const FASHION_MNIST_DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';

export type FashionMnistSplit = 'train' | 'test';

export interface FashionMnistOptions {
  /** Directory holding the four files (or a `fashion-mnist` subdirectory that does). */
  dir?: string;
  split: FashionMnistSplit;
  /** Load only the first `limit` examples. */
  limit?: number;
}

export interface FashionMnist extends Dataset {
  x: Float32Array;
  y: Int32Array;
  /** [1, 28, 28] */
  featureShape: number[];
  classes: 10;
  split: FashionMnistSplit;
  /** The directory the files were read from. */
  dir: string;
}

/** The file of `kind` in `dir`, gzip-compressed or not, or null when neither exists. */
function fileIn(dir: string, split: FashionMnistSplit, kind: 'images' | 'labels'): string | null {
  const gz = join(dir, FASHION_MNIST_FILES[split][kind]);
  if (existsSync(gz)) return gz;
  const raw = gz.slice(0, -'.gz'.length);
  return existsSync(raw) ? raw : null;
}

function holdsAllFiles(dir: string): boolean {
  return (['train', 'test'] as const).every((s) => fileIn(dir, s, 'images') !== null && fileIn(dir, s, 'labels') !== null);
}

/** The directories searched, in order (see the module comment). */
export function fashionMnistSearchPath(dir?: string): string[] {
  const roots = dir !== undefined ? [dir] : [process.env['DESCENT_DATA'], FASHION_MNIST_DEBIAN_DIR].filter((d): d is string => !!d);
  return roots.flatMap((root) => [root, join(root, 'fashion-mnist')]);
}

/** The directory holding the four Fashion-MNIST files, or null when they are not found. */
export function findFashionMnist(dir?: string): string | null {
  if (dir !== undefined && (typeof dir !== 'string' || dir === '')) throw new ValueError(`findFashionMnist: invalid dir ${show(dir)}, expected a directory path`);
  return fashionMnistSearchPath(dir).find(holdsAllFiles) ?? null;
}

function missingMessage(dir?: string): string {
  const files = [...Object.values(FASHION_MNIST_FILES.train), ...Object.values(FASHION_MNIST_FILES.test)].join(', ');
  return (
    `Fashion-MNIST not found (looked in ${fashionMnistSearchPath(dir).join(', ')}). To get it, either ` +
    `install Debian's package: sudo apt-get install dataset-fashion-mnist; or put the four official files ` +
    `(${files}) from https://github.com/zalandoresearch/fashion-mnist into a directory DIR ` +
    `and pass --data DIR or set DESCENT_DATA=DIR.`
  );
}

/** Loads one split of Fashion-MNIST: images as Float32Array [n, 784] in [0, 1], labels as Int32Array. */
export function loadFashionMnist(options: FashionMnistOptions): FashionMnist {
  if (options === null || typeof options !== 'object') throw new ValueError(`loadFashionMnist: invalid options ${show(options)}, expected {split, dir?, limit?}`);
  const split = checkOneOf(options.split, 'loadFashionMnist split', ['train', 'test'] as const);
  if (options.limit !== undefined) checkInteger(options.limit, 'loadFashionMnist limit', 1);
  const dir = findFashionMnist(options.dir);
  if (dir === null) throw new DataError(missingMessage(options.dir));
  const imagesPath = fileIn(dir, split, 'images')!;
  const labelsPath = fileIn(dir, split, 'labels')!;
  return decodeFashionMnist(readIdx(imagesPath), imagesPath, readIdx(labelsPath), labelsPath, split, dir, options.limit);
}

/** Checks and converts decoded IDX arrays (exported for tests on generated files). */
export function decodeFashionMnist(
  images: IdxArray, imagesPath: string, labels: IdxArray, labelsPath: string,
  split: FashionMnistSplit, dir: string, limit?: number,
): FashionMnist {
  if (images.type !== 'uint8' || images.shape.length !== 3 || images.shape[1] !== 28 || images.shape[2] !== 28) {
    throw new DataError(`${imagesPath}: expected uint8 images of shape [n, 28, 28], got ${images.type} of shape ${show(images.shape)}`);
  }
  if (labels.type !== 'uint8' || labels.shape.length !== 1) {
    throw new DataError(`${labelsPath}: expected uint8 labels of shape [n], got ${labels.type} of shape ${show(labels.shape)}`);
  }
  const total = images.shape[0]!;
  if (labels.shape[0] !== total) {
    throw new DataError(`${imagesPath} and ${labelsPath}: image/label count mismatch: ${total} images but ${labels.shape[0]} labels`);
  }
  const n = limit === undefined ? total : Math.min(limit, total);
  const y = new Int32Array(n);
  const labelBytes = labels.data;
  for (let i = 0; i < n; i++) {
    const label = labelBytes[i]!;
    if (label > 9) throw new DataError(`${labelsPath}: label ${label} at index ${i} is out of range, expected 0..9`);
    y[i] = label;
  }
  const x = scalePixels((images.data as Uint8Array).subarray(0, n * 784));
  return { x, y, n, featureShape: [1, 28, 28], classes: 10, split, dir };
}

/**
 * DataLoader: mini-batches of a Dataset, with a seeded shuffle per epoch and a resumable position.
 *
 * Order: epoch e visits the rows in the order `base.split(e).permutation(n)`, where `base` is
 * `new Rng(seed)` or a copy of the given `rng` (the caller's generator is not advanced). The
 * permutation is of indices: the dataset is never copied or reordered. Without `shuffle` the
 * order is 0..n-1 every epoch.
 *
 * Batches: `batchSize` rows, the last one smaller unless `dropLast` drops it. Rows are copied into
 * buffers allocated once; every batch returned is the SAME object whose arrays are overwritten by
 * the next call, so copy what you need to keep. A smaller last batch uses views of the same buffers.
 *
 * Resuming: `state()` is plain JSON (position, generator, settings); `setState(s)` on a loader of
 * the same dataset size and settings continues with exactly the batches the saved one would give.
 */
import { type FloatArray, allocate, dtypeOf } from '../core/dtype.js';
import { ValueError, show } from '../core/errors.js';
import { Rng, type RngState } from '../core/rng.js';
import { checkInteger } from '../core/validate.js';
import { type Dataset, checkDataset, datasetFeatureSize, datasetTargetSize } from './dataset.js';

export interface DataLoaderOptions {
  /** Rows per batch; `n` gives full-batch training, 1 stochastic. */
  batchSize: number;
  /** Reshuffle every epoch (default true). */
  shuffle?: boolean;
  /** Drop the last, smaller batch of each epoch (default false). */
  dropLast?: boolean;
  /** Seed of the shuffle (default 0); or give `rng`. */
  seed?: number;
  rng?: Rng;
}

export interface DataBatch {
  /** Features of the batch, row-major [size, ...featureShape]; overwritten by the next batch. */
  x: FloatArray;
  /** Targets of the batch (labels for classification); overwritten by the next batch. */
  y: Int32Array | FloatArray;
  /** The dataset rows in this batch; overwritten by the next batch. */
  indices: Int32Array;
  /** Rows in this batch (batchSize, or fewer for the last batch of an epoch). */
  size: number;
  /** The epoch and the batch's index within it. */
  epoch: number;
  index: number;
}

export interface DataLoaderState {
  epoch: number;
  /** Index within the epoch of the next batch. */
  batch: number;
  rng: RngState;
  n: number;
  batchSize: number;
  shuffle: boolean;
  dropLast: boolean;
}

export class DataLoader {
  readonly dataset: Dataset;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  /** Batches in each epoch. */
  readonly batchesPerEpoch: number;

  private readonly base: Rng;
  private readonly order: Int32Array;
  private readonly rowSize: number;
  private readonly targetWidth: number;
  private readonly full: DataBatch;
  private readonly last: DataBatch;
  private epochIndex = 0;
  private batchIndex = 0;
  /** The epoch `order` currently holds, or -1. */
  private orderEpoch = -1;

  constructor(dataset: Dataset, options: DataLoaderOptions) {
    checkDataset(dataset, 'DataLoader');
    if (options === null || typeof options !== 'object') throw new ValueError(`DataLoader: invalid options ${show(options)}, expected {batchSize, shuffle?, dropLast?, seed? | rng?}`);
    const n = dataset.n;
    if (n === 0) throw new ValueError('DataLoader: the dataset is empty (n = 0), expected at least one example');
    this.dataset = dataset;
    this.batchSize = checkInteger(options.batchSize, 'DataLoader batchSize', 1);
    this.shuffle = checkBoolean(options.shuffle ?? true, 'shuffle');
    this.dropLast = checkBoolean(options.dropLast ?? false, 'dropLast');
    if (this.dropLast && this.batchSize > n) {
      throw new ValueError(`DataLoader: batchSize ${this.batchSize} > n = ${n} with dropLast: every batch would be dropped, expected batchSize <= ${n}`);
    }
    if (options.rng !== undefined) {
      if (!(options.rng instanceof Rng)) throw new ValueError(`DataLoader: invalid rng ${show(options.rng)}, expected an Rng`);
      if (options.seed !== undefined) throw new ValueError(`DataLoader: got both seed ${show(options.seed)} and rng, expected one of them`);
      this.base = Rng.fromState(options.rng.getState());
    } else {
      this.base = new Rng(checkInteger(options.seed ?? 0, 'DataLoader seed', 0));
    }
    this.batchesPerEpoch = this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
    this.order = new Int32Array(n);
    this.rowSize = datasetFeatureSize(dataset);
    this.targetWidth = datasetTargetSize(dataset);

    const size = Math.min(this.batchSize, n);
    const x = allocate(dtypeOf(dataset.x), size * this.rowSize);
    const yCtor = dataset.y.constructor as Int32ArrayConstructor | Float32ArrayConstructor | Float64ArrayConstructor;
    const y = new yCtor(size * this.targetWidth);
    const indices = new Int32Array(size);
    this.full = { x, y, indices, size, epoch: 0, index: 0 };
    const rest = n % this.batchSize;
    this.last = rest === 0 || this.dropLast || this.batchSize >= n
      ? this.full
      : { x: x.subarray(0, rest * this.rowSize), y: y.subarray(0, rest * this.targetWidth), indices: indices.subarray(0, rest), size: rest, epoch: 0, index: 0 };
  }

  /** The epoch and the index within it of the next batch. */
  get position(): { epoch: number; batch: number } {
    return { epoch: this.epochIndex, batch: this.batchIndex };
  }

  /** The row order of `epoch` (a fresh array; the loader itself never allocates one per batch). */
  orderOf(epoch: number): Int32Array {
    checkInteger(epoch, 'DataLoader.orderOf epoch', 0);
    const out = new Int32Array(this.dataset.n);
    this.fillOrder(epoch, out);
    return out;
  }

  /** The next batch; after an epoch's last batch the next epoch starts (an endless stream). */
  next(): DataBatch {
    if (this.orderEpoch !== this.epochIndex) {
      this.fillOrder(this.epochIndex, this.order);
      this.orderEpoch = this.epochIndex;
    }
    const index = this.batchIndex;
    const batch = index === this.batchesPerEpoch - 1 ? this.last : this.full;
    const { x: dx, y: dy } = this.dataset;
    const f = this.rowSize;
    const t = this.targetWidth;
    const start = index * this.batchSize;
    for (let r = 0; r < batch.size; r++) {
      const row = this.order[start + r]!;
      batch.indices[r] = row;
      if (f <= 16) for (let k = 0; k < f; k++) batch.x[r * f + k] = dx[row * f + k]!;
      else batch.x.set(dx.subarray(row * f, row * f + f), r * f);
      if (t === 1) batch.y[r] = dy[row]!;
      else if (t > 1) batch.y.set(dy.subarray(row * t, row * t + t), r * t);
    }
    batch.epoch = this.epochIndex;
    batch.index = index;
    this.batchIndex++;
    if (this.batchIndex === this.batchesPerEpoch) {
      this.batchIndex = 0;
      this.epochIndex++;
    }
    return batch;
  }

  /** Iterates over the rest of the current epoch (all of it when at its start). */
  *[Symbol.iterator](): IterableIterator<DataBatch> {
    const epoch = this.epochIndex;
    while (this.epochIndex === epoch) yield this.next();
  }

  state(): DataLoaderState {
    return {
      epoch: this.epochIndex,
      batch: this.batchIndex,
      rng: this.base.getState(),
      n: this.dataset.n,
      batchSize: this.batchSize,
      shuffle: this.shuffle,
      dropLast: this.dropLast,
    };
  }

  setState(state: DataLoaderState): this {
    if (state === null || typeof state !== 'object') throw new ValueError(`DataLoader.setState: invalid state ${show(state)}, expected the object state() returned`);
    for (const key of ['n', 'batchSize', 'shuffle', 'dropLast'] as const) {
      const mine = key === 'n' ? this.dataset.n : this[key];
      if (state[key] !== mine) {
        throw new ValueError(`DataLoader.setState: state has ${key} = ${show(state[key])}, but this loader has ${key} = ${show(mine)}`);
      }
    }
    checkInteger(state.epoch, 'DataLoader.setState epoch', 0);
    checkInteger(state.batch, 'DataLoader.setState batch', 0);
    if (state.batch >= this.batchesPerEpoch) {
      throw new ValueError(`DataLoader.setState: invalid batch ${state.batch}, expected < ${this.batchesPerEpoch} batches per epoch`);
    }
    this.base.setState(state.rng);
    this.epochIndex = state.epoch;
    this.batchIndex = state.batch;
    this.orderEpoch = -1;
    return this;
  }

  private fillOrder(epoch: number, out: Int32Array): void {
    const n = out.length;
    for (let i = 0; i < n; i++) out[i] = i;
    if (!this.shuffle) return;
    const rng = this.base.split(epoch);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng.random() * (i + 1));
      const tmp = out[i]!;
      out[i] = out[j]!;
      out[j] = tmp;
    }
  }
}

function checkBoolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw new ValueError(`DataLoader: invalid ${name} ${show(value)}, expected true or false`);
  return value;
}

/**
 * BatchNorm1d / BatchNorm2d: y = (x - μ) / √(σ² + eps) · weight + bias per channel (dim 1).
 * In training μ, σ² are the batch statistics (biased σ² for normalizing) and the running
 * statistics move toward them, as torch does:
 *   runningMean ← (1 - momentum)·runningMean + momentum·μ
 *   runningVar  ← (1 - momentum)·runningVar  + momentum·σ²·n/(n-1)     (unbiased)
 * with n the number of values per channel; momentum null uses the cumulative average
 * (factor 1/numBatchesTracked). In eval the running statistics are used.
 * weight starts at 1, bias at 0, runningMean at 0, runningVar at 1.
 */
import { type DType, allocate } from '../../core/dtype.js';
import { ShapeError, ValueError, show } from '../../core/errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { batchNorm } from '../../tensor/functional.js';
import { Module } from '../module.js';
import { checkDTypeMatch, checkNDim, checkTensor } from './check-input.js';
import { checkBool, checkOptions, layerDType, positiveInt } from './options.js';

export interface BatchNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Running-statistics update factor (default 0.1); null for a cumulative average. */
  momentum?: number | null;
  /** Learn weight and bias (default true). */
  affine?: boolean;
  /** Keep running statistics for eval (default true); without them eval uses batch statistics. */
  trackRunningStats?: boolean;
  dtype?: DType;
}

abstract class BatchNormBase extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;
  readonly runningMean: Tensor | null;
  readonly runningVar: Tensor | null;
  /** Training batches seen; counts like torch's num_batches_tracked. */
  readonly numBatchesTracked: Tensor | null;

  protected abstract readonly layout: string;
  protected abstract readonly ndims: readonly number[];

  constructor(numFeatures: number, options: BatchNormOptions, where: string) {
    super();
    this.numFeatures = positiveInt(numFeatures, 'numFeatures', where);
    checkOptions(options, where, ['eps', 'momentum', 'affine', 'trackRunningStats', 'dtype']);
    const eps = options.eps ?? 1e-5;
    if (typeof eps !== 'number' || !(eps > 0) || !Number.isFinite(eps)) throw new ValueError(`${where}: invalid eps ${show(eps)}, expected a number > 0`);
    this.eps = eps;
    const momentum = options.momentum === undefined ? 0.1 : options.momentum;
    if (momentum !== null && (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1))) {
      throw new ValueError(`${where}: invalid momentum ${show(momentum)}, expected a number in [0, 1] or null`);
    }
    this.momentum = momentum;
    const affine = checkBool(options.affine ?? true, 'affine', where);
    const track = checkBool(options.trackRunningStats ?? true, 'trackRunningStats', where);
    const dtype = layerDType(options, where);
    const filled = (v: number) => {
      const a = allocate(dtype, numFeatures);
      if (v !== 0) a.fill(v);
      return new Tensor(a, [numFeatures]);
    };
    this.weight = affine ? this.registerParameter('weight', filled(1)) : null;
    this.bias = affine ? this.registerParameter('bias', filled(0)) : null;
    this.runningMean = track ? this.registerBuffer('runningMean', filled(0)) : null;
    this.runningVar = track ? this.registerBuffer('runningVar', filled(1)) : null;
    this.numBatchesTracked = track ? this.registerBuffer('numBatchesTracked', new Tensor(new Float64Array(1), [])) : null;
  }

  forward(input: Tensor): Tensor {
    const where = this.constructor.name;
    const x = checkTensor(input, where);
    checkNDim(x, this.ndims, this.layout, where);
    if (x.shape[1] !== this.numFeatures) {
      throw new ShapeError(`${where}: input has ${x.shape[1]} channels (shape ${show(x.shape)}), expected ${this.numFeatures}`);
    }
    const dtype = (this.weight ?? this.runningMean)?.dtype;
    if (dtype !== undefined) checkDTypeMatch(x, dtype, where);
    const useBatchStats = this.training || this.runningMean === null;
    if (useBatchStats && x.data.length / this.numFeatures <= 1) {
      throw new ValueError(`${where}: expected more than 1 value per channel when training, got input shape ${show(x.shape)}`);
    }
    let momentum = this.momentum ?? 0;
    if (this.training && this.numBatchesTracked !== null) {
      this.numBatchesTracked.data[0]! += 1;
      if (this.momentum === null) momentum = 1 / this.numBatchesTracked.data[0]!;
    }
    // The functional form takes [N, C] or [N, C, H, W]: view [N, C, L] as [N, C, L, 1].
    const x4 = x.shape.length === 3 ? x.reshape([...x.shape, 1]) : x;
    const y = batchNorm(x4, this.runningMean, this.runningVar, this.weight, this.bias, {
      training: useBatchStats,
      momentum,
      eps: this.eps,
    });
    return x.shape.length === 3 ? y.reshape(x.shape) : y;
  }

  protected override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.weight !== null}, trackRunningStats=${this.runningMean !== null}`;
  }
}

/** Batch normalization of [N, C] or [N, C, L] inputs over N (and L). */
export class BatchNorm1d extends BatchNormBase {
  protected readonly layout = '[N, C] or [N, C, L]';
  protected readonly ndims = [2, 3] as const;
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super(numFeatures, options, 'BatchNorm1d');
  }
}

/** Batch normalization of [N, C, H, W] inputs over N, H and W. */
export class BatchNorm2d extends BatchNormBase {
  protected readonly layout = '[N, C, H, W]';
  protected readonly ndims = [4] as const;
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super(numFeatures, options, 'BatchNorm2d');
  }
}

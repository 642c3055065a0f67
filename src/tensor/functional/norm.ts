/** Batch normalization over the channel dim 1 of [N, C] or [N, C, ...] inputs, torch semantics. */
import { ShapeError, ValueError, show } from '../../core/errors.js';
import { noGrad } from '../../autograd/mode.js';
import { Tensor } from '../tensor.js';
import { checkSameDtype, checkTensor } from '../ops/util.js';
import { add, addScalar, mul, sqrt, square, sub, div } from '../ops/elementwise.js';
import { mean } from '../ops/reduce.js';
import { reshape } from '../ops/movement.js';

export interface BatchNormOptions {
  /** Use batch statistics and update the running ones (default false, like torch's F.batch_norm). */
  training?: boolean;
  momentum?: number;
  eps?: number;
}

function checkChannelVector(t: Tensor | null | undefined, c: number, x: Tensor, name: string): Tensor | null {
  if (t == null) return null;
  checkTensor(t, 'batchNorm', name);
  checkSameDtype(x, t, 'batchNorm');
  if (t.numel !== c) throw new ShapeError(`batchNorm: ${name} of shape ${show(t.shape)} does not match input ${show(x.shape)}: expected [${c}]`);
  return t;
}

/**
 * y = (x - mean) / sqrt(var + eps) * weight + bias per channel. In training, batch statistics
 * (biased var) normalize, and the running stats are updated in place:
 * running = (1 - momentum) running + momentum stat, with the unbiased var for runningVar.
 * Otherwise the running stats normalize (batch stats when they are null).
 */
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight: Tensor | null = null,
  bias: Tensor | null = null,
  options: BatchNormOptions = {},
): Tensor {
  checkTensor(x, 'batchNorm', 'input');
  if (x.ndim < 2) throw new ShapeError(`batchNorm: input of shape ${show(x.shape)} has fewer than 2 dims, expected [N, C] or [N, C, H, W]`);
  const training = options.training ?? false;
  const momentum = options.momentum ?? 0.1;
  const eps = options.eps ?? 1e-5;
  if (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1)) throw new ValueError(`batchNorm: invalid momentum ${show(momentum)}, expected 0 <= momentum <= 1`);
  if (typeof eps !== 'number' || !(eps >= 0)) throw new ValueError(`batchNorm: invalid eps ${show(eps)}, expected eps >= 0`);
  const c = x.shape[1]!;
  const rm = checkChannelVector(runningMean, c, x, 'runningMean');
  const rv = checkChannelVector(runningVar, c, x, 'runningVar');
  const w = checkChannelVector(weight, c, x, 'weight');
  const b = checkChannelVector(bias, c, x, 'bias');
  const dims = x.shape.map((_, i) => i).filter((i) => i !== 1);
  const bshape = x.shape.map((s, i) => (i === 1 ? c : 1));
  const count = x.numel / Math.max(c, 1);
  let centered: Tensor;
  let variance: Tensor;
  if (training || rm === null || rv === null) {
    if (training && count <= 1) throw new ValueError(`batchNorm: expected more than 1 value per channel when training, got input of shape ${show(x.shape)}`);
    const mu = mean(x, dims, true);
    centered = sub(x, mu);
    variance = mean(square(centered), dims, true);
    if (training && rm !== null && rv !== null) {
      noGrad(() => {
        const m = rm.data, v = rv.data, bm = mu.data, bv = variance.data;
        const unbias = count / (count - 1);
        for (let i = 0; i < c; i++) {
          m[i] = (1 - momentum) * m[i]! + momentum * bm[i]!;
          v[i] = (1 - momentum) * v[i]! + momentum * bv[i]! * unbias;
        }
      });
    }
  } else {
    centered = sub(x, reshape(rm.detach(), bshape));
    variance = reshape(rv.detach(), bshape);
  }
  let y = div(centered, sqrt(addScalar(variance, eps)));
  if (w !== null) y = mul(y, reshape(w, bshape));
  if (b !== null) y = add(y, reshape(b, bshape));
  return y;
}

/** Activations, linear layers, dropout and embedding lookups as functions of tensors. */
import { ShapeError, ValueError, show } from '../../core/errors.js';
import { allocate } from '../../core/dtype.js';
import type { Rng } from '../../core/rng.js';
import { Tensor } from '../tensor.js';
import { globalGenerator } from '../factories.js';
import { checkSameDtype, checkTensor } from '../ops/util.js';
import { add, mul, relu as reluOp, sigmoid as sigmoidOp, tanh as tanhOp } from '../ops/elementwise.js';
import { mm } from '../ops/matmul.js';
import { reshape } from '../ops/movement.js';
import { gatherFlat, selectIndex, toIndexArray } from '../ops/indexing.js';
import { logSoftmax as logSoftmaxOp, softmax as softmaxOp } from '../ops/softmax.js';

export function relu(x: Tensor): Tensor { return reluOp(x); }
export function tanh(x: Tensor): Tensor { return tanhOp(x); }
export function sigmoid(x: Tensor): Tensor { return sigmoidOp(x); }
export function softmax(x: Tensor, dim: number): Tensor { return softmaxOp(x, dim); }
export function logSoftmax(x: Tensor, dim: number): Tensor { return logSoftmaxOp(x, dim); }

/** y = x wᵀ + b with w [out, in] (torch's convention); x is [..., in]. */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  checkTensor(x, 'linear', 'input');
  checkTensor(weight, 'linear', 'weight');
  checkSameDtype(x, weight, 'linear');
  if (weight.ndim !== 2) throw new ShapeError(`linear: weight of shape ${show(weight.shape)} is not 2-D, expected [out, in]`);
  const [out, inp] = weight.shape as [number, number];
  if (x.ndim < 1 || x.shape[x.ndim - 1] !== inp) {
    throw new ShapeError(`linear: input of shape ${show(x.shape)} and weight of shape ${show(weight.shape)} do not match: expected input.shape[-1] == weight.shape[1] (${inp})`);
  }
  if (bias != null) {
    checkTensor(bias, 'linear', 'bias');
    checkSameDtype(x, bias, 'linear');
    if (bias.ndim !== 1 || bias.shape[0] !== out) throw new ShapeError(`linear: bias of shape ${show(bias.shape)} does not match weight ${show(weight.shape)}: expected [${out}]`);
  }
  const x2 = x.ndim === 2 ? x : reshape(x, [-1, inp]);
  let y = mm(x2, weight, false, true, 'linear');
  if (bias != null) y = add(y, bias);
  return x.ndim === 2 ? y : reshape(y, [...x.shape.slice(0, -1), out]);
}

/**
 * Inverted dropout: in training, zeroes each element with probability p and scales the rest
 * by 1/(1-p); identity otherwise. Draws from `rng` (default the global generator).
 */
export function dropout(x: Tensor, p = 0.5, training = true, rng?: Rng): Tensor {
  checkTensor(x, 'dropout');
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ValueError(`dropout: invalid p ${show(p)}, expected 0 <= p <= 1`);
  if (!training || p === 0) return x;
  const r = rng ?? globalGenerator();
  const mask = allocate(x.dtype, x.numel);
  const keep = p === 1 ? 0 : 1 / (1 - p);
  for (let i = 0; i < mask.length; i++) mask[i] = r.random() < p ? 0 : keep;
  return mul(x, new Tensor(mask, x.shape));
}

/**
 * Rows of `weight` [V, D] picked by `indices` (class ids in [0, V)), shaped [...indexShape, D].
 * weight.grad stays a dense array, but backward() adds only into the rows used (when the weight
 * is used once, without createGraph: cost proportional to the lookups, not to V) and sets
 * weight.gradRows to the sorted unique rows used.
 */
export function embedding(weight: Tensor, indices: Int32Array | readonly number[], indexShape?: readonly number[]): Tensor {
  checkTensor(weight, 'embedding', 'weight');
  if (weight.ndim !== 2) throw new ShapeError(`embedding: weight of shape ${show(weight.shape)} is not 2-D, expected [numEmbeddings, dim]`);
  const [v, d] = weight.shape as [number, number];
  const idx = toIndexArray(indices instanceof Int32Array ? indices : Array.from(indices), v, 'embedding');
  const shape = indexShape ?? [idx.length];
  if (!Array.isArray(shape) || shape.reduce((p: number, s: number) => p * s, 1) !== idx.length) {
    throw new ShapeError(`embedding: indexShape ${show(indexShape)} does not hold ${idx.length} indices`);
  }
  const rows = Int32Array.from(new Set(idx)).sort();
  return gatherFlat(weight, selectIndex(weight.shape, 0, idx), [...shape, d], rows, true);
}

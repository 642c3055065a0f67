/** Losses: cross-entropy (fused log-softmax), mean squared error, binary cross-entropy with logits. */
import { ShapeError, ValueError, show } from '../../core/errors.js';
import { checkOneOf } from '../../core/validate.js';
import { record } from '../../autograd/node.js';
import { Tensor } from '../tensor.js';
import { sameShape } from '../shape.js';
import { checkSameDtype, checkTensor, empty } from '../ops/util.js';
import { mul, neg, sigmoid, square, sub } from '../ops/elementwise.js';
import { mean, sum } from '../ops/reduce.js';
import { gatherFlat } from '../ops/indexing.js';
import { logSoftmax } from '../ops/softmax.js';

export type Reduction = 'mean' | 'sum' | 'none';

export interface LossOptions {
  reduction?: Reduction;
}

function reduce(x: Tensor, options: LossOptions, op: string): Tensor {
  const reduction = checkOneOf(options.reduction ?? 'mean', `${op} reduction`, ['mean', 'sum', 'none'] as const);
  return reduction === 'mean' ? mean(x) : reduction === 'sum' ? sum(x) : x;
}

function targetIndices(targets: Int32Array | readonly number[] | Tensor, n: number, c: number, op: string): Int32Array {
  const src: ArrayLike<number> = targets instanceof Tensor ? targets.data : targets;
  if (!(targets instanceof Tensor) && !(targets instanceof Int32Array) && !Array.isArray(targets)) {
    throw new ValueError(`${op}: invalid targets ${show(targets)}, expected an Int32Array, a number[] or a Tensor of class indices`);
  }
  if (src.length !== n) throw new ShapeError(`${op}: ${src.length} targets for ${n} rows of input, expected one class index per row`);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const y = src[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= c) {
      throw new ValueError(`${op}: target ${show(y)} at position ${i} is out of range, expected a class index in [0, ${c - 1}]`);
    }
    out[i] = y;
  }
  return out;
}

/**
 * Cross-entropy of logits [N, C] (or [C]) against class indices: -logSoftmax(x_i)[y_i]
 * = logsumexp(x_i) - x_i[y_i], with the max-shifted kernel (finite for logits of any magnitude).
 */
export function crossEntropy(logits: Tensor, targets: Int32Array | readonly number[] | Tensor, options: LossOptions = {}): Tensor {
  return classLoss(logits, targets, options, 'crossEntropy', true);
}

/** Negative log-likelihood of log-probabilities [N, C] (or [C]) at class indices: -logp_i[y_i]. */
export function nllLoss(logProbs: Tensor, targets: Int32Array | readonly number[] | Tensor, options: LossOptions = {}): Tensor {
  return classLoss(logProbs, targets, options, 'nllLoss', false);
}

function classLoss(input: Tensor, targets: Int32Array | readonly number[] | Tensor, options: LossOptions, op: string, fromLogits: boolean): Tensor {
  checkTensor(input, op, 'input');
  if (input.ndim === 1) {
    const one = targets instanceof Tensor ? targets.reshape(1) : targets;
    return classLoss(input.reshape(1, -1), one, options, op, fromLogits).reshape([]);
  }
  if (input.ndim !== 2) throw new ShapeError(`${op}: input of shape ${show(input.shape)}, expected [N, C]`);
  const [n, c] = input.shape as [number, number];
  const y = targetIndices(targets, n, c, op);
  const flat = new Int32Array(n);
  for (let i = 0; i < n; i++) flat[i] = i * c + y[i]!;
  const picked = gatherFlat(fromLogits ? logSoftmax(input, 1) : input, flat, [n], undefined, true);
  return reduce(neg(picked), options, op);
}

function checkPair(input: Tensor, target: Tensor, op: string): void {
  checkTensor(input, op, 'input');
  checkTensor(target, op, 'target');
  checkSameDtype(input, target, op);
  if (!sameShape(input.shape, target.shape)) {
    throw new ShapeError(`${op}: input of shape ${show(input.shape)} and target of shape ${show(target.shape)} do not match: expected equal shapes`);
  }
}

/** mean((input - target)^2) (or sum / none). */
export function mseLoss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkPair(input, target, 'mseLoss');
  return reduce(square(sub(input, target)), options, 'mseLoss');
}

/**
 * Binary cross-entropy on logits x with targets y in [0, 1]:
 * max(x, 0) - x y + log(1 + exp(-|x|)), stable for any x. Gradient: sigmoid(x) - y.
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkPair(input, target, 'binaryCrossEntropyWithLogits');
  const out = empty(input.shape, input.dtype);
  const x = input.data, t = target.data, o = out.data;
  for (let i = 0; i < o.length; i++) {
    const v = x[i]!;
    o[i] = Math.max(v, 0) - v * t[i]! + Math.log1p(Math.exp(-Math.abs(v)));
  }
  const loss = record(out, {
    name: 'binaryCrossEntropyWithLogits', inputs: [input, target],
    backward: (g) => [
      input.requiresGrad ? mul(g, sub(sigmoid(input), target)) : null,
      target.requiresGrad ? neg(mul(g, input)) : null,
    ],
  });
  return reduce(loss, options, 'binaryCrossEntropyWithLogits');
}

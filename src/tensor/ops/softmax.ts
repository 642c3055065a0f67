/**
 * logsumexp, logSoftmax and softmax along a dim. logSoftmax is one kernel (max-shifted, so
 * finite and accurate for logits of any size) whose backward g - softmax Σg is written in
 * differentiable ops of its own output, so all three differentiate twice.
 */
import { getBackend } from '../../kernels/registry.js';
import { record } from '../../autograd/node.js';
import type { Tensor } from '../tensor.js';
import { normalizeDim, numelOf } from '../shape.js';
import { checkTensor, empty } from './util.js';
import { exp, mul, sub } from './elementwise.js';
import { sum } from './reduce.js';
import { expand, reshape } from './movement.js';

function split(x: Tensor, dim: number, op: string): { d: number; outer: number; size: number; inner: number; kept: number[] } {
  const d = normalizeDim(dim, x.ndim, op);
  if (x.ndim === 0) return { d: 0, outer: 1, size: 1, inner: 1, kept: [] };
  const kept = x.shape.slice();
  kept[d] = 1;
  return { d, outer: numelOf(x.shape.slice(0, d)), size: x.shape[d]!, inner: numelOf(x.shape.slice(d + 1)), kept };
}

/** log Σ exp(x) along `dim`, shifted by the max so it is finite for large logits. */
export function logsumexp(x: Tensor, dim: number, keepdim = false): Tensor {
  checkTensor(x, 'logsumexp');
  const { d, outer, size, inner, kept } = split(x, dim, 'logsumexp');
  const out = empty(keepdim || x.ndim === 0 ? kept : kept.filter((_, i) => i !== d), x.dtype);
  getBackend().logSumExpAxis(outer, size, inner, x.data, 0, out.data, 0);
  return record(out, {
    name: 'logsumexp', inputs: [x],
    // d lse / dx = softmax(x)
    backward: (g) => [mul(expand(reshape(g, kept), x.shape), softmax(x, d))],
  });
}

export function logSoftmax(x: Tensor, dim: number): Tensor {
  checkTensor(x, 'logSoftmax');
  const { d, outer, size, inner } = split(x, dim, 'logSoftmax');
  const out = empty(x.shape, x.dtype);
  getBackend().logSoftmaxAxis(outer, size, inner, x.data, 0, out.data, 0);
  return record(out, {
    name: 'logSoftmax', inputs: [x],
    // dx = g - softmax * Σ_dim g, with softmax = exp(out)
    backward: (g) => [sub(g, mul(exp(out), sum(g, x.ndim === 0 ? [] : [d], true)))],
  });
}

export function softmax(x: Tensor, dim: number): Tensor {
  checkTensor(x, 'softmax');
  return exp(logSoftmax(x, dim));
}

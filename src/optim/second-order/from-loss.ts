/**
 * An `Objective` over the flat concatenation of tensor parameters, from a scalar tensor loss:
 * gradients by `grad`, Hessian-vector products by double backward (`hvp`). Each call first
 * copies x into the parameters (rounding to float32 for float32 parameters), so the
 * parameters hold the last point evaluated.
 */
import { ValueError, show } from '../../core/errors.js';
import { grad, hvp, noGrad, enableGrad } from '../../autograd/index.js';
import { Tensor } from '../../tensor/tensor.js';
import type { FloatArray } from '../../core/dtype.js';
import { checkPoint, type Objective } from './objective.js';

export function objectiveFromLoss(lossFn: () => Tensor, params: readonly Tensor[]): Objective {
  if (typeof lossFn !== 'function') throw new ValueError(`objectiveFromLoss: invalid lossFn ${show(lossFn)}, expected a function returning a scalar Tensor`);
  if (!Array.isArray(params) || params.length === 0 || !params.every((p) => p instanceof Tensor)) {
    throw new ValueError(`objectiveFromLoss: invalid params ${Array.isArray(params) ? `array of length ${params.length}` : show(params)}, expected a non-empty array of Tensors`);
  }
  params.forEach((p, i) => {
    if (!p.requiresGrad) throw new ValueError(`objectiveFromLoss: parameter ${i} (shape ${show(p.shape)}) does not require grad, expected requiresGrad = true`);
  });
  const dim = params.reduce((n, p) => n + p.data.length, 0);
  const load = (x: Float64Array): void => {
    checkPoint(x, dim, 'objectiveFromLoss');
    let offset = 0;
    for (const p of params) {
      p.data.set(x.subarray(offset, offset + p.data.length));
      offset += p.data.length;
    }
  };
  const scalar = (loss: unknown): Tensor => {
    if (!(loss instanceof Tensor) || loss.data.length !== 1) throw new ValueError(`objectiveFromLoss: lossFn returned ${loss instanceof Tensor ? `a Tensor of shape ${show(loss.shape)}` : show(loss)}, expected a scalar Tensor`);
    return loss;
  };
  const flatten = (parts: ReadonlyArray<FloatArray>, out: Float64Array): void => {
    let offset = 0;
    for (const part of parts) {
      out.set(part, offset);
      offset += part.length;
    }
  };
  return {
    dim,
    value(x) {
      load(x);
      return noGrad(() => scalar(lossFn()).data[0]!);
    },
    gradient(x, out) {
      load(x);
      return enableGrad(() => {
        const loss = scalar(lossFn());
        flatten(grad(loss, params).map((g) => g.data), out);
        return loss.data[0]!;
      });
    },
    hessianVectorProduct(x, v, out) {
      load(x);
      const vectors: FloatArray[] = [];
      let offset = 0;
      for (const p of params) {
        vectors.push(v.subarray(offset, offset + p.data.length));
        offset += p.data.length;
      }
      flatten(hvp(lossFn, params, vectors), out);
    },
  };
}

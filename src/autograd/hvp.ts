/**
 * Exact Hessian-vector products by double backward: g = ∇f(θ) with the backward pass recorded,
 * then H v = ∇_θ (g · v). Costs about two extra backward passes; never forms H.
 */
import { allocate, type FloatArray } from '../core/dtype.js';
import { ShapeError, ValueError, show } from '../core/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { add, mul } from '../tensor/ops/elementwise.js';
import { sum } from '../tensor/ops/reduce.js';
import { enableGrad, noGrad } from './mode.js';
import { grad } from './engine.js';

/**
 * H(θ) v for the scalar `lossFn()` at the current params. `vectors[i]` pairs with `params[i]`
 * (same length); the result has one array per parameter, of the parameter's dtype.
 */
export function hvp(lossFn: () => Tensor, params: readonly Tensor[], vectors: readonly FloatArray[]): FloatArray[] {
  if (typeof lossFn !== 'function') throw new ValueError(`hvp: invalid lossFn ${show(lossFn)}, expected a function returning a scalar Tensor`);
  if (!Array.isArray(params) || !params.every((p) => p instanceof Tensor)) {
    throw new ValueError('hvp: invalid params, expected an array of Tensors');
  }
  if (!Array.isArray(vectors) || vectors.length !== params.length) {
    throw new ValueError(`hvp: got ${Array.isArray(vectors) ? vectors.length : show(vectors)} vectors for ${params.length} params, expected one vector per parameter`);
  }
  params.forEach((p, i) => {
    const v = vectors[i];
    if (!(v instanceof Float32Array || v instanceof Float64Array) || v.length !== p.numel) {
      throw new ShapeError(`hvp: vector ${i} has length ${v && typeof v === 'object' && 'length' in v ? (v as { length: number }).length : show(v)}, expected a typed array of length ${p.numel} (param shape ${show(p.shape)})`);
    }
  });
  return enableGrad(() => {
    const loss = lossFn();
    if (!(loss instanceof Tensor)) throw new ValueError(`hvp: lossFn returned ${show(loss)}, expected a Tensor`);
    const gs = grad(loss, params, { createGraph: true });
    let dot: Tensor | null = null;
    gs.forEach((g, i) => {
      const p = params[i]!;
      const src = vectors[i]!;
      const v = allocate(p.dtype, p.numel);
      v.set(src);
      const term = sum(mul(g, new Tensor(v, p.shape)));
      dot = dot === null ? term : add(dot, term);
    });
    if (dot === null || !(dot as Tensor).requiresGrad) {
      // The gradient does not depend on the params: the Hessian is zero.
      return params.map((p) => allocate(p.dtype, p.numel));
    }
    const hv = grad(dot, params);
    return noGrad(() => hv.map((t) => t.data));
  });
}

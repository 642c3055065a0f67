/**
 * Curvature of a tensor loss over a list of parameter tensors, as a `HessianFreeObjective`
 * whose `batch` argument is the loss function (`() => Tensor`, e.g. the trainer's loss of the
 * current mini-batch). It gives values, gradients, Hessian-vector products and Gauss-Newton
 * products, with the recorded graph cached per point x, so that the many products of one CG
 * solve (or of one dense Hessian) share one forward pass and one recorded backward pass.
 *
 * Hessian:       g(θ) = ∇L recorded once (createGraph);   H v = ∇_θ (g · v).
 * Gauss-Newton:  L = ℓ(z(θ)) with z the network output; G = Jᵀ ∇²ℓ J, J = ∂z/∂θ. Without a
 *   forward mode, J v comes from double backward: with a dummy u, Jᵀu = ∇_θ (z · u) recorded once,
 *   then J v = ∇_u (Jᵀu · v). ∇²ℓ (J v) is a Hessian-vector product in z-space (the graph cut at
 *   z), and Jᵀ c = ∇_θ (z · c) one more backward pass.
 *   z is found from the loss's graph: walking from the loss down through ops with exactly one
 *   differentiable input (the mean, the log-softmax, the gather of cross-entropy, …), z is the
 *   first tensor whose op has two or more (for `Linear` layers: the logits). For softmax
 *   cross-entropy, MSE and the like, ℓ is convex in z, so G ⪰ 0.
 */
import { ValueError, show } from '../../core/errors.js';
import { allocate } from '../../core/dtype.js';
import { grad, noGrad, enableGrad } from '../../autograd/index.js';
import { Tensor } from '../../tensor/tensor.js';
import { add, mul } from '../../tensor/ops/elementwise.js';
import { sum } from '../../tensor/ops/reduce.js';
import { checkPoint } from './objective.js';
import type { HessianFreeObjective } from './hessian-free.js';

export type LossFn = () => Tensor;

interface Cache {
  lossFn: LossFn;
  x: Float64Array;
  /** Hessian: the recorded gradient. */
  g?: Tensor[];
  /** Gauss-Newton: the output z, the dummy u, the recorded Jᵀu and the z-space gradient ∇ℓ(z). */
  z?: Tensor;
  u?: Tensor;
  jtu?: Tensor[];
  dz?: Tensor;
}

export interface LossCurvature extends HessianFreeObjective {
  /** Drops the recorded graph; call it whenever the loss function may now mean another batch. */
  reset(): void;
  value(x: Float64Array, lossFn?: unknown): number;
  gradient(x: Float64Array, out: Float64Array, lossFn?: unknown): number;
  hessianVectorProduct(x: Float64Array, v: Float64Array, out: Float64Array, lossFn?: unknown): void;
  gaussNewtonVectorProduct(x: Float64Array, v: Float64Array, out: Float64Array, lossFn?: unknown): void;
}

/** The tensor z with L = ℓ(z): the end of the chain of single-input ops below the loss. */
export function networkOutput(loss: Tensor): Tensor {
  let t = loss;
  for (;;) {
    const fn = t.gradFn;
    if (fn === null) return t;
    const inputs = [...new Set(fn.inputs.filter((i) => i.requiresGrad))];
    if (inputs.length !== 1) return t;
    t = inputs[0]!;
  }
}

/** Runs `fn` with z cut from the graph below it (z acts as a leaf). */
function cutAt<T>(z: Tensor, fn: () => T): T {
  const saved = z.gradFn;
  z.gradFn = null;
  try {
    return fn();
  } finally {
    z.gradFn = saved;
  }
}

/** Σ_i sum(a_i ⊙ b_i), recorded. */
function dotTensors(a: readonly Tensor[], b: readonly Tensor[]): Tensor {
  let total: Tensor | null = null;
  for (let i = 0; i < a.length; i++) {
    const term = sum(mul(a[i]!, b[i]!));
    total = total === null ? term : add(total, term);
  }
  return total!;
}

export function lossCurvature(params: readonly Tensor[]): LossCurvature {
  if (!Array.isArray(params) || params.length === 0 || !params.every((p) => p instanceof Tensor)) {
    throw new ValueError(`lossCurvature: invalid params ${Array.isArray(params) ? `array of length ${params.length}` : show(params)}, expected a non-empty array of Tensors`);
  }
  params.forEach((p, i) => {
    if (!p.requiresGrad) throw new ValueError(`lossCurvature: parameter ${i} (shape ${show(p.shape)}) does not require grad, expected requiresGrad = true`);
  });
  const dim = params.reduce((n, p) => n + p.data.length, 0);
  let cache: Cache | null = null;

  const checkLossFn = (lossFn: unknown): LossFn => {
    if (typeof lossFn !== 'function') throw new ValueError(`lossCurvature: invalid loss function ${show(lossFn)} (the batch argument), expected a function returning a scalar Tensor`);
    return lossFn as LossFn;
  };
  const scalar = (loss: unknown): Tensor => {
    if (!(loss instanceof Tensor) || loss.data.length !== 1) throw new ValueError(`lossCurvature: the loss function returned ${loss instanceof Tensor ? `a Tensor of shape ${show(loss.shape)}` : show(loss)}, expected a scalar Tensor`);
    return loss;
  };
  const load = (x: Float64Array): void => {
    checkPoint(x, dim, 'lossCurvature');
    let offset = 0;
    for (const p of params) {
      p.data.set(x.subarray(offset, offset + p.data.length));
      offset += p.data.length;
    }
  };
  const flatten = (parts: readonly Tensor[], out: Float64Array): void => {
    let offset = 0;
    for (const part of parts) {
      out.set(part.data, offset);
      offset += part.data.length;
    }
  };
  /** v split into tensors shaped like the parameters (in their dtype). */
  const split = (v: Float64Array): Tensor[] => {
    let offset = 0;
    return params.map((p) => {
      const data = allocate(p.dtype, p.numel);
      data.set(v.subarray(offset, offset + p.numel));
      offset += p.numel;
      return new Tensor(data, p.shape);
    });
  };
  /**
   * The cache for (lossFn, x), rebuilt when either changed; loads x into the parameters.
   * The same lossFn may read another batch later (the trainer's does): `gradient` and `reset`
   * drop the cache, and the products of one step come after its gradient.
   */
  const at = (x: Float64Array, lossFn: LossFn): Cache => {
    load(x);
    if (cache !== null && cache.lossFn === lossFn) {
      const c = cache.x;
      let same = true;
      for (let i = 0; i < dim && same; i++) same = c[i] === x[i];
      if (same) return cache;
    }
    cache = { lossFn, x: x.slice() };
    return cache;
  };

  return {
    dim,
    value(x, lossFn) {
      const fn = checkLossFn(lossFn);
      load(x);
      return noGrad(() => scalar(fn()).data[0]!);
    },
    reset() {
      cache = null;
    },
    gradient(x, out, lossFn) {
      const fn = checkLossFn(lossFn);
      cache = null; // a new gradient starts a new step: the batch behind lossFn may have changed
      load(x);
      return enableGrad(() => {
        const loss = scalar(fn());
        flatten(grad(loss, params), out);
        return loss.data[0]!;
      });
    },
    hessianVectorProduct(x, v, out, lossFn) {
      const c = at(x, checkLossFn(lossFn));
      enableGrad(() => {
        c.g ??= grad(scalar(c.lossFn()), params, { createGraph: true });
        const gv = dotTensors(c.g, split(v));
        if (!gv.requiresGrad) out.fill(0); // the gradient does not depend on θ: H = 0
        else flatten(grad(gv, params), out);
      });
    },
    gaussNewtonVectorProduct(x, v, out, lossFn) {
      const c = at(x, checkLossFn(lossFn));
      enableGrad(() => {
        if (c.jtu === undefined) {
          const loss = scalar(c.lossFn());
          const z = networkOutput(loss);
          if (z === loss) throw new ValueError('lossCurvature: Gauss-Newton products need the loss as a function of a network output, but the loss graph has no single-input op below the loss; use the Hessian (curvature=hessian)');
          const u = new Tensor(allocate(z.dtype, z.numel), z.shape, { requiresGrad: true });
          c.z = z;
          c.u = u;
          c.jtu = grad(sum(mul(z, u)), params, { createGraph: true });
          c.dz = cutAt(z, () => grad(loss, [z], { createGraph: true })[0]!);
        }
        const z = c.z!;
        // J v = ∇_u (Jᵀu · v).
        const jtuv = dotTensors(c.jtu, split(v));
        if (!jtuv.requiresGrad) {
          out.fill(0); // z does not depend on θ
          return;
        }
        const jv = grad(jtuv, [c.u!])[0]!;
        // ∇²ℓ (J v), in z-space with the graph cut at z.
        const w = new Tensor(jv.data, z.shape);
        const hw = cutAt(z, () => (c.dz!.requiresGrad ? grad(sum(mul(c.dz!, w)), [z])[0]! : new Tensor(allocate(z.dtype, z.numel), z.shape)));
        // Jᵀ (∇²ℓ J v) = ∇_θ (z · c).
        flatten(grad(sum(mul(z, new Tensor(hw.data, z.shape))), params), out);
      });
    },
  };
}

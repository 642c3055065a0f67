/**
 * Fused fast paths for dense Adam/AdamW and SGD: one pass over the arrays instead of one per
 * transform (copy, flipSign, weight decay, scaling, learning rate, apply). They perform the
 * same operations, in the same order, with the same float32 roundings as the transform chain,
 * so the results are bit-identical; test/optim/fused.test.ts proves it for every option
 * combination. The chain stays the definition.
 */
import type { FloatArray } from '../../core/dtype.js';
import type { AdamStepOptions, SgdStepOptions } from '../../kernels/backend.js';

/**
 * chain(flipSign, addWeightDecay, scaleByAdam, addDecayedWeights, scaleByLearningRate) and
 * p += u, fused, with the options of the backends' fused steps (OptimizerSteps.adamStep).
 * `max` is amsgrad's buffer, or null.
 */
export function fusedAdamStep(p: FloatArray, grad: FloatArray, m: FloatArray, v: FloatArray, max: FloatArray | null, a: Required<AdamStepOptions>): void {
  const b1 = a.beta1, b2 = a.beta2, eps = a.eps;
  const k = 1 / Math.sqrt(1 - Math.pow(b2, a.step));
  const c = 1 / (1 - Math.pow(b1, a.step));
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  const s = -a.lr;
  const sign = a.maximize ? -1 : 1;
  // Added to the gradient before the moments (Adam), or to the direction before the rate (AdamW).
  const wc = a.decoupledWeightDecay ? 0 : a.weightDecay;
  const wd = a.decoupledWeightDecay ? a.weightDecay : 0;
  const n = p.length;
  if (p instanceof Float32Array && sign === 1 && wc === 0 && wd === 0 && max === null) {
    // The common case without the option branches (about a third faster); same operations.
    for (let i = 0; i < n; i++) {
      const g = grad[i]!;
      const mi = Math.fround(m[i]! * b1 + c1 * g);
      const vi = Math.fround(v[i]! * b2 + c2 * (g * g));
      m[i] = mi;
      v[i] = vi;
      p[i] = p[i]! + Math.fround(s * Math.fround((mi / (Math.sqrt(vi) * k + eps)) * c));
    }
  } else if (p instanceof Float32Array) {
    for (let i = 0; i < n; i++) {
      let g = sign * grad[i]!;
      if (wc !== 0) g = Math.fround(g + wc * p[i]!);
      const mi = Math.fround(m[i]! * b1 + c1 * g);
      const vi = Math.fround(v[i]! * b2 + c2 * (g * g));
      m[i] = mi;
      v[i] = vi;
      let den = vi;
      if (max !== null) {
        if (vi > max[i]!) max[i] = vi;
        den = max[i]!;
      }
      let u = Math.fround((mi / (Math.sqrt(den) * k + eps)) * c);
      if (wd !== 0) u = Math.fround(u + wd * p[i]!);
      p[i] = p[i]! + Math.fround(s * u);
    }
  } else {
    for (let i = 0; i < n; i++) {
      let g = sign * grad[i]!;
      if (wc !== 0) g = g + wc * p[i]!;
      const mi = m[i]! * b1 + c1 * g;
      const vi = v[i]! * b2 + c2 * (g * g);
      m[i] = mi;
      v[i] = vi;
      let den = vi;
      if (max !== null) {
        if (vi > max[i]!) max[i] = vi;
        den = max[i]!;
      }
      let u = (mi / (Math.sqrt(den) * k + eps)) * c;
      if (wd !== 0) u = u + wd * p[i]!;
      p[i] = p[i]! + s * u;
    }
  }
}

/**
 * chain(flipSign, addWeightDecay, trace, scaleByLearningRate) and p += u, fused, with the options
 * of the backends' fused steps (OptimizerSteps.sgdStep). `buf` is null when momentum is 0.
 */
export function fusedSgdStep(p: FloatArray, grad: FloatArray, buf: FloatArray | null, a: Required<SgdStepOptions>): void {
  const mom = a.momentum;
  const c = 1 - a.dampening;
  const s = -a.lr;
  const sign = a.maximize ? -1 : 1;
  const w = a.weightDecay;
  const first = a.firstStep;
  const nesterov = a.nesterov;
  const n = p.length;
  if (p instanceof Float32Array && buf !== null && sign === 1 && w === 0 && !first && !nesterov) {
    // Plain heavy ball after the first step, without the option branches; same operations.
    for (let i = 0; i < n; i++) {
      const b = Math.fround(buf[i]! * mom + c * grad[i]!);
      buf[i] = b;
      p[i] = p[i]! + Math.fround(s * b);
    }
  } else if (p instanceof Float32Array) {
    for (let i = 0; i < n; i++) {
      let g = sign * grad[i]!;
      if (w !== 0) g = Math.fround(g + w * p[i]!);
      if (buf !== null) {
        const b = first ? g : Math.fround(buf[i]! * mom + c * g);
        buf[i] = b;
        g = nesterov ? Math.fround(g + mom * b) : b;
      }
      p[i] = p[i]! + Math.fround(s * g);
    }
  } else {
    for (let i = 0; i < n; i++) {
      let g = sign * grad[i]!;
      if (w !== 0) g = g + w * p[i]!;
      if (buf !== null) {
        const b = first ? g : buf[i]! * mom + c * g;
        buf[i] = b;
        g = nesterov ? g + mom * b : b;
      }
      p[i] = p[i]! + s * g;
    }
  }
}

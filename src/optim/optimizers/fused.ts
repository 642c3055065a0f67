/**
 * Fused fast paths for the two most common steps, dense Adam (no maximize, no weight decay,
 * no amsgrad) and SGD with momentum (no maximize, no weight decay, no nesterov): one pass over
 * the arrays instead of one per transform. They perform the same operations, in the same
 * order, with the same float32 roundings as the transform chain, so the results are bit-identical;
 * test/optim/fused.test.ts proves it (the chain stays the definition).
 */
import type { FloatArray } from '../../core/dtype.js';

/** chain(scaleByAdam, scaleByLearningRate) then p += u, fused. `t` is the 1-based step. */
export function fusedAdamStep(
  p: FloatArray, grad: FloatArray, m: FloatArray, v: FloatArray,
  lr: number, b1: number, b2: number, eps: number, t: number,
): void {
  const k = 1 / Math.sqrt(1 - Math.pow(b2, t));
  const c = 1 / (1 - Math.pow(b1, t));
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  const s = -lr;
  const n = p.length;
  if (p instanceof Float32Array) {
    for (let i = 0; i < n; i++) {
      const g = grad[i]!;
      const mi = Math.fround(m[i]! * b1 + c1 * g);
      const vi = Math.fround(v[i]! * b2 + c2 * (g * g));
      m[i] = mi;
      v[i] = vi;
      const u = Math.fround((mi / (Math.sqrt(vi) * k + eps)) * c);
      p[i] = p[i]! + Math.fround(s * u);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const g = grad[i]!;
      const mi = m[i]! * b1 + c1 * g;
      const vi = v[i]! * b2 + c2 * (g * g);
      m[i] = mi;
      v[i] = vi;
      p[i] = p[i]! + s * ((mi / (Math.sqrt(vi) * k + eps)) * c);
    }
  }
}

/** chain(trace({ momentum, dampening }), scaleByLearningRate) then p += u, fused, after the first step. */
export function fusedMomentumStep(p: FloatArray, grad: FloatArray, buf: FloatArray, lr: number, momentum: number, dampening: number): void {
  const c = 1 - dampening;
  const s = -lr;
  const n = p.length;
  if (p instanceof Float32Array) {
    for (let i = 0; i < n; i++) {
      const b = Math.fround(buf[i]! * momentum + c * grad[i]!);
      buf[i] = b;
      p[i] = p[i]! + Math.fround(s * b);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const b = buf[i]! * momentum + c * grad[i]!;
      buf[i] = b;
      p[i] = p[i]! + s * b;
    }
  }
}

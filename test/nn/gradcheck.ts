/**
 * Central finite differences against autograd, in float64: for a scalar loss L(leaves),
 * numeric dL/dx_i = (L(x_i + h) - L(x_i - h)) / 2h, compared per tensor by
 * ||analytic - numeric|| / max(||analytic||, ||numeric||, 1e-4). The floor makes a gradient
 * that is exactly zero in theory (a conv bias followed by BatchNorm) compare absolutely,
 * where the finite differences are pure rounding noise (~1e-11).
 */
import { Rng } from '../../src/core/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { noGrad } from '../../src/autograd/mode.js';

export function randomTensor(shape: number[], seed: number, scale = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Rng(seed).fillNormal(new Float64Array(n), 0, scale);
  return new Tensor(data, shape).requiresGrad_(true);
}

/** A scalar loss that weighs every output element differently: sum(out * R). */
export function weightedSum(out: Tensor, seed = 99): Tensor {
  const r = new Rng(seed).fillNormal(new Float64Array(out.data.length));
  return out.mul(new Tensor(r, out.shape)).sum();
}

/** Largest relative error over `leaves` between autograd's gradient and central differences. */
export function gradcheck(loss: () => Tensor, leaves: Tensor[], h = 1e-5): { worst: number; errors: number[] } {
  for (const t of leaves) t.grad = null;
  loss().backward();
  const errors = leaves.map((t) => {
    const analytic = t.grad ? Float64Array.from(t.grad) : new Float64Array(t.data.length);
    const numeric = new Float64Array(t.data.length);
    noGrad(() => {
      for (let i = 0; i < t.data.length; i++) {
        const x = t.data[i]!;
        t.data[i] = x + h;
        const up = loss().item();
        t.data[i] = x - h;
        const down = loss().item();
        t.data[i] = x;
        numeric[i] = (up - down) / (2 * h);
      }
    });
    let diff = 0, na = 0, nn = 0;
    for (let i = 0; i < numeric.length; i++) {
      diff += (analytic[i]! - numeric[i]!) ** 2;
      na += analytic[i]! ** 2;
      nn += numeric[i]! ** 2;
    }
    return Math.sqrt(diff) / Math.max(Math.sqrt(na), Math.sqrt(nn), 1e-4);
  });
  return { worst: Math.max(...errors), errors };
}

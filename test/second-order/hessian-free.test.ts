import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { HessianFree, type HessianFreeObjective } from '../../src/optim/second-order/hessian-free.js';
import { objectives } from '../../src/optim/second-order/objective.js';
import { Rng } from '../../src/core/rng.js';

/**
 * Logistic regression on a seeded 2-class problem, plain arrays: f(w) = mean_i log(1 + exp(-y_i w·x_i)),
 * y ∈ {−1, +1}. The Gauss-Newton matrix is Xᵀ diag(σ(1 − σ)) X / N (equal to the Hessian here).
 */
function logisticRegression(samples: number, features: number, seed: number): HessianFreeObjective {
  const rng = new Rng(seed);
  const truth = rng.fillNormal(new Float64Array(features));
  const X = rng.fillNormal(new Float64Array(samples * features));
  const y = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    let s = 0;
    for (let j = 0; j < features; j++) s += X[i * features + j]! * truth[j]!;
    y[i] = s + 0.5 * rng.normal() > 0 ? 1 : -1;
  }
  const margins = (w: Float64Array): Float64Array => {
    const m = new Float64Array(samples);
    for (let i = 0; i < samples; i++) {
      let s = 0;
      for (let j = 0; j < features; j++) s += X[i * features + j]! * w[j]!;
      m[i] = y[i]! * s;
    }
    return m;
  };
  const softplus = (z: number): number => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));
  const value = (w: Float64Array): number => margins(w).reduce((acc, m) => acc + softplus(-m), 0) / samples;
  return {
    dim: features,
    value,
    gradient(w, out) {
      const m = margins(w);
      out.fill(0);
      for (let i = 0; i < samples; i++) {
        const c = -y[i]! / (1 + Math.exp(m[i]!)) / samples; // d/dm softplus(-m) = -σ(-m)
        for (let j = 0; j < features; j++) out[j] = out[j]! + c * X[i * features + j]!;
      }
      return value(w);
    },
    gaussNewtonVectorProduct(w, v, out) {
      const m = margins(w);
      out.fill(0);
      for (let i = 0; i < samples; i++) {
        const s = 1 / (1 + Math.exp(-m[i]!));
        let xv = 0;
        for (let j = 0; j < features; j++) xv += X[i * features + j]! * v[j]!;
        const c = (s * (1 - s) * xv) / samples;
        for (let j = 0; j < features; j++) out[j] = out[j]! + c * X[i * features + j]!;
      }
    },
  };
}

describe('HessianFree', () => {
  test('decreases the logistic-regression loss with Gauss-Newton products', () => {
    const objective = logisticRegression(200, 5, 3);
    const hf = new HessianFree(objective, new Float64Array(5), { damping: 1 });
    const start = objective.value(hf.x);
    let previous = start;
    for (let k = 0; k < 8; k++) {
      const info = hf.step();
      assert.ok(info.cgIterations > 0);
      const now = objective.value(hf.x);
      assert.ok(now <= previous, `loss rose at step ${k + 1}: ${previous} -> ${now}`);
      previous = now;
    }
    assert.equal(hf.options.curvature, 'gauss-newton');
    assert.ok(previous < 0.6 * start, `loss only went from ${start} to ${previous}`);
  });

  test('an exact quadratic model gives ρ = 1 and λ shrinks by 2/3', () => {
    const q = objectives.quadratic([3, 1, 1, 2], [1, -1]);
    const hf = new HessianFree(q, new Float64Array([2, 2]), { damping: 0.5, warmStartDecay: 0 });
    const info = hf.step();
    assert.ok(Math.abs(info.rho - 1) < 1e-9, `ρ = ${info.rho}`);
    assert.equal(info.damping, 0.5);
    assert.ok(Math.abs(hf.damping - 0.5 * (2 / 3)) < 1e-15);
    assert.equal(hf.options.curvature, 'hessian');
  });

  test('a model that overestimates the decrease raises λ by 3/2 and rejects the step', () => {
    // f = ½‖x‖², but the curvature claims 0.1 I: the step overshoots ten-fold and f rises.
    const lying: HessianFreeObjective = {
      dim: 2,
      value: (x) => 0.5 * (x[0]! ** 2 + x[1]! ** 2),
      gradient(x, out) {
        out.set(x);
        return 0.5 * (x[0]! ** 2 + x[1]! ** 2);
      },
      gaussNewtonVectorProduct(_x, v, out) {
        out[0] = 0.1 * v[0]!;
        out[1] = 0.1 * v[1]!;
      },
    };
    const hf = new HessianFree(lying, new Float64Array([1, -1]), { damping: 1e-3, backtrack: false });
    const info = hf.step();
    assert.ok(info.rho < 0.25, `ρ = ${info.rho}`);
    assert.equal(info.accepted, false);
    assert.deepEqual(Array.from(hf.x), [1, -1]);
    assert.ok(Math.abs(hf.damping - 1.5e-3) < 1e-18);
  });

  test('passes the batch through to the objective', () => {
    const seen: unknown[] = [];
    const q = objectives.quadratic([1, 0, 0, 1], [0, 0]);
    const spy: HessianFreeObjective = {
      dim: 2,
      value: (x, batch) => (seen.push(batch), q.value(x)),
      gradient: (x, out, batch) => (seen.push(batch), q.gradient(x, out)),
      hessianVectorProduct: (x, v, out, batch) => (seen.push(batch), q.hessianVectorProduct(x, v, out)),
    };
    new HessianFree(spy, new Float64Array([1, 1])).step('batch-7');
    assert.ok(seen.length > 2 && seen.every((b) => b === 'batch-7'));
  });

  test('validates its inputs', () => {
    const q = objectives.quadratic([1, 0, 0, 1], [0, 0]);
    assert.throws(() => new HessianFree(q, new Float64Array(2), { damping: 0 }), /Invalid damping: 0/);
    assert.throws(() => new HessianFree(q, new Float64Array(2), { curvature: 'gauss-newton' }), /needs objective.gaussNewtonVectorProduct/);
    assert.throws(() => new HessianFree(q, new Float64Array(2), { curvature: 'fisher' as never }), /Invalid curvature: "fisher"/);
    assert.throws(() => new HessianFree(q, new Float64Array(2), { warmStartDecay: 2 }), /Invalid warmStartDecay: 2/);
    assert.throws(() => new HessianFree(q, new Float64Array(5)), /length 5, expected a Float64Array of length 2/);
    assert.throws(() => new HessianFree(null as never, new Float64Array(2)), /invalid objective/);
  });
});

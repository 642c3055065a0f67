import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fmnistLogregModel, fmnistMlpModel, fmnist2c2dModel, createTrainingProblem } from '../../src/train/problems.js';
import { findFashionMnist } from '../../src/data/fashion-mnist.js';
import { Rng } from '../../src/core/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { noGrad } from '../../src/autograd/mode.js';
import type { Module } from '../../src/nn/module.js';

const shapes = (m: Module): Array<[string, number[]]> => m.namedParameters().map(([n, p]) => [n, [...p.shape]]);

/** Mean, standard deviation and largest |value| of an array. */
function stats(a: ArrayLike<number>): { mean: number; std: number; maxAbs: number } {
  let sum = 0, sq = 0, maxAbs = 0;
  for (let i = 0; i < a.length; i++) {
    sum += a[i]!;
    sq += a[i]! * a[i]!;
    maxAbs = Math.max(maxAbs, Math.abs(a[i]!));
  }
  const mean = sum / a.length;
  return { mean, std: Math.sqrt(sq / a.length - mean * mean), maxAbs };
}

/** A tiny generated batch of n images in [0, 1]: no data set needed. */
function images(n: number, shape: number[]): Tensor {
  const rng = new Rng(1);
  const x = new Float32Array(n * shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < x.length; i++) x[i] = rng.random();
  return new Tensor(x, [n, ...shape]);
}

/**
 * Truncated normal (redrawn beyond 2σ): |w| <= 2σ (up to float32 rounding) and a standard
 * deviation of 0.8796σ; the sample tolerance grows as the layer gets smaller.
 */
function assertTruncatedNormal(name: string, w: Float32Array | Float64Array, sigma: number): void {
  const s = stats(w);
  assert.ok(s.maxAbs <= 2 * sigma * (1 + 1e-6), `${name}: max |w| ${s.maxAbs} > 2σ = ${2 * sigma}`);
  const tol = Math.max(0.01, 4 / Math.sqrt(w.length));
  assert.ok(Math.abs(s.std / (0.8796 * sigma) - 1) < tol, `${name}: std ${s.std}, expected ${0.8796 * sigma} (σ = ${sigma} truncated at 2σ), ${w.length} values`);
  assert.ok(Math.abs(s.mean) < 4 * sigma / Math.sqrt(w.length), `${name}: mean ${s.mean}, expected ~0`);
  if (w.length >= 10_000) assert.ok(s.maxAbs > 1.95 * sigma, `${name}: max |w| ${s.maxAbs}, expected draws up to the 2σ bound`);
}

test('fmnist-logreg: 784→10, weights and biases zero', () => {
  const model = fmnistLogregModel({ seed: 3 });
  assert.deepEqual(shapes(model), [['0.weight', [10, 784]], ['0.bias', [10]]]);
  for (const [name, p] of model.namedParameters()) assert.ok(p.data.every((v) => v === 0), `${name} is not zero`);
  const logits = noGrad(() => model.call(images(2, [784])));
  assert.deepEqual(logits.shape, [2, 10]);
});

test('fmnist-mlp: 784-1000-500-100-10, weights truncated normal σ = 0.03, biases 0', () => {
  const model = fmnistMlpModel({ seed: 0 });
  assert.deepEqual(shapes(model), [
    ['0.weight', [1000, 784]], ['0.bias', [1000]], ['2.weight', [500, 1000]], ['2.bias', [500]],
    ['4.weight', [100, 500]], ['4.bias', [100]], ['6.weight', [10, 100]], ['6.bias', [10]],
  ]);
  assert.equal(model.numParameters(), 784 * 1000 + 1000 + 1000 * 500 + 500 + 500 * 100 + 100 + 100 * 10 + 10);
  for (const [name, p] of model.namedParameters()) {
    if (name.endsWith('bias')) assert.ok(p.data.every((v) => v === 0), `${name} is not zero`);
    else assertTruncatedNormal(name, p.data, 0.03);
  }
  const logits = noGrad(() => model.call(images(2, [784])));
  assert.deepEqual(logits.shape, [2, 10]);
  assert.ok(logits.data.every(Number.isFinite));
});

test('fmnist-2c2d: two 5×5 conv (32, 64) + pools, dense 1024 and 10; weights truncated normal σ = 0.05, biases 0.05', () => {
  const model = fmnist2c2dModel({ seed: 0 });
  assert.deepEqual(shapes(model), [
    ['0.weight', [32, 1, 5, 5]], ['0.bias', [32]], ['3.weight', [64, 32, 5, 5]], ['3.bias', [64]],
    ['7.weight', [1024, 3136]], ['7.bias', [1024]], ['9.weight', [10, 1024]], ['9.bias', [10]],
  ]);
  for (const [name, p] of model.namedParameters()) {
    if (name.endsWith('bias')) assert.ok(p.data.every((v) => v === Math.fround(0.05)), `${name}: expected every bias 0.05`);
    else assertTruncatedNormal(name, p.data, 0.05);
  }
  const logits = noGrad(() => model.call(images(2, [1, 28, 28])));
  assert.deepEqual(logits.shape, [2, 10]);
  assert.ok(logits.data.every(Number.isFinite));
});

test('the models are seeded: same seed, same weights; another seed, other weights', () => {
  const a = fmnistMlpModel({ seed: 4 }), b = fmnistMlpModel({ seed: 4 }), c = fmnistMlpModel({ seed: 5 });
  assert.deepEqual(a.parameters()[2]!.data, b.parameters()[2]!.data);
  assert.notDeepEqual(a.parameters()[2]!.data, c.parameters()[2]!.data);
  assert.equal(fmnistMlpModel({ dtype: 'float64' }).parameters()[0]!.data.constructor, Float64Array);
  assert.throws(() => fmnistMlpModel({ seed: -1 }), /invalid seed -1, expected an integer >= 0/);
});

test('the Fashion-MNIST problems train exactly these models', { skip: findFashionMnist() === null ? 'Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)' : false }, () => {
  for (const [name, build] of [['fmnist-logreg', fmnistLogregModel], ['fmnist-mlp', fmnistMlpModel], ['fmnist-2c2d', fmnist2c2dModel]] as const) {
    const problem = createTrainingProblem(name, { seed: 2, trainLimit: 10, testLimit: 10 });
    const model = build({ seed: 2 });
    assert.deepEqual(shapes(problem.model), shapes(model), name);
    problem.model.parameters().forEach((p, i) => assert.deepEqual(p.data, model.parameters()[i]!.data, `${name}: parameter ${i}`));
  }
});

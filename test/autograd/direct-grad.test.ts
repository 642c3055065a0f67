/**
 * backward()'s direct path (GradFn.backwardInto: a leaf's gradient written by gemm straight into
 * `leaf.grad`) equals the reference path (grad(), which makes gradient tensors and sums them):
 * bit for bit into a zeroed grad and for float64; within float32 rounding when accumulating.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { functional as F } from '../../src/tensor/index.js';
import { grad } from '../../src/autograd/index.js';
import type { DType } from '../../src/core/dtype.js';
import { assertBitEqual, randomTensor } from './gradcheck.js';


describe('backward writes leaf gradients of matmul directly', () => {
  for (const dtype of ['float64', 'float32'] as DType[]) {
    test(`${dtype}: linear layers (weights used once, and one used twice)`, () => {
      const rng = new Rng(3);
      const x = randomTensor(rng, dtype, [37, 20]);
      const w1 = randomTensor(rng, dtype, [30, 20], true), b1 = randomTensor(rng, dtype, [30], true);
      const w2 = randomTensor(rng, dtype, [30, 30], true); // used twice: the reference path
      const w3 = randomTensor(rng, dtype, [7, 30], true);
      const params = [w1, b1, w2, w3];
      const loss = () => {
        const h = F.relu(F.linear(x, w1, b1));
        const h2 = F.tanh(F.linear(F.linear(h, w2), w2));
        const y = F.linear(h2, w3).matmul(randomTensor(new Rng(5), dtype, [7, 3]));
        return y.mul(y).sum();
      };
      const expected = grad(loss(), params);
      loss().backward();
      params.forEach((p, i) => assertBitEqual(p.grad!, expected[i]!.data, `grad ${i}`));
      // A second backward accumulates (gemm with beta = 1).
      loss().backward();
      params.forEach((p, i) => {
        const e = expected[i]!.data;
        for (let j = 0; j < e.length; j++) {
          const want = dtype === 'float32' ? Math.fround(e[j]! + e[j]!) : e[j]! + e[j]!;
          const tol = dtype === 'float64' ? 0 : 2 ** -22 * Math.abs(want);
          assert.ok(Math.abs(p.grad![j]! - want) <= tol, `accumulated grad ${i}[${j}]: ${p.grad![j]} vs ${want}`);
        }
      });
      // zeroGrad marks the grad as zeros: the next backward overwrites it, bit for bit.
      for (const p of params) p.zeroGrad();
      loss().backward();
      params.forEach((p, i) => assertBitEqual(p.grad!, expected[i]!.data, `grad ${i} after zeroGrad`));
    });
  }

  test('createGraph keeps the recorded path (gradients stay differentiable)', () => {
    const rng = new Rng(4);
    const x = randomTensor(rng, 'float64', [4, 3]);
    const w = randomTensor(rng, 'float64', [2, 3], true);
    const [g] = grad(F.linear(x, w).square().sum(), [w], { createGraph: true });
    assert.ok(g!.requiresGrad);
  });
});

/**
 * backward() into an embedding weight (a leaf used once) adds only the rows looked up, and
 * zeroGrad clears only the rows in `gradRows`: the cost follows the rows touched, not the
 * table. The numbers equal the dense reference path (grad(), which builds a full-size
 * gradient tensor) bit for bit, fresh and accumulating; createGraph keeps working.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { allocate, type DType } from '../../src/core/dtype.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { functional as F } from '../../src/tensor/index.js';
import { grad } from '../../src/autograd/index.js';
import { SparseAdam } from '../../src/optim/optimizers/index.js';
import { assertBitEqual, randomTensor } from './gradcheck.js';


/** A loss through one lookup of `w` (duplicates included) and a nonlinearity. */
function lookupLoss(w: Tensor, indices: number[], seed: number): Tensor {
  const out = F.embedding(w, indices, [indices.length]);
  const c = randomTensor(new Rng(seed), w.dtype, out.shape);
  return out.tanh().mul(c).sum();
}

describe('row-sparse backward equals the dense path', () => {
  for (const dtype of ['float64', 'float32'] as DType[]) {
    test(`${dtype}: fresh, accumulating, after Tensor.zeroGrad and after Optimizer.zeroGrad`, () => {
      const w = randomTensor(new Rng(1), dtype, [50, 7], true);
      const first = [3, 41, 3, 0, 17, 3];
      const second = [17, 49, 41, 41];
      const g1 = grad(lookupLoss(w, first, 10), [w])[0]!.data;
      const g2 = grad(lookupLoss(w, second, 11), [w])[0]!.data;

      lookupLoss(w, first, 10).backward();
      assertBitEqual(w.grad!, g1, 'fresh');
      assert.deepEqual(Array.from(w.gradRows!), [0, 3, 17, 41]);

      lookupLoss(w, second, 11).backward();
      const sum = allocate(dtype, g1.length);
      for (let i = 0; i < sum.length; i++) sum[i] = g1[i]! + g2[i]!; // rounded to the array's type
      assertBitEqual(w.grad!, sum, 'accumulated');
      assert.deepEqual(Array.from(w.gradRows!), [0, 3, 17, 41, 49]);

      w.zeroGrad();
      assert.ok(w.grad!.every((v) => v === 0));
      lookupLoss(w, second, 11).backward();
      assertBitEqual(w.grad!, g2, 'after Tensor.zeroGrad');
      assert.deepEqual(Array.from(w.gradRows!), [17, 41, 49]);

      const opt = new SparseAdam([w]);
      opt.zeroGrad();
      assert.ok(w.grad!.every((v) => v === 0));
      assert.equal(w.gradRows!.length, 0);
      lookupLoss(w, first, 10).backward();
      assertBitEqual(w.grad!, g1, 'after Optimizer.zeroGrad');
      assert.deepEqual(Array.from(w.gradRows!), [0, 3, 17, 41]);
    });
  }

  test('a weight used twice takes the dense path, with the same numbers and the union of rows', () => {
    const w = randomTensor(new Rng(2), 'float64', [20, 3], true);
    const loss = () => lookupLoss(w, [1, 5], 20).add(lookupLoss(w, [5, 9], 21));
    const expected = grad(loss(), [w])[0]!.data;
    loss().backward();
    assertBitEqual(w.grad!, expected, 'two lookups');
    assert.deepEqual(Array.from(w.gradRows!), [1, 5, 9]);
  });

  test('createGraph: the gradient through a lookup stays differentiable (double backward)', () => {
    // f = sum_j c_j w[idx_j]^3, so d(grad f . v)/dw = 6 w v sum_{j: idx_j = row} c_j.
    const w = randomTensor(new Rng(3), 'float64', [6, 2], true);
    const idx = [4, 1, 4];
    const c = randomTensor(new Rng(4), 'float64', [3, 2]);
    const v = randomTensor(new Rng(5), 'float64', [6, 2]);
    const [g] = grad(F.embedding(w, idx).pow(3).mul(c).sum(), [w], { createGraph: true });
    assert.ok(g!.requiresGrad);
    g!.mul(v).sum().backward();
    const expected = new Float64Array(12);
    idx.forEach((row, j) => {
      for (let k = 0; k < 2; k++) expected[row * 2 + k] += 6 * w.data[row * 2 + k]! * v.data[row * 2 + k]! * c.data[j * 2 + k]!;
    });
    for (let i = 0; i < 12; i++) assert.ok(Math.abs(w.grad![i]! - expected[i]!) <= 1e-12 * Math.max(1, Math.abs(expected[i]!)), `element ${i}`);

    const w2 = randomTensor(new Rng(3), 'float64', [6, 2], true);
    F.embedding(w2, idx).pow(3).mul(c).sum().backward({ createGraph: true });
    assert.deepEqual(Array.from(w2.gradRows!), [1, 4]);
    assert.ok(w2.grad!.every((x, i) => (i >> 1 === 1 || i >> 1 === 4 ? x !== 0 : x === 0)));
  });
});

describe('cost proportional to the rows touched', () => {
  // A deterministic count of the elements each pass writes. The untouched rows of the grad hold
  // -0 (a zero, so the row-sparse contract holds): any dense pass (adding a zero gradient, or
  // fill(0)) turns -0 into +0, so every element that is no longer -0 was written.
  const V = 250_000;
  const D = 64;
  const indices = [7, 123_456, 7, 249_999];
  const rows = [7, 123_456, 249_999];

  function written(g: Float32Array): number {
    let n = 0;
    for (let i = 0; i < g.length; i++) if (!Object.is(g[i], -0)) n++;
    return n;
  }

  test(`backward, Tensor.zeroGrad and Optimizer.zeroGrad on a ${V}x${D} table write ${rows.length} rows`, () => {
    const w = new Tensor(new Float32Array(V * D).fill(0.5), [V, D], { requiresGrad: true });
    w.grad = new Float32Array(V * D).fill(-0);
    w.gradZeroed = true;
    lookupLoss(w, indices, 30).backward();
    assert.equal(written(w.grad as Float32Array), rows.length * D, 'backward into a zeroed grad');
    assert.deepEqual(Array.from(w.gradRows!), rows);
    for (const r of rows) assert.ok(w.grad.subarray(r * D, (r + 1) * D).some((x) => x !== 0), `row ${r} has its gradient`);

    w.zeroGrad();
    assert.equal(written(w.grad as Float32Array), rows.length * D, 'Tensor.zeroGrad');
    assert.equal(w.grad.filter((x) => x !== 0).length, 0);

    const opt = new SparseAdam([w]);
    lookupLoss(w, indices, 30).backward();
    opt.step();
    opt.zeroGrad();
    assert.equal(written(w.grad as Float32Array), rows.length * D, 'Optimizer.zeroGrad');
    assert.equal(w.grad.filter((x) => x !== 0).length, 0);

    lookupLoss(w, indices, 30).backward(); // accumulating into gradRows = [] (not marked zeroed)
    assert.equal(written(w.grad as Float32Array), rows.length * D, 'backward after Optimizer.zeroGrad');
  });
});

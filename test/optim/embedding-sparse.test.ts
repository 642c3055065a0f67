/**
 * End to end: nn.Embedding -> loss -> backward (row-sparse, touched rows only) -> Adagrad or
 * SparseAdam (touched rows only) matches the dense pipeline (a full-size gradient from grad(),
 * no gradRows) on the touched rows, and leaves the rows never looked up exactly as they were.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import type { DType } from '../../src/core/dtype.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { grad } from '../../src/autograd/index.js';
import { Embedding } from '../../src/nn/index.js';
import { Adagrad, SparseAdam } from '../../src/optim/optimizers/index.js';

const V = 40;
const D = 5;
/** Lookups per step, duplicates included; rows 30..39 are never used. */
const BATCHES = [[3, 7, 3, 12], [7, 0, 29], [12, 12, 5, 3], [0, 1, 2], [29, 3]];
const UNUSED_FROM = 30;

function model(dtype: DType): Embedding {
  return new Embedding(V, D, { dtype, rng: new Rng(11) });
}

function loss(emb: Embedding, step: number): Tensor {
  const idx = BATCHES[step]!;
  const out = emb.lookup(idx);
  const rng = new Rng(50 + step);
  const target = new Tensor(Float64Array.from({ length: idx.length * D }, () => rng.normal()), [idx.length, D]);
  const t = emb.weight.dtype === 'float32' ? new Tensor(Float32Array.from(target.data), target.shape) : target;
  return out.tanh().sub(t).square().sum();
}

function sortedUnique(idx: number[]): number[] {
  return [...new Set(idx)].sort((a, b) => a - b);
}

describe('nn.Embedding into sparse optimizers', () => {
  for (const dtype of ['float64', 'float32'] as DType[]) {
    test(`${dtype} Adagrad: the sparse pipeline equals the dense one, untouched rows unchanged`, () => {
      const sparse = model(dtype);
      const dense = model(dtype);
      const start = Array.from(sparse.weight.data);
      const o1 = new Adagrad(sparse.parameters(), { lr: 0.1 });
      const o2 = new Adagrad(dense.parameters(), { lr: 0.1 });
      // A zero gradient with no rows whose zeros are -0: a dense pass (zeroGrad filling the
      // table, or backward adding a full-size gradient) would turn them into +0.
      const n = V * D;
      sparse.weight.grad = dtype === 'float32' ? new Float32Array(n).fill(-0) : new Float64Array(n).fill(-0);
      sparse.weight.gradRows = new Int32Array(0);
      for (let k = 0; k < BATCHES.length; k++) {
        o1.zeroGrad();
        loss(sparse, k).backward();
        assert.deepEqual(Array.from(sparse.weight.gradRows!), sortedUnique(BATCHES[k]!));
        const g = grad(loss(dense, k), [dense.weight])[0]!;
        assert.ok(sparse.weight.grad!.every((x, i) => x === g.data[i]), `step ${k}: gradient`);
        dense.weight.grad = g.data; // dense: no gradRows, every row updated
        dense.weight.gradRows = null;
        o1.step();
        o2.step();
        assert.deepEqual(Array.from(sparse.weight.data), Array.from(dense.weight.data), `step ${k}: weights`);
      }
      assert.deepEqual(Array.from(sparse.weight.data.subarray(UNUSED_FROM * D)), start.slice(UNUSED_FROM * D));
      assert.ok(sparse.weight.grad!.subarray(UNUSED_FROM * D).every((x) => Object.is(x, -0)), 'rows never looked up were never written');
      assert.notDeepEqual(Array.from(sparse.weight.data.subarray(0, D)), start.slice(0, D));
    });
  }

  test('float64 SparseAdam: lazy Adam on the touched rows of the dense gradient, untouched rows unchanged', () => {
    const emb = model('float64');
    const ref = model('float64');
    const start = Float64Array.from(emb.weight.data);
    const expected = Float64Array.from(start);
    const m = new Float64Array(V * D);
    const v = new Float64Array(V * D);
    const [b1, b2, eps, lr] = [0.9, 0.999, 1e-8, 0.05];
    const opt = new SparseAdam(emb.parameters(), { lr });
    for (let k = 0; k < BATCHES.length; k++) {
      opt.zeroGrad();
      loss(emb, k).backward();
      opt.step();
      ref.weight.data.set(expected);
      const g = grad(loss(ref, k), [ref.weight])[0]!.data;
      const t = k + 1;
      const stepSize = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
      for (const r of sortedUnique(BATCHES[k]!)) {
        for (let c = 0; c < D; c++) {
          const i = r * D + c;
          m[i] = m[i]! + (g[i]! - m[i]!) * (1 - b1);
          v[i] = v[i]! + (g[i]! * g[i]! - v[i]!) * (1 - b2);
          expected[i] = expected[i]! - stepSize * (m[i]! / (Math.sqrt(v[i]!) + eps));
        }
      }
    }
    for (let i = 0; i < expected.length; i++) {
      assert.ok(Math.abs(emb.weight.data[i]! - expected[i]!) <= 1e-13 * Math.max(1, Math.abs(expected[i]!)), `element ${i}: ${emb.weight.data[i]} vs ${expected[i]}`);
    }
    for (let i = UNUSED_FROM * D; i < V * D; i++) assert.ok(Object.is(emb.weight.data[i], start[i]), `untouched element ${i}`);
    const state = opt.stateDict().state['0']!;
    assert.equal(state.step, BATCHES.length);
  });
});

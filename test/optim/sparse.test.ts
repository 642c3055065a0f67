/** Row-sparse gradients (param.gradRows): sparse Adagrad and SparseAdam touch only those rows. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import type { Parameter } from '../../src/core/param.js';
import { Adagrad, SparseAdam } from '../../src/optim/optimizers/index.js';

const ROWS = 6;
const COLS = 3;

function embedding(): Parameter {
  const rng = new Rng(7);
  return { data: rng.fillNormal(new Float64Array(ROWS * COLS)) as Float64Array, grad: null, shape: [ROWS, COLS] };
}

/** Step k's touched rows and their gradient; other rows hold `fill` (0, or NaN to prove they are never read). */
function sparseGrad(k: number, fill: number): { grad: Float64Array; rows: Int32Array } {
  const rng = new Rng(100 + k);
  const rows = Int32Array.from([k % ROWS, (k * 3 + 1) % ROWS].filter((r, i, a) => a.indexOf(r) === i)).sort();
  const grad = new Float64Array(ROWS * COLS).fill(fill);
  for (const r of rows) for (let c = 0; c < COLS; c++) grad[r * COLS + c] = rng.normal();
  return { grad, rows };
}

describe('sparse Adagrad', () => {
  test('equals dense Adagrad on the same gradients (zeros elsewhere) and never reads untouched rows', () => {
    const dense = embedding();
    const sparse = embedding();
    const o1 = new Adagrad([dense], { lr: 0.1, initialAccumulatorValue: 0.1 });
    const o2 = new Adagrad([sparse], { lr: 0.1, initialAccumulatorValue: 0.1 });
    for (let k = 0; k < 12; k++) {
      dense.grad = sparseGrad(k, 0).grad;
      o1.step();
      const { grad, rows } = sparseGrad(k, NaN);
      sparse.grad = grad;
      sparse.gradRows = rows;
      o2.step();
    }
    assert.deepEqual(Array.from(sparse.data), Array.from(dense.data));
    assert.deepEqual(JSON.stringify(o2.stateDict()), JSON.stringify(o1.stateDict()));
  });
  test('weight decay with sparse gradients is rejected, as in torch', () => {
    const p = embedding();
    const o = new Adagrad([p], { weightDecay: 0.1 });
    const { grad, rows } = sparseGrad(0, 0);
    p.grad = grad;
    p.gradRows = rows;
    assert.throws(() => o.step(), /not compatible with sparse gradients/);
  });
});

describe('SparseAdam', () => {
  test('updates moments and values on touched rows only, with torch SparseAdam arithmetic', () => {
    const p = embedding();
    const start = Float64Array.from(p.data);
    const o = new SparseAdam([p], { lr: 0.01 });
    const m = new Float64Array(ROWS * COLS);
    const v = new Float64Array(ROWS * COLS);
    const ref = Float64Array.from(start);
    const [b1, b2, eps, lr] = [0.9, 0.999, 1e-8, 0.01];
    for (let k = 0; k < 10; k++) {
      const { grad, rows } = sparseGrad(k, NaN);
      p.grad = grad;
      p.gradRows = rows;
      o.step();
      const t = k + 1;
      const stepSize = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
      for (const r of rows) {
        for (let c = 0; c < COLS; c++) {
          const i = r * COLS + c;
          const g = grad[i]!;
          m[i] = m[i]! + (g - m[i]!) * (1 - b1);
          v[i] = v[i]! + (g * g - v[i]!) * (1 - b2);
          ref[i] = ref[i]! - stepSize * (m[i]! / (Math.sqrt(v[i]!) + eps));
        }
      }
    }
    for (let i = 0; i < ref.length; i++) assert.ok(Math.abs(p.data[i]! - ref[i]!) <= 1e-13 * Math.max(1, Math.abs(ref[i]!)), `element ${i}`);
    const state = o.stateDict().state['0']!;
    assert.equal(state.step, 10);
  });
  test('rows out of range are rejected with the offending index', () => {
    const p = embedding();
    const o = new SparseAdam([p]);
    p.grad = new Float64Array(ROWS * COLS);
    p.gradRows = Int32Array.of(2, ROWS);
    assert.throws(() => o.step(), /gradRows\[1\] = 6, expected a row index in \[0, 6\)/);
  });
  test('duplicate or unsorted rows are rejected with the index and both values, before any change', () => {
    for (const [rows, message] of [
      [Int32Array.of(1, 1), /parameter 0 gradRows\[1\] = 1 after gradRows\[0\] = 1, expected strictly increasing row indices/],
      [Int32Array.of(0, 4, 2), /parameter 0 gradRows\[2\] = 2 after gradRows\[1\] = 4, expected strictly increasing/],
    ] as const) {
      for (const make of [(q: Parameter) => new SparseAdam([q]), (q: Parameter) => new Adagrad([q])]) {
        const p = embedding();
        const o = make(p);
        p.grad = sparseGrad(0, 0).grad.fill(1);
        p.gradRows = rows;
        const before = Array.from(p.data);
        assert.throws(() => o.step(), message);
        assert.deepEqual(Array.from(p.data), before);
      }
    }
  });
  test('a bad sparse gradient is reported before any parameter changes', () => {
    const first = embedding();
    const second = embedding();
    const o = new SparseAdam([first, second]);
    first.grad = sparseGrad(0, 0).grad;
    first.gradRows = Int32Array.of(0, 1);
    second.grad = new Float64Array(ROWS * COLS);
    second.gradRows = Int32Array.of(-1);
    const before = Array.from(first.data);
    assert.throws(() => o.step(), /parameter 1 gradRows\[0\] = -1/);
    assert.deepEqual(Array.from(first.data), before);
    assert.deepEqual(o.stateDict().state, {});
  });
  test('the non-finite check reads only the touched rows', () => {
    const p = embedding();
    const o = new SparseAdam([p]);
    const { grad, rows } = sparseGrad(0, NaN);
    p.grad = grad;
    p.gradRows = rows;
    o.step();
    grad[rows[0]! * COLS] = NaN;
    assert.throws(() => o.step(), /non-finite gradient in parameter 0/);
  });
});

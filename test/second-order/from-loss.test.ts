import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Newton } from '../../src/optim/second-order/newton.js';
import { objectiveFromLoss } from '../../src/optim/second-order/from-loss.js';
import { Tensor } from '../../src/tensor/tensor.js';

function leaf(values: number[]): Tensor {
  const t = new Tensor(Float64Array.from(values), [values.length]);
  t.requiresGrad = true;
  return t;
}

/** f(w, u) = Σ c_i w_i² + (Σ w_i + u)², so ∇²f = diag(2c, 0) + 2·11ᵀ over (w, u). */
function problem() {
  const w = leaf([0.5, -1, 2]);
  const u = leaf([0.25]);
  const c = new Tensor(new Float64Array([1, 2, 3]), [3]);
  const loss = () => w.mul(w).mul(c).sum().add(w.sum().add(u.sum()).square());
  const H = (i: number, j: number) => (i === j && i < 3 ? 2 * [1, 2, 3][i]! : 0) + 2;
  return { w, u, loss, H };
}

describe('objectiveFromLoss', () => {
  test('value, gradient and Hessian-vector products match the analytic ones', () => {
    const { w, u, loss, H } = problem();
    const f = objectiveFromLoss(loss, [w, u]);
    assert.equal(f.dim, 4);
    const x = new Float64Array([1, 2, -1, 0.5]);
    const s = 1 + 2 - 1 + 0.5;
    const expected = 1 + 2 * 4 + 3 * 1 + s * s;
    assert.ok(Math.abs(f.value(x) - expected) < 1e-12);
    const g = new Float64Array(4);
    assert.ok(Math.abs(f.gradient(x, g) - expected) < 1e-12);
    const gExpected = [2 * 1 * 1 + 2 * s, 2 * 2 * 2 + 2 * s, 2 * 3 * -1 + 2 * s, 2 * s];
    for (let i = 0; i < 4; i++) assert.ok(Math.abs(g[i]! - gExpected[i]!) < 1e-12, `g[${i}] = ${g[i]}, expected ${gExpected[i]}`);
    const v = new Float64Array([0.3, -0.2, 1, 2]);
    const hv = new Float64Array(4);
    f.hessianVectorProduct(x, v, hv);
    for (let i = 0; i < 4; i++) {
      let e = 0;
      for (let j = 0; j < 4; j++) e += H(i, j) * v[j]!;
      assert.ok(Math.abs(hv[i]! - e) < 1e-12, `(Hv)[${i}] = ${hv[i]}, expected ${e}`);
    }
    assert.deepEqual(Array.from(u.data), [0.5], 'the parameters hold the last point evaluated');
  });

  test('Newton with CG on Hessian-vector products minimises the tensor loss in one step', () => {
    const { w, u, loss } = problem();
    const f = objectiveFromLoss(loss, [w, u]);
    const newton = new Newton(f, new Float64Array([1, 2, -1, 0.5]), { solver: 'cg' });
    newton.step();
    assert.ok(newton.gradNorm < 1e-10, `‖∇f‖ = ${newton.gradNorm}`);
  });

  test('validates its inputs', () => {
    const { w, loss } = problem();
    assert.throws(() => objectiveFromLoss(loss, []), /expected a non-empty array of Tensors/);
    assert.throws(() => objectiveFromLoss(loss, [new Tensor(new Float64Array(2), [2])]), /does not require grad/);
    assert.throws(() => objectiveFromLoss(null as never, [w]), /invalid lossFn null/);
    const f = objectiveFromLoss(() => w.mul(w), [w]);
    assert.throws(() => f.value(new Float64Array(3)), /expected a scalar Tensor/);
  });
});

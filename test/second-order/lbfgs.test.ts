import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { LBFGS } from '../../src/optim/second-order/lbfgs.js';
import { cubicInterpolate } from '../../src/optim/second-order/strong-wolfe.js';
import type { Parameter } from '../../src/core/param.js';
import { DataError, ValueError } from '../../src/core/errors.js';
import { oracleFunction } from './oracle-functions.js';

const rosenbrock = oracleFunction({ name: 'rosenbrock', a: 1, b: 100 });

function setup(options: ConstructorParameters<typeof LBFGS>[1] = {}) {
  const params: Parameter[] = [{ data: new Float64Array([-1.2, 1]), grad: null }];
  const opt = new LBFGS(params, { lineSearchFn: 'strong_wolfe', maxIter: 5, historySize: 4, ...options });
  const closure = () => {
    opt.zeroGrad();
    return rosenbrock(params);
  };
  return { params, opt, closure };
}

describe('LBFGS', () => {
  test('defaults are torch 1.13 defaults, with maxEval = floor(maxIter * 5 / 4)', () => {
    const { params: _p, ...g } = new LBFGS([{ data: new Float64Array(1), grad: null }]).paramGroups[0]!;
    assert.deepEqual(g, { lr: 1, maxIter: 20, maxEval: 25, toleranceGrad: 1e-7, toleranceChange: 1e-9, historySize: 100, lineSearchFn: null });
    assert.equal(new LBFGS([{ data: new Float64Array(1), grad: null }], { maxIter: 7 }).paramGroups[0]!.maxEval, 8);
  });

  test('step returns the loss at the starting point and minimises Rosenbrock', () => {
    const { params, opt, closure } = setup();
    const first = opt.step(closure);
    assert.equal(first, 24.199999999999996);
    for (let i = 0; i < 20; i++) opt.step(closure);
    assert.ok(Math.abs(params[0]!.data[0]! - 1) < 1e-4 && Math.abs(params[0]!.data[1]! - 1) < 1e-4, `x = ${params[0]!.data}`);
  });

  test('stops at once when the gradient is already below toleranceGrad', () => {
    const params: Parameter[] = [{ data: new Float64Array([1, 1]), grad: null }];
    const opt = new LBFGS(params);
    const loss = opt.step(() => rosenbrock(params));
    assert.equal(loss, 0);
    assert.deepEqual(opt.stateDict().state[0], { funcEvals: 1, nIter: 0 });
  });

  test('stateDict / loadStateDict: a restored optimizer continues exactly', () => {
    const a = setup();
    a.opt.step(a.closure);
    a.opt.step(a.closure);
    const saved = JSON.parse(JSON.stringify(a.opt.stateDict()));
    const savedX = a.params[0]!.data.slice();
    assert.equal(saved.state[0].oldDirs.length, saved.state[0].ro.length);
    assert.deepEqual(saved.paramGroups[0].params, [0]);
    a.opt.step(a.closure);

    const b = setup();
    b.params[0]!.data.set(savedX);
    b.opt.loadStateDict(saved);
    b.opt.step(b.closure);
    assert.deepEqual(Array.from(b.params[0]!.data), Array.from(a.params[0]!.data));
    assert.deepEqual(b.opt.stateDict(), a.opt.stateDict());
  });

  test('loadStateDict rejects a malformed or mismatched state dict', () => {
    const { opt, closure } = setup();
    opt.step(closure);
    const good = opt.stateDict();
    assert.throws(() => opt.loadStateDict(null as never), DataError);
    assert.throws(() => opt.loadStateDict({ ...good, paramGroups: [] }), /expected \{state, paramGroups: \[one group\]\}/);
    const short = JSON.parse(JSON.stringify(good));
    short.state[0].d = [1];
    assert.throws(() => opt.loadStateDict(short), /invalid d of length 1, expected 2 numbers/);
  });

  test('state is empty before the first step', () => {
    assert.deepEqual(setup().opt.stateDict().state, {});
  });

  test('works on float32 parameters', () => {
    const params: Parameter[] = [{ data: new Float32Array([-1.2, 1]), grad: null }];
    const opt = new LBFGS(params, { lineSearchFn: 'strong_wolfe' });
    const closure = () => {
      const x = params[0]!.data;
      const r = x[1]! - x[0]! * x[0]!;
      params[0]!.grad = new Float32Array([-2 * (1 - x[0]!) - 400 * x[0]! * r, 200 * r]);
      return (1 - x[0]!) ** 2 + 100 * r * r;
    };
    for (let i = 0; i < 5; i++) opt.step(closure);
    assert.ok(params[0]!.data instanceof Float32Array);
    assert.ok(Math.abs(params[0]!.data[0]! - 1) < 1e-3, `x = ${params[0]!.data}`);
  });

  test('rejects more than one parameter group, as torch does', () => {
    const p = (): Parameter => ({ data: new Float64Array(2), grad: null });
    assert.throws(() => new LBFGS([{ params: [p()] }, { params: [p()] }]), /doesn't support per-parameter options \(parameter groups\): got 2 groups/);
    const one = new LBFGS([{ params: [p()], lr: 0.5 }], { maxIter: 3 });
    assert.equal(one.paramGroups[0]!.lr, 0.5);
    assert.equal(one.paramGroups[0]!.maxIter, 3);
  });

  test('validates options, params and the closure', () => {
    const p = [{ data: new Float64Array(2), grad: null }];
    assert.throws(() => new LBFGS(p, { lr: -1 }), /Invalid learning rate \(lr\): -1/);
    assert.throws(() => new LBFGS(p, { maxIter: 0 }), /Invalid maxIter: 0, expected an integer >= 1/);
    assert.throws(() => new LBFGS(p, { historySize: 2.5 }), /Invalid historySize: 2.5/);
    assert.throws(() => new LBFGS(p, { lineSearchFn: 'armijo' as never }), /Invalid lineSearchFn: "armijo", expected null or 'strong_wolfe'/);
    assert.throws(() => new LBFGS([]), ValueError);
    assert.throws(() => new LBFGS([{ data: [1, 2] } as never]), /invalid parameter at index 0/);
    const opt = new LBFGS(p);
    assert.throws(() => opt.step(undefined as never), /invalid closure undefined/);
    assert.throws(() => opt.step((() => 'x') as never), /closure returned "x", expected the loss as a number/);
  });

  test('cubicInterpolate finds the minimiser of a cubic and falls back to the midpoint', () => {
    // f(x) = (x - 1)², sampled at 0 and 3: the interpolating cubic is that parabola.
    assert.ok(Math.abs(cubicInterpolate(0, 1, -2, 3, 4, 4) - 1) < 1e-12);
    // The same with the points swapped.
    assert.ok(Math.abs(cubicInterpolate(3, 4, 4, 0, 1, -2) - 1) < 1e-12);
    // Bounds clamp the result.
    assert.equal(cubicInterpolate(0, 1, -2, 3, 4, 4, [2, 5]), 2);
    // No real minimiser (d1² < g1 g2): the midpoint of the bounds.
    assert.equal(cubicInterpolate(0, 0, 1, 1, 2 / 3, 1, [0, 4]), 2);
    assert.equal(cubicInterpolate(0, 0, 1, 1, 2 / 3, 1), 0.5);
  });
});

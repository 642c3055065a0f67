/**
 * Replays every case of test/fixtures/torch/lbfgs.json in float64: parameters after each
 * step and the losses within the case's f64 tolerance (scaled_rel), funcEvals and nIter exactly.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { LBFGS } from '../../src/optim/second-order/lbfgs.js';
import type { Parameter } from '../../src/core/param.js';
import { loadOracle, toF64, assertScaledRel } from '../helpers/oracle.js';
import { oracleFunction } from './oracle-functions.js';

const oracle = loadOracle('lbfgs');

describe('LBFGS replays torch 1.13 (lbfgs.json)', () => {
  test('the fixture has cases', () => assert.ok(oracle.cases.length >= 7));

  for (const c of oracle.cases) {
    test(c.id, () => {
      const lossAndGrad = oracleFunction(c.function);
      const params: Parameter[] = c.params_init.map((t: any) => ({ data: toF64(t), grad: null }));

      // The gradient code itself agrees with torch autograd at the start.
      lossAndGrad(params);
      c.initial_grads.forEach((g: any, i: number) => assertScaledRel(g.data, params[i]!.grad!, 1e-12, `${c.id} initial_grads[${i}]`));

      const g = c.resolved_param_groups[0];
      const opt = new LBFGS(params, {
        lr: g.lr, maxIter: g.max_iter, maxEval: g.max_eval, toleranceGrad: g.tolerance_grad,
        toleranceChange: g.tolerance_change, historySize: g.history_size, lineSearchFn: g.line_search_fn,
      });
      const closure = () => {
        opt.zeroGrad();
        return lossAndGrad(params);
      };
      const losses: number[] = [];
      for (let t = 0; t < c.num_steps; t++) {
        losses.push(opt.step(closure));
        c.params_after_step[t].forEach((e: any, i: number) => assertScaledRel(e.data, params[i]!.data, c.tolerance.f64, `${c.id} step ${t + 1} param ${i}`));
        const state = opt.stateDict().state[0]!;
        assert.equal(state.funcEvals, c.func_evals[t], `${c.id} funcEvals after step ${t + 1}`);
        assert.equal(state.nIter, c.n_iter[t], `${c.id} nIter after step ${t + 1}`);
      }
      losses.push(lossAndGrad(params));
      assertScaledRel(c.losses, losses, c.tolerance.f64, `${c.id} losses`);
    });
  }

  // Float32 parameters: the objective is computed in float64 on a copy and its loss and
  // gradient rounded to float32; parameters must stay within the case's f32 tolerance.
  for (const c of oracle.cases.filter((k) => k.tolerance.f32 !== null)) {
    test(`${c.id} (float32 parameters, tolerance ${c.tolerance.f32})`, () => {
      const lossAndGrad = oracleFunction(c.function);
      const params: Parameter[] = c.params_init.map((t: any) => ({ data: Float32Array.from(t.data), grad: null }));
      const shadow: Parameter[] = params.map((p) => ({ data: new Float64Array(p.data.length), grad: null }));
      const closure = () => {
        shadow.forEach((s, i) => s.data.set(params[i]!.data));
        const loss = lossAndGrad(shadow);
        params.forEach((p, i) => (p.grad = Float32Array.from(shadow[i]!.grad!)));
        return Math.fround(loss);
      };
      const g = c.resolved_param_groups[0];
      const opt = new LBFGS(params, { lr: g.lr, maxIter: g.max_iter, maxEval: g.max_eval, historySize: g.history_size, lineSearchFn: g.line_search_fn });
      for (let t = 0; t < c.num_steps; t++) {
        opt.step(closure);
        c.params_after_step[t].forEach((e: any, i: number) => assertScaledRel(e.data, params[i]!.data, c.tolerance.f32!, `${c.id} f32 step ${t + 1} param ${i}`));
        assert.equal(opt.stateDict().state[0]!.funcEvals, c.func_evals[t], `${c.id} f32 funcEvals after step ${t + 1}`);
      }
      assert.ok(params.every((p) => p.data instanceof Float32Array));
    });
  }
});

/**
 * Replays clip_grad.json and swa.json (PyTorch 1.13.1) in float64 (1e-10) and float32
 * (each case's f32 tolerance).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { loadOracle, assertScaledRel, relErr, toF32, toF64, type OracleTensor } from '../helpers/oracle.js';
import { clipGradNorm, clipGradValue } from '../../src/optim/utils/index.js';
import { AveragedModel } from '../../src/optim/averaging/index.js';
import type { Parameter } from '../../src/core/param.js';

const DTYPES = [
  { name: 'float64', convert: toF64, tol: (c: { tolerance: { f64: number } }) => c.tolerance.f64 },
  { name: 'float32', convert: toF32, tol: (c: { tolerance: { f32: number | null } }) => c.tolerance.f32! },
] as const;

describe('clip_grad.json (PyTorch 1.13.1)', () => {
  const oracle = loadOracle('clip_grad');
  for (const c of oracle.cases) {
    for (const dt of DTYPES) {
      test(`${c.id} [${dt.name}]`, () => {
        const params: Parameter[] = c.grads_in.map((g: OracleTensor) => ({
          data: dt.convert(g).fill(0), grad: dt.convert(g), shape: g.shape,
        }));
        if (c.kind === 'clip_grad_norm') {
          const normType = c.norm_type === 'inf' ? Infinity : c.norm_type;
          const total = clipGradNorm(params, c.max_norm, normType);
          assert.ok(relErr(c.total_norm, total) <= dt.tol(c), `total norm ${total} vs ${c.total_norm}`);
        } else {
          assert.equal(c.kind, 'clip_grad_value');
          clipGradValue(params, c.clip_value);
        }
        c.grads_out.forEach((g: OracleTensor, i: number) => {
          assertScaledRel(g.data, params[i]!.grad!, dt.tol(c), `${c.id} grad ${i}`);
        });
      });
    }
  }
});

describe('swa.json (PyTorch 1.13.1)', () => {
  const oracle = loadOracle('swa');
  for (const c of oracle.cases) {
    for (const dt of DTYPES) {
      test(`${c.id} [${dt.name}]`, () => {
        const params: Parameter[] = c.snapshots[0].map((t: OracleTensor) => ({ data: dt.convert(t), grad: null, shape: t.shape }));
        const avgFn = c.avg_fn.name === 'ema' ? 'ema' : 'swa';
        const model = new AveragedModel(params, avgFn === 'ema' ? { avgFn, decay: c.avg_fn.decay } : { avgFn });
        c.snapshots.forEach((snapshot: OracleTensor[], k: number) => {
          snapshot.forEach((t, i) => params[i]!.data.set(dt.convert(t)));
          model.updateParameters(params);
          assert.equal(model.nAveraged, c.n_averaged[k]);
          c.averages[k].forEach((t: OracleTensor, i: number) => {
            assertScaledRel(t.data, model.averages[i]!, dt.tol(c), `${c.id} step ${k} param ${i}`);
          });
        });
      });
    }
  }
});

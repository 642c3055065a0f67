/**
 * The PyTorch 1.13 oracle's objective functions: descent's gradients at params_init equal
 * torch autograd's `initial_grads` within 1e-10 (scaled_rel) in float64.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { FIXTURES, loadOracle, scaledRel, toF64, type OracleCase, type OracleTensor } from '../helpers/oracle.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { functional as F } from '../../src/tensor/index.js';

function t64(o: OracleTensor, requiresGrad = false): Tensor {
  return new Tensor(toF64(o), o.shape, { requiresGrad });
}

function objective(c: OracleCase, params: Tensor[]): Tensor {
  const fn = c.function;
  switch (fn.name) {
    case 'mlp': {
      const [W1, b1, W2, b2] = params as [Tensor, Tensor, Tensor, Tensor];
      const h = F.linear(t64(fn.X), W1, b1).tanh();
      return F.crossEntropy(F.linear(h, W2, b2), fn.y as number[]);
    }
    case 'rosenbrock': {
      const p = params[0]!;
      const x = p.indexSelect(0, [0]), y = p.indexSelect(0, [1]);
      return x.neg().add(fn.a).square().add(y.sub(x.square()).square().mul(fn.b)).sum();
    }
    case 'beale': {
      const p = params[0]!;
      const x = p.indexSelect(0, [0]), y = p.indexSelect(0, [1]);
      const term = (c0: number, k: number) => x.mul(y.pow(k)).sub(x).add(c0).square();
      return term(1.5, 1).add(term(2.25, 2)).add(term(2.625, 3)).sum();
    }
    case 'quadratic': {
      const x = params[0]!;
      const A = t64(fn.A), b = t64(fn.b);
      return x.matmul(A.matmul(x)).mul(0.5).sub(b.matmul(x));
    }
    default:
      throw new Error(`unknown function ${fn.name}`);
  }
}

const families = readdirSync(FIXTURES).filter((f) => f.endsWith('.json') && f !== 'index.json').map((f) => f.slice(0, -5));
const cases: OracleCase[] = [];
for (const family of families) {
  for (const c of loadOracle(family).cases) {
    if (c.function && typeof c.function === 'object' && c.initial_grads) cases.push(c);
  }
}

describe('oracle initial_grads (float64, scaled_rel <= 1e-10)', () => {
  test('the fixtures have mlp cases', () => {
    assert.ok(cases.some((c) => c.function.name === 'mlp'), 'no mlp cases found');
  });
  for (const c of cases) {
    test(`${c.id} (${c.function.name})`, () => {
      const params = (c.params_init as OracleTensor[]).map((p) => t64(p, true));
      objective(c, params).backward();
      params.forEach((p, i) => {
        const err = scaledRel(toF64(c.initial_grads[i]), p.grad!);
        assert.ok(err <= c.tolerance.f64, `${c.id} param ${i}: scaled_rel ${err.toExponential(3)} > ${c.tolerance.f64}`);
      });
    });
  }
});

describe('oracle mlp in float32', () => {
  test('float32 gradients agree with torch float64 to float32 accuracy', () => {
    const c = cases.find((k) => k.function.name === 'mlp')!;
    const fn = c.function;
    const params = (c.params_init as OracleTensor[]).map((p) => new Tensor(Float32Array.from(p.data), p.shape, { requiresGrad: true }));
    const [W1, b1, W2, b2] = params as [Tensor, Tensor, Tensor, Tensor];
    const X = new Tensor(Float32Array.from(fn.X.data), fn.X.shape);
    F.crossEntropy(F.linear(F.linear(X, W1, b1).tanh(), W2, b2), fn.y as number[]).backward();
    params.forEach((p, i) => {
      const err = scaledRel(toF64(c.initial_grads[i]), p.grad!);
      assert.ok(p.grad instanceof Float32Array);
      assert.ok(err <= 1e-4, `param ${i}: scaled_rel ${err.toExponential(3)}`);
    });
  });
});

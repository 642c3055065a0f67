import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { getProblem, problemNames, problemRegistry, reddiOnlineGradient } from '../../src/lab/index.js';

/** Central-difference check of the analytic gradient (and Hessian, when there is one). */
function checkDerivatives(name: string, seed: number): void {
  const problem = getProblem(name);
  const inst = problem.create(seed);
  const p = inst.params[0]!;
  const x = p.data as Float64Array;
  inst.lossAndGradient(1, 'full');
  const g = Float64Array.from(p.grad!);
  const coords = Array.from({ length: Math.min(x.length, 4) }, (_, i) => Math.floor((i * x.length) / Math.min(x.length, 4)));
  const h = 1e-6;
  for (const i of coords) {
    const xi = x[i]!;
    x[i] = xi + h;
    const fp = inst.lossAndGradient(1, 'full');
    x[i] = xi - h;
    const fm = inst.lossAndGradient(1, 'full');
    x[i] = xi;
    const fd = (fp - fm) / (2 * h);
    assert.ok(Math.abs(fd - g[i]!) <= 1e-5 * Math.max(1, Math.abs(g[i]!)), `${name} seed ${seed}: df/dx${i} = ${g[i]} but finite differences give ${fd}`);
  }
  const obj = inst.objective;
  if (obj?.hessian) {
    const n = obj.dim;
    const H = new Float64Array(n * n);
    obj.hessian(x, H);
    const gp = new Float64Array(n), gm = new Float64Array(n);
    for (const j of coords) {
      const xj = x[j]!;
      x[j] = xj + h;
      obj.gradient(x, gp);
      x[j] = xj - h;
      obj.gradient(x, gm);
      x[j] = xj;
      for (const i of coords) {
        const fd = (gp[i]! - gm[i]!) / (2 * h);
        assert.ok(Math.abs(fd - H[i * n + j]!) <= 1e-4 * Math.max(1, Math.abs(fd)), `${name}: H[${i}][${j}] = ${H[i * n + j]} but finite differences give ${fd}`);
      }
    }
  }
}

describe('problem registry', () => {
  test('has the brief\'s problems', () => {
    for (const name of ['rosenbrock', 'beale', 'booth', 'himmelblau', 'rastrigin', 'ackley', 'saddle', 'monkey-saddle', 'rosenbrock-scaled',
      'quadratic-k100', 'quadratic-rotated-k1000', 'reddi', 'reddi-stochastic', 'quadratic-deep']) {
      assert.ok(problemRegistry.has(name), name);
    }
  });

  test('unknown problem names are refused with the valid list', () => {
    assert.throws(() => getProblem('rosenbrok'), (e: Error) => e.message.includes('"rosenbrok"') && e.message.includes('rosenbrock, rosenbrock-scaled'));
  });

  // Data problems (they record test measures) have their own checks in data-problems.test.ts.
  for (const name of problemNames().filter((n) => !n.startsWith('reddi') && !getProblem(n).measures)) {
    test(`${name}: analytic gradient (and Hessian) match finite differences`, () => {
      checkDerivatives(name, 0);
      checkDerivatives(name, 3);
    });
  }
});

describe('minima and starts', () => {
  test('the 2-D functions are 0 at their minimizers', () => {
    const at = (name: string, x: number, y: number) => getProblem(name).create(0, { start: [x, y] }).metric();
    assert.equal(at('rosenbrock', 1, 1), 0);
    assert.equal(at('rosenbrock-scaled', 1, 1 / 3), 0);
    assert.equal(at('beale', 3, 0.5), 0);
    assert.equal(at('booth', 1, 3), 0);
    assert.equal(at('himmelblau', 3, 2), 0);
    assert.equal(at('rastrigin', 0, 0), 0);
    assert.ok(Math.abs(at('ackley', 0, 0)) < 1e-12);
    assert.ok(at('rosenbrock', -1.2, 1) > 1);
  });

  test('seed 0 is the canonical start, other seeds perturb it reproducibly', () => {
    const p = getProblem('rosenbrock');
    assert.deepEqual([...p.create(0).params[0]!.data], [-1.2, 1]);
    const a = [...p.create(1).params[0]!.data];
    assert.notDeepEqual(a, [-1.2, 1]);
    assert.deepEqual([...p.create(1).params[0]!.data], a);
    assert.notDeepEqual([...p.create(2).params[0]!.data], a);
  });

  test('quadratics record ‖x‖/‖x₀‖ and the rotated one is not diagonal', () => {
    const q = getProblem('quadratic-rotated-k100').create(0);
    assert.equal(q.metric(), 1);
    const H = new Float64Array(4);
    q.objective!.hessian!(q.params[0]!.data as Float64Array, H);
    assert.ok(Math.abs(H[1]!) > 1e-3, `off-diagonal ${H[1]}`);
    const trace = H[0]! + H[3]!, det = H[0]! * H[3]! - H[1]! * H[2]!;
    assert.ok(Math.abs(trace - 101) < 1e-9 && Math.abs(det - 100) < 1e-9, `eigenvalues 1 and 100: trace ${trace}, det ${det}`);
  });
});

describe('Reddi et al. problems', () => {
  test('online gradients follow C, −1, −1, C, ...', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((t) => reddiOnlineGradient(t, 3)), [3, -1, -1, 3, -1, -1, 3]);
  });

  test('projection keeps x in [−1, 1]; metric is x + 1', () => {
    const inst = getProblem('reddi').create(0, { start: [0.5] });
    const x = inst.params[0]!.data;
    x[0] = 7;
    inst.project!();
    assert.equal(x[0], 1);
    assert.equal(inst.metric(), 2);
  });

  test('the stochastic variant has positive mean gradient (optimum −1) and depends on the seed', () => {
    const draw = (seed: number) => {
      const inst = getProblem('reddi-stochastic').create(seed);
      const gs: number[] = [];
      for (let t = 1; t <= 4000; t++) {
        inst.lossAndGradient(t, 'stochastic');
        gs.push(inst.params[0]!.grad![0]!);
      }
      return gs;
    };
    const a = draw(0);
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    assert.ok(mean > 0 && Math.abs(mean - 0.1) < 0.3, `mean gradient ${mean}`);
    assert.notDeepEqual(draw(1).slice(0, 50), a.slice(0, 50));
    assert.deepEqual(draw(0).slice(0, 50), a.slice(0, 50));
  });
});

describe('quadratic-deep', () => {
  test("mini-batch loss and gradient equal src/data's on the same batch; the metric is the training suboptimality", async () => {
    const { makeQuadraticDeep } = await import('../../src/data/quadratic-deep.js');
    const { Rng } = await import('../../src/core/rng.js');
    const q = makeQuadraticDeep({ seed: 42, dtype: 'float64' });
    const inst = getProblem('quadratic-deep').create(5);
    const theta = inst.params[0]!.data as Float64Array;
    const rng = new Rng(5).split('batches'); // the problem's batch stream for seed 5
    const train = q.train.x as Float64Array;
    for (let step = 1; step <= 3; step++) {
      const batch = new Float64Array(128 * 100);
      for (let b = 0; b < 128; b++) { const r = rng.int(q.train.n); batch.set(train.subarray(r * 100, (r + 1) * 100), b * 100); }
      const expectGrad = new Float64Array(100);
      const expectLoss = q.lossAndGradient(theta, batch, expectGrad, 128);
      const loss = inst.lossAndGradient(step, 'stochastic');
      assert.ok(Math.abs(loss - expectLoss) <= 1e-9 * Math.abs(expectLoss), `loss ${loss} vs ${expectLoss}`);
      const g = inst.params[0]!.grad!;
      for (let i = 0; i < 100; i++) assert.ok(Math.abs(g[i]! - expectGrad[i]!) <= 1e-9 * (1 + Math.abs(expectGrad[i]!)), `grad[${i}]`);
      for (let i = 0; i < 100; i++) theta[i] = theta[i]! - 0.01 * g[i]!;
    }
    const full = q.loss(theta, train, q.train.n);
    const mean = new Float64Array(100);
    for (let r = 0; r < q.train.n; r++) for (let i = 0; i < 100; i++) mean[i]! += train[r * 100 + i]! / q.train.n;
    const sub = full - q.loss(mean, train, q.train.n);
    assert.ok(Math.abs(inst.metric() - sub) <= 1e-9 * Math.abs(sub), `metric ${inst.metric()} vs ${sub}`);
  });
});

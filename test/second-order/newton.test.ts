import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Newton } from '../../src/optim/second-order/newton.js';
import { objectives, type Objective } from '../../src/optim/second-order/objective.js';
import { ValueError } from '../../src/core/errors.js';

const spd = (): { A: number[]; b: number[] } => ({
  A: [4, 1, 0.5, 1, 3, -0.2, 0.5, -0.2, 2],
  b: [1, -2, 0.5],
});

/** A quadratic without `hessian`, so the dense solver must build H from Hessian-vector products. */
function withoutHessian(o: Objective): Objective {
  return { dim: o.dim, value: o.value, gradient: o.gradient, hessianVectorProduct: o.hessianVectorProduct };
}

describe('Newton', () => {
  for (const [name, make, opts] of [
    ['dense, analytic Hessian', () => objectives.quadratic(spd().A, spd().b), {}],
    ['dense, Hessian from products', () => withoutHessian(objectives.quadratic(spd().A, spd().b)), {}],
    ['cg', () => objectives.quadratic(spd().A, spd().b), { solver: 'cg' as const }],
  ] as const) {
    test(`converges on a quadratic in one step (${name})`, () => {
      const newton = new Newton(make(), new Float64Array([3, -1, 2]), opts);
      const info = newton.step();
      assert.ok(info.accepted);
      assert.ok(newton.gradNorm < 1e-12, `gradient norm ${newton.gradNorm}`);
      // A x = b at the minimum.
      const { A, b } = spd();
      for (let i = 0; i < 3; i++) {
        const ax = A[i * 3]! * newton.x[0]! + A[i * 3 + 1]! * newton.x[1]! + A[i * 3 + 2]! * newton.x[2]!;
        assert.ok(Math.abs(ax - b[i]!) < 1e-12);
      }
    });
  }

  test('pure Newton solves Rosenbrock from (-1.2, 1) in at most 7 iterations', () => {
    for (const solver of ['dense', 'cg'] as const) {
      const newton = new Newton(objectives.rosenbrock(), new Float64Array([-1.2, 1]), { solver });
      const { converged, steps } = newton.minimize({ maxSteps: 50, gradTol: 1e-8 });
      assert.ok(converged, `${solver}: not converged, ‖∇f‖ = ${newton.gradNorm}`);
      assert.ok(steps.length <= 7, `${solver}: ${steps.length} iterations`);
      assert.ok(Math.abs(newton.x[0]! - 1) < 1e-6 && Math.abs(newton.x[1]! - 1) < 1e-6);
      assert.ok(steps.every((s) => s.t === 1 && s.damping === 0));
    }
  });

  test('damped Newton with backtracking solves Rosenbrock in at most 25 iterations, f never rising', () => {
    const newton = new Newton(objectives.rosenbrock(), new Float64Array([-1.2, 1]), { damping: 1e-3, lineSearch: true });
    const { converged, steps } = newton.minimize({ maxSteps: 100, gradTol: 1e-8 });
    assert.ok(converged, `‖∇f‖ = ${newton.gradNorm}`);
    assert.ok(steps.length <= 25, `${steps.length} iterations`);
    for (const s of steps) assert.ok(s.newValue < s.value, `f rose from ${s.value} to ${s.newValue}`);
    assert.ok(steps.some((s) => s.t < 1), 'the line search never backtracked');
    assert.ok(new Set(steps.map((s) => s.damping)).size > 1, 'damping never adapted');
  });

  test('adaptive damping raises λ until the step succeeds on an indefinite Hessian', () => {
    const newton = new Newton(objectives.saddle(), new Float64Array([1, 0.5]), { damping: 0.1 });
    const info = newton.step();
    assert.ok(info.accepted);
    assert.ok(info.damping > 2, `λ = ${info.damping}: H + λI must be positive definite (H has eigenvalue -2)`);
    assert.ok(info.newValue < info.value);
  });

  test('with a line search, an uphill Newton direction is replaced by −∇f', () => {
    // At (0.1, 1) on x² − y² the Newton step −H⁻¹g = (−x, −y) climbs: gᵀp = 2y² − 2x² > 0.
    const newton = new Newton(objectives.saddle(), new Float64Array([0.1, 1]), { lineSearch: true });
    const info = newton.step();
    assert.equal(info.direction, 'gradient');
    assert.ok(info.newValue < info.value);
  });

  test('adaptive damping with the CG solver also lowers f on an indefinite problem', () => {
    const newton = new Newton(objectives.saddle(), new Float64Array([1, 0.5]), { solver: 'cg', damping: 0.1 });
    for (let i = 0; i < 3; i++) {
      const info = newton.step();
      assert.ok(info.accepted && info.newValue < info.value, `step ${i + 1}: ${info.value} -> ${info.newValue}`);
    }
  });

  test('info reports the step length, gradient norm and values', () => {
    const newton = new Newton(objectives.quadratic([2, 0, 0, 2], [0, 0]), new Float64Array([3, 4]));
    const info = newton.step();
    assert.equal(info.value, 25);
    assert.ok(Math.abs(info.newValue) < 1e-24);
    assert.ok(Math.abs(info.stepLength - 5) < 1e-12);
    assert.ok(info.gradNorm < 1e-12);
    assert.equal(info.direction, 'newton');
  });

  test('a singular Hessian falls back to the pseudo-inverse', () => {
    // f = (x + y)²/2 - (x + y): H = [[1,1],[1,1]] is singular; the minimum set is x + y = 1.
    const newton = new Newton(objectives.quadratic([1, 1, 1, 1], [1, 1]), new Float64Array([2, 3]));
    newton.step();
    assert.ok(Math.abs(newton.x[0]! + newton.x[1]! - 1) < 1e-12, `x = ${newton.x}`);
  });

  test('validates its inputs', () => {
    const q = objectives.quadratic([1, 0, 0, 1], [0, 0]);
    assert.throws(() => new Newton(q, new Float64Array(3)), /length 3, expected a Float64Array of length 2/);
    assert.throws(() => new Newton(q, new Float64Array(2), { solver: 'qr' as never }), /Invalid solver: "qr"/);
    assert.throws(() => new Newton(q, new Float64Array(2), { damping: -1 }), /Invalid damping: -1/);
    assert.throws(() => new Newton(q, new Float64Array(2), { shrink: 1 }), /Invalid shrink: 1/);
    assert.throws(() => new Newton(q, new Float64Array(2), { saddleFree: true, solver: 'cg' }), /saddleFree.*solver must be 'dense'/);
    assert.throws(() => new Newton({ dim: 2 } as never, new Float64Array(2)), /invalid objective/);
    assert.throws(() => new Newton(q, new Float64Array(2), { maxDenseDim: 1 }), (e: unknown) =>
      e instanceof ValueError && /dim 2 exceeds maxDenseDim 1/.test(e.message) && /HessianFree or LBFGS/.test(e.message));
  });

  test('the dense solver refuses large dimensions by default, naming the size', () => {
    const big: Objective = { dim: 6000, value: () => 0, gradient: () => 0, hessianVectorProduct: () => {} };
    assert.throws(() => new Newton(big, new Float64Array(6000)), /dim 6000 exceeds maxDenseDim 5000/);
    assert.doesNotThrow(() => new Newton(big, new Float64Array(6000), { solver: 'cg' }));
  });
});

describe('saddle-free Newton', () => {
  test('pure Newton jumps onto the saddle of x² − y² from (1, 1e-3) in one step', () => {
    const newton = new Newton(objectives.saddle(), new Float64Array([1, 1e-3]));
    newton.step();
    assert.deepEqual(Array.from(newton.x), [0, 0]);
    assert.equal(newton.gradNorm, 0);
  });

  test('saddle-free Newton escapes: |y| > 1 within 10 steps, f decreasing every step', () => {
    // |H| = 2I, so each step sends x to 0 and doubles y: 1e-3 · 2^10 > 1.
    const newton = new Newton(objectives.saddle(), new Float64Array([1, 1e-3]), { saddleFree: true });
    let steps = 0;
    while (Math.abs(newton.x[1]!) <= 1 && steps < 10) {
      const info = newton.step();
      assert.ok(info.newValue < info.value, `f rose at step ${steps + 1}`);
      steps += 1;
    }
    assert.ok(Math.abs(newton.x[1]!) > 1, `|y| = ${Math.abs(newton.x[1]!)} after ${steps} steps`);
    assert.ok(Math.abs(newton.x[0]!) < 1e-12);
  });

  test('saddle-free Newton with line search also leaves the monkey saddle downhill', () => {
    const newton = new Newton(objectives.monkeySaddle(), new Float64Array([0.1, 0.05]), { saddleFree: true, lineSearch: true });
    const start = newton.value;
    for (let i = 0; i < 10; i++) newton.step();
    assert.ok(newton.value < start - 1, `f went from ${start} to ${newton.value}`);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labOptimizerRegistry } from '../../src/lab/optimizers.js';
import { getProblem } from '../../src/lab/problems/registry.js';

test('hessianfree runs in the lab on problems with an exact Hessian, and is refused on stochastic ones', () => {
  const entry = labOptimizerRegistry.get('hessianfree')!;
  assert.equal(entry.tuneLr, false);
  const problem = getProblem('quadratic-rotated-k1000');
  assert.equal(entry.applicable(problem), true);
  const instance = problem.create(0);
  const stepper = entry.make(instance, {}, 1);
  const start = instance.metric();
  for (let t = 1; t <= 10; t++) stepper.step(t, 1);
  assert.ok(instance.metric() <= 1e-6 * Math.max(1, start), `metric ${instance.metric()} after 10 Hessian-free steps`);
  assert.match(String(entry.applicable(getProblem('reddi'))), /hessianfree needs a deterministic problem; reddi is online/);
});

/** Every optimizer reaches the minimum of a parabola and of Rosenbrock (table in convergence.ts; skips explained there). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TABLE, TOLERANCE, converge } from './convergence.js';

describe('convergence table', () => {
  for (const entry of TABLE) {
    for (const problem of ['parabola', 'rosenbrock'] as const) {
      const skip = entry.skip?.[problem];
      test(`${entry.name} on ${problem}`, skip ? { skip } : {}, () => {
        const r = converge(entry, problem);
        assert.ok(r.reachedAt > 0, `${entry.name} ended at (${r.final}) after ${entry.budget[problem]} steps, expected within ${TOLERANCE} of (1, 1)`);
      });
    }
  }
});

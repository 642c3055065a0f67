/**
 * `scaleByLearningRate(lr)`: u <- -lr * u. The one place the sign flips from a descent
 * direction to a delta added to the parameters. `lr` is a number or a schedule
 * `(step) => lr`, called with the 0-based update index.
 */
import type { FloatArray } from '../../core/dtype.js';
import type { ScalarOrSchedule } from '../../core/schedule.js';
import { checkHyper, hyperAt, type Transform, type UpdateContext } from './types.js';

export function scaleByLearningRate(lr: ScalarOrSchedule): Transform<Record<string, never>> {
  const rate = checkHyper(lr, 'lr', 'scaleByLearningRate', (v) => v >= 0, 'a number >= 0');
  return {
    name: 'scaleByLearningRate',
    init: () => ({}),
    update(u: FloatArray, _s, _p, ctx: UpdateContext): void {
      const s = -hyperAt(rate, ctx);
      const rows = ctx.rows;
      if (rows === null) scale(u, s, 0, u.length);
      else for (let r = 0; r < rows.length; r++) scale(u, s, rows[r]! * ctx.rowSize, (rows[r]! + 1) * ctx.rowSize);
    },
  };
}

function scale(u: FloatArray, s: number, lo: number, hi: number): void {
  for (let i = lo; i < hi; i++) u[i] = s * u[i]!;
}

/**
 * `scaleByAdagrad({ eps, initialAccumulatorValue })` (Duchi, Hazan & Singer, 2011), torch's form:
 *
 *   s <- s + g^2         u <- g / (sqrt(s) + eps)
 *
 * `s` starts at `initialAccumulatorValue` (torch 0; Keras/TF.js 0.1). Torch's `lr_decay` is a
 * learning-rate schedule, lr / (1 + t lr_decay), given to `scaleByLearningRate`.
 * With `ctx.rows` only those rows accumulate (torch's sparse Adagrad). State: `sum`.
 */
import { zerosBeside } from '../../kernels/memory.js';
import type { FloatArray } from '../../core/dtype.js';
import type { ScalarOrSchedule } from '../../core/schedule.js';
import { ValueError, show } from '../../core/errors.js';
import { checkParams, checkHyper, hyperAt, type Transform, type UpdateContext } from './types.js';

export interface ScaleByAdagradOptions {
  eps?: ScalarOrSchedule;
  initialAccumulatorValue?: number;
}

export interface AdagradState {
  sum: FloatArray;
}

export function scaleByAdagrad(options: ScaleByAdagradOptions = {}): Transform<AdagradState> {
  const eps = checkHyper(options.eps ?? 1e-10, 'eps', 'scaleByAdagrad', (v) => v >= 0, 'a number >= 0');
  const init = options.initialAccumulatorValue ?? 0;
  if (typeof init !== 'number' || !Number.isFinite(init) || init < 0) {
    throw new ValueError(`scaleByAdagrad: invalid initialAccumulatorValue ${show(init)}, expected a number >= 0`);
  }
  return {
    name: 'scaleByAdagrad',
    init(p: FloatArray): AdagradState {
      checkParams(p, 'scaleByAdagrad.init');
      const sum = zerosBeside(p);
      if (init !== 0) sum.fill(init);
      return { sum };
    },
    update(u: FloatArray, s: AdagradState, _p, ctx: UpdateContext): void {
      const e = hyperAt(eps, ctx);
      const rows = ctx.rows;
      if (rows === null) adagradRange(u, s.sum, e, 0, u.length);
      else for (let r = 0; r < rows.length; r++) adagradRange(u, s.sum, e, rows[r]! * ctx.rowSize, (rows[r]! + 1) * ctx.rowSize);
    },
  };
}

function adagradRange(u: FloatArray, sum: FloatArray, eps: number, lo: number, hi: number): void {
  for (let i = lo; i < hi; i++) {
    const g = u[i]!;
    sum[i] = sum[i]! + g * g;
    u[i] = g / (Math.sqrt(sum[i]!) + eps);
  }
}

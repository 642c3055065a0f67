/**
 * Weight decay: u <- u + weightDecay * p.
 *
 * Where it sits in a chain decides what it is:
 * - `addWeightDecay` (coupled, L2): before the scaling transform, so the decay is added to
 *   the gradient and rescaled with it (torch SGD/Adam/... `weight_decay`, Keras `kernel_regularizer`).
 * - `addDecayedWeights` (decoupled, Loshchilov & Hutter 2019): after the scaling transform,
 *   just before `scaleByLearningRate`, so p <- p - lr (u + wd p) (torch AdamW: p *= 1 - lr wd).
 * One operation, two names for the two placements.
 */
import type { FloatArray } from '../../core/dtype.js';
import type { ScalarOrSchedule } from '../../core/schedule.js';
import { checkHyper, hyperAt, type Transform, type UpdateContext } from './types.js';

function decay(name: string, weightDecay: ScalarOrSchedule): Transform<Record<string, never>> {
  const wd = checkHyper(weightDecay, 'weightDecay', name, (v) => v >= 0, 'a number >= 0');
  return {
    name,
    init: () => ({}),
    update(u: FloatArray, _s, p: FloatArray, ctx: UpdateContext): void {
      const w = hyperAt(wd, ctx);
      if (w === 0) return;
      const rows = ctx.rows;
      if (rows === null) axpy(u, p, w, 0, u.length);
      else for (let r = 0; r < rows.length; r++) axpy(u, p, w, rows[r]! * ctx.rowSize, (rows[r]! + 1) * ctx.rowSize);
    },
  };
}

function axpy(u: FloatArray, p: FloatArray, w: number, lo: number, hi: number): void {
  for (let i = lo; i < hi; i++) u[i] = u[i]! + w * p[i]!;
}

/** Coupled (L2) weight decay: put it before the scaling transform. */
export function addWeightDecay(weightDecay: ScalarOrSchedule): Transform<Record<string, never>> {
  return decay('addWeightDecay', weightDecay);
}

/** Decoupled weight decay: put it after the scaling transform, before the learning rate. */
export function addDecayedWeights(weightDecay: ScalarOrSchedule): Transform<Record<string, never>> {
  return decay('addDecayedWeights', weightDecay);
}

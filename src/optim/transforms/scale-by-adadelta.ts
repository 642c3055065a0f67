/**
 * `scaleByAdadelta({ rho, eps })` (Zeiler, 2012), torch's form:
 *
 *   s <- rho s + (1 - rho) g^2
 *   d <- sqrt(a + eps) / sqrt(s + eps) * g
 *   a <- rho a + (1 - rho) d^2          u <- d
 *
 * Torch then multiplies by lr (default 1.0). State: `squareAvg`, `accDelta`.
 */
import { zerosBeside } from '../../kernels/memory.js';
import type { FloatArray } from '../../core/dtype.js';
import type { ScalarOrSchedule } from '../../core/schedule.js';
import { checkParams, checkHyper, hyperAt, type Transform, type UpdateContext } from './types.js';

export interface AdadeltaState {
  squareAvg: FloatArray;
  accDelta: FloatArray;
}

export function scaleByAdadelta(options: { rho?: ScalarOrSchedule; eps?: ScalarOrSchedule } = {}): Transform<AdadeltaState> {
  const rho = checkHyper(options.rho ?? 0.9, 'rho', 'scaleByAdadelta', (v) => v >= 0 && v <= 1, 'a number in [0, 1]');
  const eps = checkHyper(options.eps ?? 1e-6, 'eps', 'scaleByAdadelta', (v) => v >= 0, 'a number >= 0');
  return {
    name: 'scaleByAdadelta',
    init(p: FloatArray): AdadeltaState {
      checkParams(p, 'scaleByAdadelta.init');
      const make = () => zerosBeside(p);
      return { squareAvg: make(), accDelta: make() };
    },
    update(u: FloatArray, s: AdadeltaState, _p, ctx: UpdateContext): void {
      const r = hyperAt(rho, ctx);
      const e = hyperAt(eps, ctx);
      const rows = ctx.rows;
      if (rows === null) adadeltaRange(u, s.squareAvg, s.accDelta, r, e, 0, u.length);
      else for (let j = 0; j < rows.length; j++) adadeltaRange(u, s.squareAvg, s.accDelta, r, e, rows[j]! * ctx.rowSize, (rows[j]! + 1) * ctx.rowSize);
    },
  };
}

function adadeltaRange(u: FloatArray, sq: FloatArray, acc: FloatArray, rho: number, eps: number, lo: number, hi: number): void {
  const c = 1 - rho;
  for (let i = lo; i < hi; i++) {
    const g = u[i]!;
    sq[i] = sq[i]! * rho + c * (g * g);
    const std = Math.sqrt(sq[i]! + eps);
    const d = (Math.sqrt(acc[i]! + eps) / std) * g;
    u[i] = d;
    const dd = u[i]!;
    acc[i] = acc[i]! * rho + c * (dd * dd);
  }
}

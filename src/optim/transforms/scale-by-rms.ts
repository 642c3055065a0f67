/**
 * `scaleByRms({ alpha, eps, centered, biasCorrection })`: RMSprop's scaling (Hinton, 2012;
 * centered: Graves, 2013), in torch 1.13's arithmetic:
 *
 *   s <- alpha s + (1 - alpha) g^2          (centered: a <- alpha a + (1 - alpha) g)
 *   u <- g / (sqrt(s) + eps)                (centered: sqrt(s - a^2))
 *
 * `biasCorrection: true` divides sqrt(s) by sqrt(1 - alpha^t) as Adam does; then this equals
 * `scaleByAdam` with b1 = 0 and b2 = alpha (a tested identity). Momentum is a separate
 * `trace` after it. State: `squareAvg`, `gradAvg` (null unless centered).
 */
import { zerosBeside } from '../../kernels/memory.js';
import type { FloatArray } from '../../core/dtype.js';
import type { ScalarOrSchedule } from '../../core/schedule.js';
import { ValueError } from '../../core/errors.js';
import { checkParams, checkFlag, checkHyper, flagAt, hyperAt, type Flag, type Transform, type UpdateContext } from './types.js';

export interface ScaleByRmsOptions {
  alpha?: ScalarOrSchedule;
  eps?: ScalarOrSchedule;
  centered?: Flag;
  biasCorrection?: boolean;
}

export interface RmsState {
  squareAvg: FloatArray;
  gradAvg: FloatArray | null;
}

export function scaleByRms(options: ScaleByRmsOptions = {}): Transform<RmsState> {
  const alpha = checkHyper(options.alpha ?? 0.99, 'alpha', 'scaleByRms', (v) => v >= 0 && v <= 1, 'a number in [0, 1]');
  const eps = checkHyper(options.eps ?? 1e-8, 'eps', 'scaleByRms', (v) => v >= 0, 'a number >= 0');
  const centered = checkFlag(options.centered ?? false, 'centered', 'scaleByRms');
  const biasCorrection = options.biasCorrection ?? false;
  if (biasCorrection && centered !== false) {
    throw new ValueError('scaleByRms: biasCorrection with centered is not supported, expected one of them');
  }
  return {
    name: 'scaleByRms',
    init(p: FloatArray): RmsState {
      checkParams(p, 'scaleByRms.init');
      const make = () => zerosBeside(p);
      return { squareAvg: make(), gradAvg: flagAt(centered) ? make() : null };
    },
    update(u: FloatArray, s: RmsState, _p, ctx: UpdateContext): void {
      const a = hyperAt(alpha, ctx);
      const e = hyperAt(eps, ctx);
      let ga: FloatArray | null = null;
      if (flagAt(centered)) {
        if (s.gradAvg === null) s.gradAvg = u instanceof Float64Array ? new Float64Array(u.length) : new Float32Array(u.length);
        ga = s.gradAvg;
      }
      const k = biasCorrection ? 1 / Math.sqrt(1 - Math.pow(a, ctx.step)) : 1;
      const rows = ctx.rows;
      if (rows === null) rmsRange(u, s.squareAvg, ga, a, e, k, 0, u.length);
      else for (let r = 0; r < rows.length; r++) rmsRange(u, s.squareAvg, ga, a, e, k, rows[r]! * ctx.rowSize, (rows[r]! + 1) * ctx.rowSize);
    },
  };
}

function rmsRange(u: FloatArray, sq: FloatArray, ga: FloatArray | null, a: number, eps: number, k: number, lo: number, hi: number): void {
  const c = 1 - a;
  if (ga === null) {
    for (let i = lo; i < hi; i++) {
      const g = u[i]!;
      sq[i] = sq[i]! * a + c * (g * g);
      u[i] = (g / (Math.sqrt(sq[i]!) * k + eps)) * 1;
    }
  } else {
    for (let i = lo; i < hi; i++) {
      const g = u[i]!;
      sq[i] = sq[i]! * a + c * (g * g);
      ga[i] = ga[i]! * a + c * g;
      u[i] = g / (Math.sqrt(sq[i]! - ga[i]! * ga[i]!) * k + eps);
    }
  }
}

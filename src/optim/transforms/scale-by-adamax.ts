/**
 * `scaleByAdamax({ b1, b2, eps })` (Kingma & Ba, 2015, Sec. 7.1), torch's form:
 *
 *   m <- b1 m + (1 - b1) g      n <- max(b2 n, |g| + eps)      u <- (m / n) / (1 - b1^t)
 *
 * State: `expAvg`, `expInf`.
 */
import type { FloatArray } from '../../core/dtype.js';
import type { ScalarOrSchedule } from '../../core/schedule.js';
import { checkParams, checkHyper, hyperAt, type Transform, type UpdateContext } from './types.js';

export interface AdamaxState {
  expAvg: FloatArray;
  expInf: FloatArray;
}

const unit = (v: number) => v >= 0 && v < 1;

export function scaleByAdamax(options: { b1?: ScalarOrSchedule; b2?: ScalarOrSchedule; eps?: ScalarOrSchedule } = {}): Transform<AdamaxState> {
  const b1 = checkHyper(options.b1 ?? 0.9, 'b1', 'scaleByAdamax', unit, 'a number in [0, 1)');
  const b2 = checkHyper(options.b2 ?? 0.999, 'b2', 'scaleByAdamax', unit, 'a number in [0, 1)');
  const eps = checkHyper(options.eps ?? 1e-8, 'eps', 'scaleByAdamax', (v) => v >= 0, 'a number >= 0');
  return {
    name: 'scaleByAdamax',
    init(p: FloatArray): AdamaxState {
      checkParams(p, 'scaleByAdamax.init');
      const make = () => (p instanceof Float64Array ? new Float64Array(p.length) : new Float32Array(p.length));
      return { expAvg: make(), expInf: make() };
    },
    update(u: FloatArray, s: AdamaxState, _p, ctx: UpdateContext): void {
      const beta1 = hyperAt(b1, ctx);
      const beta2 = hyperAt(b2, ctx);
      const e = hyperAt(eps, ctx);
      const c = 1 / (1 - Math.pow(beta1, ctx.step));
      const rows = ctx.rows;
      if (rows === null) adamaxRange(u, s.expAvg, s.expInf, beta1, beta2, e, c, 0, u.length);
      else for (let r = 0; r < rows.length; r++) adamaxRange(u, s.expAvg, s.expInf, beta1, beta2, e, c, rows[r]! * ctx.rowSize, (rows[r]! + 1) * ctx.rowSize);
    },
  };
}

function adamaxRange(u: FloatArray, m: FloatArray, n: FloatArray, b1: number, b2: number, eps: number, c: number, lo: number, hi: number): void {
  const c1 = 1 - b1;
  for (let i = lo; i < hi; i++) {
    const g = u[i]!;
    m[i] = m[i]! * b1 + c1 * g;
    const a = n[i]! * b2;
    const b = Math.abs(g) + eps;
    n[i] = a > b ? a : b;
    u[i] = (m[i]! / n[i]!) * c;
  }
}

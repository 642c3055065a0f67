/**
 * `scaleByRadam({ b1, b2, eps })` (Liu et al., 2020), torch 1.13's form:
 *
 *   m <- b1 m + (1 - b1) g      v <- b2 v + (1 - b2) g^2      m̂ = m / (1 - b1^t)
 *   rho_inf = 2 / (1 - b2) - 1   rho_t = rho_inf - 2 t b2^t / (1 - b2^t)
 *   rho_t > 5:  r = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))
 *               u <- m̂ * sqrt(1 - b2^t) / (sqrt(v) + eps) * r
 *   otherwise:  u <- m̂   (SGD with momentum while the variance estimate is unreliable)
 *
 * State: `expAvg`, `expAvgSq`.
 */
import type { FloatArray } from '../../core/dtype.js';
import type { ScalarOrSchedule } from '../../core/schedule.js';
import { checkParams, checkHyper, hyperAt, type Transform, type UpdateContext } from './types.js';

export interface RadamState {
  expAvg: FloatArray;
  expAvgSq: FloatArray;
}

const unit = (v: number) => v >= 0 && v < 1;

export function scaleByRadam(options: { b1?: ScalarOrSchedule; b2?: ScalarOrSchedule; eps?: ScalarOrSchedule } = {}): Transform<RadamState> {
  const b1 = checkHyper(options.b1 ?? 0.9, 'b1', 'scaleByRadam', unit, 'a number in [0, 1)');
  const b2 = checkHyper(options.b2 ?? 0.999, 'b2', 'scaleByRadam', unit, 'a number in [0, 1)');
  const eps = checkHyper(options.eps ?? 1e-8, 'eps', 'scaleByRadam', (v) => v >= 0, 'a number >= 0');
  return {
    name: 'scaleByRadam',
    init(p: FloatArray): RadamState {
      checkParams(p, 'scaleByRadam.init');
      const make = () => (p instanceof Float64Array ? new Float64Array(p.length) : new Float32Array(p.length));
      return { expAvg: make(), expAvgSq: make() };
    },
    update(u: FloatArray, s: RadamState, _p, ctx: UpdateContext): void {
      const beta1 = hyperAt(b1, ctx);
      const beta2 = hyperAt(b2, ctx);
      const e = hyperAt(eps, ctx);
      const t = ctx.step;
      const bc1 = 1 - Math.pow(beta1, t);
      const bc2 = 1 - Math.pow(beta2, t);
      const rhoInf = 2 / (1 - beta2) - 1;
      const rhoT = rhoInf - (2 * t * Math.pow(beta2, t)) / bc2;
      const rect = rhoT > 5 ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0;
      const rows = ctx.rows;
      if (rows === null) radamRange(u, s.expAvg, s.expAvgSq, beta1, beta2, e, bc1, Math.sqrt(bc2), rect, 0, u.length);
      else for (let r = 0; r < rows.length; r++) radamRange(u, s.expAvg, s.expAvgSq, beta1, beta2, e, bc1, Math.sqrt(bc2), rect, rows[r]! * ctx.rowSize, (rows[r]! + 1) * ctx.rowSize);
    },
  };
}

function radamRange(
  u: FloatArray, m: FloatArray, v: FloatArray, b1: number, b2: number, eps: number,
  bc1: number, sqrtBc2: number, rect: number, lo: number, hi: number,
): void {
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  for (let i = lo; i < hi; i++) {
    const g = u[i]!;
    m[i] = m[i]! * b1 + c1 * g;
    v[i] = v[i]! * b2 + c2 * (g * g);
    const mHat = m[i]! / bc1;
    u[i] = rect > 0 ? mHat * (sqrtBc2 / (Math.sqrt(v[i]!) + eps)) * rect : mHat;
  }
}

/**
 * `scaleByNadam({ b1, b2, eps, momentumDecay })` (Dozat, 2016), torch 1.13's form with the
 * momentum schedule mu_t = b1 (1 - 0.5 * 0.96^(t psi)):
 *
 *   P_t = P_{t-1} mu_t   (P_0 = 1)         m <- b1 m + (1 - b1) g     v <- b2 v + (1 - b2) g^2
 *   d = sqrt(v / (1 - b2^t)) + eps
 *   u <- (1 - mu_t) / (1 - P_t) * g / d + mu_{t+1} / (1 - P_t mu_t mu_{t+1}) * m / d
 *
 * The second denominator is torch 1.13's: mu_t appears twice in it (the paper and later torch
 * versions use 1 - P_t mu_{t+1}); the fixtures record it, and descent follows torch 1.13.
 *
 * State: `muProduct` (a number), `expAvg`, `expAvgSq`.
 */
import type { FloatArray } from '../../core/dtype.js';
import type { ScalarOrSchedule } from '../../core/schedule.js';
import { checkParams, checkHyper, hyperAt, type Transform, type UpdateContext } from './types.js';

export interface NadamState {
  muProduct: number;
  expAvg: FloatArray;
  expAvgSq: FloatArray;
}

export interface ScaleByNadamOptions {
  b1?: ScalarOrSchedule;
  b2?: ScalarOrSchedule;
  eps?: ScalarOrSchedule;
  momentumDecay?: ScalarOrSchedule;
}

const unit = (v: number) => v >= 0 && v < 1;

export function scaleByNadam(options: ScaleByNadamOptions = {}): Transform<NadamState> {
  const b1 = checkHyper(options.b1 ?? 0.9, 'b1', 'scaleByNadam', unit, 'a number in [0, 1)');
  const b2 = checkHyper(options.b2 ?? 0.999, 'b2', 'scaleByNadam', unit, 'a number in [0, 1)');
  const eps = checkHyper(options.eps ?? 1e-8, 'eps', 'scaleByNadam', (v) => v >= 0, 'a number >= 0');
  const psi = checkHyper(options.momentumDecay ?? 4e-3, 'momentumDecay', 'scaleByNadam', (v) => v >= 0, 'a number >= 0');
  return {
    name: 'scaleByNadam',
    init(p: FloatArray): NadamState {
      checkParams(p, 'scaleByNadam.init');
      const make = () => (p instanceof Float64Array ? new Float64Array(p.length) : new Float32Array(p.length));
      return { muProduct: 1, expAvg: make(), expAvgSq: make() };
    },
    update(u: FloatArray, s: NadamState, _p, ctx: UpdateContext): void {
      const beta1 = hyperAt(b1, ctx);
      const beta2 = hyperAt(b2, ctx);
      const e = hyperAt(eps, ctx);
      const md = hyperAt(psi, ctx);
      const t = ctx.step;
      const bc2 = 1 - Math.pow(beta2, t);
      const mu = beta1 * (1 - 0.5 * Math.pow(0.96, t * md));
      const muNext = beta1 * (1 - 0.5 * Math.pow(0.96, (t + 1) * md));
      s.muProduct *= mu;
      const cg = (1 - mu) / (1 - s.muProduct);
      // torch 1.13 quirk (recorded by the fixtures): the momentum term's product counts mu_t twice.
      const cm = muNext / (1 - s.muProduct * mu * muNext);
      const rows = ctx.rows;
      if (rows === null) nadamRange(u, s.expAvg, s.expAvgSq, beta1, beta2, e, bc2, cg, cm, 0, u.length);
      else for (let r = 0; r < rows.length; r++) nadamRange(u, s.expAvg, s.expAvgSq, beta1, beta2, e, bc2, cg, cm, rows[r]! * ctx.rowSize, (rows[r]! + 1) * ctx.rowSize);
    },
  };
}

function nadamRange(
  u: FloatArray, m: FloatArray, v: FloatArray, b1: number, b2: number, eps: number,
  bc2: number, cg: number, cm: number, lo: number, hi: number,
): void {
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  for (let i = lo; i < hi; i++) {
    const g = u[i]!;
    m[i] = m[i]! * b1 + c1 * g;
    v[i] = v[i]! * b2 + c2 * (g * g);
    const d = Math.sqrt(v[i]! / bc2) + eps;
    u[i] = cg * (g / d) + cm * (m[i]! / d);
  }
}

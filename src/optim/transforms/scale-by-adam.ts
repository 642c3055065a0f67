/**
 * `scaleByAdam({ b1, b2, eps, amsgrad })` (Kingma & Ba, 2015; AMSGrad: Reddi et al., 2018),
 * in torch 1.13's arithmetic:
 *
 *   m <- b1 m + (1 - b1) g          v <- b2 v + (1 - b2) g^2      (v̂ <- max(v̂, v) with amsgrad)
 *   u <- (m / (sqrt(v) / sqrt(1 - b2^t) + eps)) / (1 - b1^t)
 *
 * `epsAfterCorrection: false` gives the paper's "efficient" form used by torch's SparseAdam:
 *   u <- (sqrt(1 - b2^t) / (1 - b1^t)) * m / (sqrt(v) + eps).
 * With `ctx.rows` only those rows' moments move (lazy/sparse Adam).
 * State: `expAvg`, `expAvgSq`, `maxExpAvgSq` (null without amsgrad).
 */
import { zerosBeside } from '../../kernels/memory.js';
import type { FloatArray } from '../../core/dtype.js';
import type { ScalarOrSchedule } from '../../core/schedule.js';
import { checkParams, checkFlag, checkHyper, flagAt, hyperAt, type Flag, type Transform, type UpdateContext } from './types.js';

export interface ScaleByAdamOptions {
  b1?: ScalarOrSchedule;
  b2?: ScalarOrSchedule;
  eps?: ScalarOrSchedule;
  amsgrad?: Flag;
  epsAfterCorrection?: boolean;
}

export interface AdamState {
  expAvg: FloatArray;
  expAvgSq: FloatArray;
  maxExpAvgSq: FloatArray | null;
}

const unit = (v: number) => v >= 0 && v < 1;

export function scaleByAdam(options: ScaleByAdamOptions = {}): Transform<AdamState> {
  const b1 = checkHyper(options.b1 ?? 0.9, 'b1', 'scaleByAdam', unit, 'a number in [0, 1)');
  const b2 = checkHyper(options.b2 ?? 0.999, 'b2', 'scaleByAdam', unit, 'a number in [0, 1)');
  const eps = checkHyper(options.eps ?? 1e-8, 'eps', 'scaleByAdam', (v) => v >= 0, 'a number >= 0');
  const amsgrad = checkFlag(options.amsgrad ?? false, 'amsgrad', 'scaleByAdam');
  const corrected = options.epsAfterCorrection ?? true;
  return {
    name: 'scaleByAdam',
    init(p: FloatArray): AdamState {
      checkParams(p, 'scaleByAdam.init');
      const make = () => zerosBeside(p);
      return { expAvg: make(), expAvgSq: make(), maxExpAvgSq: flagAt(amsgrad) ? make() : null };
    },
    update(u: FloatArray, s: AdamState, _p, ctx: UpdateContext): void {
      const beta1 = hyperAt(b1, ctx);
      const beta2 = hyperAt(b2, ctx);
      const e = hyperAt(eps, ctx);
      const bc1 = 1 - Math.pow(beta1, ctx.step);
      const bc2 = 1 - Math.pow(beta2, ctx.step);
      let max: FloatArray | null = null;
      if (flagAt(amsgrad)) {
        if (s.maxExpAvgSq === null) s.maxExpAvgSq = u instanceof Float64Array ? new Float64Array(u.length) : new Float32Array(u.length);
        max = s.maxExpAvgSq;
      }
      // corrected: u = (m / (sqrt(v) * k + e)) * c ; raw: u = (m / (sqrt(v) + e)) * c
      const k = corrected ? 1 / Math.sqrt(bc2) : 1;
      const c = corrected ? 1 / bc1 : Math.sqrt(bc2) / bc1;
      const rows = ctx.rows;
      if (rows === null) adamRange(u, s.expAvg, s.expAvgSq, max, beta1, beta2, e, k, c, 0, u.length);
      else {
        const rs = ctx.rowSize;
        for (let r = 0; r < rows.length; r++) adamRange(u, s.expAvg, s.expAvgSq, max, beta1, beta2, e, k, c, rows[r]! * rs, (rows[r]! + 1) * rs);
      }
    },
  };
}

function adamRange(
  u: FloatArray, m: FloatArray, v: FloatArray, max: FloatArray | null,
  b1: number, b2: number, eps: number, k: number, c: number, lo: number, hi: number,
): void {
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  if (max === null) {
    for (let i = lo; i < hi; i++) {
      const g = u[i]!;
      const mi = m[i]! * b1 + c1 * g;
      const vi = v[i]! * b2 + c2 * (g * g);
      m[i] = mi;
      v[i] = vi;
      u[i] = (m[i]! / (Math.sqrt(v[i]!) * k + eps)) * c;
    }
  } else {
    for (let i = lo; i < hi; i++) {
      const g = u[i]!;
      m[i] = m[i]! * b1 + c1 * g;
      v[i] = v[i]! * b2 + c2 * (g * g);
      if (v[i]! > max[i]!) max[i] = v[i]!;
      u[i] = (m[i]! / (Math.sqrt(max[i]!) * k + eps)) * c;
    }
  }
}

/**
 * `scaleByAsgd({ lr, lambd, alpha, t0 })`: averaged SGD (Polyak & Juditsky, 1992; the
 * decay schedule of Bottou, 2012), torch 1.13's form. Its learning rate `eta` is state, so
 * this transform produces the final delta (no `scaleByLearningRate` after it):
 *
 *   u <- -(lambd eta) p - eta g                   (p <- p (1 - lambd eta) - eta g)
 *   ax <- p_new (mu == 1)   or   ax <- ax + (p_new - ax) mu
 *   eta <- lr / (1 + lambd lr t)^alpha            mu <- 1 / max(1, t - t0)
 *
 * `ax` is the averaged iterate. State: `eta`, `mu` (numbers, starting at lr and 1), `ax`.
 */
import type { FloatArray } from '../../core/dtype.js';
import type { ScalarOrSchedule } from '../../core/schedule.js';
import { checkParams, checkHyper, hyperAt, type Transform, type UpdateContext } from './types.js';

export interface AsgdState {
  eta: number;
  mu: number;
  ax: FloatArray;
}

export interface ScaleByAsgdOptions {
  lr: ScalarOrSchedule;
  lambd?: ScalarOrSchedule;
  alpha?: ScalarOrSchedule;
  t0?: ScalarOrSchedule;
}

export function scaleByAsgd(options: ScaleByAsgdOptions): Transform<AsgdState> {
  const lr = checkHyper(options?.lr, 'lr', 'scaleByAsgd', (v) => v >= 0, 'a number >= 0');
  const lambd = checkHyper(options.lambd ?? 1e-4, 'lambd', 'scaleByAsgd');
  const alpha = checkHyper(options.alpha ?? 0.75, 'alpha', 'scaleByAsgd');
  const t0 = checkHyper(options.t0 ?? 1e6, 't0', 'scaleByAsgd');
  return {
    name: 'scaleByAsgd',
    init(p: FloatArray): AsgdState {
      checkParams(p, 'scaleByAsgd.init');
      const eta = typeof lr === 'function' ? lr(0) : lr;
      return { eta, mu: 1, ax: p instanceof Float64Array ? new Float64Array(p.length) : new Float32Array(p.length) };
    },
    update(u: FloatArray, s: AsgdState, p: FloatArray, ctx: UpdateContext): void {
      const l = hyperAt(lambd, ctx);
      const f32 = p instanceof Float32Array;
      const rows = ctx.rows;
      if (rows === null) asgdRange(u, p, s.ax, s.eta, l, s.mu, f32, 0, u.length);
      else for (let r = 0; r < rows.length; r++) asgdRange(u, p, s.ax, s.eta, l, s.mu, f32, rows[r]! * ctx.rowSize, (rows[r]! + 1) * ctx.rowSize);
      const rate = hyperAt(lr, ctx);
      s.eta = rate / Math.pow(1 + l * rate * ctx.step, hyperAt(alpha, ctx));
      s.mu = 1 / Math.max(1, ctx.step - hyperAt(t0, ctx));
    },
  };
}

function asgdRange(u: FloatArray, p: FloatArray, ax: FloatArray, eta: number, lambd: number, mu: number, f32: boolean, lo: number, hi: number): void {
  const decay = lambd * eta;
  for (let i = lo; i < hi; i++) {
    u[i] = -decay * p[i]! - eta * u[i]!;
    const sum = p[i]! + u[i]!;
    const pNew = f32 ? Math.fround(sum) : sum;
    ax[i] = mu === 1 ? pNew : ax[i]! + (pNew - ax[i]!) * mu;
  }
}

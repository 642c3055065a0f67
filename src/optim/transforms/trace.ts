/**
 * `trace({ momentum, dampening, nesterov })`: heavy-ball momentum as torch.optim.SGD does it.
 *
 *   b <- u                                  on the first update (a copy, no dampening)
 *   b <- momentum * b + (1 - dampening) * u afterwards
 *   u <- u + momentum * b   (nesterov)   or   u <- b
 *
 * The velocity holds gradients, not steps: the learning rate is applied after (torch's
 * convention, and TF.js's; Keras folds lr into the velocity, which differs once lr changes:
 * get it with chain(scaleByLearningRate(lr), trace(...))).
 * With momentum 0 the transform passes updates through and keeps no buffer.
 * State: `momentumBuffer` (null until the first update with momentum != 0).
 */
import type { FloatArray } from '../../core/dtype.js';
import type { ScalarOrSchedule } from '../../core/schedule.js';
import { checkFlag, checkHyper, flagAt, hyperAt, type Flag, type Transform, type UpdateContext } from './types.js';

export interface TraceOptions {
  momentum: ScalarOrSchedule;
  dampening?: ScalarOrSchedule;
  nesterov?: Flag;
}

export interface TraceState {
  momentumBuffer: FloatArray | null;
}

export function trace(options: TraceOptions): Transform<TraceState> {
  const momentum = checkHyper(options?.momentum, 'momentum', 'trace', (v) => v >= 0, 'a number >= 0');
  const dampening = checkHyper(options.dampening ?? 0, 'dampening', 'trace');
  const nesterov = checkFlag(options.nesterov ?? false, 'nesterov', 'trace');
  return {
    name: 'trace',
    init: () => ({ momentumBuffer: null }),
    update(u: FloatArray, s: TraceState, _p, ctx: UpdateContext): void {
      const m = hyperAt(momentum, ctx);
      if (m === 0) return;
      const first = s.momentumBuffer === null;
      if (first) s.momentumBuffer = u instanceof Float64Array ? new Float64Array(u.length) : new Float32Array(u.length);
      const buf = s.momentumBuffer!;
      const c = 1 - hyperAt(dampening, ctx);
      const nest = flagAt(nesterov);
      const rows = ctx.rows;
      if (rows === null) traceRange(u, buf, m, c, first, nest, 0, u.length);
      else for (let r = 0; r < rows.length; r++) traceRange(u, buf, m, c, first, nest, rows[r]! * ctx.rowSize, (rows[r]! + 1) * ctx.rowSize);
    },
  };
}

function traceRange(u: FloatArray, buf: FloatArray, m: number, c: number, first: boolean, nesterov: boolean, lo: number, hi: number): void {
  if (first) {
    for (let i = lo; i < hi; i++) buf[i] = u[i]!;
  } else {
    for (let i = lo; i < hi; i++) buf[i] = buf[i]! * m + c * u[i]!;
  }
  if (nesterov) {
    for (let i = lo; i < hi; i++) u[i] = u[i]! + m * buf[i]!;
  } else {
    for (let i = lo; i < hi; i++) u[i] = buf[i]!;
  }
}

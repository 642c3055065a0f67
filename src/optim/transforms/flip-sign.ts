/**
 * `flipSign(enabled)`: u <- -u. Torch's `maximize=True` negates the gradient before
 * anything else (weight decay included), so it goes first in a chain.
 */
import type { FloatArray } from '../../core/dtype.js';
import { checkFlag, flagAt, type Flag, type Transform, type UpdateContext } from './types.js';

export function flipSign(enabled: Flag = true): Transform<Record<string, never>> {
  const on = checkFlag(enabled, 'enabled', 'flipSign');
  return {
    name: 'flipSign',
    init: () => ({}),
    update(u: FloatArray, _s, _p, ctx: UpdateContext): void {
      if (!flagAt(on)) return;
      const rows = ctx.rows;
      if (rows === null) negate(u, 0, u.length);
      else for (let r = 0; r < rows.length; r++) negate(u, rows[r]! * ctx.rowSize, (rows[r]! + 1) * ctx.rowSize);
    },
  };
}

function negate(u: FloatArray, lo: number, hi: number): void {
  for (let i = lo; i < hi; i++) u[i] = -u[i]!;
}

/**
 * `chain(a, b, c)` applies a, then b, then c to the same updates buffer. Its state holds the
 * update count (torch's per-parameter `step`), and it sets `ctx.step` to that count (1-based)
 * before calling the transforms, so bias corrections and schedules inside see it.
 *
 *   const adam = chain(scaleByAdam({ b1: 0.9, b2: 0.999, eps: 1e-8 }), scaleByLearningRate(1e-3));
 */
import type { FloatArray } from '../../core/dtype.js';
import { ValueError, show } from '../../core/errors.js';
import { checkParams, type Transform, type UpdateContext } from './types.js';

export interface ChainState {
  /** Updates applied so far. */
  count: number;
  /** One state per transform, in order. */
  states: unknown[];
}

export function chain(...transforms: Transform<any>[]): Transform<ChainState> {
  transforms.forEach((t, i) => {
    if (t === null || typeof t !== 'object' || typeof t.init !== 'function' || typeof t.update !== 'function') {
      throw new ValueError(`chain: argument ${i} is ${show(t)}, expected a transform {init, update}`);
    }
  });
  const list = [...transforms];
  return {
    name: `chain(${list.map((t) => t.name).join(', ')})`,
    init(params: FloatArray): ChainState {
      checkParams(params, 'chain.init');
      return { count: 0, states: list.map((t) => t.init(params)) };
    },
    update(updates: FloatArray, state: ChainState, params: FloatArray, ctx: UpdateContext): void {
      if (updates.length !== params.length || updates.constructor !== params.constructor) {
        throw new ValueError(`chain.update: updates (${updates.constructor.name} of ${updates.length}) and params (${params.constructor.name} of ${params.length}), expected the same type and length`);
      }
      if (state === null || typeof state !== 'object' || !Array.isArray(state.states) || state.states.length !== list.length) {
        throw new ValueError(`chain.update: invalid state ${show(state)}, expected the object returned by init()`);
      }
      state.count += 1;
      ctx.step = state.count;
      for (let i = 0; i < list.length; i++) list[i]!.update(updates, state.states[i], params, ctx);
    },
  };
}

/** Adds the updates to the parameters in place (p += u), on `ctx.rows` only when set. */
export function applyUpdates(params: FloatArray, updates: FloatArray, ctx?: UpdateContext): void {
  if (updates.length !== params.length) {
    throw new ValueError(`applyUpdates: updates has ${updates.length} elements but params has ${params.length}, expected equal lengths`);
  }
  const rows = ctx?.rows ?? null;
  if (rows === null) {
    addInPlace(params, updates, 0, params.length);
  } else {
    const rs = ctx!.rowSize;
    for (let r = 0; r < rows.length; r++) {
      const lo = rows[r]! * rs;
      addInPlace(params, updates, lo, lo + rs);
    }
  }
}

function addInPlace(p: FloatArray, u: FloatArray, lo: number, hi: number): void {
  for (let i = lo; i < hi; i++) p[i] += u[i]!;
}

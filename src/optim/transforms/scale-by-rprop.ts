/**
 * `scaleByRprop({ initialStepSize, etas, stepSizes })`: resilient backpropagation
 * (Riedmiller & Braun, 1993), torch 1.13's form. It uses only the gradient's sign and keeps a
 * step size per element, so it produces the final delta (no learning rate after it):
 *
 *   f = etaplus if g * prev > 0, etaminus if < 0, else 1
 *   s <- clamp(s f, stepSizeMin, stepSizeMax);   g <- 0 where f == etaminus
 *   u <- -sign(g) s;   prev <- g
 *
 * State: `prev`, `stepSize` (starting at `initialStepSize`, torch's lr).
 */
import type { FloatArray } from '../../core/dtype.js';
import type { ScalarOrSchedule } from '../../core/schedule.js';
import { ValueError, show } from '../../core/errors.js';
import { checkParams, checkHyper, type Transform, type UpdateContext } from './types.js';

export interface RpropState {
  prev: FloatArray;
  stepSize: FloatArray;
}

export interface ScaleByRpropOptions {
  initialStepSize: ScalarOrSchedule;
  etas?: readonly [number, number] | (() => readonly [number, number]);
  stepSizes?: readonly [number, number] | (() => readonly [number, number]);
}

function pair(value: unknown, name: string): readonly [number, number] {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((x) => typeof x === 'number' && !Number.isNaN(x))) {
    throw new ValueError(`scaleByRprop: invalid ${name} ${show(value)}, expected two numbers`);
  }
  return value as unknown as readonly [number, number];
}

export function scaleByRprop(options: ScaleByRpropOptions): Transform<RpropState> {
  const initial = checkHyper(options?.initialStepSize, 'initialStepSize', 'scaleByRprop', (v) => v >= 0, 'a number >= 0');
  const etas = options.etas ?? [0.5, 1.2];
  const sizes = options.stepSizes ?? [1e-6, 50];
  if (typeof etas !== 'function') pair(etas, 'etas');
  if (typeof sizes !== 'function') pair(sizes, 'stepSizes');
  return {
    name: 'scaleByRprop',
    init(p: FloatArray): RpropState {
      checkParams(p, 'scaleByRprop.init');
      const make = () => (p instanceof Float64Array ? new Float64Array(p.length) : new Float32Array(p.length));
      const stepSize = make();
      stepSize.fill(typeof initial === 'function' ? initial(0) : initial);
      return { prev: make(), stepSize };
    },
    update(u: FloatArray, s: RpropState, _p, ctx: UpdateContext): void {
      const [etaMinus, etaPlus] = typeof etas === 'function' ? etas() : etas;
      const [minStep, maxStep] = typeof sizes === 'function' ? sizes() : sizes;
      const rows = ctx.rows;
      if (rows === null) rpropRange(u, s.prev, s.stepSize, etaMinus, etaPlus, minStep, maxStep, 0, u.length);
      else for (let r = 0; r < rows.length; r++) rpropRange(u, s.prev, s.stepSize, etaMinus, etaPlus, minStep, maxStep, rows[r]! * ctx.rowSize, (rows[r]! + 1) * ctx.rowSize);
    },
  };
}

function rpropRange(
  u: FloatArray, prev: FloatArray, size: FloatArray, etaMinus: number, etaPlus: number,
  minStep: number, maxStep: number, lo: number, hi: number,
): void {
  for (let i = lo; i < hi; i++) {
    let g = u[i]!;
    const s = g * prev[i]!;
    const f = s > 0 ? etaPlus : s < 0 ? etaMinus : 1;
    let z = size[i]! * f;
    z = z < minStep ? minStep : z > maxStep ? maxStep : z;
    size[i] = z;
    if (f === etaMinus) g = 0;
    u[i] = g > 0 ? -size[i]! : g < 0 ? size[i]! : 0;
    prev[i] = g;
  }
}

/** Replays a torch.optim fixture case (FORMAT.md) with descent's optimizers. */
import type { Parameter } from '../../src/core/param.js';
import type { OracleCase } from '../helpers/oracle.js';
import { camel } from '../helpers/oracle.js';
import { fixtureObjective } from './objectives.js';
import * as optimizers from '../../src/optim/optimizers/index.js';
import type { Optimizer } from '../../src/optim/optimizers/index.js';

export type Dtype = 'float32' | 'float64';

const CLASSES: Record<string, new (params: any, options?: any) => Optimizer> = {
  SGD: optimizers.SGD, Adagrad: optimizers.Adagrad, Adadelta: optimizers.Adadelta, RMSprop: optimizers.RMSprop,
  Adam: optimizers.Adam, AdamW: optimizers.AdamW, Adamax: optimizers.Adamax, NAdam: optimizers.NAdam,
  RAdam: optimizers.RAdam, ASGD: optimizers.ASGD, Rprop: optimizers.Rprop,
};

export function camelize(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (k !== 'params') out[camel(k)] = v;
  return out;
}

export function makeParams(c: OracleCase, dtype: Dtype): Parameter[] {
  return c.params_init.map((t: { shape: number[]; data: number[] }, i: number) => ({
    data: dtype === 'float64' ? Float64Array.from(t.data) : Float32Array.from(t.data),
    grad: null,
    shape: t.shape,
    name: `p${i}`,
  }));
}

export function makeOptimizer(c: OracleCase, params: Parameter[], extra: Record<string, unknown> = {}): Optimizer {
  const cls = CLASSES[c.optimizer];
  if (!cls) throw new Error(`no optimizer ${c.optimizer}`);
  const groups = (c as any).constructor.param_groups.map((g: any) => ({ ...camelize(g), params: g.params.map((i: number) => params[i]) }));
  return new cls(groups, { ...camelize((c as any).constructor.defaults), ...extra });
}

export interface Run {
  params: Parameter[];
  optimizer: Optimizer;
  /** trajectory[t][i]: parameter i after step t+1 (copies). */
  trajectory: Float64Array[][];
  /** losses[k] = f(params after k steps), function cases only. */
  losses: number[];
}

/** Runs steps [from, to) of a case on existing params/optimizer. */
export function runSteps(c: OracleCase, params: Parameter[], optimizer: Optimizer, from: number, to: number, dtype: Dtype, run?: Run): Run {
  const out: Run = run ?? { params, optimizer, trajectory: [], losses: [] };
  const f = c.kind === 'function' ? fixtureObjective(c.function) : null;
  for (let t = from; t < to; t++) {
    if (f) {
      for (const p of params) p.grad = null;
      out.losses.push(f(params));
    } else {
      c.grads[t].forEach((g: { data: number[] } | null, i: number) => {
        params[i]!.grad = g === null ? null : dtype === 'float64' ? Float64Array.from(g.data) : Float32Array.from(g.data);
      });
    }
    optimizer.step();
    out.trajectory.push(params.map((p) => Float64Array.from(p.data)));
  }
  if (f && to === c.num_steps) out.losses.push(f(params));
  return out;
}

/** `fastPath: false` forces the transform chain where a fused path exists (SGD, Adam, AdamW). */
export function replay(c: OracleCase, dtype: Dtype, fastPath = true): Run {
  const params = makeParams(c, dtype);
  const optimizer = makeOptimizer(c, params);
  if ('fastPath' in optimizer) (optimizer as Optimizer & { fastPath: boolean }).fastPath = fastPath;
  return runSteps(c, params, optimizer, 0, c.num_steps, dtype);
}

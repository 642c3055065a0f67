/**
 * Optimizers by name, for the command line and the lab.
 *
 * A spec is `name` followed by `:key=value` options, e.g.
 *   adam                      sgd:momentum=0.9:nesterov=true
 *   adam:betas=0.9/0.99       rmsprop:alpha=0.9:centered=true      adamw:weightDecay=0.05
 * Keys are torch's keyword names camelCased (`weight_decay` is accepted as `weightDecay`);
 * values are numbers, `true`/`false`, or pairs written `a/b` (betas, etas, stepSizes).
 * Named configurations of the classic methods are aliases: `gd` and `sgd` (plain SGD),
 * `momentum` (SGD, momentum 0.9) and `nesterov` (SGD, Nesterov momentum 0.9).
 */
import { ValueError, show } from '../core/errors.js';
import { parseSpec, formatSpec, type Spec } from '../core/spec.js';
import type { Parameter } from '../core/param.js';
import type { Optimizer } from './optimizers/optimizer.js';
import { LBFGS } from './second-order/lbfgs.js';
import { NewtonOptimizer, NEWTON_OPTIMIZER_KEYS } from './second-order/newton-optimizer.js';
import { HessianFreeOptimizer, HESSIAN_FREE_OPTIMIZER_KEYS } from './second-order/hessian-free-optimizer.js';
import { SGD, Adagrad, Adadelta, RMSprop, Adam, AdamW, Adamax, NAdam, RAdam, ASGD, Rprop, SparseAdam } from './optimizers/index.js';

type OptimizerClass = new (params: Parameter[], options: Record<string, unknown>) => Optimizer;
// LBFGS has the same public shape as Optimizer (paramGroups, step(closure), zeroGrad, stateDict).

interface Entry {
  create: OptimizerClass;
  description: string;
  /** Options fixed by the alias, applied under the user's. */
  preset?: Record<string, unknown>;
  /** Option names, where the class has no `defaults` to read them from. */
  keys?: readonly string[];
  /** The class has no default learning rate (torch.optim.SGD): an lr must be given. */
  lrRequired?: boolean;
}

const ENTRIES: Record<string, Entry> = {
  sgd: { create: SGD as unknown as OptimizerClass, description: 'stochastic gradient descent (torch.optim.SGD)', lrRequired: true },
  gd: { create: SGD as unknown as OptimizerClass, description: 'gradient descent: SGD without momentum', lrRequired: true },
  momentum: { create: SGD as unknown as OptimizerClass, description: 'heavy-ball momentum: SGD with momentum 0.9', preset: { momentum: 0.9 }, lrRequired: true },
  nesterov: { create: SGD as unknown as OptimizerClass, description: 'Nesterov accelerated gradient: SGD, nesterov, momentum 0.9', preset: { momentum: 0.9, nesterov: true }, lrRequired: true },
  adagrad: { create: Adagrad as unknown as OptimizerClass, description: 'Adagrad (Duchi et al., 2011)' },
  adadelta: { create: Adadelta as unknown as OptimizerClass, description: 'Adadelta (Zeiler, 2012)' },
  rmsprop: { create: RMSprop as unknown as OptimizerClass, description: 'RMSprop (Hinton, 2012)' },
  adam: { create: Adam as unknown as OptimizerClass, description: 'Adam (Kingma & Ba, 2015)' },
  adamw: { create: AdamW as unknown as OptimizerClass, description: 'AdamW, decoupled weight decay (Loshchilov & Hutter, 2019)' },
  amsgrad: { create: Adam as unknown as OptimizerClass, description: 'AMSGrad (Reddi et al., 2018): Adam with amsgrad', preset: { amsgrad: true } },
  adamax: { create: Adamax as unknown as OptimizerClass, description: 'Adamax (Kingma & Ba, 2015)' },
  nadam: { create: NAdam as unknown as OptimizerClass, description: 'NAdam, Nesterov Adam (Dozat, 2016)' },
  radam: { create: RAdam as unknown as OptimizerClass, description: 'RAdam, rectified Adam (Liu et al., 2020)' },
  asgd: { create: ASGD as unknown as OptimizerClass, description: 'averaged SGD (Polyak & Juditsky, 1992)' },
  rprop: { create: Rprop as unknown as OptimizerClass, description: 'Rprop, resilient backpropagation (Riedmiller & Braun, 1993)' },
  lbfgs: {
    create: LBFGS as unknown as OptimizerClass, description: 'L-BFGS (Liu & Nocedal, 1989), torch.optim.LBFGS; closure-driven, best full-batch',
    keys: ['lr', 'maxIter', 'maxEval', 'toleranceGrad', 'toleranceChange', 'historySize', 'lineSearchFn'],
  },
  newton: {
    create: NewtonOptimizer as unknown as OptimizerClass, description: 'damped Newton (dense up to maxDenseDim = 500 parameters, or solver=cg), one step per batch; Hessian-vector products',
    keys: NEWTON_OPTIMIZER_KEYS,
  },
  hessianfree: {
    create: HessianFreeOptimizer as unknown as OptimizerClass, description: 'Hessian-free (Martens, 2010): truncated Newton-CG per mini-batch, Gauss-Newton products, adaptive damping',
    keys: HESSIAN_FREE_OPTIMIZER_KEYS,
  },
  sparseadam: { create: SparseAdam as unknown as OptimizerClass, description: 'SparseAdam: Adam on the touched rows of sparse gradients' },
};

export const OPTIMIZER_NAMES: readonly string[] = Object.keys(ENTRIES);

/** A registry name (an alias such as `momentum` stays as it is) and the user's options (not the alias preset). */
export type OptimizerSpec = Spec;

/** Parses `name:key=value:...` (see src/core/spec.ts for the grammar). */
export function parseOptimizerSpec(text: string): OptimizerSpec {
  return parseSpec(text, 'optimizer', OPTIMIZER_NAMES, optionNames);
}

/** The option names an optimizer takes (its torch keyword names, camelCased). */
export function optionNames(name: string): string[] {
  const entry = ENTRIES[name];
  if (entry === undefined) throw new ValueError(`unknown optimizer ${show(name)}, expected one of ${OPTIMIZER_NAMES.join(', ')}`);
  if (entry.keys) return [...entry.keys];
  const probe = new entry.create([{ data: new Float64Array(1), grad: null }], { lr: 1e-3 });
  return Object.keys(probe.defaults);
}

/** True when the optimizer has no default learning rate (torch.optim.SGD and its aliases): an lr must be given. */
export function lrRequired(name: string): boolean {
  const entry = ENTRIES[name];
  if (entry === undefined) throw new ValueError(`unknown optimizer ${show(name)}, expected one of ${OPTIMIZER_NAMES.join(', ')}`);
  return entry.lrRequired === true;
}

export function describeOptimizers(): Array<{ name: string; description: string }> {
  return Object.entries(ENTRIES).map(([name, e]) => ({ name, description: e.description }));
}

/** Builds the optimizer a spec names over `params`; `overrides` (e.g. a tuned lr) win over the spec. */
export function createOptimizer(spec: string | OptimizerSpec, params: Parameter[], overrides: Record<string, unknown> = {}): Optimizer {
  const parsed = typeof spec === 'string' ? parseOptimizerSpec(spec) : spec;
  const entry = ENTRIES[parsed.name];
  if (entry === undefined) throw new ValueError(`unknown optimizer ${show(parsed.name)}, expected one of ${OPTIMIZER_NAMES.join(', ')}`);
  const options = { ...entry.preset, ...parsed.options, ...overrides };
  if (entry.lrRequired && options.lr === undefined) {
    throw new ValueError(`optimizer ${show(parsed.name)} needs a learning rate (torch.optim.SGD has no default lr), expected an lr option, e.g. ${parsed.name}:lr=0.01`);
  }
  return new entry.create(params, options);
}

/** `name:key=value...` for a spec. */
export const formatOptimizerSpec: (spec: OptimizerSpec) => string = formatSpec;

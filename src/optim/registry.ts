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
import type { Parameter } from '../core/param.js';
import type { Optimizer } from './optimizers/optimizer.js';
import { SGD, Adagrad, Adadelta, RMSprop, Adam, AdamW, Adamax, NAdam, RAdam, ASGD, Rprop, SparseAdam } from './optimizers/index.js';

type OptimizerClass = new (params: Parameter[], options: Record<string, unknown>) => Optimizer;

interface Entry {
  create: OptimizerClass;
  description: string;
  /** Options fixed by the alias, applied under the user's. */
  preset?: Record<string, unknown>;
}

const ENTRIES: Record<string, Entry> = {
  sgd: { create: SGD as unknown as OptimizerClass, description: 'stochastic gradient descent (torch.optim.SGD)' },
  gd: { create: SGD as unknown as OptimizerClass, description: 'gradient descent: SGD without momentum' },
  momentum: { create: SGD as unknown as OptimizerClass, description: 'heavy-ball momentum: SGD with momentum 0.9', preset: { momentum: 0.9 } },
  nesterov: { create: SGD as unknown as OptimizerClass, description: 'Nesterov accelerated gradient: SGD, nesterov, momentum 0.9', preset: { momentum: 0.9, nesterov: true } },
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
  sparseadam: { create: SparseAdam as unknown as OptimizerClass, description: 'SparseAdam: Adam on the touched rows of sparse gradients' },
};

export const OPTIMIZER_NAMES: readonly string[] = Object.keys(ENTRIES);

export interface OptimizerSpec {
  /** The registry name as written (an alias such as `momentum` stays as it is). */
  name: string;
  /** The user's options (not the alias preset). */
  options: Record<string, unknown>;
}

function camelCase(key: string): string {
  return key.replace(/_([a-zA-Z])/g, (_, c: string) => c.toUpperCase());
}

function parseValue(text: string, where: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text.includes('/')) return text.split('/').map((part) => parseValue(part, where));
  const v = Number(text);
  if (text.trim() === '' || Number.isNaN(v)) throw new ValueError(`${where}: invalid value ${show(text)}, expected a number, true/false, or a/b`);
  return v;
}

/** Parses `name:key=value:...`. */
export function parseOptimizerSpec(text: string): OptimizerSpec {
  if (typeof text !== 'string' || text.trim() === '') throw new ValueError(`invalid optimizer spec ${show(text)}, expected e.g. "adam" or "sgd:momentum=0.9"`);
  const [rawName, ...parts] = text.trim().split(':');
  const name = rawName!.toLowerCase();
  const entry = ENTRIES[name];
  if (entry === undefined) {
    throw new ValueError(`unknown optimizer ${show(rawName)}, expected one of ${OPTIMIZER_NAMES.join(', ')}`);
  }
  const options: Record<string, unknown> = {};
  const valid = optionNames(name);
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new ValueError(`optimizer ${name}: malformed option ${show(part)}, expected key=value (valid keys: ${valid.join(', ')})`);
    const key = camelCase(part.slice(0, eq));
    if (!valid.includes(key)) throw new ValueError(`optimizer ${name}: unknown option ${show(part.slice(0, eq))}, expected one of ${valid.join(', ')}`);
    options[key] = parseValue(part.slice(eq + 1), `optimizer ${name} option ${key}`);
  }
  return { name, options };
}

/** The option names an optimizer takes (its torch keyword names, camelCased). */
export function optionNames(name: string): string[] {
  const entry = ENTRIES[name];
  if (entry === undefined) throw new ValueError(`unknown optimizer ${show(name)}, expected one of ${OPTIMIZER_NAMES.join(', ')}`);
  const probe = new entry.create([{ data: new Float64Array(1), grad: null }], { lr: 1e-3 });
  return Object.keys(probe.defaults);
}

export function describeOptimizers(): Array<{ name: string; description: string }> {
  return Object.entries(ENTRIES).map(([name, e]) => ({ name, description: e.description }));
}

/** Builds the optimizer a spec names over `params`; `overrides` (e.g. a tuned lr) win over the spec. */
export function createOptimizer(spec: string | OptimizerSpec, params: Parameter[], overrides: Record<string, unknown> = {}): Optimizer {
  const parsed = typeof spec === 'string' ? parseOptimizerSpec(spec) : spec;
  const entry = ENTRIES[parsed.name];
  if (entry === undefined) throw new ValueError(`unknown optimizer ${show(parsed.name)}, expected one of ${OPTIMIZER_NAMES.join(', ')}`);
  return new entry.create(params, { ...entry.preset, ...parsed.options, ...overrides });
}

/** `name:key=value...` for a spec, options in a stable order. */
export function formatOptimizerSpec(spec: OptimizerSpec): string {
  const parts = Object.entries(spec.options).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('/') : String(v)}`);
  return [spec.name, ...parts].join(':');
}

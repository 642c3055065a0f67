/**
 * The optimizers the lab knows, by name. Each makes a `LabStepper` for a problem instance:
 * one call of `step(t, lr)` is one iteration of the optimizer (one lab "step").
 *
 * - First-order methods are built by the general registry (src/optim/registry.ts, the same names
 *   and presets: `momentum` = SGD with momentum 0.9, ...); the lab adds what is its own: the
 *   untuned default lr, whether the lr is tuned, and which gradient the method sees. `gd` follows
 *   the full-batch (expected) gradient (batch gradient descent), `sgd1` the gradient of one
 *   training example per step (stochastic gradient descent, batch size 1), every other one the
 *   problem's stochastic gradient (`sgd`: mini-batch gradient descent) — on deterministic
 *   problems they are all the same, so `gd`, `sgd1` and `sgd` give identical numbers there, and
 *   `sgd1` and `sgd` are the same on problems without training examples (online, reddi-stochastic);
 *   `gd` does not run on problems without a full-batch gradient (Fashion-MNIST).
 * - A lab step is one optimizer update, whatever it sees: a step of `sgd1` is one example, of
 *   `sgd` one mini-batch, of `gd` one pass over the training set. Budgets are in steps, so within
 *   the same budget `sgd1` sees 1/B of the examples a mini-batch method sees (B = the problem's
 *   batch size); epochs to the target (summary.ts) put them on one scale.
 * - Torch 1.13's SGD has no default learning rate; the lab's untuned default for the SGD family is 0.01.
 * - `lbfgs` is descent's LBFGS with the strong Wolfe line search, `maxIter = 1` (one iteration
 *   per lab step; the line search may evaluate the gradient several times), lr 1, untuned, and
 *   tolerances 0 (so that it keeps iterating until the budget rather than stopping at torch's
 *   toleranceGrad 1e-7 / toleranceChange 1e-9; it still stops at an exactly zero gradient).
 * - `newton` is pure Newton (dense solve, no damping, no line search) on problems that expose
 *   an exact Hessian; untuned.
 */
import { ValueError, show } from '../core/errors.js';
import type { Parameter } from '../core/param.js';
import { createOptimizer, optionNames as registryOptionNames } from '../optim/registry.js';
import { LBFGS } from '../optim/second-order/lbfgs.js';
import { Newton } from '../optim/second-order/newton.js';
import { HessianFree } from '../optim/second-order/hessian-free.js';
import type { BatchMode, LabProblem, LabProblemInstance } from './problem.js';
import { getProblem } from './problems/registry.js';
import { type LabOptimizerSpec, type LabSpecValue, parseLabOptimizerList, parseLabOptimizerSpec } from './optimizer-spec.js';

/** One optimizer bound to one problem instance. */
export interface LabStepper {
  /** One iteration at step t (1-based) with learning rate lr; returns the loss it saw. */
  step(t: number, lr: number): number;
  /** Loss/gradient evaluations so far. */
  readonly evaluations: number;
}

export interface LabOptimizerEntry {
  readonly name: string;
  readonly description: string;
  /** The learning rate used untuned (torch's default where torch has one). */
  readonly defaultLr: number;
  /** Whether the protocol tunes its learning rate (false: line search / Newton). */
  readonly tuneLr: boolean;
  readonly batch: BatchMode;
  /** Option keys accepted in a spec. */
  optionNames(): string[];
  /** Whether it can run on `problem` (and if not, why). */
  applicable(problem: LabProblem): true | string;
  make(instance: LabProblemInstance, options: Record<string, LabSpecValue>, lr: number): LabStepper;
}

/** A first-order method of the general registry, under its registry name (or `registryName`'s, fed another gradient). */
function firstOrder(name: string, description: string, defaultLr: number, batch: BatchMode, registryName = name): LabOptimizerEntry {
  let names: string[] | null = null;
  return {
    name, description, defaultLr, tuneLr: true, batch,
    optionNames() {
      names ??= registryOptionNames(registryName).filter((k) => k !== 'lr');
      return names;
    },
    applicable: (p) => (batch === 'full' && p.noFullBatch ? `${name} needs the full-batch gradient; on ${p.name} ${p.noFullBatch}` : true),
    make(instance, options, lr) {
      const opt = createOptimizer({ name: registryName, options }, instance.params, { lr, nonFinite: 'allow' });
      let evaluations = 0;
      return {
        get evaluations() {
          return evaluations;
        },
        step(t, stepLr) {
          for (const g of opt.paramGroups) g.lr = stepLr;
          evaluations++;
          const loss = instance.lossAndGradient(t, batch);
          opt.step();
          return loss;
        },
      };
    },
  };
}

/** Numeric and boolean options only: the spec grammar has no words (the line search is always strong Wolfe; the solver always dense). */
const LBFGS_OPTIONS = ['maxIter', 'maxEval', 'toleranceGrad', 'toleranceChange', 'historySize'];
const NEWTON_OPTIONS = ['cgTol', 'cgMaxIter', 'damping', 'adaptDamping', 'dampingIncrease', 'dampingDecrease', 'minDamping', 'maxDampingTries', 'lineSearch', 'c1', 'shrink', 'maxBacktracks', 'saddleFree'];

const lbfgs: LabOptimizerEntry = {
  name: 'lbfgs',
  description: 'L-BFGS (torch 1.13) with the strong Wolfe line search, one iteration per step, lr 1.',
  defaultLr: 1, tuneLr: false, batch: 'full',
  optionNames: () => LBFGS_OPTIONS,
  applicable: (p) => (p.kind === 'deterministic' ? true : `lbfgs needs a deterministic problem; ${p.name} is ${p.kind}`),
  make(instance, options, lr) {
    const opt = new LBFGS(instance.params, { maxIter: 1, lineSearchFn: 'strong_wolfe', toleranceGrad: 0, toleranceChange: 0, ...(options as object), lr });
    let evaluations = 0;
    let t = 0;
    const closure = (): number => {
      evaluations++;
      return instance.lossAndGradient(t, 'full');
    };
    return {
      get evaluations() {
        return evaluations;
      },
      step(step, stepLr) {
        t = step;
        opt.paramGroups[0]!.lr = stepLr;
        return opt.step(closure);
      },
    };
  },
};

const newton: LabOptimizerEntry = {
  name: 'newton',
  description: "Newton's method: x ← x − ∇²f(x)⁻¹∇f(x) (dense solve; pure: no damping, no line search unless asked).",
  defaultLr: 1, tuneLr: false, batch: 'full',
  optionNames: () => NEWTON_OPTIONS,
  applicable: (p) => {
    if (p.kind !== 'deterministic') return `newton needs a deterministic problem; ${p.name} is ${p.kind}`;
    return p.dim <= 1000 ? true : `newton needs dim <= 1000; ${p.name} has ${p.dim}`;
  },
  make(instance, options) {
    const objective = instance.objective;
    if (!objective) throw new ValueError(`newton: this problem has no exact Hessian, expected a problem with an objective`);
    const x = instance.params[0]!.data;
    if (instance.params.length !== 1 || !(x instanceof Float64Array)) throw new ValueError(`newton: expected one Float64Array parameter`);
    const solver = new Newton(objective, x, options as Record<string, unknown>);
    let evaluations = 1;
    return {
      get evaluations() {
        return evaluations;
      },
      step() {
        const info = solver.step();
        evaluations++;
        return info.value;
      },
    };
  },
};

const HESSIAN_FREE_OPTIONS = ['damping', 'dampingIncrease', 'dampingDecrease', 'maxCgIter', 'cgTol', 'progressTol', 'warmStartDecay', 'backtrack'];

const hessianfree: LabOptimizerEntry = {
  name: 'hessianfree',
  description: 'Hessian-free (Martens 2010): truncated Newton-CG on exact Hessian-vector products, damping adapted by the reduction ratio.',
  defaultLr: 1, tuneLr: false, batch: 'full',
  optionNames: () => HESSIAN_FREE_OPTIONS,
  applicable: (p) => (p.kind === 'deterministic' ? true : `hessianfree needs a deterministic problem; ${p.name} is ${p.kind}`),
  make(instance, options) {
    const objective = instance.objective;
    if (!objective) throw new ValueError(`hessianfree: this problem has no exact Hessian, expected a problem with an objective`);
    const x = instance.params[0]!.data;
    if (instance.params.length !== 1 || !(x instanceof Float64Array)) throw new ValueError(`hessianfree: expected one Float64Array parameter`);
    // An Objective is a HessianFreeObjective without batches; its products are the exact Hessian's.
    const solver = new HessianFree(objective, x, { curvature: 'hessian', ...(options as Record<string, unknown>) });
    let evaluations = 0;
    return {
      get evaluations() {
        return evaluations;
      },
      step() {
        const info = solver.step();
        evaluations += 1 + info.cgIterations;
        return info.value;
      },
    };
  },
};

/** Every optimizer the lab knows, in display order. */
export const labOptimizerRegistry: ReadonlyMap<string, LabOptimizerEntry> = new Map(
  [
    firstOrder('gd', 'Batch gradient descent: SGD on the full-batch gradient.', 0.01, 'full'),
    firstOrder('sgd1', 'Stochastic gradient descent on one training example per step (batch size 1): a step is one example, so a budget of N steps is N examples; identical to sgd on problems without examples, to gd on deterministic ones.', 0.01, 'example', 'sgd'),
    firstOrder('sgd', 'Mini-batch stochastic gradient descent: SGD on the problem\'s mini-batch gradient (identical to gd on deterministic problems).', 0.01, 'stochastic'),
    firstOrder('momentum', 'SGD with heavy-ball momentum 0.9 (torch convention: v ← βv + g, x ← x − lr v).', 0.01, 'stochastic'),
    firstOrder('nesterov', 'SGD with Nesterov momentum 0.9.', 0.01, 'stochastic'),
    firstOrder('adagrad', 'Adagrad.', 0.01, 'stochastic'),
    firstOrder('adadelta', 'Adadelta.', 1, 'stochastic'),
    firstOrder('adam', 'Adam.', 1e-3, 'stochastic'),
    firstOrder('amsgrad', 'Adam with amsgrad.', 1e-3, 'stochastic'),
    firstOrder('rmsprop', 'RMSprop.', 0.01, 'stochastic'),
    firstOrder('adamw', 'AdamW (decoupled weight decay 0.01).', 1e-3, 'stochastic'),
    firstOrder('adamax', 'Adamax.', 2e-3, 'stochastic'),
    firstOrder('nadam', 'NAdam.', 2e-3, 'stochastic'),
    firstOrder('radam', 'RAdam.', 1e-3, 'stochastic'),
    firstOrder('asgd', 'Averaged SGD (the iterate, not the average, is evaluated).', 0.01, 'stochastic'),
    firstOrder('rprop', 'Rprop (sign-based; meant for full batches).', 0.01, 'stochastic'),
    lbfgs,
    newton,
    hessianfree,
  ].map((e) => [e.name, e]),
);

/** The seed set run by default: batch, stochastic (one example) and mini-batch gradient descent, then the rest. */
export const DEFAULT_LAB_OPTIMIZERS = ['gd', 'sgd1', 'sgd', 'momentum', 'nesterov', 'adagrad', 'adadelta', 'adam', 'rmsprop', 'adamw', 'lbfgs', 'newton'];

export function labOptimizerNames(): string[] {
  return [...labOptimizerRegistry.keys()];
}

export function getLabOptimizer(name: string): LabOptimizerEntry {
  const e = labOptimizerRegistry.get(name);
  if (!e) throw new ValueError(`unknown optimizer ${show(name)}, expected one of: ${labOptimizerNames().join(', ')}`);
  return e;
}

const optionsOf = (name: string): string[] => getLabOptimizer(name).optionNames();

/** Parses `--optimizers` text (see optimizer-spec.ts) against the registry. */
export function parseLabOptimizers(text: string): LabOptimizerSpec[] {
  return parseLabOptimizerList(text, labOptimizerNames(), optionsOf);
}

export function parseLabOptimizer(text: string): LabOptimizerSpec {
  return parseLabOptimizerSpec(text, labOptimizerNames(), optionsOf);
}

/**
 * Checks that a spec's options are accepted by the optimizer (its constructor validates the
 * values) by building it once on a small problem; throws with the optimizer's message.
 */
export function checkLabOptimizerSpec(spec: LabOptimizerSpec): void {
  const entry = getLabOptimizer(spec.name);
  if (!entry.tuneLr && spec.lr !== null && entry.name === 'newton') {
    throw new ValueError(`optimizer ${show(spec.label)}: newton takes no lr (its step is the Newton step), expected options among: ${entry.optionNames().join(', ')}`);
  }
  const instance = getProblem('booth').create(0); // small, with an exact Hessian
  try {
    entry.make(instance, spec.options, spec.lr ?? entry.defaultLr);
  } catch (e) {
    throw new ValueError(`optimizer ${show(spec.label)}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

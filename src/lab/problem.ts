/**
 * What the lab runs optimizers on. A `LabProblem` is a named, documented recipe; `create(seed)`
 * makes one independent instance (its own parameters, its own random streams).
 *
 * Every step the runner calls `lossAndGradient(step, batch)` (which fills the parameters'
 * `.grad`), lets the optimizer update, applies `project` if the problem is constrained, and
 * records `metric()`, the number the target, the curves and the tuning are about (lower is
 * better). Stochastic problems draw their batch from the instance's seeded `Rng`; `batch: 'full'`
 * asks for the full-batch (expected) gradient, which batch gradient descent (`gd`) uses, and
 * `batch: 'example'` for the gradient of one training example (stochastic GD with batch size 1,
 * `sgd1`); problems without training examples (analytic, online, reddi-stochastic, whose every
 * draw is one sample) treat 'example' as 'stochastic'.
 *
 * Data problems (problems/data.ts: networks and logistic regression on a `Dataset`) implement the
 * same interface: mini-batches from a seeded loader, a metric that is a pass over the train-eval
 * set (so it is evaluated only every `evalEvery` steps), and test-set `measures()` for the report.
 */
import type { Parameter } from '../core/param.js';
import type { Objective } from '../optim/second-order/objective.js';

/** The gradient a step takes: full batch, the problem's mini-batch, or one training example. */
export type BatchMode = 'full' | 'stochastic' | 'example';

/** How a problem's gradient behaves: the same every call, random, or changing with t (online). */
export type ProblemKind = 'deterministic' | 'stochastic' | 'online';

export interface LabTarget {
  /** What `metric()` measures: 'loss' (f), 'suboptimality' (f − f*), 'distance' (‖x − x*‖). */
  metric: 'loss' | 'suboptimality' | 'distance';
  /** The run has reached the target once metric() <= value. */
  value: number;
}

/** A 2-D problem's window for contour plots, and its value there. */
export interface LabPlane {
  x: [number, number];
  y: [number, number];
  value(x: number, y: number): number;
  /** Known minimizers to mark on the plot. */
  minima?: Array<[number, number]>;
}

export interface LabProblemInstance {
  /** The parameters the optimizer updates (Float64Array data; `grad` allocated). */
  readonly params: Parameter[];
  /** Computes the loss of step `step` (1-based), writes the gradients into `params[i].grad`. */
  lossAndGradient(step: number, batch: BatchMode): number;
  /** The recorded number (see `LabProblem.target.metric`), at the current parameters. */
  metric(): number;
  /** Projection onto the feasible set, applied after each update (constrained problems only). */
  project?(): void;
  /** The full objective over the flat parameter vector (small deterministic problems): enables Newton. */
  readonly objective?: Objective;
  /**
   * Extra numbers for the report only (never for selection), e.g. test accuracy; called right
   * after `metric()`, at the same parameters. Names are the problem's `measures`.
   */
  measures?(): Record<string, number>;
}

export interface LabProblemOptions {
  /** Override the start point (flat; length = dim). Analytic problems only. */
  start?: ArrayLike<number>;
  /** Data problems: evaluate on the first `evalExamples` examples of the train-eval and test sets. */
  evalExamples?: number;
}

/** A target on a reported measure (not used for selection): e.g. test accuracy >= 0.88. */
export interface LabMeasureTarget {
  measure: string;
  /** Reached when the measure is >= value ('above') or <= value ('below'). */
  value: number;
  direction: 'above' | 'below';
}

export interface LabProblem {
  readonly name: string;
  readonly description: string;
  readonly kind: ProblemKind;
  readonly dim: number;
  /** Steps per trial unless `--budget` says otherwise. */
  readonly defaultBudget: number;
  readonly target: LabTarget;
  /** Stop a trial as soon as the target is reached (escape problems: the metric is unbounded below). */
  readonly stopAtTarget?: boolean;
  /**
   * A learning-rate factor that is part of the problem's definition (Reddi et al.: α_t = α/√t).
   * The runner multiplies every optimizer's lr by it; it is documented in the problem's description.
   */
  readonly lrFactor?: (step: number) => number;
  /** The canonical start (seed 0 starts here; other seeds perturb it); data problems: [] (the seed draws the initialization). */
  readonly start: readonly number[];
  /** 2-D problems: the window for contour plots. */
  readonly plane?: LabPlane;
  /** Evaluate `metric()` only every this many steps (and at the last); default 1. Data problems. */
  readonly evalEvery?: number;
  /**
   * Data problems: mini-batch steps per pass over the training set (budgets in epochs, and epochs
   * to the target). A full-batch step (`gd`) is one epoch by itself.
   */
  readonly stepsPerEpoch?: number;
  /** Data problems: the number of training examples. */
  readonly trainSize?: number;
  /** Names of the extra numbers `measures()` returns (data problems: test accuracy, ...). */
  readonly measures?: readonly string[];
  /** A target on one of `measures` that the report checks (e.g. test accuracy >= 0.88). */
  readonly measureTarget?: LabMeasureTarget;
  /** Why this problem has no full-batch gradient (then `gd` does not run on it). */
  readonly noFullBatch?: string;
  /** Why the problem cannot run on this machine (missing data), or null when it can. */
  unavailable?(): string | null;
  /** Makes an independent instance; `seed` fixes its start perturbation and its randomness. */
  create(seed: number, options?: LabProblemOptions): LabProblemInstance;
}

/** A parameter over a fresh Float64Array copy of `values`, with a zero gradient. */
export function makeParameter(values: ArrayLike<number>, name: string): Parameter {
  const data = Float64Array.from(values);
  return { data, grad: new Float64Array(data.length), shape: [data.length], name };
}

/** The parameter's gradient buffer, allocated if an optimizer set it to null (L-BFGS does). */
export function gradOf(p: Parameter): Float64Array {
  if (!(p.grad instanceof Float64Array)) p.grad = new Float64Array(p.data.length);
  return p.grad as Float64Array;
}

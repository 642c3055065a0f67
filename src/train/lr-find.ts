/**
 * The learning-rate range test (Smith, 2017, "Cyclical Learning Rates for Training Neural
 * Networks", §3.3): train for a few steps while the learning rate grows exponentially from
 * `startLr` to `endLr`, and watch the loss. It falls once the rate is large enough to make
 * progress and blows up once the rate is too large; a good rate lies on the steepest part of
 * the descent, well before the minimum.
 *
 *   lr_t = startLr · (endLr / startLr)^(t / (steps − 1)),  t = 0 … steps − 1
 *   smoothed_t = EMA of the loss with factor β (0.9), bias-corrected: avg_t / (1 − β^(t+1))
 * (β = 0.98, fastai's choice, lags by ~50 steps, half of a 100-step sweep, and shifts the
 * suggestion towards too-large rates; 0.9 lags by ~10.)
 * The sweep stops early once smoothed_t > divergeFactor (4) × the best smoothed loss so far.
 * Suggestion: the rate where the smoothed loss falls fastest per unit of log(lr) (the most
 * negative slope over a small window) among the points before the minimum, ignoring the first
 * 10% of the sweep (the moving average's start-up); `minimumOver10` is the other common
 * rule (the rate at the minimum, divided by 10).
 */
import { ValueError, show } from '../core/errors.js';
import { checkInteger, checkPositive, checkInRange } from '../core/validate.js';
import { DataLoader } from '../data/loader.js';
import { Rng } from '../core/rng.js';
import { Tensor } from '../tensor/tensor.js';
import { crossEntropy } from '../tensor/functional/losses.js';
import type { Optimizer } from '../optim/optimizers/optimizer.js';
import { LBFGS } from '../optim/second-order/lbfgs.js';
import type { TrainingProblem } from './problems.js';

export interface LrFindOptions {
  problem: TrainingProblem;
  optimizer: Optimizer;
  /** The optimizer's name or spec, for messages (default: its class name). */
  optimizerName?: string;
  startLr?: number;
  endLr?: number;
  steps?: number;
  batchSize?: number;
  seed?: number;
  smoothing?: number;
  divergeFactor?: number;
}

export interface LrFindResult {
  lrs: number[];
  losses: number[];
  smoothed: number[];
  /** The rate at the steepest descent of the smoothed loss. */
  suggestion: number;
  /** The rate at the minimum smoothed loss, divided by 10. */
  minimumOver10: number;
  /** True when the sweep stopped because the loss diverged. */
  stoppedEarly: boolean;
}

/**
 * The range test takes one plain `step()` per batch at a growing rate. Optimizers that cannot
 * take one are refused, naming them: L-BFGS needs a closure (its line search re-evaluates the
 * loss), Newton and Hessian-free need the loss as a tensor (`stepWithLoss`).
 */
function checkRangeTestable(optimizer: unknown, name: string): void {
  const why = optimizer instanceof LBFGS
    ? 'it is closure-driven (step(closure) re-evaluates the loss in its line search, so a step is not one update at one rate)'
    : optimizer !== null && typeof optimizer === 'object' && 'stepWithLoss' in optimizer
      ? 'it needs the loss as a tensor (stepWithLoss, for Hessian-vector products), not one plain step per batch'
      : null;
  if (why !== null) {
    throw new ValueError(`lrFind: the learning-rate range test cannot run ${name}: ${why}; expected a first-order optimizer (sgd, momentum, adam, rmsprop, adagrad, ...)`);
  }
}

export function lrFind(options: LrFindOptions): LrFindResult {
  checkRangeTestable(options.optimizer, options.optimizerName ?? (options.optimizer as object | null)?.constructor?.name ?? 'this optimizer');
  const startLr = checkPositive(options.startLr ?? 1e-7, 'startLr');
  const endLr = checkPositive(options.endLr ?? 10, 'endLr');
  if (endLr <= startLr) throw new ValueError(`lrFind: endLr ${endLr} <= startLr ${startLr}, expected endLr > startLr`);
  const steps = checkInteger(options.steps ?? 100, 'steps', 3);
  const batchSize = checkInteger(options.batchSize ?? 128, 'batchSize', 1);
  const beta = checkInRange(options.smoothing ?? 0.9, 'smoothing', 0, 1);
  const divergeFactor = checkPositive(options.divergeFactor ?? 4, 'divergeFactor');
  const { problem, optimizer } = options;
  if (batchSize > problem.train.n) throw new ValueError(`lrFind: batchSize ${batchSize} is larger than the training set (${problem.train.n} examples)`);
  const loader = new DataLoader(problem.train, { batchSize, shuffle: true, seed: new Rng(options.seed ?? 0).split('lr-find').nextUint32() >>> 1 });
  const features = problem.train.x.length / problem.train.n;
  const model = problem.model;
  model.train();
  const lrs: number[] = [], losses: number[] = [], smoothed: number[] = [];
  let avg = 0;
  let best = Infinity;
  let stoppedEarly = false;
  for (let t = 0; t < steps; t++) {
    const lr = startLr * (endLr / startLr) ** (t / (steps - 1));
    for (const g of optimizer.paramGroups) g.lr = lr;
    const b = loader.next();
    optimizer.zeroGrad();
    const loss = crossEntropy(model.call(new Tensor(b.x.subarray(0, b.size * features), [b.size, ...problem.inputShape])), (b.y as Int32Array).subarray(0, b.size));
    const value = loss.item();
    if (!Number.isFinite(value)) { stoppedEarly = true; break; }
    avg = beta * avg + (1 - beta) * value;
    const s = avg / (1 - beta ** (t + 1));
    lrs.push(lr); losses.push(value); smoothed.push(s);
    if (s > divergeFactor * best) { stoppedEarly = true; break; }
    best = Math.min(best, s);
    loss.backward();
    optimizer.step();
  }
  if (lrs.length < 3) throw new ValueError(`lrFind: the loss diverged after ${lrs.length} steps; lower startLr (now ${show(startLr)})`);
  // The first points carry the EMA's start-up noise: the search starts after them.
  const skip = Math.min(Math.max(3, Math.floor(smoothed.length / 10)), smoothed.length - 2);
  let iMin = skip;
  for (let i = skip + 1; i < smoothed.length; i++) if (smoothed[i]! < smoothed[iMin]!) iMin = i;
  // Slope per unit of log(lr) over a window of ±w points, most negative before the minimum.
  const w = Math.max(1, Math.floor(smoothed.length / 50));
  let iSteep = iMin;
  let steepest = Infinity;
  for (let i = skip; i < iMin; i++) {
    const a = Math.max(skip, i - w), b = Math.min(smoothed.length - 1, i + w);
    const slope = (smoothed[b]! - smoothed[a]!) / (Math.log(lrs[b]!) - Math.log(lrs[a]!));
    if (slope < steepest) { steepest = slope; iSteep = i; }
  }
  return { lrs, losses, smoothed, suggestion: lrs[iSteep]!, minimumOver10: lrs[iMin]! / 10, stoppedEarly };
}

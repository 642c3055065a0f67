/**
 * The trainer: one loop for the three regimes of gradient descent.
 *   minibatch   `batchSize` examples per update, reshuffled every epoch (what everyone uses);
 *   stochastic  one example per update (batch size 1): cheap, high-variance steps;
 *   batch       one update per epoch from the gradient of the whole training set, accumulated
 *               over chunks of `chunkSize` examples so memory stays bounded. The accumulated
 *               gradient is exactly the mean of the per-example gradients (each chunk's mean
 *               loss is weighted by chunk/n before backward). Optimizers that need the loss
 *               as a tensor (`stepWithLoss`: newton, hessianfree) get the whole training set
 *               as one graph instead, which is refused above `FULL_BATCH_GRAPH_LIMIT` recorded
 *               values (see graph-size.ts), with the size and the alternatives.
 * Evaluation (loss and accuracy on the train-eval and test sets, in eval mode, without taping)
 * runs after every epoch and, optionally, every `evalEvery` updates. A non-finite loss stops
 * the run with a message naming the step and the first parameter that went bad.
 *
 * Checkpoints hold everything the loop needs, so a resumed run continues with bit-identical
 * numbers: model, optimizer, scheduler, loader (mid-epoch position and shuffle RNG), step,
 * epoch, metrics and elapsed time.
 */
import { firstNonFinite } from '../core/finite.js';
import { DataError, DescentError, ValueError, show } from '../core/errors.js';
import { checkInteger } from '../core/validate.js';
import type { Dataset } from '../data/dataset.js';
import { DataLoader } from '../data/loader.js';
import { Rng } from '../core/rng.js';
import { Tensor } from '../tensor/tensor.js';
import { crossEntropy } from '../tensor/functional/losses.js';
import { enableGrad, noGrad } from '../autograd/mode.js';
import type { Module } from '../nn/module.js';
import { Dropout } from '../nn/layers/dropout.js';
import { globalGenerator } from '../tensor/factories.js';
import type { RngState } from '../core/rng.js';
import { encodeArray, decodeArray, type EncodedArray } from '../optim/optimizers/state-codec.js';
import type { TrainingProblem } from './problems.js';
import { FULL_BATCH_GRAPH_LIMIT, graphValues } from './graph-size.js';
import {
  CHECKPOINT_FORMAT, CHECKPOINT_VERSION, checkCheckpointMatches, readCheckpoint, writeCheckpoint, type Checkpoint,
} from './checkpoint.js';

export type Regime = 'minibatch' | 'stochastic' | 'batch';
export const REGIMES: readonly Regime[] = ['minibatch', 'stochastic', 'batch'];

/** The part of a scheduler the trainer drives. */
export interface TrainerScheduler {
  /** Called after every update or epoch; `metric` (the train-eval loss) when `needsMetric`. */
  step(metric?: number): void;
  stateDict(): unknown;
  loadStateDict(state: never): void;
  needsMetric?: boolean;
}

/**
 * What the trainer needs of an optimizer: torch's protocol. `step(closure)` may call the
 * closure more than once (L-BFGS re-evaluates the loss in its line search); the closure zeroes
 * the gradients, evaluates the loss on the current batch, runs backward and returns the loss.
 * Methods that need the loss as a tensor (Hessian-vector products) implement `stepWithLoss`.
 */
export interface TrainableOptimizer {
  paramGroups: Array<{ lr: number }>;
  step(closure: () => number): number | undefined;
  zeroGrad(): void;
  stateDict(): unknown;
  loadStateDict(state: never): void;
  stepWithLoss?(lossFn: () => Tensor): number;
}

export interface TrainOptions {
  problem: TrainingProblem;
  optimizer: TrainableOptimizer;
  /** A name for the optimizer configuration, stored in checkpoints and records. */
  optimizerName: string;
  regime?: Regime;
  /** Examples per update in the minibatch regime (default 128). */
  batchSize?: number;
  epochs: number;
  /** Stop after this many updates (default: no limit). */
  maxSteps?: number;
  /** Seed of the data order. */
  seed?: number;
  /** Also evaluate every `evalEvery` updates (0 = only after each epoch). */
  evalEvery?: number;
  /** Examples per forward pass when evaluating, and per chunk in the batch regime. */
  chunkSize?: number;
  scheduler?: TrainerScheduler;
  /** When the scheduler steps: after every update (default) or after every epoch. */
  schedulerUnit?: 'step' | 'epoch';
  /** Checkpoint file, written after every epoch (and every `checkpointEvery` updates). */
  checkpoint?: string;
  checkpointEvery?: number;
  /** Continue from `checkpoint` if it exists. */
  resume?: boolean;
  /** The run's serializable config, stored in checkpoints and the record. */
  config?: Record<string, unknown>;
  /** Called after every evaluation and every update. */
  onEvaluation?: (record: Evaluation) => void;
  onStep?: (step: number, loss: number, epoch: number, stepsPerEpoch: number) => void;
  /** Stop at the first evaluation whose test accuracy reaches this (time-to-target runs). */
  targetTestAccuracy?: number;
  /**
   * The batch regime with a `stepWithLoss` optimizer records the whole training set in one
   * graph: refused when that graph would hold more values than this (default
   * FULL_BATCH_GRAPH_LIMIT = 2^26, about 256 MiB of float32 activations before the curvature
   * products' own graphs).
   */
  maxGraphValues?: number;
}

export interface Evaluation {
  step: number;
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
  /** Training wall time so far (evaluation excluded), ms. */
  trainMs: number;
  /** Wall time so far, evaluation included, ms. */
  elapsedMs: number;
}

export interface TrainResult {
  steps: number;
  epochs: number;
  evaluations: Evaluation[];
  final: Evaluation;
  wallMs: number;
  trainMs: number;
  resumedFromStep: number | null;
  /** Set when the run stopped at `targetTestAccuracy`. */
  reachedTarget: boolean;
}

/** Mean loss and accuracy of `model` on `dataset`, in eval mode, without taping. */
export function evaluate(model: Module, dataset: Dataset, inputShape: readonly number[], chunkSize = 1000): { loss: number; accuracy: number } {
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => {
      const features = dataset.x.length / dataset.n;
      let lossSum = 0;
      let correct = 0;
      for (let start = 0; start < dataset.n; start += chunkSize) {
        const size = Math.min(chunkSize, dataset.n - start);
        const x = new Tensor(dataset.x.subarray(start * features, (start + size) * features), [size, ...inputShape]);
        const y = (dataset.y as Int32Array).subarray(start, start + size);
        const logits = model.call(x);
        lossSum += crossEntropy(logits, y, { reduction: 'sum' }).item();
        correct += countCorrect(logits, y);
      }
      return { loss: lossSum / dataset.n, accuracy: correct / dataset.n };
    });
  } finally {
    if (wasTraining) model.train();
  }
}

function countCorrect(logits: Tensor, y: Int32Array): number {
  const [n, c] = logits.shape as [number, number];
  const z = logits.data;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (z[i * c + j]! > z[i * c + best]!) best = j;
    if (best === y[i]) correct++;
  }
  return correct;
}

function modelSignature(model: Module): Array<[string, number[]]> {
  return model.namedParameters().map(([name, p]) => [name, [...p.shape]]);
}

function encodeModel(model: Module): Record<string, EncodedArray> {
  const out: Record<string, EncodedArray> = {};
  for (const [name, entry] of Object.entries(model.stateDict())) {
    const data = entry.data instanceof Float32Array || entry.data instanceof Float64Array ? entry.data : Float64Array.from(entry.data);
    out[name] = encodeArray(data, entry.shape);
  }
  return out;
}

function decodeModel(model: Module, encoded: Record<string, unknown>, file: string): void {
  const dict: Record<string, { shape: number[]; data: Float32Array | Float64Array }> = {};
  for (const [name, value] of Object.entries(encoded)) {
    const data = decodeArray(value, `checkpoint ${file}: model.${name}`);
    dict[name] = { shape: (value as EncodedArray).shape, data };
  }
  model.loadStateDict(dict);
}

/**
 * Every generator the model's forward pass draws from: the global one (layers without their
 * own, see manualSeed) and each Dropout's own. Saved in checkpoints so masks continue exactly.
 */
function rngStates(model: Module): { global: RngState; modules: Record<string, RngState> } {
  const modules: Record<string, RngState> = {};
  for (const [name, m] of model.namedModules()) {
    if (m instanceof Dropout && m.generator) modules[name] = m.generator.getState();
  }
  return { global: globalGenerator().getState(), modules };
}

function restoreRngStates(model: Module, saved: unknown, file: string): void {
  const s = saved as { global?: RngState; modules?: Record<string, RngState> };
  if (s.global === undefined) return; // a checkpoint of a model that draws no random numbers
  globalGenerator().setState(s.global);
  for (const [name, m] of model.namedModules()) {
    if (!(m instanceof Dropout && m.generator)) continue;
    const state = s.modules?.[name];
    if (state === undefined) throw new DataError(`checkpoint ${file} is from another model: no generator state for ${name}`);
    m.generator.setState(state);
  }
}

/** The first parameter (by name) whose values or gradient are not finite, for error messages. */
function firstNonFiniteParameter(model: Module): string | null {
  for (const [name, p] of model.namedParameters()) {
    for (const [what, arr] of [['value', p.data], ['gradient', p.grad]] as const) {
      if (arr === null) continue;
      const i = firstNonFinite(arr, 0, arr.length);
      if (i >= 0) return `${name} (${what} at index ${i} is ${arr[i]})`;
    }
  }
  return null;
}

/**
 * Refuses the batch regime for a `stepWithLoss` optimizer when the graph of the whole training
 * set would hold more than `limit` values, estimated from the graph of a few examples (in eval
 * mode, so that no dropout mask is drawn and no running statistic moves).
 */
function checkFullBatchGraph(problem: TrainingProblem, optimizerName: string, limit: number): void {
  const n = problem.train.n;
  const probe = Math.min(n, 8);
  const features = problem.train.x.length / n;
  const model = problem.model;
  const wasTraining = model.training;
  model.eval();
  let perExample: number;
  try {
    const x = new Tensor(problem.train.x.subarray(0, probe * features), [probe, ...problem.inputShape]);
    const loss = enableGrad(() => crossEntropy(model.call(x), (problem.train.y as Int32Array).subarray(0, probe)));
    perExample = graphValues(loss) / probe;
  } finally {
    if (wasTraining) model.train();
  }
  const total = Math.ceil(perExample * n);
  if (total <= limit) return;
  const fmt = (v: number): string => Math.round(v).toLocaleString('en-US');
  throw new ValueError(`the batch regime with ${optimizerName} would record all ${fmt(n)} training examples in one graph for its curvature products: ` +
    `~${fmt(total)} values (${fmt(perExample)} per example), above the limit of ${fmt(limit)} (about ${fmt(limit * 4 / 2 ** 20)} MiB of float32 activations, and several times that with the curvature graphs); ` +
    `use the minibatch regime (--regime minibatch) with batches of at most ${fmt(Math.max(1, Math.floor(limit / perExample)))} examples, ` +
    'or lbfgs (full-batch, its gradient accumulated in chunks), or a smaller training set (--train-limit)');
}

export function train(options: TrainOptions): TrainResult {
  const { problem, optimizer } = options;
  const model = problem.model;
  const regime = options.regime ?? 'minibatch';
  if (!REGIMES.includes(regime)) throw new ValueError(`invalid regime ${show(regime)}, expected one of ${REGIMES.map((r) => JSON.stringify(r)).join(', ')}`);
  const epochs = checkInteger(options.epochs, 'epochs', 1);
  const chunkSize = checkInteger(options.chunkSize ?? 1000, 'chunkSize', 1);
  const evalEvery = checkInteger(options.evalEvery ?? 0, 'evalEvery', 0);
  const maxSteps = options.maxSteps === undefined ? Infinity : checkInteger(options.maxSteps, 'maxSteps', 1);
  const batchSize = regime === 'stochastic' ? 1 : regime === 'batch' ? problem.train.n : checkInteger(options.batchSize ?? 128, 'batchSize', 1);
  if (regime === 'minibatch' && batchSize > problem.train.n) {
    throw new ValueError(`batchSize ${batchSize} is larger than the training set (${problem.train.n} examples)`);
  }
  const schedulerUnit = options.schedulerUnit ?? 'step';
  const seed = options.seed ?? 0;
  // The batch regime reads the training set in order, chunk by chunk: it needs no loader.
  const loader = regime === 'batch' ? null
    : new DataLoader(problem.train, { batchSize, shuffle: true, seed: new Rng(seed).split('order').nextUint32() >>> 1 });
  const stepsPerEpoch = loader === null ? 1 : loader.batchesPerEpoch;
  const features = problem.train.x.length / problem.train.n;
  const maxGraphValues = checkInteger(options.maxGraphValues ?? FULL_BATCH_GRAPH_LIMIT, 'maxGraphValues', 1);
  if (regime === 'batch' && optimizer.stepWithLoss) checkFullBatchGraph(problem, options.optimizerName, maxGraphValues);
  const identity = { problem: problem.name, optimizer: options.optimizerName, model: modelSignature(model), regime, seed, batchSize };

  let step = 0;
  let epoch = 0;
  let evaluations: Evaluation[] = [];
  let trainMs = 0;
  let elapsedBefore = 0;
  let resumedFromStep: number | null = null;
  if (options.resume) {
    if (!options.checkpoint) throw new ValueError('resume needs a checkpoint file');
    let ckpt: Checkpoint | null = null;
    try {
      ckpt = readCheckpoint(options.checkpoint);
    } catch (err) {
      if (!(err instanceof DescentError && /ENOENT/.test(err.message))) throw err;
    }
    if (ckpt !== null) {
      checkCheckpointMatches(options.checkpoint, ckpt, identity);
      decodeModel(model, ckpt.model, options.checkpoint);
      optimizer.loadStateDict(ckpt.optimizer as never);
      if (options.scheduler && ckpt.scheduler !== null) options.scheduler.loadStateDict(ckpt.scheduler as never);
      if (loader !== null && ckpt.loader !== null) loader.setState(ckpt.loader as never);
      restoreRngStates(model, ckpt.rng, options.checkpoint);
      step = ckpt.step;
      epoch = ckpt.epoch;
      evaluations = ckpt.history as Evaluation[];
      trainMs = ckpt.trainMs;
      elapsedBefore = ckpt.elapsedMs;
      resumedFromStep = step;
    }
  }

  const started = performance.now();
  const save = (): void => {
    if (!options.checkpoint) return;
    writeCheckpoint(options.checkpoint, {
      format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, identity, config: options.config ?? {},
      step, epoch, model: encodeModel(model), optimizer: optimizer.stateDict(),
      scheduler: options.scheduler ? options.scheduler.stateDict() : null,
      rng: rngStates(model), loader: loader === null ? null : loader.state(), history: evaluations,
      elapsedMs: elapsedBefore + performance.now() - started, trainMs,
    });
  };
  const runEvaluation = (): Evaluation => {
    const tr = evaluate(model, problem.trainEval, problem.inputShape, chunkSize);
    const te = evaluate(model, problem.test, problem.inputShape, chunkSize);
    const record: Evaluation = {
      step, epoch, trainLoss: tr.loss, trainAccuracy: tr.accuracy, testLoss: te.loss, testAccuracy: te.accuracy,
      trainMs, elapsedMs: elapsedBefore + performance.now() - started,
    };
    evaluations.push(record);
    options.onEvaluation?.(record);
    return record;
  };
  const lossOf = (x: Float32Array | Float64Array, y: Int32Array, size: number): Tensor =>
    crossEntropy(model.call(new Tensor(x.subarray(0, size * features), [size, ...problem.inputShape])), y.subarray(0, size));
  const checkLoss = (loss: number): void => {
    if (!Number.isFinite(loss)) {
      const bad = firstNonFiniteParameter(model);
      throw new DescentError(`training diverged at step ${step + 1} (epoch ${epoch + 1}): loss is ${loss}` +
        (bad ? `; first non-finite parameter: ${bad}` : '; all parameters are still finite (try a smaller learning rate)'));
    }
  };

  if (evaluations.length === 0) runEvaluation();
  const target = options.targetTestAccuracy;
  const hit = (e: Evaluation): boolean => target !== undefined && e.testAccuracy >= target;
  let reachedTarget = false;
  model.train();
  // The loader counts epochs: an update that consumes the last batch of an epoch ends it.
  // In the batch regime every update is an epoch.
  const n = problem.train.n;
  let batch: { x: Float32Array | Float64Array; y: Int32Array; size: number } | null = null;
  /** The loss on the current batch, or in the batch regime the whole training set's mean loss. */
  const batchLoss = (): Tensor => regime === 'batch'
    ? lossOf(problem.train.x, problem.train.y as Int32Array, n)
    : lossOf(batch!.x, batch!.y, batch!.size);
  const closure = (): number => {
    optimizer.zeroGrad();
    if (regime !== 'batch') {
      const l = batchLoss();
      const value = l.item();
      checkLoss(value);
      l.backward();
      return value;
    }
    // Full-batch gradient, memory bounded: sum over chunks of (chunk mean loss) * chunk / n.
    let total = 0;
    for (let start = 0; start < n; start += chunkSize) {
      const size = Math.min(chunkSize, n - start);
      const weighted = lossOf(problem.train.x.subarray(start * features), (problem.train.y as Int32Array).subarray(start), size).mul(size / n);
      total += weighted.item();
      weighted.backward();
    }
    checkLoss(total);
    return total;
  };
  while (epoch < epochs && step < maxSteps && !reachedTarget) {
    const t0 = performance.now();
    if (loader !== null) {
      const b = loader.next();
      batch = { x: b.x, y: b.y as Int32Array, size: b.size };
    }
    const loss = (optimizer.stepWithLoss ? optimizer.stepWithLoss(batchLoss) : optimizer.step(closure)) ?? NaN;
    checkLoss(loss);
    step++;
    if (options.scheduler && schedulerUnit === 'step') {
      options.scheduler.step(options.scheduler.needsMetric ? loss : undefined);
    }
    trainMs += performance.now() - t0;
    options.onStep?.(step, loss, epoch, stepsPerEpoch);
    const epochEnded = loader === null || loader.position.epoch > epoch;
    if (epochEnded) epoch = loader === null ? epoch + 1 : loader.position.epoch;
    if ((evalEvery > 0 && step % evalEvery === 0) || epochEnded) reachedTarget = hit(runEvaluation());
    if (epochEnded && options.scheduler && schedulerUnit === 'epoch') {
      options.scheduler.step(options.scheduler.needsMetric ? evaluations[evaluations.length - 1]!.trainLoss : undefined);
    }
    if (epochEnded || reachedTarget || (options.checkpointEvery && step % options.checkpointEvery === 0)) save();
  }
  if (evaluations[evaluations.length - 1]!.step !== step) runEvaluation();
  save();
  const final = evaluations[evaluations.length - 1]!;
  return {
    steps: step, epochs: epoch, evaluations, final, wallMs: elapsedBefore + performance.now() - started, trainMs,
    resumedFromStep, reachedTarget,
  };
}

/** `descent train`: trains one problem with one optimizer, in one of the three regimes. */
import type { Command } from 'commander';
import { ValueError, show } from '../core/errors.js';
import { createTrainingProblem, TRAINING_PROBLEMS } from '../train/problems.js';
import { train, REGIMES, type Regime, type Evaluation } from '../train/trainer.js';
import { createProgress, formatMetric, type Progress, type ProgressOptions } from '../train/progress.js';
import { createOptimizer, parseOptimizerSpec, formatOptimizerSpec, lrRequired, OPTIMIZER_NAMES } from '../optim/registry.js';
import { createScheduler, parseScheduleSpec, formatScheduleSpec, SCHEDULE_NAMES, type ScheduleUnit } from '../optim/scheduler-registry.js';
import { writeFileAtomic } from '../core/atomic-write.js';

export interface TrainCliOptions {
  problem: string;
  optimizer: string;
  lr?: string;
  batchSize: string;
  epochs: string;
  seed: string;
  regime: string;
  evalEvery: string;
  maxSteps?: string;
  data?: string;
  trainLimit?: string;
  testLimit?: string;
  checkpoint?: string;
  resume?: boolean;
  json?: string;
  quiet?: boolean;
  schedule?: string;
  scheduleUnit?: string;
}

function intOption(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const v = Number(value);
  if (!Number.isInteger(v) || v < min) throw new ValueError(`invalid --${name} ${show(value)}, expected an integer >= ${min}`);
  return v;
}

function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v)) throw new ValueError(`invalid --${name} ${show(value)}, expected a number`);
  return v;
}

/** The label of the accuracy shown in the progress bar: the test accuracy of the last evaluation. */
export const PROGRESS_ACCURACY_LABEL = 'test acc (last eval)';

/** The live metrics of the progress bar: the update's loss and the last evaluation's test accuracy. */
export function progressMetrics(loss: number, last: Evaluation | null): Record<string, string | number> {
  return { loss, [PROGRESS_ACCURACY_LABEL]: last === null ? '-' : `${(100 * last.testAccuracy).toFixed(2)}%` };
}

/**
 * Runs `descent train`. The progress bar (ETA, loss and the last evaluation's test accuracy)
 * is drawn only on a terminal and never with --quiet; `makeProgress` replaces it (tests).
 */
export function runTrain(
  o: TrainCliOptions, log: (line: string) => void = console.log, makeProgress: (options: ProgressOptions) => Progress = createProgress,
): Record<string, unknown> {
  if (!TRAINING_PROBLEMS.includes(o.problem)) {
    throw new ValueError(`unknown problem ${show(o.problem)}, expected one of ${TRAINING_PROBLEMS.join(', ')}`);
  }
  if (!(REGIMES as readonly string[]).includes(o.regime)) {
    throw new ValueError(`invalid --regime ${show(o.regime)}, expected one of ${REGIMES.join(', ')}`);
  }
  if (o.resume && !o.checkpoint) throw new ValueError('--resume needs --checkpoint FILE');
  const spec = parseOptimizerSpec(o.optimizer);
  const schedule = o.schedule === undefined ? undefined : parseScheduleSpec(o.schedule);
  if (o.scheduleUnit !== undefined && o.scheduleUnit !== 'step' && o.scheduleUnit !== 'epoch') {
    throw new ValueError(`invalid --schedule-unit ${show(o.scheduleUnit)}, expected "step" or "epoch"`);
  }
  const lr = numberOption(o.lr, 'lr');
  if (lr === undefined && spec.options.lr === undefined && lrRequired(spec.name)) {
    throw new ValueError(`--optimizer ${spec.name} needs a learning rate: it has no default (as torch.optim.SGD); pass --lr RATE (e.g. --lr 0.01) or write it in the spec (${spec.name}:lr=0.01); descent lr-find --optimizer ${spec.name} suggests one`);
  }
  const config = {
    problem: o.problem, optimizer: formatOptimizerSpec(spec), lr: lr ?? null, regime: o.regime as Regime,
    batchSize: intOption(o.batchSize, 'batch-size', 1)!, epochs: intOption(o.epochs, 'epochs', 1)!,
    schedule: schedule === undefined ? null : formatScheduleSpec(schedule), scheduleUnit: (o.scheduleUnit as ScheduleUnit | undefined) ?? null,
    seed: intOption(o.seed, 'seed', 0)!, evalEvery: intOption(o.evalEvery, 'eval-every', 0)!,
    maxSteps: intOption(o.maxSteps, 'max-steps', 1) ?? null,
    trainLimit: intOption(o.trainLimit, 'train-limit', 1) ?? null, testLimit: intOption(o.testLimit, 'test-limit', 1) ?? null,
  };
  const problem = createTrainingProblem(o.problem, {
    seed: config.seed, dataDir: o.data, trainLimit: config.trainLimit ?? undefined, testLimit: config.testLimit ?? undefined,
  });
  const optimizer = createOptimizer(spec, problem.model.parameters(), lr === undefined ? {} : { lr });
  const stepsPerEpoch = config.regime === 'batch' ? 1 : config.regime === 'stochastic' ? problem.train.n : Math.ceil(problem.train.n / config.batchSize);
  const scheduler = schedule === undefined ? undefined
    : createScheduler(schedule, optimizer, { epochs: config.epochs, stepsPerEpoch }, config.scheduleUnit ?? undefined);
  log(`descent train: ${problem.description}`);
  log(`  ${problem.model.numParameters().toLocaleString('en-US')} parameters, ${problem.train.n} training / ${problem.test.n} test examples; ${config.optimizer}${lr === undefined ? '' : ` lr=${lr}`}, ${config.regime}${config.regime === 'minibatch' ? ` batch ${config.batchSize}` : ''}, ${config.epochs} epochs, seed ${config.seed}${config.schedule ? `, schedule ${config.schedule} per ${scheduler!.unit}` : ''}`);
  let progress: Progress | null = null;
  let lastEvaluation: Evaluation | null = null;
  const show1 = (e: Evaluation): string =>
    `step ${e.step} epoch ${e.epoch}: train loss ${formatMetric(e.trainLoss)} acc ${(100 * e.trainAccuracy).toFixed(2)}% | test loss ${formatMetric(e.testLoss)} acc ${(100 * e.testAccuracy).toFixed(2)}% | ${(e.elapsedMs / 1000).toFixed(1)}s`;
  const result = train({
    problem, optimizer, optimizerName: config.optimizer, regime: config.regime, batchSize: config.batchSize,
    epochs: config.epochs, seed: config.seed, evalEvery: config.evalEvery, maxSteps: config.maxSteps ?? undefined,
    checkpoint: o.checkpoint, resume: o.resume, config, scheduler, schedulerUnit: scheduler?.unit,
    onEvaluation: (e) => {
      progress?.stop();
      progress = null;
      lastEvaluation = e;
      if (!o.quiet) log(show1(e));
    },
    onStep: (step, loss, epoch, perEpoch) => {
      progress ??= makeProgress({ total: perEpoch, label: `epoch ${epoch + 1}`, enabled: o.quiet ? false : undefined });
      progress.update(step % perEpoch === 0 ? perEpoch : step % perEpoch, progressMetrics(loss, lastEvaluation));
    },
  });
  (progress as Progress | null)?.stop();
  if (result.resumedFromStep !== null) log(`  resumed from step ${result.resumedFromStep}`);
  log(`final test accuracy ${(100 * result.final.testAccuracy).toFixed(2)}% after ${result.steps} steps (${(result.wallMs / 1000).toFixed(1)} s)`);
  const record = {
    schema: 'descent-run/1', config, evaluations: result.evaluations, steps: result.steps, epochs: result.epochs,
    wallMs: result.wallMs, trainMs: result.trainMs, testAccuracy: result.final.testAccuracy, testLoss: result.final.testLoss,
  };
  if (o.json) writeFileAtomic(o.json, JSON.stringify(record, null, 2) + '\n');
  return record;
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a model on a problem with one optimizer')
    .option('--problem <name>', `problem: ${TRAINING_PROBLEMS.join(', ')}`, 'fmnist-mlp')
    .option('--optimizer <spec>', `optimizer spec, e.g. adam or sgd:momentum=0.9:nesterov=true (${OPTIMIZER_NAMES.join(', ')})`, 'adam')
    .option('--lr <rate>', 'learning rate (default: the optimizer\'s torch default)')
    .option('--batch-size <n>', 'examples per update (minibatch regime)', '128')
    .option('--epochs <n>', 'epochs', '10')
    .option('--seed <n>', 'seed of initialization and data order', '0')
    .option('--regime <regime>', 'minibatch | stochastic (batch size 1) | batch (full-batch gradient)', 'minibatch')
    .option('--eval-every <steps>', 'also evaluate every N updates (0: after each epoch only)', '0')
    .option('--max-steps <n>', 'stop after N updates')
    .option('--data <dir>', 'Fashion-MNIST directory (default: $DESCENT_DATA or /usr/share/datasets/fashion-mnist)')
    .option('--train-limit <n>', 'use only the first N training examples')
    .option('--test-limit <n>', 'use only the first N test examples')
    .option('--schedule <spec>', `learning-rate schedule, e.g. step:stepSize=3:gamma=0.5 or onecycle:maxLr=0.01 (${SCHEDULE_NAMES.join(', ')})`)
    .option('--schedule-unit <unit>', 'step the schedule after every update (step) or epoch (epoch); default depends on the schedule')
    .option('--checkpoint <file>', 'write a checkpoint after every epoch')
    .option('--resume', 'continue from --checkpoint if it exists')
    .option('--json <file>', 'write the run record (config, metrics, wall time) as JSON')
    .option('--quiet', 'print only the final line')
    .action((opts: TrainCliOptions) => {
      runTrain(opts);
    });
}

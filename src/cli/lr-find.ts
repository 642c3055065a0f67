/** `descent lr-find`: Smith's learning-rate range test on any training problem. */
import type { Command } from 'commander';
import { ValueError, show } from '../core/errors.js';
import { createTrainingProblem, TRAINING_PROBLEMS } from '../train/problems.js';
import { lrFind, type LrFindResult } from '../train/lr-find.js';
import { formatMetric } from '../train/progress.js';
import { createOptimizer, parseOptimizerSpec, formatOptimizerSpec, OPTIMIZER_NAMES } from '../optim/registry.js';
import { renderSvg } from '../lab/report/charts.js';
import { writeFileAtomic } from '../core/atomic-write.js';

export interface LrFindCliOptions {
  problem: string;
  optimizer: string;
  startLr: string;
  endLr: string;
  steps: string;
  batchSize: string;
  seed: string;
  data?: string;
  trainLimit?: string;
  plot?: string;
  json?: string;
}

function num(value: string, name: string): number {
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v)) throw new ValueError(`invalid --${name} ${show(value)}, expected a number`);
  return v;
}

/** The loss against the learning rate (log x), with the suggestion marked. */
export function lrFindSpec(result: LrFindResult, title: string): object {
  const values = result.lrs.map((lr, i) => ({ lr, loss: result.losses[i], smoothed: result.smoothed[i] }));
  // Show the descent, not the blow-up: y runs from just below the best smoothed loss to a
  // little above the starting loss.
  const lo = Math.min(...result.smoothed, ...result.losses), hi = Math.max(result.smoothed[0]!, lo);
  const pad = Math.max(0.05 * (hi - lo), 1e-3 * Math.abs(hi));
  const x = { field: 'lr', type: 'quantitative', scale: { type: 'log' }, axis: { format: '.0e', tickCount: 9, grid: false }, title: 'learning rate' };
  const y = { type: 'quantitative', scale: { domain: [lo - pad, hi + 4 * pad], zero: false }, title: 'training loss' };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title, width: 520, height: 300,
    layer: [
      { data: { values }, mark: { type: 'line', opacity: 0.35, clip: true }, encoding: { x, y: { ...y, field: 'loss' } } },
      { data: { values }, mark: { type: 'line', strokeWidth: 2, clip: true }, encoding: { x, y: { ...y, field: 'smoothed' } } },
      { data: { values: [{ lr: result.suggestion, label: `suggested ${result.suggestion.toExponential(1)}` }] }, layer: [
        { mark: { type: 'rule', color: '#d62728', strokeDash: [4, 3] }, encoding: { x } },
        { mark: { type: 'text', color: '#d62728', align: 'left', dx: 4, y: 12 }, encoding: { x, text: { field: 'label' } } },
      ] },
    ],
  };
}

export async function runLrFind(o: LrFindCliOptions, log: (line: string) => void = console.log): Promise<LrFindResult> {
  if (!TRAINING_PROBLEMS.includes(o.problem)) throw new ValueError(`unknown problem ${show(o.problem)}, expected one of ${TRAINING_PROBLEMS.join(', ')}`);
  const spec = parseOptimizerSpec(o.optimizer);
  const seed = num(o.seed, 'seed');
  const problem = createTrainingProblem(o.problem, { seed, dataDir: o.data, trainLimit: o.trainLimit === undefined ? undefined : num(o.trainLimit, 'train-limit') });
  const startLr = num(o.startLr, 'start-lr');
  const optimizer = createOptimizer(spec, problem.model.parameters(), { lr: startLr });
  const result = lrFind({
    problem, optimizer, optimizerName: formatOptimizerSpec(spec), startLr, endLr: num(o.endLr, 'end-lr'), steps: num(o.steps, 'steps'),
    batchSize: num(o.batchSize, 'batch-size'), seed,
  });
  log(`descent lr-find: ${problem.name}, ${formatOptimizerSpec(spec)}, batch ${o.batchSize}, ${result.lrs.length} steps${result.stoppedEarly ? ' (stopped: the loss diverged)' : ''}`);
  log('  learning rate   loss       smoothed');
  const every = Math.max(1, Math.round(result.lrs.length / 12));
  result.lrs.forEach((lr, i) => {
    if (i % every === 0 || i === result.lrs.length - 1) log(`  ${lr.toExponential(2).padEnd(14)}  ${formatMetric(result.losses[i]!).padEnd(9)}  ${formatMetric(result.smoothed[i]!)}`);
  });
  log(`suggested learning rate ${result.suggestion.toExponential(2)} (steepest descent of the smoothed loss); minimum/10 rule: ${result.minimumOver10.toExponential(2)}`);
  if (o.plot) {
    writeFileAtomic(o.plot, await renderSvg(lrFindSpec(result, `Learning-rate range test: ${problem.name}, ${formatOptimizerSpec(spec)}`) as never));
    log(`plot written to ${o.plot}`);
  }
  if (o.json) writeFileAtomic(o.json, JSON.stringify({ schema: 'descent-lr-find/1', problem: problem.name, optimizer: formatOptimizerSpec(spec), ...result }, null, 2) + '\n');
  return result;
}

export function registerLrFind(program: Command): void {
  program
    .command('lr-find')
    .description("Smith's learning-rate range test: loss against an exponentially growing learning rate, and a suggested rate")
    .option('--problem <name>', `problem: ${TRAINING_PROBLEMS.join(', ')}`, 'fmnist-mlp')
    .option('--optimizer <spec>', `optimizer spec (${OPTIMIZER_NAMES.join(', ')})`, 'sgd')
    .option('--start-lr <rate>', 'first learning rate', '1e-7')
    .option('--end-lr <rate>', 'last learning rate', '10')
    .option('--steps <n>', 'number of steps of the sweep', '100')
    .option('--batch-size <n>', 'examples per step', '128')
    .option('--seed <n>', 'seed', '0')
    .option('--data <dir>', 'Fashion-MNIST directory')
    .option('--train-limit <n>', 'use only the first N training examples')
    .option('--plot <file.svg>', 'write the plot as SVG')
    .option('--json <file>', 'write the sweep as JSON')
    .action(async (opts: LrFindCliOptions) => {
      await runLrFind(opts);
    });
}

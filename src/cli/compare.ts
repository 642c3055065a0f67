/**
 * `descent compare`: runs the lab's comparison protocol and writes the report.
 *
 *   descent compare                                   # the quick suite, every core, into report/
 *   descent compare --problems rosenbrock,saddle --optimizers adam,sgd:momentum=0.9:nesterov=true
 *   descent compare --suite standard --seeds 5 --out runs/std --resume
 */
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { SUITE_NAMES, suites } from '../lab/config.js';
import { labOptimizerNames, labOptimizerRegistry } from '../lab/optimizers.js';
import { problemRegistry } from '../lab/problems/registry.js';
import { renderTerminalTable } from '../lab/report/table.js';
import { type CompareHooks, runComparison } from '../lab/run-comparison.js';
import type { CompareInput } from '../lab/config.js';

export interface CompareIo {
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
}

interface CompareFlags {
  suite?: string;
  problems?: string;
  optimizers?: string;
  seeds?: string;
  budget?: string;
  epochs?: string;
  evalEvery?: string;
  grid?: string;
  workers?: string;
  out?: string;
  resume?: boolean;
  list?: boolean;
  quiet?: boolean;
}

function listing(): string {
  const lines = ['Problems:'];
  for (const p of problemRegistry.values()) lines.push(`  ${p.name.padEnd(24)} ${p.description}`);
  lines.push('', 'Optimizers (name[:option=value...]):');
  for (const o of labOptimizerRegistry.values()) lines.push(`  ${o.name.padEnd(10)} ${o.description} Options: ${[...o.optionNames(), ...(o.name === 'newton' ? [] : ['lr'])].join(', ')}.`);
  lines.push('', 'Suites:');
  for (const s of SUITE_NAMES) lines.push(`  ${s.padEnd(10)} ${suites[s].description}`);
  return lines.join('\n');
}

/** Progress bars on a TTY (overall, and the trial in flight); nothing otherwise. */
function progressHooks(stream: NodeJS.WritableStream & { isTTY?: boolean }): { hooks: CompareHooks; stop(): void } {
  if (!stream.isTTY) return { hooks: {}, stop() {} };
  const bars = new cliProgress.MultiBar(
    { stream: stream as NodeJS.WriteStream, clearOnComplete: true, hideCursor: true, format: '{label} [{bar}] {value}/{total} {extra}', fps: 10 },
    cliProgress.Presets.shades_classic,
  );
  const overall = bars.create(1, 0, { label: 'trials', extra: '' });
  const trial = bars.create(1, 0, { label: 'trial ', extra: '' });
  let done = 0;
  return {
    hooks: {
      onPlan(total) {
        overall.setTotal(total);
      },
      onTrialStart(spec) {
        trial.setTotal(spec.budget);
        trial.update(0, { extra: `${spec.problem} ${spec.optimizer} lr=${spec.lr} seed=${spec.seed} (${spec.phase})` });
      },
      onTrialStep(_spec, step) {
        trial.update(step);
      },
      onTrialDone(record, reused) {
        done++;
        overall.update(done, { extra: reused ? '(reused)' : '' });
        trial.update(record.steps);
      },
    },
    stop: () => bars.stop(),
  };
}

export function registerCompare(program: Command, io: CompareIo = {}): Command {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  return program
    .command('compare')
    .description('Compare optimizers on a suite of problems: tune the learning rate, rerun over seeds, write report/index.html, results.json, results.csv.')
    .option('--suite <name>', `problem suite: ${SUITE_NAMES.join(' | ')}`, 'quick')
    .option('--problems <list>', 'comma-separated problem names (see --list)')
    .option('--optimizers <list>', 'comma-separated optimizer specs, e.g. adam,sgd:momentum=0.9:nesterov=true,adam:betas=0.9/0.99')
    .option('--seeds <n>', 'seeds each tuned configuration is rerun with (default: the suite\'s)')
    .option('--budget <steps>', "steps per trial (default: each problem's own)")
    .option('--epochs <n>', 'data problems: budget in epochs (passes over the training set); not with --budget')
    .option('--eval-every <steps>', "data problems: evaluate the train-eval metric every this many steps (default: each problem's own)")
    .option('--grid <n>', "learning rates on the log grid (default: the suite's)")
    .option('--workers <n>', 'parallel trials (worker threads; default: all cores)')
    .option('--out <dir>', 'output directory', 'report')
    .option('--resume', 'reuse the finished trials found in the output directory')
    .option('--list', 'list the problems, optimizers, their options and the suites, then exit')
    .option('--quiet', 'no progress bars and no table')
    .action(async (flags: CompareFlags) => {
      if (flags.list) {
        stdout.write(`${listing()}\n`);
        return;
      }
      const input: CompareInput = { suite: flags.suite, out: flags.out, resume: flags.resume ?? false };
      if (flags.problems !== undefined) input.problems = flags.problems;
      if (flags.optimizers !== undefined) input.optimizers = flags.optimizers;
      if (flags.seeds !== undefined) input.seeds = flags.seeds;
      if (flags.budget !== undefined) input.budget = flags.budget;
      if (flags.epochs !== undefined) input.epochs = flags.epochs;
      if (flags.evalEvery !== undefined) input.evalEvery = flags.evalEvery;
      if (flags.grid !== undefined) input.grid = flags.grid;
      if (flags.workers !== undefined) input.workers = flags.workers;
      const progress = flags.quiet ? { hooks: {}, stop() {} } : progressHooks(stderr);
      let outcome;
      try {
        outcome = await runComparison(input, progress.hooks);
      } finally {
        progress.stop();
      }
      if (!flags.quiet) {
        stdout.write(`${renderTerminalTable(outcome.results)}\n\n`);
        const sharedText = outcome.shared ? `, ${outcome.shared} shared between phases` : '';
        stdout.write(`${outcome.computed} trials run, ${outcome.reused} reused${sharedText} (${outcome.config.workers} worker${outcome.config.workers > 1 ? 's' : ''}).\n`);
        stdout.write(`Report: ${outcome.files.html}\nData:   ${outcome.files.json}, ${outcome.files.csv}\n`);
      }
    });
}

/** The names `--optimizers` accepts (for help texts elsewhere). */
export const compareOptimizerNames = labOptimizerNames;

// Fashion-MNIST training with descent's trainer: accuracy per epoch, and time to 85 % against PyTorch.
//
//   node --import tsx bench/training.ts [--only logreg,mlp,2c2d,time85] [--epochs 10] [--quick]
//        [--data DIR] [--seed 0] [--backend NAME] [--threads T] [--torch-repeats 3] [--torch-threads 2]
//
//   logreg, mlp, 2c2d  DeepOBS fmnist_logreg / fmnist_mlp / fmnist_2c2d (src/train/problems.ts),
//                      Adam lr 1e-3, batch 128, `--epochs` epochs (default 10); test accuracy after
//                      every epoch. Bars: logreg >= 83 %, mlp >= 88 %, 2c2d >= 90 %.
//   time85             fmnist_mlp until the test accuracy reaches 85 %, evaluating every 100
//                      steps (the trainer's evalEvery: 100, targetTestAccuracy: 0.85), against
//                      PyTorch (bench/peers/torch_bench.py time85, 2 threads) in the same run:
//                      same model, init (truncated normal σ = 0.03, zero biases), data (/255),
//                      optimizer and batch; PyTorch evaluates the same sets (train-eval + test,
//                      as the trainer does) and, for reference, the test set only. Bar: ≤ 2×.
//
// The backend is --backend, else DESCENT_BACKEND, else 'wasm' where it loads, else 'ref' (slow:
// an MLP epoch takes minutes); --threads sets DESCENT_THREADS before the backend is created.
// --quick trains on small subsets for a few steps (a smoke test of this script, not a result).
// Prints progress to stderr, then a table and one JSON object per line on stdout.
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { createTrainingProblem, train, getBackend, setBackend, type Evaluation, type TrainResult } from '../src/index.js';
import { createOptimizer } from '../src/optim/registry.js';
import { intOption, parseArgs } from './lib/args.js';
import { median } from './lib/harness.js';
import { printRows, skippedRow, type Row } from './lib/report.js';
import { TORCH_SCRIPT, pythonCommand, torchEnv } from './peers/torch.js';

const BENCHES = ['logreg', 'mlp', '2c2d', 'time85'] as const;
const BARS: Record<string, number> = { logreg: 0.83, mlp: 0.88, '2c2d': 0.9 };
const USAGE = `node --import tsx bench/training.ts [--only ${BENCHES.join(',')}] [--epochs 10] [--quick]
    [--data DIR] [--seed 0] [--backend NAME] [--threads T] [--torch-repeats 3] [--torch-threads 2]`;

const args = parseArgs(process.argv.slice(2), {
  usage: USAGE, benches: BENCHES, flags: ['quick'], options: ['epochs', 'data', 'seed', 'backend', 'threads', 'torch-repeats', 'torch-threads'],
});
const quick = args.flags.has('quick');
const epochs = intOption(args, 'epochs', quick ? 1 : 10);
const seed = args.values.has('seed') ? Number(args.values.get('seed')) : 0;
const dataDir = args.values.get('data');
const torchRepeats = intOption(args, 'torch-repeats', quick ? 1 : 3);
const torchThreads = intOption(args, 'torch-threads', 2);
if (args.values.has('threads')) process.env['DESCENT_THREADS'] = String(intOption(args, 'threads', 1));
if (args.values.has('backend')) setBackend(args.values.get('backend')!);
const backend = getBackend().name;
/** The WASM backend's threads: DESCENT_THREADS, else every core (at most 8). */
const threads = backend === 'ref' ? 1 : Number(process.env['DESCENT_THREADS'] ?? Math.min(8, availableParallelism()));
const impl = backend === 'ref' ? 'descent-ref' : 'descent';

/** Quick mode: small subsets and an easy target, so every path runs in a few minutes even on 'ref'. */
const limits = quick ? { trainLimit: 1280, testLimit: 500 } : {};
const time85 = quick ? { target: 0.5, evalEvery: 5, epochs: 2 } : { target: 0.85, evalEvery: 100, epochs: Math.max(epochs, 10) };

const log = (line: string): void => console.error(line);
const pct = (v: number): string => `${(100 * v).toFixed(2)} %`;

function runDescent(name: string, opts: { epochs: number; evalEvery?: number; target?: number }): TrainResult {
  const problem = createTrainingProblem(`fmnist-${name}`, { seed, dataDir, ...limits });
  const optimizer = createOptimizer('adam', problem.model.parameters(), { lr: 1e-3 });
  return train({
    problem, optimizer, optimizerName: 'adam:lr=0.001', batchSize: 128, epochs: opts.epochs, seed,
    evalEvery: opts.evalEvery ?? 0, ...(opts.target !== undefined ? { targetTestAccuracy: opts.target } : {}),
    onEvaluation: (e: Evaluation) => log(`  ${name} step ${e.step} epoch ${e.epoch}: test ${pct(e.testAccuracy)}, train-eval ${pct(e.trainAccuracy)}, loss ${e.trainLoss.toFixed(4)}, ${(e.elapsedMs / 1000).toFixed(1)} s`),
  });
}

function accuracyRun(name: string): Row {
  log(`fmnist_${name}: ${epochs} epochs on '${backend}'`);
  const bench = `train-fmnist_${name}`;
  try {
    const r = runDescent(name, { epochs });
    const perEpoch = r.evaluations.filter((e) => e.step > 0).map((e) => Number(e.testAccuracy.toFixed(4)));
    const bar = BARS[name]!;
    const firstEpoch = perEpoch.findIndex((a) => a >= bar);
    return {
      bench, impl, threads, value: r.final.testAccuracy, unit: 'test accuracy', backend, epochs: r.epochs, steps: r.steps,
      bar, passed: r.final.testAccuracy >= bar, firstEpochAtBar: firstEpoch < 0 ? null : firstEpoch + 1, perEpoch,
      trainS: Number((r.trainMs / 1000).toFixed(1)), wallS: Number((r.wallMs / 1000).toFixed(1)), ...(quick ? { note: 'quick: subsets, not a result' } : {}),
    };
  } catch (error) {
    return skippedRow(bench, impl, threads, 'test accuracy', (error as Error).message.split('\n')[0]!);
  }
}

/** Runs `torch_bench.py time85` and returns its JSON rows (or throws with the reason). */
function torchTime85(repeats: number, evalTrain: boolean, seedOffset: number): Promise<Row[]> {
  const argv = [TORCH_SCRIPT, 'time85', '--threads', String(torchThreads), '--repeats', String(repeats), '--seed', String(seed + seedOffset),
    '--target', String(time85.target), '--eval-every', String(time85.evalEvery), '--max-epochs', String(time85.epochs)];
  if (evalTrain) argv.push('--eval-train');
  if (dataDir) argv.push('--data', dataDir);
  if (limits.trainLimit) argv.push('--train-limit', String(limits.trainLimit), '--test-limit', String(limits.testLimit));
  return new Promise((resolve, reject) => {
    const child = spawn(pythonCommand(), argv, { env: torchEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-2000)));
    child.on('error', (e) => reject(new Error(`cannot start ${pythonCommand()}: ${e.message}`)));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`torch time85 exited with code ${code}: ${err.trim().split('\n').pop() ?? ''}`));
      resolve(out.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Row));
    });
  });
}

async function time85Run(): Promise<Row[]> {
  const rows: Row[] = [];
  const torchRows: Row[] = [];
  const torchRound = async (repeats: number, offset: number): Promise<void> => {
    if (repeats < 1) return;
    for (const evalTrain of [true, false]) {
      try {
        const got = await torchTime85(repeats, evalTrain, offset);
        for (const r of got) log(`  torch (${r['evalSets']}): ${r.value} s, ${r['steps']} steps, test ${pct(r['testAccuracy'] as number)}${r['reached'] ? '' : ' (target not reached)'}`);
        torchRows.push(...got);
      } catch (error) {
        rows.push(skippedRow('time85', 'torch', torchThreads, 's', (error as Error).message, { evalSets: evalTrain ? 'train-eval+test' : 'test' }));
      }
    }
  };
  // Interleaved: half of PyTorch's repeats, descent, the other half.
  log(`time to ${pct(time85.target)} on fmnist_mlp, evaluating every ${time85.evalEvery} steps`);
  await torchRound(Math.ceil(torchRepeats / 2), 0);
  let descentRow: Row;
  try {
    const r = runDescent('mlp', { epochs: time85.epochs, evalEvery: time85.evalEvery, target: time85.target });
    descentRow = {
      bench: 'time85', impl, threads, value: r.final.elapsedMs / 1000, unit: 's', backend, evalSets: 'train-eval+test', reached: r.reachedTarget,
      steps: r.steps, testAccuracy: r.final.testAccuracy, trainS: Number((r.trainMs / 1000).toFixed(2)), target: time85.target,
    };
    log(`  ${impl}: ${descentRow.value!.toFixed(2)} s, ${r.steps} steps, test ${pct(r.final.testAccuracy)}${r.reachedTarget ? '' : ' (target not reached)'}`);
  } catch (error) {
    descentRow = skippedRow('time85', impl, threads, 's', (error as Error).message.split('\n')[0]!);
  }
  await torchRound(Math.floor(torchRepeats / 2), Math.ceil(torchRepeats / 2));
  rows.unshift(descentRow);
  for (const evalSets of ['train-eval+test', 'test']) {
    const mine = torchRows.filter((r) => r['evalSets'] === evalSets && r['reached']);
    if (mine.length === 0) continue;
    const wall = median(mine.map((r) => r.value!));
    const trainS = median(mine.map((r) => r['trainS'] as number));
    const row: Row = { bench: 'time85', impl: 'torch', threads: torchThreads, value: wall, unit: 's', evalSets, runs: mine.length, trainS: Number(trainS.toFixed(2)), steps: mine.map((r) => r['steps']) };
    if (descentRow.value !== null && descentRow['reached']) {
      row['descentRatio'] = Number((descentRow.value / wall).toFixed(2));
      if (evalSets === 'train-eval+test') {
        descentRow['ratioToTorch'] = row['descentRatio'];
        descentRow['trainRatioToTorch'] = Number(((descentRow['trainS'] as number) / trainS).toFixed(2));
        descentRow['passed'] = (descentRow.value / wall) <= 2;
        descentRow['note'] = `${(descentRow.value / wall).toFixed(2)}× PyTorch (bar ≤ 2×)`;
      }
    }
    rows.push(row);
  }
  return rows;
}

async function main(): Promise<void> {
  log(`node ${process.version}; backend '${backend}' (DESCENT_THREADS=${process.env['DESCENT_THREADS'] ?? 'unset'}); cores ${availableParallelism()}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const rows: Row[] = [];
  for (const bench of args.only) {
    if (bench === 'time85') rows.push(...(await time85Run()));
    else rows.push(accuracyRun(bench));
  }
  printRows(rows.map((r) => (r['perEpoch'] ? { ...r, note: `${r['passed'] ? 'passed' : 'below'} bar ${pct(r['bar'] as number)}; per epoch ${(r['perEpoch'] as number[]).map(pct).join(', ')}` } : r)));
}

await main();

/**
 * Second-order benchmarks, on the selected backend (DESCENT_BACKEND; by default wasm where it
 * loads, else ref). The documented figures are for the reference backend:
 *
 *   DESCENT_BACKEND=ref node --import tsx bench/second-order.ts [--quick] [--repeats 5]
 *
 * hvp-cost          time of one Hessian-vector product relative to one gradient (forward +
 *                   backward) on the Fashion-MNIST MLP 784-1000-500-100-10, batch 128, median
 *                   of repeats, in CPU time (the ref backend is single-threaded). Three products: `hvp` (autograd's hvp: forward, recorded backward,
 *                   backward of the backward), `hvp-cached` (lossCurvature with the recorded
 *                   gradient reused: the per-CG-iteration cost) and `gauss-newton-cached`.
 * hf-fmnist-logreg  HessianFreeOptimizer (Gauss-Newton) trains fmnist-logreg under the trainer
 *                   until the test accuracy reaches 83% (or the budget ends): accuracy, steps,
 *                   epochs and wall time. `--quick` uses 10,000 training and 2,000 test images.
 *
 * Prints a table, then one JSON object per result: {"bench", "impl", "value", "unit"}.
 */
import { existsSync } from 'node:fs';
import { createTrainingProblem } from '../src/train/problems.js';
import { train } from '../src/train/trainer.js';
import { HessianFreeOptimizer } from '../src/optim/second-order/hessian-free-optimizer.js';
import { lossCurvature } from '../src/optim/second-order/loss-curvature.js';
import { hvp, enableGrad } from '../src/autograd/index.js';
import { getBackend } from '../src/kernels/registry.js';
import { Tensor } from '../src/tensor/tensor.js';
import { crossEntropy } from '../src/tensor/functional/losses.js';

const QUICK = process.argv.includes('--quick');
const repeatsAt = process.argv.indexOf('--repeats');
const REPEATS = repeatsAt >= 0 ? Number(process.argv[repeatsAt + 1]) : QUICK ? 3 : 7;
const DATA = '/usr/share/datasets/fashion-mnist';

interface Result { bench: string; impl: string; value: number; unit: string; note?: string }
const results: Result[] = [];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** CPU time of `fn` in ms (user + system): steadier than wall time on a shared machine; the ref backend is single-threaded. */
function time(fn: () => void): number {
  const t0 = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
}

function hvpCost(): void {
  const problem = createTrainingProblem('fmnist-mlp', { seed: 0, trainLimit: 128, testLimit: 10, dataDir: DATA });
  const { model } = problem;
  const params = model.parameters();
  const x = new Tensor(problem.train.x.subarray(0, 128 * 784), [128, 784]);
  const y = (problem.train.y as Int32Array).subarray(0, 128);
  const lossFn = (): Tensor => crossEntropy(model.call(x), y);
  const dim = params.reduce((n, p) => n + p.numel, 0);
  const v = Float64Array.from({ length: dim }, (_, i) => Math.sin(i));
  const vectors = params.map((p, k) => {
    const offset = params.slice(0, k).reduce((n, q) => n + q.numel, 0);
    return Float32Array.from(v.subarray(offset, offset + p.numel));
  });
  const point = new Float64Array(dim);
  let o = 0;
  for (const p of params) { point.set(p.data, o); o += p.numel; }
  const curvature = lossCurvature(params);
  const out = new Float64Array(dim);
  const grads: number[] = [], hvps: number[] = [], cached: number[] = [], gn: number[] = [];
  // One untimed round first (warm-up), then REPEATS timed rounds, interleaved.
  for (let r = 0; r <= REPEATS; r++) {
    const tg = time(() => enableGrad(() => {
      for (const p of params) p.grad = null;
      lossFn().backward();
    }));
    const th = time(() => hvp(lossFn, params, vectors));
    curvature.hessianVectorProduct(point, v, out, lossFn); // records the gradient once
    const tc = time(() => curvature.hessianVectorProduct(point, v, out, lossFn));
    curvature.gaussNewtonVectorProduct(point, v, out, lossFn);
    const tn = time(() => curvature.gaussNewtonVectorProduct(point, v, out, lossFn));
    if (r === 0) continue;
    grads.push(tg); hvps.push(th); cached.push(tc); gn.push(tn);
  }
  const g = median(grads);
  results.push({ bench: 'hvp-cost', impl: 'gradient', value: g, unit: 'ms (cpu)', note: `forward + backward, ${dim} params, batch 128` });
  results.push({ bench: 'hvp-cost', impl: 'hvp', value: median(hvps) / g, unit: 'x gradient', note: `${median(hvps).toFixed(0)} ms` });
  results.push({ bench: 'hvp-cost', impl: 'hvp-cached', value: median(cached) / g, unit: 'x gradient', note: `${median(cached).toFixed(0)} ms` });
  results.push({ bench: 'hvp-cost', impl: 'gauss-newton-cached', value: median(gn) / g, unit: 'x gradient', note: `${median(gn).toFixed(0)} ms` });
}

function hfLogreg(): void {
  const problem = createTrainingProblem('fmnist-logreg', {
    seed: 0, dataDir: DATA, ...(QUICK ? { trainLimit: 10_000, testLimit: 2_000 } : {}),
  });
  const optimizer = new HessianFreeOptimizer(problem.model.parameters()); // defaults: Gauss-Newton, maxCgIter 50, minDamping 0.03
  const batchSize = 1000;
  const cpu0 = process.cpuUsage();
  const result = train({
    problem, optimizer, optimizerName: 'hessianfree', regime: 'minibatch', batchSize, epochs: QUICK ? 2 : 3, seed: 0,
    evalEvery: QUICK ? 5 : 20, targetTestAccuracy: 0.83,
  });
  const cpu = process.cpuUsage(cpu0);
  const f = result.final;
  const note = `${problem.train.n} train / ${problem.test.n} test, batch ${batchSize}, defaults, ${result.steps} steps, ${(result.steps * batchSize / problem.train.n).toFixed(2)} epochs, reached 83%: ${result.reachedTarget}`;
  results.push({ bench: 'hf-fmnist-logreg', impl: 'test-accuracy', value: f.testAccuracy, unit: 'fraction', note });
  results.push({ bench: 'hf-fmnist-logreg', impl: 'steps', value: result.steps, unit: 'steps' });
  results.push({ bench: 'hf-fmnist-logreg', impl: 'train-time', value: f.trainMs / 1000, unit: 's', note: 'training only, evaluation excluded' });
  results.push({ bench: 'hf-fmnist-logreg', impl: 'wall-time', value: result.wallMs / 1000, unit: 's', note: 'evaluation included' });
  results.push({ bench: 'hf-fmnist-logreg', impl: 'cpu-time', value: (cpu.user + cpu.system) / 1e6, unit: 's', note: 'CPU time of the whole run, evaluation included' });
}

if (!existsSync(`${DATA}/train-images-idx3-ubyte`) && !existsSync(`${DATA}/train-images-idx3-ubyte.gz`)) {
  console.error(`bench/second-order: Fashion-MNIST not found in ${DATA}; both benchmarks need it`);
  process.exit(1);
}
console.log(`backend ${getBackend().name}, repeats ${REPEATS}${QUICK ? ', quick' : ''}`);
hvpCost();
hfLogreg();
const rows = results.map((r) => [r.bench, r.impl, r.value < 10 ? r.value.toFixed(3) : r.value.toFixed(1), r.unit, r.note ?? '']);
const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((row) => row[c]!.length), ['bench', 'impl', 'value', 'unit'][c]!.length));
const line = (cells: string[]) => cells.map((c, i) => (i < 4 ? c.padEnd(widths[i]!) : c)).join('  ');
console.log(line(['bench', 'impl', 'value', 'unit', 'note']));
for (const row of rows) console.log(line(row));
for (const r of results) console.log(JSON.stringify({ bench: r.bench, impl: r.impl, value: r.value, unit: r.unit }));

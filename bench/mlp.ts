// The Fashion-MNIST MLP training step (784-1000-500-100-10, ReLU, batch 128, Adam 1e-3,
// cross-entropy) in descent, and its peak memory.
//
//   node --import tsx bench/mlp.ts [--steps 20]     peak RSS of descent training it, one JSON line
//
// `npm run bench -- --only mlp` times it against TensorFlow.js and PyTorch (bench/run.ts).
// The backend is getBackend()'s: DESCENT_BACKEND, else 'wasm' where it loads, else 'ref'.
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import { nn, Tensor, functional, Adam, getBackend, setBackend, type Backend } from '../src/index.js';
import { BATCH, MLP_SIZES, benchFeatures, benchLabels } from './lib/data.js';
import { timeSync, type Runner } from './lib/harness.js';
import { intOption, parseArgs } from './lib/args.js';
import { jsonLine } from './lib/report.js';

/** One training step of `model` on a fixed batch, on the current backend. */
export function trainingStep(model: nn.Module, x: Tensor, y: Int32Array): () => number {
  const opt = new Adam(model.parameters(), { lr: 1e-3 });
  return () => {
    opt.zeroGrad();
    const loss = functional.crossEntropy(model.call(x), y);
    loss.backward();
    opt.step();
    return loss.item();
  };
}

export function mlpModel(): nn.Module {
  return nn.mlp([...MLP_SIZES]);
}

export function mlpStep(): () => number {
  return trainingStep(mlpModel(), new Tensor(benchFeatures(BATCH * 784), [BATCH, 784]), benchLabels(BATCH));
}

/** A runner that selects `backend` before its clock starts and trains the model `make` returns. */
export function descentRunner(backend: Backend, make: () => () => number): Runner {
  const previous = getBackend();
  setBackend(backend);
  const step = make();
  setBackend(previous);
  return {
    run(reps) {
      setBackend(backend);
      return timeSync(() => void step(), reps);
    },
  };
}

/** Peak resident set size of this process, MB (VmHWM; the largest rss sample where /proc is missing). */
export function peakRssMb(sampled: number): number {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux
  }
  return sampled / (1024 * 1024);
}

function main(): void {
  const args = parseArgs(process.argv.slice(2), {
    usage: 'node --import tsx bench/mlp.ts [--steps 20]\n  peak RSS (MB) while descent trains the Fashion-MNIST MLP on the DESCENT_BACKEND backend',
    benches: [], flags: [], options: ['steps', 'impl'],
  });
  const steps = intOption(args, 'steps', 20);
  const backend = getBackend();
  const step = mlpStep();
  let rss = process.memoryUsage().rss;
  const t = performance.now();
  for (let i = 0; i < steps; i++) {
    step();
    rss = Math.max(rss, process.memoryUsage().rss);
  }
  const ms = (performance.now() - t) / steps;
  const impl = args.values.get('impl') ?? (backend.name === 'ref' ? 'descent-ref' : 'descent');
  console.log(jsonLine({ bench: 'mlp-rss', impl, threads: Number(process.env['DESCENT_THREADS'] ?? 1), value: peakRssMb(rss), unit: 'MB', backend: backend.name, steps, msPerStep: Number(ms.toFixed(1)) }));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();

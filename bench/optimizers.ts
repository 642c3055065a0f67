/**
 * ms per optimizer step on 10 million float32 parameters (one flat parameter, plain
 * Float32Arrays), median of timed steps after warm-up, single thread. Each row selects its
 * backend explicitly, since the optimizers ask the current backend for fused float32 steps:
 *
 *   descent-ref        backend 'ref': the fused TypeScript loops (bit-identical to the chain)
 *   descent-wasm       backend 'wasm': the fused WASM kernels (the data is streamed through
 *                      WASM memory in chunks, on the calling thread)
 *   descent-ref-chain  backend 'ref', fastPath off: the transform chain, one loop per transform
 *
 *   node --import tsx bench/optimizers.ts [--n 10000000] [--steps 15] [--warmup 3] [--quick] [--cpu]
 *
 * `--quick` leaves out the chain rows. `--cpu` reports the process's CPU time per step instead
 * of wall time (steadier on a shared, loaded machine, where wall time includes waiting for a core).
 * The wasm rows are left out, with a note on stderr, where WebAssembly SIMD is unavailable.
 *
 * Prints one JSON object per line:
 *   {"bench":"adam10m","impl":"descent-wasm","backend":"wasm","path":"fused","threads":1,"value":..,"unit":"ms"}
 */
import { Adam, SGD, type Optimizer } from '../src/optim/optimizers/index.js';
import type { Parameter } from '../src/core/param.js';
import { getBackend, setBackend, wasmAvailable, type Backend } from '../src/kernels/index.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const N = arg('n', 10_000_000);
const STEPS = arg('steps', 15);
const WARMUP = arg('warmup', 3);

function makeParam(n: number): Parameter {
  const data = new Float32Array(n);
  const grad = new Float32Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    data[i] = (s / 4294967296 - 0.5) * 0.2;
    grad[i] = ((s >>> 7) / 33554432 - 0.5) * 0.01;
  }
  return { data, grad, shape: [n] };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

type BackendName = 'ref' | 'wasm';

interface Config {
  bench: string;
  impl: string;
  backend: BackendName;
  path: 'fused' | 'chain';
  opt: Optimizer;
  times: number[];
}

const previous = getBackend();
const backends = new Map<BackendName, Backend>([['ref', setBackend('ref')]]);
if (wasmAvailable()) backends.set('wasm', previous.name === 'wasm' ? previous : setBackend('wasm'));
else console.error('bench/optimizers: WebAssembly SIMD unavailable, the descent-wasm rows are left out');
setBackend(previous);
if (backends.get('ref')!.optimizerSteps !== undefined || (backends.has('wasm') && backends.get('wasm')!.optimizerSteps === undefined)) {
  throw new Error('bench/optimizers: expected fused float32 steps on the wasm backend only; the labels would be wrong');
}

function config(name: string, make: (p: Parameter[]) => Optimizer, backend: BackendName, path: 'fused' | 'chain'): Config {
  const opt = make([makeParam(N)]);
  if (path === 'chain') (opt as Optimizer & { fastPath: boolean }).fastPath = false;
  const label = N === 10_000_000 ? '10m' : String(N);
  const impl = `descent-${backend}${path === 'chain' ? '-chain' : ''}`;
  return { bench: `${name}${label}`, impl, backend, path, opt, times: [] };
}

/** One step of `c` on its own backend (the optimizers look the backend up at every step). */
function step(c: Config): void {
  setBackend(backends.get(c.backend)!);
  c.opt.step();
}

const adam = (ps: Parameter[]) => new Adam(ps, { lr: 1e-3 });
const sgd = (ps: Parameter[]) => new SGD(ps, { lr: 1e-2, momentum: 0.9 });
const configs: Config[] = [];
for (const b of backends.keys()) configs.push(config('adam', adam, b, 'fused'), config('sgdmomentum', sgd, b, 'fused'));
if (!process.argv.includes('--quick')) {
  // The transform chain the fused loops are tested against (one loop per transform).
  configs.push(config('adam', adam, 'ref', 'chain'), config('sgdmomentum', sgd, 'ref', 'chain'));
}
// Round-robin, so that every configuration sees the same machine load.
for (let k = 0; k < WARMUP; k++) for (const c of configs) step(c);
const CPU = process.argv.includes('--cpu');
for (let k = 0; k < STEPS; k++) {
  for (const c of configs) {
    setBackend(backends.get(c.backend)!);
    if (CPU) {
      const u0 = process.cpuUsage();
      c.opt.step();
      const u = process.cpuUsage(u0);
      c.times.push((u.user + u.system) / 1e3);
    } else {
      const t0 = process.hrtime.bigint();
      c.opt.step();
      c.times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
}
setBackend(previous);
for (const c of configs) {
  const row = { bench: c.bench, impl: c.impl, backend: c.backend, path: c.path, threads: 1, value: Number(median(c.times).toFixed(3)), unit: 'ms' };
  console.log(JSON.stringify(row));
}

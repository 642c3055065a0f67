/**
 * ms per optimizer step on 10 million float32 parameters (one flat parameter), median of
 * timed steps after warm-up, single thread, plain TypeScript (the reference path).
 *
 *   node --import tsx bench/optimizers.ts [--n 10000000] [--steps 15] [--warmup 3] [--quick] [--cpu]
 *
 * `--cpu` reports the process's CPU time per step instead of wall time (steadier on a
 * shared, loaded machine, where wall time includes waiting for a core).
 *
 * Prints one JSON object per line:
 *   {"bench":"adam10m","impl":"descent-ref","threads":1,"value":..,"unit":"ms"}
 * `descent-ref` is the default step (fused loops for these two); `descent-chain` runs the
 * transform chain it is tested bit-identical to (`--quick` leaves those out).
 */
import { Adam, SGD, type Optimizer } from '../src/optim/optimizers/index.js';
import type { Parameter } from '../src/core/param.js';

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

interface Config {
  bench: string;
  impl: string;
  opt: Optimizer;
  times: number[];
}

function config(name: string, make: (p: Parameter[]) => Optimizer, impl: string, chainOnly: boolean): Config {
  const opt = make([makeParam(N)]);
  if (chainOnly) (opt as Optimizer & { fastPath: boolean }).fastPath = false;
  const label = N === 10_000_000 ? '10m' : String(N);
  return { bench: `${name}${label}`, impl, opt, times: [] };
}

const adam = (ps: Parameter[]) => new Adam(ps, { lr: 1e-3 });
const sgd = (ps: Parameter[]) => new SGD(ps, { lr: 1e-2, momentum: 0.9 });
const configs: Config[] = [
  // The default step: fused one-pass loops for these two, with the non-finite check.
  config('adam', adam, 'descent-ref', false),
  config('sgdmomentum', sgd, 'descent-ref', false),
];
if (!process.argv.includes('--quick')) {
  // The transform chain the fused loops are tested bit-identical to (one loop per transform).
  configs.push(config('adam', adam, 'descent-chain', true), config('sgdmomentum', sgd, 'descent-chain', true));
}
// Round-robin, so that every configuration sees the same machine load.
for (let k = 0; k < WARMUP; k++) for (const c of configs) c.opt.step();
const CPU = process.argv.includes('--cpu');
for (let k = 0; k < STEPS; k++) {
  for (const c of configs) {
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
for (const c of configs) {
  console.log(JSON.stringify({ bench: c.bench, impl: c.impl, threads: 1, value: Number(median(c.times).toFixed(3)), unit: 'ms' }));
}

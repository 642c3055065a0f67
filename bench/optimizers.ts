/**
 * ms per optimizer step on 10 million float32 parameters (one flat parameter), median of
 * timed steps after warm-up, single thread, plain TypeScript (the reference path).
 *
 *   node --import tsx bench/optimizers.ts [--n 10000000] [--steps 15] [--warmup 3]
 *
 * Prints one JSON object per line:
 *   {"bench":"adam10m","impl":"descent-ref","threads":1,"value":..,"unit":"ms"}
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

function bench(name: string, make: (p: Parameter[]) => Optimizer): void {
  const p = makeParam(N);
  const opt = make([p]);
  for (let k = 0; k < WARMUP; k++) opt.step();
  const times: number[] = [];
  for (let k = 0; k < STEPS; k++) {
    const t0 = process.hrtime.bigint();
    opt.step();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const label = N === 10_000_000 ? '10m' : String(N);
  console.log(JSON.stringify({ bench: `${name}${label}`, impl: 'descent-ref', threads: 1, value: Number(median(times).toFixed(3)), unit: 'ms' }));
}

bench('adam', (ps) => new Adam(ps, { lr: 1e-3 }));
bench('sgdmomentum', (ps) => new SGD(ps, { lr: 1e-2, momentum: 0.9 }));

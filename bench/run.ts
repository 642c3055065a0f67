// `npm run bench`: descent against TensorFlow.js and PyTorch, side by side in one run.
//
//   npm run bench -- [--only gemm,mlp,cnn,adam10m,sgdm10m] [--quick] [--rounds N]
//
// Every bench sets up all its implementations, warms each up, calibrates repetitions, then
// times them in interleaved rounds (so they share the machine's load) and reports medians.
// Prints a table, then one JSON object per line:
//   {"bench", "impl", "threads", "value", "unit", ...}   (gemm rows also carry "n")
// with impl one of descent (WASM), descent-ref (reference TypeScript), tfjs-wasm, tfjs-cpu,
// torch. A missing peer or an impossible combination is a row with value null and "skipped".
// See bench/README.md.
import { availableParallelism, loadavg } from 'node:os';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Adam, SGD, refBackend, registeredBackends } from '../src/index.js';
import { loadWasmKernels, wasmAvailable, type WasmKernels } from '../src/kernels/wasm/index.js';
import { parseArgs, intOption } from './lib/args.js';
import { uniformArray } from './lib/data.js';
import { descentBackend } from './lib/descent.js';
import { Skip, measureInterleaved, timeSync, type Candidate, type Runner } from './lib/harness.js';
import { printRows, skippedRow, type Row } from './lib/report.js';
import { cnnStep } from './cnn.js';
import { descentRunner, mlpStep } from './mlp.js';
import { TFJS_IMPLS, loadTfjs, tfjsCnn, tfjsGemm, tfjsMlp, tfjsOptimizerStep, tfjsRunner } from './peers/tfjs.js';
import { TorchPeer } from './peers/torch.js';

const BENCHES = ['gemm', 'mlp', 'cnn', 'adam10m', 'sgdm10m'] as const;
const USAGE = `npm run bench -- [--only ${BENCHES.join(',')}] [--quick] [--rounds N] [--with-slow]
  --only       benches to run (default: all)
  --quick      fewer rounds and shorter runs (a smoke test; figures are rougher)
  --rounds     timed rounds per implementation (default 7, quick 3)
  --with-slow  also train the CNN on tfjs-cpu (minutes per step)`;

const args = parseArgs(process.argv.slice(2), { usage: USAGE, benches: BENCHES, flags: ['quick', 'with-slow'], options: ['rounds'] });
const withSlow = args.flags.has('with-slow');
const quick = args.flags.has('quick');
const harness = {
  rounds: intOption(args, 'rounds', quick ? 3 : 7), minMs: quick ? 50 : 200,
  // Implementations taking over 2 s per repetition (tfjs-cpu on big work) get fewer rounds.
  slowMs: 2000, slowRounds: quick ? 1 : 3,
  log: (line: string) => console.error(line),
};
const THREADS = [1, 2];
const N10M = 10_000_000;

// ---- descent's WASM kernels, one instance per thread count ----
const kernelCache = new Map<number, WasmKernels | string>();
function kernels(threads: number): WasmKernels {
  let k = kernelCache.get(threads);
  if (k === undefined) {
    try {
      if (!wasmAvailable()) throw new Error('WebAssembly SIMD/threads unavailable here');
      k = loadWasmKernels({ threads });
      if (k.threads !== threads) k = `WASM kernels started ${k.threads} threads, not ${threads}`;
    } catch (error) {
      k = `WASM kernels unavailable (run npm run build): ${(error as Error).message.split('\n')[0]}`;
    }
    kernelCache.set(threads, k);
  }
  if (typeof k === 'string') throw new Skip(k);
  return k;
}

// ---- peers ----
let torch: Promise<TorchPeer | string> | null = null;
async function torchRunner(bench: string, threads: number, n?: number): Promise<Runner> {
  torch ??= TorchPeer.start();
  const peer = await torch;
  if (typeof peer === 'string') throw new Skip(peer);
  return peer.runner(bench, threads, n);
}

type Make = Parameters<typeof tfjsRunner>[2];
interface PeerOptions {
  n?: number;
  /** tfjs-cpu gets at most 1 round (quick) or 2. */
  slowTfjsCpu?: boolean;
  /** Why tfjs-cpu is left out (unless --with-slow). */
  skipTfjsCpu?: string;
}
/** tfjs-wasm, tfjs-cpu and torch on 1 and 2 threads (tfjs's 2-thread rows come out skipped, with the reason). */
function peerCandidates(bench: string, unit: string, value: ((ms: number) => number) | undefined, tfjsWork: Make, o: PeerOptions = {}): Candidate[] {
  const extra = o.n !== undefined ? { n: o.n } : {};
  const out: Candidate[] = [];
  for (const impl of TFJS_IMPLS) {
    for (const threads of THREADS) {
      const slow = o.slowTfjsCpu && impl === 'tfjs-cpu' ? { maxRounds: quick ? 1 : 2 } : {};
      const skip = impl === 'tfjs-cpu' && threads === 1 && o.skipTfjsCpu !== undefined && !withSlow ? o.skipTfjsCpu : null;
      out.push({
        bench, impl, threads, unit, value, extra, ...slow,
        setup: () => {
          if (skip !== null) throw new Skip(skip);
          return tfjsRunner(impl, threads, tfjsWork);
        },
      });
    }
  }
  for (const threads of THREADS) {
    out.push({ bench, impl: 'torch', threads, unit, value, extra, setup: () => torchRunner(bench, threads, o.n) });
  }
  return out;
}

// ---- benches ----
async function gemmBench(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const n of [128, 512, 1024]) {
    console.error(`gemm n=${n}`);
    const a = uniformArray(n * n, 1), b = uniformArray(n * n, 2), c = new Float32Array(n * n);
    const gflops = (ms: number): number => (2 * n ** 3) / ms / 1e6;
    const unit = 'GFLOP/s';
    const cands: Candidate[] = THREADS.map((threads) => ({
      bench: 'gemm', impl: 'descent', threads, unit, value: gflops, extra: { n },
      setup: (): Runner => {
        const k = kernels(threads);
        return { run: (reps) => timeSync(() => k.gemm(false, false, n, n, n, 1, a, 0, n, b, 0, n, 0, c, 0, n), reps) };
      },
    }));
    cands.push({
      bench: 'gemm', impl: 'descent-ref', threads: 1, unit, value: gflops, extra: { n }, maxRounds: n >= 1024 ? (quick ? 1 : 3) : undefined,
      setup: () => ({ run: (reps) => timeSync(() => refBackend.gemm(false, false, n, n, n, 1, a, 0, n, b, 0, n, 0, c, 0, n), reps) }),
    });
    cands.push(...peerCandidates('gemm', unit, gflops, tfjsGemm(n), { n, slowTfjsCpu: n >= 1024 }));
    rows.push(...(await measureInterleaved(cands, harness)));
  }
  return rows;
}

async function trainingBench(bench: 'mlp' | 'cnn'): Promise<Row[]> {
  console.error(bench);
  const make = bench === 'mlp' ? mlpStep : cnnStep;
  const stepsPerSecond = (ms: number): number => 1000 / ms;
  const cands: Candidate[] = [];
  for (const threads of THREADS) {
    cands.push({ bench, impl: 'descent', threads, unit: 'steps/s', value: stepsPerSecond, setup: () => descentRunner(descentBackend('descent', threads), make) });
  }
  cands.push({
    bench, impl: 'descent-ref', threads: 1, unit: 'steps/s', value: stepsPerSecond, maxRounds: bench === 'mlp' ? (quick ? 2 : 3) : quick ? 1 : 2,
    setup: () => descentRunner(descentBackend('descent-ref', 1), make),
  });
  cands.push(...peerCandidates(bench, 'steps/s', stepsPerSecond, bench === 'mlp' ? tfjsMlp : tfjsCnn, {
    slowTfjsCpu: true,
    ...(bench === 'cnn' ? { skipTfjsCpu: 'tfjs-cpu takes minutes per step on this model; --with-slow includes it' } : {}),
  }));
  const rows = await measureInterleaved(cands, harness);
  if (bench === 'mlp') rows.push(...mlpRss());
  return rows;
}

/** Peak RSS of a fresh process that only trains the MLP with descent (so the peers' memory is not counted). */
function mlpRss(): Row[] {
  const rows: Row[] = [];
  const script = fileURLToPath(new URL('./mlp.ts', import.meta.url));
  for (const [impl, backend, steps] of [['descent', 'wasm', quick ? 10 : 30], ['descent-ref', 'ref', quick ? 2 : 4]] as const) {
    if (backend === 'wasm' && !registeredBackends().includes('wasm')) {
      rows.push(skippedRow('mlp-rss', impl, 1, 'MB', "wasm backend not registered (setBackend('wasm') is not available yet)"));
      continue;
    }
    const r = spawnSync(process.execPath, ['--import', 'tsx', script, '--steps', String(steps), '--impl', impl], {
      env: { ...process.env, DESCENT_BACKEND: backend, DESCENT_THREADS: '1' }, encoding: 'utf8', timeout: 600_000,
    });
    const line = r.stdout?.trim().split('\n').pop() ?? '';
    try {
      rows.push(JSON.parse(line) as Row);
    } catch {
      rows.push(skippedRow('mlp-rss', impl, 1, 'MB', `child failed: ${(r.stderr ?? String(r.error)).trim().split('\n').pop() ?? ''}`));
    }
  }
  return rows;
}

async function optimizerBench(bench: 'adam10m' | 'sgdm10m'): Promise<Row[]> {
  console.error(bench);
  const kind = bench === 'adam10m' ? 'adam' : 'sgdm';
  const unit = 'ms/step';
  const cands: Candidate[] = [];
  // Copy bandwidth in both processes, under the same load as the steps.
  const src = uniformArray(N10M, 5), dst = new Float32Array(N10M);
  const gbps = (ms: number): number => (N10M * 4) / ms / 1e6;
  cands.push({ bench: 'copy40mb', impl: 'node', threads: 1, unit: 'GB/s', value: gbps, extra: { note: 'Float32Array.set of 40 MB' }, setup: () => ({ run: (reps) => timeSync(() => dst.set(src), reps) }) });
  cands.push({ bench: 'copy40mb', impl: 'torch', threads: 1, unit: 'GB/s', value: gbps, extra: { note: 'Tensor.copy_ of 40 MB' }, setup: () => torchRunner('copy40mb', 1) });
  for (const threads of THREADS) {
    for (const mode of ['in-place', 'copy'] as const) {
      cands.push({
        bench, impl: 'descent', threads, unit, extra: { mode },
        setup: (): Runner => {
          const k = kernels(threads);
          const own = (x: Float32Array): Float32Array => {
            if (mode === 'copy') return x;
            const out = k.allocate(x.length);
            out.set(x);
            return out;
          };
          const p = own(uniformArray(N10M, 3)), g = own(uniformArray(N10M, 4)), m = own(new Float32Array(N10M)), v = own(new Float32Array(N10M));
          let step = 0;
          const work = kind === 'adam'
            ? () => k.adamStep(p, g, m, v, null, { step: ++step, lr: 1e-3 })
            : () => k.sgdStep(p, g, m, { lr: 1e-3, momentum: 0.9, firstStep: step++ === 0 });
          return {
            run: (reps) => timeSync(work, reps),
            dispose: () => {
              if (mode === 'in-place') for (const x of [p, g, m, v]) k.release(x);
            },
          };
        },
      });
    }
  }
  cands.push({
    bench, impl: 'descent-ref', threads: 1, unit, extra: { note: `${kind === 'adam' ? 'Adam' : 'SGD'} optimizer class, TypeScript fused step` },
    setup: () => {
      const param = { data: uniformArray(N10M, 3), grad: uniformArray(N10M, 4), shape: [N10M] };
      const opt = kind === 'adam' ? new Adam([param], { lr: 1e-3 }) : new SGD([param], { lr: 1e-3, momentum: 0.9 });
      return { run: (reps) => timeSync(() => void opt.step(), reps) };
    },
  });
  cands.push(...peerCandidates(bench, unit, undefined, tfjsOptimizerStep(kind, N10M)));
  return measureInterleaved(cands, harness);
}

// ---- main ----
async function main(): Promise<void> {
  const started = performance.now();
  const tfjs = await loadTfjs();
  torch ??= TorchPeer.start();
  const peer = await torch;
  console.error(`node ${process.version}; cores ${availableParallelism()}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; backends: ${registeredBackends().join(', ')}`);
  console.error(`tfjs: ${typeof tfjs === 'string' ? tfjs : `${tfjs.version} (${Object.entries(tfjs.unavailable).map(([k, v]) => `${k}: ${v ?? 'ok'}`).join(', ')})`}`);
  console.error(`torch: ${typeof peer === 'string' ? peer : JSON.stringify(peer.info)}`);
  console.error(`${quick ? 'quick: ' : ''}${harness.rounds} rounds, runs of at least ${harness.minMs} ms`);
  const rows: Row[] = [];
  for (const bench of args.only) {
    if (bench === 'gemm') rows.push(...(await gemmBench()));
    else if (bench === 'mlp' || bench === 'cnn') rows.push(...(await trainingBench(bench)));
    else rows.push(...(await optimizerBench(bench as 'adam10m' | 'sgdm10m')));
  }
  for (const k of kernelCache.values()) if (typeof k !== 'string') k.dispose();
  if (typeof peer !== 'string') peer.close();
  printRows(rows);
  console.error(`done in ${((performance.now() - started) / 1000).toFixed(0)} s; load average now ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

await main();

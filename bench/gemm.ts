// GEMM and fused-optimizer-step throughput of the WASM kernels.
//
//   node --import tsx bench/gemm.ts [--quick] [--ref]
//
// GFLOP/s (2·m·n·k per call, copies into and out of WASM memory included) for square sizes and
// the MLP layer 784→1000 at batch 128 (forward x·Wᵀ and both backward products), on one thread
// and on every core; ms per step of fused Adam and SGD-momentum over 10M parameters, both for
// plain Float32Arrays (copied through WASM memory) and for arrays allocated in WASM memory.
// Median of several timed runs after a warm-up. Prints a table, then one JSON line per result.
// GEMM rows also give GFLOP per CPU-second of the process (perCpuSecond), steadier than wall
// time on a shared machine (for several threads it counts spinning too).
import { availableParallelism } from 'node:os';
import { loadWasmKernels, type WasmKernels } from '../src/kernels/wasm/index.js';
import { gemm as refGemm } from '../src/kernels/ref/gemm.js';

const quick = process.argv.includes('--quick');
const withRef = process.argv.includes('--ref');
const runs = quick ? 3 : 7;
const minMs = quick ? 20 : 100;

interface Shape { label: string; n?: number; ta: boolean; tb: boolean; m: number; nn: number; k: number }
const shapes: Shape[] = [
  ...[128, 512, 1024].map((n) => ({ label: `${n}²`, n, ta: false, tb: false, m: n, nn: n, k: n })),
  { label: 'mlp fwd 128×784·(1000×784)ᵀ', ta: false, tb: true, m: 128, nn: 1000, k: 784 },
  { label: 'mlp dX 128×1000·1000×784', ta: false, tb: false, m: 128, nn: 784, k: 1000 },
  { label: 'mlp dW (128×1000)ᵀ·128×784', ta: true, tb: false, m: 1000, nn: 784, k: 128 },
];

/** Process CPU ms per call of the median run (all threads): steadier than wall time on a busy machine. */
let lastCpuMs = 0;

/** Median ms per call of fn, each timed run repeating it until minMs passed. */
function time(fn: () => void): number {
  fn();
  let reps = 1;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < reps; i++) fn();
    if (performance.now() - t >= minMs || reps >= 1 << 16) break;
    reps *= 2;
  }
  const samples: [number, number][] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    const u = process.cpuUsage();
    for (let i = 0; i < reps; i++) fn();
    const cpu = process.cpuUsage(u);
    samples.push([(performance.now() - t) / reps, (cpu.user + cpu.system) / 1000 / reps]);
  }
  samples.sort((a, b) => a[0] - b[0]);
  const [wall, cpu] = samples[samples.length >> 1]!;
  lastCpuMs = cpu;
  return wall;
}

function random(length: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.random() - 0.5;
  return out;
}

const rows: { name: string; impl: string; threads: number; value: number; unit: string; extra: Record<string, unknown> }[] = [];
const cores = Math.max(2, availableParallelism());
const variants: [string, WasmKernels][] = [
  ['descent-wasm', loadWasmKernels({ threads: 1 })],
  [`descent-wasm`, loadWasmKernels({ threads: cores })],
];
if (!quick) variants.push(['descent-wasm-baseline-simd', loadWasmKernels({ threads: 1, relaxedSimd: false })]);
console.log(`relaxed SIMD: ${variants[0]![1].relaxedSimd}; cores: ${availableParallelism()}; runs: ${runs}`);

for (const s of shapes) {
  const a = random(s.m * s.k), b = random(s.k * s.nn), c = new Float32Array(s.m * s.nn);
  const lda = s.ta ? s.m : s.k, ldb = s.tb ? s.k : s.nn;
  const flops = 2 * s.m * s.nn * s.k;
  const extra = { shape: s.label, m: s.m, n: s.nn, k: s.k, transA: s.ta, transB: s.tb, ...(s.n !== undefined ? { n: s.n } : {}) };
  for (const [impl, k] of variants) {
    const ms = time(() => k.gemm(s.ta, s.tb, s.m, s.nn, s.k, 1, a, 0, lda, b, 0, ldb, 0, c, 0, s.nn));
    rows.push({ name: `gemm ${s.label}`, impl, threads: k.threads, value: flops / ms / 1e6, unit: 'GFLOP/s', extra: { ...extra, mode: 'copy', perCpuSecond: Number((flops / lastCpuMs / 1e6).toFixed(2)) } });
  }
  if (s.n !== undefined && s.n >= 512) {
    // Operands allocated in WASM memory: no copies.
    for (const [impl, k] of variants.slice(0, 2)) {
      const wa = k.allocate(a.length), wb = k.allocate(b.length), wc = k.allocate(c.length);
      wa.set(a);
      wb.set(b);
      const ms = time(() => k.gemm(s.ta, s.tb, s.m, s.nn, s.k, 1, wa, 0, lda, wb, 0, ldb, 0, wc, 0, s.nn));
      rows.push({ name: `gemm ${s.label} (in-place)`, impl, threads: k.threads, value: flops / ms / 1e6, unit: 'GFLOP/s', extra: { ...extra, mode: 'in-place', perCpuSecond: Number((flops / lastCpuMs / 1e6).toFixed(2)) } });
      for (const x of [wa, wb, wc]) k.release(x);
    }
  }
  if (withRef && s.m * s.nn * s.k <= 512 ** 3) {
    const ms = time(() => refGemm(s.ta, s.tb, s.m, s.nn, s.k, 1, a, 0, lda, b, 0, ldb, 0, c, 0, s.nn));
    rows.push({ name: `gemm ${s.label}`, impl: 'descent-ref', threads: 1, value: flops / ms / 1e6, unit: 'GFLOP/s', extra });
  }
}

const N = 10_000_000;
for (const [, k] of variants.slice(0, 2)) {
  // Plain Float32Arrays (copied through WASM memory in chunks), then arrays living in WASM memory (in place).
  for (const mode of ['copy', 'in-place'] as const) {
    const alloc = (x: Float32Array) => {
      if (mode === 'copy') return x;
      const out = k.allocate(x.length);
      out.set(x);
      return out;
    };
    const p = alloc(random(N)), g = alloc(random(N)), m = alloc(new Float32Array(N)), v = alloc(new Float32Array(N));
    let step = 0;
    const adamMs = time(() => k.adamStep(p, g, m, v, null, { step: ++step, lr: 1e-3 }));
    rows.push({ name: `adam 10M (${mode})`, impl: 'descent-wasm', threads: k.threads, value: adamMs, unit: 'ms/step', extra: { bench: 'adam10m', mode } });
    let first = true;
    const sgdMs = time(() => {
      k.sgdStep(p, g, m, { lr: 1e-3, momentum: 0.9, firstStep: first });
      first = false;
    });
    rows.push({ name: `sgd-momentum 10M (${mode})`, impl: 'descent-wasm', threads: k.threads, value: sgdMs, unit: 'ms/step', extra: { bench: 'sgdm10m', mode } });
    if (mode === 'in-place') for (const x of [p, g, m, v]) k.release(x);
  }
}
for (const [, k] of variants) k.dispose();

console.log('');
console.log(`${'benchmark'.padEnd(34)} ${'impl'.padEnd(28)} ${'threads'.padStart(7)} ${'value'.padStart(9)}  unit      per CPU-second`);
for (const r of rows) {
  const cpu = r.extra['perCpuSecond'] as number | undefined;
  console.log(`${r.name.padEnd(34)} ${r.impl.padEnd(28)} ${String(r.threads).padStart(7)} ${r.value.toFixed(2).padStart(9)}  ${r.unit.padEnd(9)} ${cpu === undefined ? '' : cpu.toFixed(2)}`);
}
console.log('');
for (const r of rows) {
  const bench = (r.extra['bench'] as string | undefined) ?? 'gemm';
  const { bench: _omit, ...rest } = r.extra;
  console.log(JSON.stringify({ bench, impl: r.impl, threads: r.threads, ...rest, value: Number(r.value.toFixed(3)), unit: r.unit }));
}

/**
 * Finding, compiling and instantiating the kernel module (dist/wasm/kernels*.wasm, built by
 * scripts/build-wasm.mjs). Two builds exist: baseline SIMD and relaxed SIMD (fused
 * multiply-add). Node 20 accepts relaxed SIMD only behind `--experimental-wasm-relaxed-simd`;
 * the flag is set at run time with `v8.setFlagsFromString` before validating the relaxed build,
 * and the baseline build is used when that does not work.
 *
 * Node built-ins are reached through `process.getBuiltinModule`, so importing this file in a
 * browser does not fail (`wasmAvailable()` is then false).
 */
import { DescentError } from '../../core/errors.js';
import { wasmApi, type WasmApi, type WasmGlobal, type WasmMemory, type WasmModule } from './wasm-api.js';

/** The module's exports (see assembly/kernels.entry.ts). Pointers are byte addresses. */
export interface KernelExports {
  heapBase(): number;
  gemm(
    transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number, work: number,
  ): void;
  gemmShared(
    transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number, work: number,
    counter: number, chunk: number, alongN: number,
  ): void;
  adam(
    n: number, p: number, g: number, m: number, v: number, vmax: number, flags: number,
    beta1: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number, weightDecay: number, decay: number,
    eps: number, negStepSize: number, biasCorrection2Sqrt: number, tmp: number,
  ): void;
  sgd(n: number, p: number, g: number, buf: number, flags: number, momentum: number, oneMinusDampening: number, weightDecay: number, negLr: number, tmp: number): void;
  adagrad(n: number, p: number, g: number, sum: number, flags: number, weightDecay: number, eps: number, negClr: number, tmp: number): void;
  rmsprop(
    n: number, p: number, g: number, squareAvg: number, gradAvg: number, buf: number, flags: number,
    alpha: number, oneMinusAlpha: number, weightDecay: number, eps: number, momentum: number, negLr: number, tmp: number,
  ): void;
  adadelta(n: number, p: number, g: number, squareAvg: number, accDelta: number, flags: number, rho: number, oneMinusRho: number, weightDecay: number, eps: number, negLr: number, tmp: number): void;
  unary32(op: number, n: number, x: number, out: number, p: number): void;
  binary32(op: number, rows: number, cols: number, a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number, out: number): void;
  sumAxis32(outer: number, size: number, inner: number, x: number, out: number, acc: number): void;
  firstNonFinite32(n: number, x: number): number;
  im2col32(n: number, c: number, h: number, w: number, kh: number, kw: number, sh: number, sw: number, ph: number, pw: number, oh: number, ow: number, x: number, col: number): void;
  col2im32(n: number, c: number, h: number, w: number, kh: number, kw: number, sh: number, sw: number, ph: number, pw: number, oh: number, ow: number, col: number, x: number): void;
  maxPool2d32(n: number, c: number, h: number, w: number, kh: number, kw: number, sh: number, sw: number, ph: number, pw: number, oh: number, ow: number, x: number, out: number, index: number): void;
  conv2dForward32(...args: number[]): void;
  conv2dBackwardInput32(...args: number[]): void;
  conv2dBackwardWeight32(...args: number[]): void;
  convReduce32(groups: number, size: number, parts: number, out: number): void;
  CONV_GROUP: WasmGlobal;
  copyStrided32(d0: number, d1: number, d2: number, s0: number, s1: number, s2: number, x: number, out: number): void;
  GEMM_WORK_BYTES: WasmGlobal;
  TAIL_BYTES: WasmGlobal;
}

/** Maximum pages the module declares for its (shared) memory: 4 GiB. */
export const MAX_PAGES = 65536;
export const PAGE_BYTES = 65536;

export interface CompiledKernels {
  module: WasmModule;
  relaxedSimd: boolean;
}

type Builtins = {
  fs: typeof import('node:fs');
  v8: typeof import('node:v8');
};

function builtins(): Builtins | null {
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  if (!proc || typeof proc.getBuiltinModule !== 'function') return null;
  return { fs: proc.getBuiltinModule('node:fs'), v8: proc.getBuiltinModule('node:v8') };
}

// Literal URLs (not built from a variable), so bundlers can see and copy the files.
function wasmUrl(name: 'kernels' | 'kernels-relaxed'): URL {
  return name === 'kernels'
    ? new URL('../../../dist/wasm/kernels.wasm', import.meta.url)
    : new URL('../../../dist/wasm/kernels-relaxed.wasm', import.meta.url);
}

let relaxedFlagTried = false;

function readBytes(node: Builtins, name: 'kernels' | 'kernels-relaxed'): Uint8Array {
  const url = wasmUrl(name);
  try {
    return node.fs.readFileSync(url);
  } catch (error) {
    throw new DescentError(`wasm kernels: cannot read ${url.pathname} (${(error as Error).message}); expected the file built by 'npm run build' (node scripts/build-wasm.mjs)`);
  }
}

const cache = new Map<boolean, CompiledKernels>();

/** Compiles the relaxed build when `relaxed` and the engine accepts it, else the baseline build. */
export function compileKernels(relaxed: boolean): CompiledKernels {
  const hit = cache.get(relaxed);
  if (hit) return hit;
  const wa = wasmApi();
  if (wa === null || typeof SharedArrayBuffer !== 'function') {
    throw new DescentError('wasm kernels: WebAssembly with SharedArrayBuffer is not available in this environment');
  }
  const node = builtins();
  if (!node) throw new DescentError('wasm kernels: loading the .wasm files needs Node.js >= 20.16 (process.getBuiltinModule)');
  let result: CompiledKernels | null = null;
  if (relaxed) {
    const bytes = readBytes(node, 'kernels-relaxed');
    if (!wa.validate(bytes) && !relaxedFlagTried) {
      relaxedFlagTried = true;
      try {
        node.v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
      } catch {
        // Ignored: the baseline build is used.
      }
    }
    if (wa.validate(bytes)) result = { module: new wa.Module(bytes), relaxedSimd: true };
  }
  if (!result) {
    const bytes = readBytes(node, 'kernels');
    if (!wa.validate(bytes)) throw new DescentError('wasm kernels: this engine rejects dist/wasm/kernels.wasm; expected WebAssembly SIMD and threads support (Node.js >= 20)');
    result = { module: new wa.Module(bytes), relaxedSimd: false };
  }
  cache.set(relaxed, result);
  return result;
}

export function instantiate(module: WasmModule, memory: WasmMemory): KernelExports {
  const instance = new (wasmApi() as WasmApi).Instance(module, {
    env: {
      memory,
      abort: () => {
        throw new DescentError('wasm kernels: abort');
      },
    },
  });
  return instance.exports as unknown as KernelExports;
}

let available: boolean | null = null;

/** Whether the WASM kernels can be loaded here (built .wasm present, SIMD and shared memory supported). */
export function wasmAvailable(): boolean {
  if (available === null) {
    try {
      compileKernels(false);
      available = true;
    } catch {
      available = false;
    }
  }
  return available;
}

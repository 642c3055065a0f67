/**
 * WebAssembly SIMD kernels (AssemblyScript, built by scripts/build-wasm.mjs into dist/wasm/):
 * GEMM with GemmBackend's signature and fused optimizer steps, float32 only, optionally on
 * several threads sharing one WebAssembly.Memory.
 *
 *   const kernels = loadWasmKernels({ threads: 2 });
 *   kernels.gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, c, 0, n);
 *   kernels.adamStep(param, grad, expAvg, expAvgSq, null, { step: 1, lr: 1e-3 });
 *   kernels.dispose(); // stops the worker threads (they never keep the process alive anyway)
 *
 * Operands may be any Float32Arrays: each call copies them into WASM memory (a reused arena)
 * and copies results back. Arrays from `kernels.allocate(n)` live in WASM memory and are used
 * in place, with no copies (and optimizer steps then split across threads).
 */
import { ValueError, show } from '../../core/errors.js';
import { Arena } from './arena.js';
import type { KernelContext } from './context.js';
import { makeGemm, type GemmFn } from './gemm.js';
import { compileKernels, instantiate, wasmAvailable } from './module.js';
import { makeOptimizerSteps, type OptimizerSteps } from './optim.js';
import { WorkerPool } from './threads.js';
import { wasmApi, type WasmApi } from './wasm-api.js';

export { wasmAvailable };
export type { GemmFn };
export type { AdamStepOptions, SgdStepOptions, AdagradStepOptions, RmspropStepOptions, AdadeltaStepOptions, OptimizerSteps } from './optim.js';

export interface WasmKernelOptions {
  /** Threads in all, the calling one included. Default: every core (os.availableParallelism()), at most 8. */
  threads?: number;
  /** Use the relaxed-SIMD build (fused multiply-add in GEMM) when the engine supports it. Default true. */
  relaxedSimd?: boolean;
}

export interface WasmKernels extends OptimizerSteps {
  /** GemmBackend.gemm for Float32Array operands; Float64Array operands throw. */
  readonly gemm: GemmFn;
  readonly threads: number;
  /** Whether the relaxed-SIMD build is in use. */
  readonly relaxedSimd: boolean;
  /**
   * A zero-filled Float32Array living in the kernels' WebAssembly memory. Kernels use such arrays
   * in place (no copies in or out): the fast path for parameters, gradients and optimizer state.
   * Views stay valid when the memory grows (it is shared memory, which is never detached).
   */
  allocate(length: number): Float32Array;
  /** Returns an array from allocate(); it must not be used afterwards. */
  release(array: Float32Array): void;
  /** Bytes of WebAssembly memory in use (allocated arrays plus the largest call; never shrinks). */
  memoryBytes(): number;
  /** Stops the worker threads; the kernels then run on the calling thread only. */
  dispose(): void;
}

const MAX_DEFAULT_THREADS = 8;

function defaultThreads(): number {
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  const os = proc && typeof proc.getBuiltinModule === 'function' ? proc.getBuiltinModule('node:os') : undefined;
  const cores = os ? (typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length) : 1;
  return Math.max(1, Math.min(MAX_DEFAULT_THREADS, cores));
}

/** Compiles (once per process) and instantiates the kernels on a fresh memory with `threads` threads. */
export function loadWasmKernels(options: WasmKernelOptions = {}): WasmKernels {
  if (options === null || typeof options !== 'object') throw new ValueError(`loadWasmKernels: invalid options ${show(options)}, expected an object`);
  const threads = options.threads ?? defaultThreads();
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    throw new ValueError(`loadWasmKernels: invalid threads ${show(threads)}, expected an integer in [1, 64]`);
  }
  const relaxed = options.relaxedSimd ?? true;
  if (typeof relaxed !== 'boolean') throw new ValueError(`loadWasmKernels: invalid relaxedSimd ${show(relaxed)}, expected true or false`);

  const { module, relaxedSimd } = compileKernels(relaxed);
  // A throwaway memory to read the layout constants, then the real one sized for `threads`.
  const probe = instantiate(module, new (wasmApi() as WasmApi).Memory({ initial: 1, maximum: 65536, shared: true }));
  const gemmWorkBytes = Number(probe.GEMM_WORK_BYTES.value);
  const workBytes = gemmWorkBytes + Number(probe.TAIL_BYTES.value);
  const arena = new Arena(probe.heapBase(), workBytes, threads);
  const exports = instantiate(module, arena.memory);
  let pool = threads > 1 ? WorkerPool.start(threads - 1, module, arena.memory) : null;

  const ctx: { -readonly [K in keyof KernelContext]: KernelContext[K] } = { exports, arena, pool, threads, gemmWorkBytes };
  return {
    gemm: makeGemm(ctx),
    ...makeOptimizerSteps(ctx),
    get threads() {
      return ctx.threads;
    },
    relaxedSimd,
    allocate: (length) => arena.allocate(length),
    release: (array) => arena.release(array),
    memoryBytes: () => arena.byteLength,
    dispose(): void {
      pool?.dispose();
      pool = null;
      ctx.pool = null;
      ctx.threads = 1;
    },
  };
}

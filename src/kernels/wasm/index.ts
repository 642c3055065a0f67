/**
 * WebAssembly SIMD kernels (AssemblyScript, built by scripts/build-wasm.mjs into dist/wasm/):
 * GEMM with GemmBackend's signature, fused optimizer steps, and the elementwise and conv kernels
 * whose float32 results equal the reference bit for bit (wasm/elementwise.ts, wasm/conv.ts),
 * float32 only, GEMM optionally on several threads sharing one WebAssembly.Memory.
 *
 *   const kernels = loadWasmKernels({ threads: 2 });
 *   kernels.gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, c, 0, n);
 *   kernels.adamStep(param, grad, expAvg, expAvgSq, null, { step: 1, lr: 1e-3 });
 *   kernels.dispose(); // stops the worker threads (they never keep the process alive anyway)
 *
 * Operands may be any Float32Arrays: each call copies them into WASM memory (a reused arena)
 * and copies results back. Arrays from `kernels.allocate(n)` live in WASM memory and are used
 * in place, with no copies.
 */
import { ValueError, show } from '../../core/errors.js';
import type { Backend, BackendMemory, GemmBackend, OptimizerSteps } from '../backend.js';
import { Arena } from './arena.js';
import type { KernelContext } from './context.js';
import { makeGemm, type GemmFn } from './gemm.js';
import { makeElementwise, type ElementwiseKernels } from './elementwise.js';
import { makeConv, type ConvKernels } from './conv.js';
import { makeConv2d, type Conv2dKernels } from './conv2d.js';
import { refBackend } from '../ref/index.js';
import { compileKernels, instantiate, wasmAvailable } from './module.js';
import { makeOptimizerSteps } from './optim.js';
import { WorkerPool } from './threads.js';

export { wasmAvailable };
export type { GemmFn };
export type { AdamStepOptions, SgdStepOptions, AdagradStepOptions, RmspropStepOptions, AdadeltaStepOptions, OptimizerSteps } from '../backend.js';

export interface WasmKernelOptions {
  /**
   * Threads in all, the calling one included. Default: the DESCENT_THREADS environment variable,
   * else every core (os.availableParallelism()) up to 8, falling back to 1 where worker threads
   * cannot start.
   */
  threads?: number;
  /** Use the relaxed-SIMD build (fused multiply-add in GEMM) when the engine supports it. Default true. */
  relaxedSimd?: boolean;
  /** Where elementwise kernels send what WASM does not run (float64, other ops). Default refBackend. */
  fallback?: ElementwiseKernels & ConvKernels & Conv2dKernels;
}

export interface WasmKernels extends OptimizerSteps {
  /** Elementwise kernels with the Backend's signatures (float32 on WASM, the rest on the fallback given to loadWasmKernels). */
  readonly elementwise: ElementwiseKernels;
  /** im2col, col2im, maxPool2d and the fused conv2d kernels with the Backend's signatures (float32 on WASM, float64 on the fallback). */
  readonly conv: ConvKernels & Conv2dKernels;
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
  /** The same memory as a Backend's `memory`: its arrays are released when garbage-collected. */
  readonly memory: BackendMemory;
  /** Bytes of WebAssembly memory in use (allocated arrays plus the largest call; never shrinks). */
  memoryBytes(): number;
  /** Stops the worker threads; the kernels then run on the calling thread only. */
  dispose(): void;
}

const MAX_DEFAULT_THREADS = 8;

function defaultThreads(): number {
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  const env = proc?.env?.['DESCENT_THREADS'];
  if (env !== undefined && env !== '') {
    const value = Number(env);
    if (!Number.isInteger(value) || value < 1 || value > 64) throw new ValueError(`loadWasmKernels: invalid DESCENT_THREADS ${show(env)}, expected an integer in [1, 64]`);
    return value;
  }
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
  const memory = Arena.createMemory();
  const exports = instantiate(module, memory);
  const gemmWorkBytes = Number(exports.GEMM_WORK_BYTES.value);
  const arena = new Arena(memory, exports.heapBase(), gemmWorkBytes + Number(exports.TAIL_BYTES.value), threads);
  let pool: WorkerPool | null = null;
  if (threads > 1) {
    try {
      pool = WorkerPool.start(threads - 1, module, arena.memory, arena.sync.byteOffset);
    } catch (error) {
      if (options.threads !== undefined) throw error; // asked for explicitly: report it
    }
  }

  const ctx: { -readonly [K in keyof KernelContext]: KernelContext[K] } = { exports, arena, pool, threads: pool === null ? 1 : threads, gemmWorkBytes };
  return {
    gemm: makeGemm(ctx),
    elementwise: makeElementwise(ctx, options.fallback ?? refBackend),
    conv: { ...makeConv(ctx, options.fallback ?? refBackend), ...makeConv2d(ctx, options.fallback ?? refBackend) },
    ...makeOptimizerSteps(ctx),
    get threads() {
      return ctx.threads;
    },
    relaxedSimd,
    allocate: (length) => arena.allocate(length),
    release: (array) => arena.release(array),
    memory: {
      allocate: (length) => arena.allocateManaged(length) ?? new Float32Array(length),
      holds: (array) => array instanceof Float32Array && arena.addressOf(array) >= 0,
    },
    memoryBytes: () => arena.byteLength,
    dispose(): void {
      pool?.dispose();
      pool = null;
      ctx.pool = null;
      ctx.threads = 1;
    },
  };
}

/**
 * GemmBackend.gemm that runs Float32Array operands on the WASM kernels and anything else
 * (float64 verification runs) on `fallback`, e.g. refBackend.gemm.
 */
export function gemmWithFallback(kernels: WasmKernels, fallback: GemmBackend['gemm']): GemmBackend['gemm'] {
  if (typeof fallback !== 'function') throw new ValueError(`gemmWithFallback: invalid fallback ${show(fallback)}, expected a gemm function`);
  return (transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc) => {
    if (a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array) {
      kernels.gemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    } else {
      fallback(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }
  };
}

/**
 * A full Backend: `base` (e.g. refBackend) with gemm, unary, binary, sumAxis, copyStrided,
 * im2col, col2im and maxPool2d replaced by the WASM kernels for float32 (float64, and what the
 * WASM kernels do not cover, stay on `base`). For registerBackend('wasm', () => createWasmBackend(refBackend)).
 */
export function createWasmBackend(base: Backend, options: WasmKernelOptions = {}): Backend & { readonly kernels: WasmKernels } {
  if (base === null || typeof base !== 'object' || typeof base.gemm !== 'function') {
    throw new ValueError(`createWasmBackend: invalid base ${show(base)}, expected a Backend (e.g. refBackend)`);
  }
  const kernels = loadWasmKernels({ fallback: base, ...options });
  const { adamStep, sgdStep, adagradStep, rmspropStep, adadeltaStep, firstNonFinite } = kernels;
  const optimizerSteps: OptimizerSteps = { adamStep, sgdStep, adagradStep, rmspropStep, adadeltaStep, firstNonFinite };
  return { ...base, name: 'wasm', gemm: gemmWithFallback(kernels, base.gemm.bind(base)), ...kernels.elementwise, ...kernels.conv, optimizerSteps, memory: kernels.memory, kernels };
}

/**
 * descent's implementations in the benchmarks:
 *   descent      the WASM backend (registered as 'wasm'), for the engine benches (mlp, cnn),
 *                and the WASM kernels themselves (loadWasmKernels) for gemm and the 10M-parameter
 *                optimizer steps;
 *   descent-ref  the reference TypeScript backend ('ref'): single-threaded.
 *
 * Threads of the engine backend: DESCENT_THREADS is set while the 'wasm' backend is created
 * (loadWasmKernels reads it); every row also reports the process's CPU/wall ratio (cpuPerWall)
 * while timed, which shows how many cores really worked.
 */
import { registeredBackends, setBackend, getBackend, type Backend } from '../../src/kernels/index.js';
import { Skip } from './harness.js';

export const WASM_NOT_REGISTERED = "wasm backend not registered (setBackend('wasm') is not available yet)";

/**
 * The backend object for `impl` on `threads` threads; throws Skip when there is none. Leaves the
 * previously selected backend selected.
 */
export function descentBackend(impl: 'descent' | 'descent-ref', threads: number): Backend {
  const previous = getBackend();
  try {
    if (impl === 'descent-ref') {
      if (threads !== 1) throw new Skip('the reference backend is single-threaded');
      return setBackend('ref');
    }
    if (!registeredBackends().includes('wasm')) throw new Skip(WASM_NOT_REGISTERED);
    const saved = process.env['DESCENT_THREADS'];
    process.env['DESCENT_THREADS'] = String(threads);
    try {
      return setBackend('wasm');
    } finally {
      if (saved === undefined) delete process.env['DESCENT_THREADS'];
      else process.env['DESCENT_THREADS'] = saved;
    }
  } finally {
    setBackend(previous);
  }
}

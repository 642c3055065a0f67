/**
 * Worker threads that run kernel calls on the shared WebAssembly memory.
 *
 * Each worker instantiates the same compiled module on the same shared memory and waits for
 * jobs on a small control block (Int32Array on a SharedArrayBuffer) with its arguments in a
 * Float64Array beside it. A job is a kernel export name and its arguments. For GEMM and in-place
 * optimizer steps the caller posts the same job to every worker and runs it too; all threads
 * claim chunks of the work through an atomic counter in the shared memory, then the caller
 * waits for the workers.
 * Waiting spins briefly before `Atomics.wait`: a futex round trip costs tens of microseconds in
 * a VM, a spin well under one. Workers are unref'd, so they never keep the process alive.
 *
 * Control block (Int32): 0 = job sequence (caller increments), 1 = last finished sequence,
 * 2 = kernel index (-1 quits), 3 = state (0 starting, 1 ready, 2 failed), 4 = error flag,
 * 5 = argument count, 6 = streams (0: one call; S > 0: an elementwise kernel whose count and
 * S pointers lead its arguments, run on chunks claimed from the shared counter at sync[1]),
 * 7 = chunk length.
 */
import { DescentError } from '../../core/errors.js';
import type { WasmMemory, WasmModule } from './wasm-api.js';

export const KERNEL_NAMES = ['gemm', 'gemmShared', 'adam', 'sgd', 'adagrad', 'rmsprop', 'adadelta', 'conv2dForward32', 'conv2dBackwardInput32', 'conv2dBackwardWeight32'] as const;
export type KernelName = (typeof KERNEL_NAMES)[number];

const MAX_ARGS = 24;
const SPIN = 20_000;
const START_TIMEOUT_MS = 30_000;
const JOB_TIMEOUT_MS = 600_000;

// Plain script, valid both as CommonJS and as an ES module (so no require/import).
const WORKER_SOURCE = `
const { workerData } = process.getBuiltinModule('node:worker_threads');
const { module, memory, ctrl, args, names, sync } = workerData;
const c = new Int32Array(ctrl);
const f = new Float64Array(args);
const counters = new Int32Array(memory.buffer, sync, 16);
let k = null;
try {
  k = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error('wasm abort'); } } }).exports;
  Atomics.store(c, 3, 1);
} catch (e) {
  Atomics.store(c, 3, 2);
}
Atomics.notify(c, 3);
const a = [];
const base = [];
let seen = 0;
while (k !== null) {
  let s = Atomics.load(c, 0);
  for (let i = 0; s === seen && i < ${SPIN}; i++) s = Atomics.load(c, 0);
  if (s === seen) { Atomics.wait(c, 0, seen); continue; }
  seen = s;
  const op = c[2];
  if (op < 0) break;
  try {
    const n = c[5];
    a.length = n;
    for (let i = 0; i < n; i++) a[i] = f[i];
    const fn = k[names[op]];
    const streams = c[6];
    if (streams === 0) {
      fn.apply(null, a);
    } else {
      // Claim chunks of the element range: a[0] is the count, a[1..streams] the pointers.
      const total = a[0], chunk = c[7];
      for (let i = 0; i < streams; i++) base[i] = a[1 + i];
      for (;;) {
        const start = Atomics.add(counters, 1, chunk);
        if (start >= total) break;
        a[0] = Math.min(chunk, total - start);
        for (let i = 0; i < streams; i++) a[1 + i] = base[i] === 0 ? 0 : base[i] + 4 * start;
        fn.apply(null, a);
      }
    }
  } catch (e) {
    Atomics.store(c, 4, 1);
  }
  Atomics.store(c, 1, seen);
  Atomics.notify(c, 1);
}
`;

interface Slot {
  worker: import('node:worker_threads').Worker;
  ctrl: Int32Array;
  args: Float64Array;
  seq: number;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];

  private constructor() {}

  /** Starts `count` workers on `memory` and waits (synchronously) until each is ready. */
  static start(count: number, module: WasmModule, memory: WasmMemory, sync: number): WorkerPool {
    const proc = (globalThis as { process?: NodeJS.Process }).process;
    const wt = proc && typeof proc.getBuiltinModule === 'function' ? proc.getBuiltinModule('node:worker_threads') : undefined;
    if (!wt) throw new DescentError(`wasm kernels: threads > 1 need node:worker_threads, which is not available here; expected threads: 1`);
    const pool = new WorkerPool();
    try {
      for (let i = 0; i < count; i++) {
        const ctrl = new Int32Array(new SharedArrayBuffer(8 * 4));
        const args = new Float64Array(new SharedArrayBuffer(MAX_ARGS * 8));
        const worker = new wt.Worker(WORKER_SOURCE, {
          eval: true,
          // Not the parent's flags: loaders such as --import tsx would start, and wait on, the
          // blocked main thread; --input-type would change how the source is read.
          execArgv: [],
          workerData: { module, memory, ctrl: ctrl.buffer, args: args.buffer, names: KERNEL_NAMES, sync },
        });
        worker.unref();
        pool.slots.push({ worker, ctrl, args, seq: 0 });
      }
      for (const slot of pool.slots) {
        const deadline = Date.now() + START_TIMEOUT_MS;
        while (Atomics.load(slot.ctrl, 3) === 0 && Date.now() < deadline) Atomics.wait(slot.ctrl, 3, 0, 50);
        const state = Atomics.load(slot.ctrl, 3);
        if (state !== 1) throw new DescentError(`wasm kernels: a worker thread ${state === 2 ? 'failed to instantiate the module' : `did not start within ${START_TIMEOUT_MS} ms`}; expected it ready (try threads: 1)`);
      }
    } catch (error) {
      pool.dispose();
      throw error;
    }
    return pool;
  }

  get size(): number {
    return this.slots.length;
  }

  /**
   * Starts `name(...args)` on worker `w`; with `claim`, the worker instead runs the elementwise
   * kernel on chunks of `claim.chunk` elements claimed from the counter sync[1] until none is left.
   */
  post(w: number, name: KernelName, args: readonly number[], claim?: { streams: number; chunk: number }): void {
    const slot = this.slots[w]!;
    for (let i = 0; i < args.length; i++) slot.args[i] = args[i]!;
    slot.ctrl[2] = KERNEL_NAMES.indexOf(name);
    slot.ctrl[5] = args.length;
    slot.ctrl[6] = claim?.streams ?? 0;
    slot.ctrl[7] = claim?.chunk ?? 0;
    slot.seq = (slot.seq + 1) | 0;
    Atomics.store(slot.ctrl, 0, slot.seq);
    Atomics.notify(slot.ctrl, 0);
  }

  /** Waits until worker `w` has finished its last job. */
  wait(w: number): void {
    const slot = this.slots[w]!;
    const c = slot.ctrl;
    let done = Atomics.load(c, 1);
    for (let i = 0; done !== slot.seq && i < SPIN; i++) done = Atomics.load(c, 1);
    const deadline = Date.now() + JOB_TIMEOUT_MS;
    while (done !== slot.seq) {
      Atomics.wait(c, 1, done, 100);
      done = Atomics.load(c, 1);
      if (done !== slot.seq && Date.now() > deadline) throw new DescentError(`wasm kernels: a worker thread did not finish within ${JOB_TIMEOUT_MS} ms`);
    }
    if (Atomics.exchange(c, 4, 0) !== 0) throw new DescentError('wasm kernels: a kernel failed in a worker thread');
  }

  /** Stops the workers. */
  dispose(): void {
    for (const slot of this.slots) {
      slot.ctrl[2] = -1;
      Atomics.store(slot.ctrl, 0, (slot.seq + 1) | 0);
      Atomics.notify(slot.ctrl, 0);
      void slot.worker.terminate();
    }
    this.slots.length = 0;
  }
}

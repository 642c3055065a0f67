/**
 * Running many trials: in this thread (`workers = 1`), or in parallel on a pool of
 * worker_threads, one trial per message. Records come back as plain data (structured clone),
 * in completion order; `runTrials` resolves with them in the order of the specs.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { type TrialRecord, type TrialSpec, runTrial } from './trial.js';

export interface ExecutorHooks {
  onStart?(spec: TrialSpec): void;
  onStep?(spec: TrialSpec, step: number, budget: number): void;
  onDone?(record: TrialRecord): void;
}

export interface TrialExecutor {
  readonly workers: number;
  runTrials(specs: readonly TrialSpec[], hooks?: ExecutorHooks): Promise<TrialRecord[]>;
  close(): Promise<void>;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function sequentialExecutor(): TrialExecutor {
  return {
    workers: 1,
    async runTrials(specs, hooks = {}) {
      const out: TrialRecord[] = [];
      for (const spec of specs) {
        hooks.onStart?.(spec);
        const record = runTrial(spec, { onStep: hooks.onStep ? (s, b) => hooks.onStep!(spec, s, b) : undefined });
        out.push(record);
        hooks.onDone?.(record);
        await yieldToEventLoop(); // let progress bars redraw
      }
      return out;
    },
    async close() {},
  };
}

type WorkerReply = { type: 'done'; id: number; record: TrialRecord } | { type: 'step'; id: number; step: number; budget: number } | { type: 'error'; id: number; message: string };

/**
 * A pool worker. Built code runs trial-worker.js; under tsx (tests, development) only the .ts
 * source exists, and the worker first registers tsx's loader (a dev dependency) to load it.
 * Each worker's kernels get an equal share of the cores (DESCENT_THREADS, unless the user set
 * it): workers that each started a thread per core would fight over the cores.
 */
function startWorker(workers: number): Worker {
  const env: Record<string, string | undefined> = { ...process.env };
  if (env['DESCENT_THREADS'] === undefined || env['DESCENT_THREADS'] === '') {
    env['DESCENT_THREADS'] = String(Math.max(1, Math.floor(availableParallelism() / workers)));
  }
  const js = new URL('./trial-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js, { env });
  const ts = new URL('./trial-worker.ts', import.meta.url).href;
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(ts)}); });`;
  return new Worker(code, { eval: true, env });
}

export function workerExecutor(workers: number): TrialExecutor {
  const pool: Worker[] = [];
  return {
    workers,
    async runTrials(specs, hooks = {}) {
      const results: Array<TrialRecord | undefined> = new Array(specs.length);
      let next = 0;
      let failed: Error | null = null;
      while (pool.length < Math.min(workers, specs.length)) pool.push(startWorker(workers));
      await Promise.all(
        pool.slice(0, Math.min(workers, specs.length)).map(
          (worker) =>
            new Promise<void>((resolve, reject) => {
              const feed = () => {
                if (failed || next >= specs.length) {
                  worker.off('message', onMessage);
                  worker.off('error', onError);
                  resolve();
                  return;
                }
                const id = next++;
                hooks.onStart?.(specs[id]!);
                worker.postMessage({ id, spec: specs[id] });
              };
              const onMessage = (msg: WorkerReply) => {
                if (msg.type === 'step') hooks.onStep?.(specs[msg.id]!, msg.step, msg.budget);
                else if (msg.type === 'done') {
                  results[msg.id] = msg.record;
                  hooks.onDone?.(msg.record);
                  feed();
                } else {
                  failed = new Error(msg.message);
                  worker.off('message', onMessage);
                  worker.off('error', onError);
                  reject(failed);
                }
              };
              const onError = (e: Error) => {
                failed = e;
                reject(e);
              };
              worker.on('message', onMessage);
              worker.on('error', onError);
              feed();
            }),
        ),
      );
      return results as TrialRecord[];
    },
    async close() {
      await Promise.all(pool.splice(0).map((w) => w.terminate()));
    },
  };
}

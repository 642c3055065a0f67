/** A worker thread of the lab's trial pool: receives {id, spec}, replies with step progress and the record. */
import { parentPort } from 'node:worker_threads';
import { type TrialSpec, runTrial } from './trial.js';

const port = parentPort;
if (port) {
  port.on('message', ({ id, spec }: { id: number; spec: TrialSpec }) => {
    try {
      const record = runTrial(spec, { onStep: (step, budget) => port.postMessage({ type: 'step', id, step, budget }) });
      port.postMessage({ type: 'done', id, record });
    } catch (e) {
      port.postMessage({ type: 'error', id, message: e instanceof Error ? e.message : String(e) });
    }
  });
}

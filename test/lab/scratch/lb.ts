import { runTrial } from '../../../src/lab/index.js';
for (const options of [{}, { toleranceChange: 0, toleranceGrad: 0 }]) {
const r = runTrial({ problem: 'quadratic-k100', optimizer: 'lbfgs', optimizerName: 'lbfgs', options, lr: 1, seed: 0, phase: 'final', budget: 50 });
console.log(r.curve.slice(0, 25).map(([s, m]) => `${s}:${m.toExponential(2)}`).join(' '), r.reachedTargetAt, r.diverged, r.divergedReason);
}

/**
 * The fused fast paths (Adam, SGD momentum) are bit-identical to the transform chains they
 * replace on the reference backend; on the WASM backend (its fused float32 kernels) they agree
 * within float32 rounding.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { Adam, AdamW, SGD, type TransformOptimizer } from '../../src/optim/optimizers/index.js';
import { getBackend, setBackend, wasmAvailable, type Backend } from '../../src/kernels/index.js';
import { scaledRel } from '../helpers/oracle.js';

let previous: Backend;
before(() => {
  previous = getBackend();
  setBackend('ref');
});
after(() => setBackend(previous));

type Make = (ps: any[]) => TransformOptimizer<any>;

const CASES: Array<[string, Make]> = [];
for (const maximize of [false, true]) {
  for (const amsgrad of [false, true]) {
    for (const weightDecay of [0, 0.05]) {
      const tag = `maximize ${maximize}, amsgrad ${amsgrad}, weightDecay ${weightDecay}`;
      CASES.push([`Adam ${tag}`, (ps) => new Adam(ps, { lr: 0.01, betas: [0.8, 0.95], eps: 1e-6, maximize, amsgrad, weightDecay })]);
      CASES.push([`AdamW ${tag}`, (ps) => new AdamW(ps, { lr: 0.02, maximize, amsgrad, weightDecay })]);
    }
  }
}
for (const maximize of [false, true]) {
  for (const [momentum, dampening, nesterov] of [[0, 0, false], [0.9, 0, false], [0.7, 0.3, false], [0.9, 0, true]] as const) {
    for (const weightDecay of [0, 0.05]) {
      CASES.push([
        `SGD maximize ${maximize}, momentum ${momentum}, dampening ${dampening}, nesterov ${nesterov}, weightDecay ${weightDecay}`,
        (ps) => new SGD(ps, { lr: 0.05, momentum, dampening, nesterov, maximize, weightDecay }),
      ]);
    }
  }
}

describe('fused fast paths equal the chain', () => {
  for (const [name, make] of CASES) {
    for (const f32 of [true, false]) {
      test(`${name} (${f32 ? 'float32' : 'float64'})`, () => {
        const n = 257;
        const rng = new Rng(11);
        const init = rng.fillNormal(f32 ? new Float32Array(n) : new Float64Array(n));
        const grads = Array.from({ length: 12 }, () => {
          const g = f32 ? new Float32Array(n) : new Float64Array(n);
          for (let i = 0; i < n; i++) g[i] = rng.normal() * 10 ** rng.uniform(-4, 2);
          return g;
        });
        const fast = { data: init.slice(), grad: null as any };
        const slow = { data: init.slice(), grad: null as any };
        const a = make([fast]);
        const b = make([slow]);
        b.fastPath = false;
        let fusedHits = 0;
        const original = (a as any).fusedUpdate.bind(a);
        (a as any).fusedUpdate = (...args: unknown[]) => {
          const used = original(...args);
          if (used) fusedHits++;
          return used;
        };
        for (const g of grads) {
          fast.grad = g.slice();
          slow.grad = g.slice();
          a.step();
          b.step();
          assert.deepEqual(Array.from(fast.data), Array.from(slow.data));
        }
        assert.equal(fusedHits, grads.length, 'the fused path ran at every step');
        assert.deepEqual(JSON.stringify(a.stateDict()), JSON.stringify(b.stateDict()));
      });
    }
  }
});

describe('on the WASM backend, the optimizers use its fused float32 steps', { skip: wasmAvailable() ? false : 'WebAssembly SIMD unavailable' }, () => {
  for (const [name, make] of CASES) {
    test(name, () => {
      const n = 1037;
      const rng = new Rng(5);
      const init = rng.fillNormal(new Float32Array(n));
      const grads = Array.from({ length: 8 }, () => rng.fillNormal(new Float32Array(n)));
      const run = (backend: 'ref' | 'wasm', f64 = false): { data: Float32Array | Float64Array; calls: number } => {
        setBackend(backend);
        const p = { data: f64 ? Float64Array.from(init) : init.slice(), grad: null as Float32Array | Float64Array | null };
        const optimizer = make([p]);
        let calls = 0;
        const steps = getBackend().optimizerSteps;
        if (backend === 'wasm') {
          assert.ok(steps !== undefined, 'the WASM backend offers fused steps');
          const count = (f: (...a: any[]) => void) => (...a: any[]) => { calls++; f(...a); };
          setBackend({ ...getBackend(), optimizerSteps: { ...steps, adamStep: count(steps.adamStep), sgdStep: count(steps.sgdStep) } });
        }
        for (const g of grads) {
          p.grad = f64 ? Float64Array.from(g) : g.slice();
          optimizer.step();
        }
        setBackend('ref');
        return { data: p.data, calls };
      };
      const exact = run('ref', true).data;
      const ref = run('ref');
      const wasm = run('wasm');
      assert.equal(wasm.calls, grads.length, 'the backend step ran at every step');
      assert.equal(ref.calls, 0);
      // Each op rounds to float32 in WASM (as in torch), where the reference rounds whole
      // expressions once: both are float32 runs, the WASM one a few times further from float64.
      const refErr = scaledRel(exact, ref.data);
      const err = scaledRel(exact, wasm.data);
      assert.ok(err <= Math.max(10 * refErr, 1e-6), `${name}: the WASM step is ${err.toExponential(2)} from float64 (scaled_rel), the reference float32 step ${refErr.toExponential(2)}`);
    });
  }
});

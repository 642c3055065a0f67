/** The fused fast paths (Adam, SGD momentum) are bit-identical to the transform chains they replace. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { Adam, AdamW, SGD, type TransformOptimizer } from '../../src/optim/optimizers/index.js';

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

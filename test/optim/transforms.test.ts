/** The composable core: chain, sign convention, schedules, rows, and the identities between transforms. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import {
  addDecayedWeights, applyUpdates, chain, denseContext, flipSign, scaleByAdam, scaleByLearningRate,
  scaleByRms, trace, type Transform,
} from '../../src/optim/transforms/index.js';
import { Adam, AdamW } from '../../src/optim/optimizers/index.js';

function randomGrads(seed: number, steps: number, n: number, f32: boolean): Array<Float32Array | Float64Array> {
  const rng = new Rng(seed);
  return Array.from({ length: steps }, () => {
    const g = f32 ? new Float32Array(n) : new Float64Array(n);
    for (let i = 0; i < n; i++) g[i] = rng.normal() * 10 ** rng.uniform(-3, 2);
    return g;
  });
}

/** Runs a transform over a gradient sequence on a copy of `init`, returning the final params. */
function run(t: Transform<any>, init: Float32Array | Float64Array, grads: Array<Float32Array | Float64Array>): Float32Array | Float64Array {
  const p = init.slice();
  const state = t.init(p);
  const ctx = denseContext();
  const u = p.slice();
  grads.forEach((g, k) => {
    u.set(g);
    ctx.step = k + 1;
    t.update(u, state, p, ctx);
    applyUpdates(p, u);
  });
  return p;
}

describe('identities', () => {
  for (const f32 of [false, true]) {
    const dtype = f32 ? 'float32' : 'float64';
    test(`RMS scaling with bias correction equals Adam with b1 = 0, bit for bit (${dtype})`, () => {
      const grads = randomGrads(1, 30, 17, f32);
      const init = f32 ? new Float32Array(17).fill(0.5) : new Float64Array(17).fill(0.5);
      const rms = run(chain(scaleByRms({ alpha: 0.95, eps: 1e-6, biasCorrection: true }), scaleByLearningRate(0.01)), init, grads);
      const adam = run(chain(scaleByAdam({ b1: 0, b2: 0.95, eps: 1e-6 }), scaleByLearningRate(0.01)), init, grads);
      assert.deepEqual(Array.from(rms), Array.from(adam));
      const plain = run(chain(scaleByRms({ alpha: 0.95, eps: 1e-6 }), scaleByLearningRate(0.01)), init, grads);
      assert.notDeepEqual(Array.from(plain), Array.from(adam)); // without the correction they differ
    });
    test(`AdamW with weightDecay 0 equals Adam, bit for bit (${dtype})`, () => {
      const grads = randomGrads(2, 20, 9, f32);
      const mk = () => ({ data: f32 ? new Float32Array(9).fill(-1.25) : new Float64Array(9).fill(-1.25), grad: null as any });
      const a = mk();
      const w = mk();
      const adam = new Adam([a], { lr: 0.03, amsgrad: true });
      const adamw = new AdamW([w], { lr: 0.03, amsgrad: true, weightDecay: 0 });
      for (const g of grads) {
        a.grad = g.slice();
        w.grad = g.slice();
        adam.step();
        adamw.step();
      }
      assert.deepEqual(Array.from(w.data), Array.from(a.data));
      const w2 = mk();
      const decayed = new AdamW([w2], { lr: 0.03, amsgrad: true });
      for (const g of grads) { w2.grad = g.slice(); decayed.step(); }
      assert.notDeepEqual(Array.from(w2.data), Array.from(a.data));
    });
    test(`a hand-built chain equals the Adam class, bit for bit (${dtype})`, () => {
      const grads = randomGrads(3, 15, 5, f32);
      const init = f32 ? Float32Array.of(1, 2, 3, 4, 5) : Float64Array.of(1, 2, 3, 4, 5);
      const mine = run(chain(scaleByAdam({ b1: 0.8, b2: 0.99, eps: 1e-7 }), scaleByLearningRate(0.05)), init, grads);
      const p = { data: init.slice(), grad: null as any };
      const opt = new Adam([p], { lr: 0.05, betas: [0.8, 0.99], eps: 1e-7 });
      for (const g of grads) { p.grad = g.slice(); opt.step(); }
      assert.deepEqual(Array.from(p.data), Array.from(mine));
    });
  }
});

describe('chain and the sign convention', () => {
  test('scaleByLearningRate multiplies by -lr; flipSign negates; decayed weights add wd * p', () => {
    const p = Float64Array.of(2, -4);
    const u = Float64Array.of(1, 3);
    const t = chain(flipSign(), addDecayedWeights(0.5), scaleByLearningRate(0.1));
    t.update(u, t.init(p), p, denseContext());
    assert.deepEqual(Array.from(u), [-0.1 * (-1 + 1), -0.1 * (-3 - 2)]);
  });
  test('chain counts updates and passes the 1-based step; schedules get the 0-based index', () => {
    const seen: number[] = [];
    const lr = (k: number) => { seen.push(k); return 1 / (k + 1); };
    const t = chain(scaleByLearningRate(lr));
    const p = Float64Array.of(0);
    const s = t.init(p);
    const ctx = denseContext();
    const out: number[] = [];
    for (let k = 0; k < 3; k++) {
      const u = Float64Array.of(1);
      t.update(u, s, p, ctx);
      out.push(u[0]!);
    }
    assert.deepEqual(seen, [0, 1, 2]);
    assert.deepEqual(out, [-1, -0.5, -1 / 3]);
    assert.equal(s.count, 3);
    assert.equal(ctx.step, 3);
  });
  test('trace: first update copies, then heavy ball; nesterov looks ahead', () => {
    const p = Float64Array.of(0);
    for (const [nesterov, expected] of [[false, [1, 1.9, 2.71]], [true, [1.9, 2.71, 3.439]]] as const) {
      const t = trace({ momentum: 0.9, nesterov });
      const s = t.init(p);
      const got: number[] = [];
      for (let k = 0; k < 3; k++) {
        const u = Float64Array.of(1);
        t.update(u, s, p, denseContext(k + 1));
        got.push(u[0]!);
      }
      got.forEach((g, i) => assert.ok(Math.abs(g - expected[i]!) < 1e-12, `${nesterov} ${got}`));
    }
  });
  test('rows restrict every transform to the listed rows', () => {
    const p = Float64Array.of(1, 1, 2, 2, 3, 3);
    const t = chain(scaleByAdam(), trace({ momentum: 0.5 }), scaleByLearningRate(0.1));
    const s = t.init(p);
    const u = Float64Array.of(9, 9, 1, 1, 9, 9);
    const ctx = { step: 0, rows: Int32Array.of(1), rowSize: 2 };
    t.update(u, s, p, ctx);
    applyUpdates(p, u, ctx);
    assert.deepEqual(Array.from(p.slice(0, 2)), [1, 1]);
    assert.deepEqual(Array.from(p.slice(4)), [3, 3]);
    assert.ok(p[2]! < 2 && p[3]! < 2);
    const adam = s.states[0] as { expAvg: Float64Array };
    assert.deepEqual(Array.from(adam.expAvg), [0, 0, 1 - 0.9, 1 - 0.9, 0, 0]);
  });
  test('transforms validate their hyperparameters', () => {
    assert.throws(() => scaleByAdam({ b1: 1 }), /scaleByAdam: invalid b1 1, expected a number in \[0, 1\)/);
    assert.throws(() => scaleByLearningRate(-1), /invalid lr -1/);
    assert.throws(() => trace({ momentum: NaN }), /invalid momentum NaN/);
    assert.throws(() => chain({} as never), /chain: argument 0/);
    assert.throws(() => scaleByRms({ centered: true, biasCorrection: true }), /not supported/);
    assert.throws(() => applyUpdates(new Float64Array(2), new Float64Array(3)), /expected equal lengths/);
    assert.throws(() => scaleByAdam().init([1, 2] as never), /scaleByAdam.init: params is "\[object Array\]", expected a Float32Array or Float64Array/);
    const t = chain(scaleByAdam());
    const p = new Float32Array(2);
    const s = t.init(p);
    assert.throws(() => t.update(new Float64Array(2), s, p, denseContext()), /expected the same type and length/);
    assert.throws(() => t.update(new Float32Array(2), {} as never, p, denseContext()), /expected the object returned by init/);
  });
});

describe('ChainOptimizer: any chain behind the torch-shaped surface', () => {
  test('Keras-style momentum (lr inside the velocity) equals torch SGD while lr is constant, differs after lr changes', async () => {
    const { ChainOptimizer, SGD } = await import('../../src/optim/optimizers/index.js');
    const grads = randomGrads(5, 10, 4, false);
    const a = { data: new Float64Array(4).fill(1), grad: null as any };
    const b = { data: new Float64Array(4).fill(1), grad: null as any };
    const keras = new ChainOptimizer([a], (g) => chain(scaleByLearningRate(() => g.lr), trace({ momentum: 0.9 })), { lr: 0.01 });
    const torch = new SGD([b], { lr: 0.01, momentum: 0.9 });
    grads.forEach((g, k) => {
      if (k === 5) { keras.paramGroups[0]!.lr = 0.001; torch.paramGroups[0]!.lr = 0.001; }
      a.grad = g.slice();
      b.grad = g.slice();
      keras.step();
      torch.step();
      const close = Array.from(a.data).every((x, i) => Math.abs(x - b.data[i]!) < 1e-12);
      assert.equal(close, k < 5, `step ${k + 1}`);
    });
    const sd = JSON.parse(JSON.stringify(keras.stateDict()));
    assert.deepEqual(Object.keys(sd.state[0]).sort(), ['momentumBuffer', 'step']);
    assert.equal(sd.state[0].step, 10);
    assert.throws(() => new ChainOptimizer([a], 5 as never), /invalid build 5/);
  });
});

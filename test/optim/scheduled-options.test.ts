/**
 * Schedules as options of the torch-shaped optimizers: `new SGD(ps, { lr: (t) => ... })`
 * follows exactly the trajectory of the same optimizer whose option is set by hand to the
 * same values before each step (t = the parameter's 0-based step), on the chain, on the fused
 * TypeScript loops and on the WASM kernels; the values are checked at each evaluation.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import type { FloatArray } from '../../src/core/dtype.js';
import {
  ASGD, Adadelta, Adagrad, Adam, AdamW, Adamax, NAdam, RAdam, RMSprop, Rprop, SGD, SparseAdam, type TransformOptimizer,
} from '../../src/optim/optimizers/index.js';
import { getBackend, setBackend, wasmAvailable, type Backend } from '../../src/kernels/index.js';

let previous: Backend;
before(() => {
  previous = getBackend();
  setBackend('ref');
});
after(() => setBackend(previous));

type Opt = TransformOptimizer<any>;
type Make = (ps: any[], options: Record<string, unknown>) => Opt;
type Schedules = Record<string, (t: number) => number>;

const SIZES = [7, 3];
const STEPS = 8;

function draws(f32: boolean, seed = 5): { init: FloatArray[]; grads: FloatArray[][] } {
  const rng = new Rng(seed);
  const make = (n: number) => (f32 ? new Float32Array(n) : new Float64Array(n));
  const init = SIZES.map((n) => rng.fillNormal(make(n)));
  const grads = Array.from({ length: STEPS }, () => SIZES.map((n) => {
    const g = make(n);
    for (let i = 0; i < n; i++) g[i] = rng.normal() * 10 ** rng.uniform(-2, 1);
    return g;
  }));
  return { init, grads };
}

/** Sets `label` ('lr', 'betas[0]', ...) of a group to a number. */
function setOption(group: Record<string, unknown>, label: string, value: number): void {
  const m = /^(\w+)\[(\d)\]$/.exec(label);
  if (m === null) group[label] = value;
  else (group[m[1]!] as number[])[Number(m[2])] = value;
}

/** Options with the schedules in place, and with their values at step 0 (the twin's start). */
function withSchedules(base: Record<string, unknown>, schedules: Schedules, at: number | null): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(out)) if (Array.isArray(v)) out[k] = [...v];
  for (const [label, fn] of Object.entries(schedules)) setOption(out, label, at === null ? (fn as unknown as number) : fn(at));
  return out;
}

/**
 * Runs the scheduled optimizer and its twin (options set by hand before each step) side by
 * side and asserts the parameters are bit-identical after every step. Returns the fused-path
 * hits of the scheduled one.
 */
function sameTrajectory(make: Make, base: Record<string, unknown>, schedules: Schedules, o: { f32: boolean; fast: boolean }): number {
  const { init, grads } = draws(o.f32);
  const ps = init.map((d) => ({ data: d.slice(), grad: null as FloatArray | null }));
  const qs = init.map((d) => ({ data: d.slice(), grad: null as FloatArray | null }));
  const a = make(ps, withSchedules(base, schedules, null));
  const b = make(qs, withSchedules(base, schedules, 0));
  a.fastPath = o.fast;
  b.fastPath = o.fast;
  let hits = 0;
  const original = (a as any).fusedUpdate.bind(a);
  (a as any).fusedUpdate = (...args: unknown[]) => {
    const used = original(...args);
    if (used) hits++;
    return used;
  };
  grads.forEach((gs, k) => {
    for (const [label, fn] of Object.entries(schedules)) setOption(b.paramGroups[0]!, label, fn(k));
    gs.forEach((g, i) => {
      ps[i]!.grad = g.slice();
      qs[i]!.grad = g.slice();
    });
    a.step();
    b.step();
    ps.forEach((p, i) => assert.deepEqual(Array.from(p.data), Array.from(qs[i]!.data), `step ${k} parameter ${i}`));
  });
  return hits;
}

const decay = (lr0: number) => (t: number) => lr0 / (1 + t);

describe('a schedule equals setting the option by hand before each step (bit-identical)', () => {
  for (const fast of [true, false]) {
    for (const f32 of [false, true]) {
      const tag = `${fast ? 'fused path' : 'chain'}, ${f32 ? 'float32' : 'float64'}`;
      test(`SGD lr schedule, momentum 0.9 nesterov, weight decay (${tag})`, () => {
        const hits = sameTrajectory((ps, op) => new SGD(ps, op as any), { lr: 0, momentum: 0.9, nesterov: true, weightDecay: 0.01 }, { lr: decay(0.1) }, { f32, fast });
        assert.equal(hits, fast ? STEPS * SIZES.length : 0);
      });
      test(`SGD momentum schedule from 0 (no buffer) to 0.9, with an lr schedule (${tag})`, () => {
        sameTrajectory((ps, op) => new SGD(ps, op as any), { lr: 0.05, dampening: 0.1 }, {
          momentum: (t) => (t < 2 ? 0 : 0.9 * (1 - 0.5 ** t)), lr: (t) => 0.05 * 0.9 ** t, weightDecay: (t) => (t % 2) * 0.02,
        }, { f32, fast });
      });
      test(`Adam betas[0] and lr schedules, AMSGrad (${tag})`, () => {
        const hits = sameTrajectory((ps, op) => new Adam(ps, op as any), { lr: 0, betas: [0, 0.99], amsgrad: true }, {
          'betas[0]': (t) => 0.95 - 0.05 * Math.min(t, 4) / 4, lr: (t) => 0.01 * Math.min(1, (t + 1) / 3),
        }, { f32, fast });
        assert.equal(hits, fast ? STEPS * SIZES.length : 0);
      });
      test(`AdamW betas[1], eps and weightDecay schedules (${tag})`, () => {
        sameTrajectory((ps, op) => new AdamW(ps, op as any), { lr: 0.02, betas: [0.9, 0] }, {
          'betas[1]': (t) => 1 - 0.1 / (t + 1), eps: (t) => 1e-8 * (t + 1), weightDecay: (t) => 0.1 / (1 + t),
        }, { f32, fast });
      });
    }
  }

  const OTHERS: Array<[string, Make, Record<string, unknown>, Schedules]> = [
    ['Adagrad', (ps, o) => new Adagrad(ps, o as any), { lr: 0 }, { lr: decay(0.1), lrDecay: (t) => 0.01 * t, eps: (t) => 1e-10 * (1 + t), weightDecay: (t) => 0.01 * t }],
    ['Adadelta', (ps, o) => new Adadelta(ps, o as any), { lr: 1 }, { lr: decay(1), rho: (t) => 0.9 + 0.01 * t, eps: (t) => 1e-6 * (1 + t), weightDecay: (t) => 0.01 * t }],
    ['RMSprop', (ps, o) => new RMSprop(ps, o as any), { lr: 0.01, centered: true }, { lr: decay(0.01), alpha: (t) => 0.9 + 0.01 * t, momentum: (t) => (t < 3 ? 0 : 0.5), weightDecay: (t) => 0.01 * t }],
    ['Adamax', (ps, o) => new Adamax(ps, o as any), { lr: 0.002, betas: [0.9, 0.999] }, { lr: decay(0.002), 'betas[0]': (t) => 0.8 + 0.01 * t, 'betas[1]': (t) => 0.99 + 0.001 * t }],
    ['NAdam', (ps, o) => new NAdam(ps, o as any), { lr: 0.002, betas: [0.9, 0.999] }, { lr: decay(0.002), 'betas[0]': (t) => 0.8 + 0.01 * t, momentumDecay: (t) => 0.004 * (1 + t), weightDecay: (t) => 0.01 * t }],
    ['RAdam', (ps, o) => new RAdam(ps, o as any), { lr: 0.001, betas: [0.9, 0.999] }, { lr: decay(0.001), 'betas[0]': (t) => 0.8 + 0.01 * t, eps: (t) => 1e-8 * (1 + t) }],
    ['SparseAdam', (ps, o) => new SparseAdam(ps, o as any), { lr: 0.001, betas: [0.9, 0.999] }, { lr: decay(0.001), 'betas[1]': (t) => 0.99 + 0.001 * t }],
    ['ASGD', (ps, o) => new ASGD(ps, o as any), { lr: 0.01 }, { weightDecay: (t) => 0.01 * t }],
  ];
  for (const [name, make, base, schedules] of OTHERS) {
    test(`${name}: ${Object.keys(schedules).join(', ')} (float64)`, () => {
      sameTrajectory(make, base, schedules, { f32: false, fast: true });
    });
  }

  test('WASM kernels get the evaluated values: SGD and Adam, float32, fused path', { skip: wasmAvailable() ? false : 'WASM kernels not built' }, () => {
    setBackend('wasm');
    try {
      assert.ok(getBackend().optimizerSteps, 'the wasm backend has fused optimizer steps');
      const sgd = sameTrajectory((ps, op) => new SGD(ps, op as any), { lr: 0, momentum: 0 }, { lr: decay(0.1), momentum: (t) => (t < 1 ? 0 : 0.9) }, { f32: true, fast: true });
      const adam = sameTrajectory((ps, op) => new Adam(ps, op as any), { lr: 0, betas: [0.9, 0.999] }, { lr: decay(0.01), 'betas[0]': (t) => 0.8 + 0.01 * t, weightDecay: (t) => 0.01 * t }, { f32: true, fast: true });
      assert.equal(sgd + adam, 2 * STEPS * SIZES.length);
    } finally {
      setBackend('ref');
    }
  });
});

describe('the step a schedule receives', () => {
  test("t is the parameter's own 0-based step: a parameter without a gradient does not advance", () => {
    const lr = (t: number) => 0.1 * (t + 1);
    const a = { data: Float64Array.of(1), grad: Float64Array.of(1) as Float64Array | null };
    const b = { data: Float64Array.of(1), grad: null as Float64Array | null };
    const opt = new SGD([a, b], { lr });
    opt.step(); // a: t = 0; b skipped
    a.grad = Float64Array.of(1);
    b.grad = Float64Array.of(1);
    opt.step(); // a: t = 1; b: t = 0
    assert.equal(a.data[0], 1 - 0.1 - 0.2);
    assert.equal(b.data[0], 1 - 0.1);
  });
  test("a step skipped under nonFinite: 'skip' does not advance it", () => {
    const seen: number[] = [];
    const p = { data: Float64Array.of(1), grad: Float64Array.of(NaN) };
    const opt = new Adam([p], { lr: (t) => (seen.push(t), 0.1), nonFinite: 'skip' });
    opt.step();
    p.grad = Float64Array.of(1);
    opt.step();
    opt.step();
    assert.deepEqual(seen, [0, 1], 'evaluated once per step and group, at 0 then 1');
  });
});

describe('validation', () => {
  const p = () => ({ data: Float64Array.of(1, 2), grad: Float64Array.of(0.5, -0.5) });
  test('a schedule is accepted; its values are checked when evaluated, before anything is modified', () => {
    const a = p();
    const b = p();
    const opt = new SGD([a, b], { lr: (t) => (t < 3 ? 0.1 : -0.1), momentum: 0.9 });
    for (let k = 0; k < 3; k++) opt.step();
    const before = [Array.from(a.data), Array.from(b.data), JSON.stringify(opt.stateDict())];
    assert.throws(() => opt.step(), /^ValueError: SGD: lr schedule returned -0\.1 at step 3 \(group 0\), expected lr >= 0$/);
    assert.deepEqual([Array.from(a.data), Array.from(b.data), JSON.stringify(opt.stateDict())], before, 'nothing was modified');
  });
  test('NaN, a string, a beta of 1, a negative weight decay, rho above 1', () => {
    assert.throws(() => new SGD([p()], { lr: () => NaN }).step(), /SGD: lr schedule returned NaN at step 0 \(group 0\), expected lr >= 0/);
    assert.throws(() => new SGD([p()], { lr: (() => '0.1') as any }).step(), /SGD: lr schedule returned "0\.1" at step 0/);
    const adam = new Adam([p()], { betas: [(t) => (t > 0 ? 1 : 0.9), 0.999] });
    adam.step();
    assert.throws(() => adam.step(), /Adam: betas\[0\] schedule returned 1 at step 1 \(group 0\), expected 0 <= beta < 1/);
    assert.throws(() => new AdamW([{ params: [p()] }, { params: [p()], weightDecay: () => -1 }]).step(), /AdamW: weightDecay schedule returned -1 at step 0 \(group 1\), expected weightDecay >= 0/);
    assert.throws(() => new Adadelta([p()], { rho: () => 1.5 }).step(), /Adadelta: rho schedule returned 1\.5 at step 0 \(group 0\), expected 0 <= rho <= 1/);
  });
  test('Nesterov checks the scheduled momentum and dampening at each step', () => {
    const opt = new SGD([p()], { lr: 0.1, nesterov: true, momentum: (t) => (t < 2 ? 0.9 : 0) });
    opt.step();
    opt.step();
    assert.throws(() => opt.step(), /SGD: group 0: Nesterov momentum requires a momentum and zero dampening, got momentum 0 and dampening 0 \(scheduled values at step 2\)/);
  });
  test('options that take numbers only refuse a function, saying why; bad values name the schedule alternative', () => {
    assert.throws(() => new Rprop([p()], { lr: (() => 0.1) as any }), /Rprop: lr is a function, expected a number: Rprop's lr is only the initial step size/);
    assert.throws(() => new ASGD([p()], { lambd: (() => 0.1) as any }), /ASGD: lambd is a function, expected a number: ASGD's step size eta_t/);
    assert.throws(() => new ASGD([p()], { lr: (() => 0.1) as any }), /ASGD: lr is a function/);
    assert.throws(() => new Adagrad([p()], { initialAccumulatorValue: (() => 0.1) as any }), /Adagrad: initialAccumulatorValue is a function, expected a number: it sets the accumulator once/);
    assert.throws(() => new Adam([p()], { amsgrad: (() => true) as any }), /Invalid amsgrad/);
    assert.throws(() => new SGD([p()], { lr: 'x' as any }), /SGD: Invalid learning rate: "x", expected lr >= 0 or a schedule \(step\) => value/);
    assert.throws(() => new Adam([p()], { betas: [1.2, 0.9] }), /Invalid beta parameter at index 0: 1\.2, expected 0 <= beta < 1/);
    assert.throws(() => new SGD([{ params: [p()], momentum: () => 0.9, lr: 0.1 }]).addParamGroup({ params: [p()], lr: -1 }), /SGD: group 1: Invalid learning rate: -1/);
  });
});

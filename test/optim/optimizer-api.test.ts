/** The torch-shaped surface: groups, validation, null grads, non-finite policy, zeroGrad, state dicts. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Parameter } from '../../src/core/param.js';
import {
  Adagrad, Adadelta, Adam, AdamW, Adamax, ASGD, NAdam, RAdam, RMSprop, Rprop, SGD, SparseAdam,
  type Optimizer,
} from '../../src/optim/optimizers/index.js';

function param(values: number[], grad: number[] | null = null, name?: string): Parameter {
  return { data: Float64Array.from(values), grad: grad === null ? null : Float64Array.from(grad), name };
}

const ALL: Array<[string, (ps: Parameter[]) => Optimizer]> = [
  ['SGD', (ps) => new SGD(ps, { lr: 0.1, momentum: 0.9 })],
  ['Adagrad', (ps) => new Adagrad(ps)],
  ['Adadelta', (ps) => new Adadelta(ps)],
  ['RMSprop', (ps) => new RMSprop(ps, { momentum: 0.5, centered: true })],
  ['Adam', (ps) => new Adam(ps, { amsgrad: true })],
  ['AdamW', (ps) => new AdamW(ps)],
  ['Adamax', (ps) => new Adamax(ps)],
  ['NAdam', (ps) => new NAdam(ps)],
  ['RAdam', (ps) => new RAdam(ps)],
  ['ASGD', (ps) => new ASGD(ps)],
  ['Rprop', (ps) => new Rprop(ps)],
  ['SparseAdam', (ps) => new SparseAdam(ps)],
];

describe('hyperparameter validation names the value and what was expected', () => {
  const p = () => [param([1, 2])];
  test('learning rate', () => {
    assert.throws(() => new Adam(p(), { lr: -1 }), /Invalid learning rate: -1, expected lr >= 0/);
    assert.throws(() => new SGD(p(), { lr: NaN }), /Invalid learning rate: NaN/);
  });
  test('betas', () => {
    assert.throws(() => new Adam(p(), { betas: [1.2, 0.999] }), /Invalid beta parameter at index 0: 1.2, expected 0 <= beta < 1/);
    assert.throws(() => new AdamW(p(), { betas: [0.9, 1] }), /Invalid beta parameter at index 1: 1, expected 0 <= beta < 1/);
  });
  test('nesterov', () => {
    assert.throws(() => new SGD(p(), { lr: 0.1, nesterov: true }), /Nesterov momentum requires a momentum and zero dampening/);
    assert.throws(() => new SGD(p(), { lr: 0.1, nesterov: true, momentum: 0.9, dampening: 0.1 }), /Nesterov momentum requires/);
  });
  test('other options', () => {
    assert.throws(() => new SGD(p(), { lr: 0.1, momentum: -0.5 }), /Invalid momentum value: -0.5/);
    assert.throws(() => new Adam(p(), { eps: -1e-8 }), /Invalid epsilon value: -1e-8/);
    assert.throws(() => new Adam(p(), { weightDecay: -1 }), /Invalid weight_decay value: -1/);
    assert.throws(() => new Adadelta(p(), { rho: 1.5 }), /Invalid rho value: 1.5, expected 0 <= rho <= 1/);
    assert.throws(() => new Adagrad(p(), { lrDecay: -1 }), /Invalid lr_decay value: -1/);
    assert.throws(() => new Rprop(p(), { etas: [1.5, 1.2] }), /Invalid eta values/);
    assert.throws(() => new RMSprop(p(), { alpha: -0.1 }), /Invalid alpha value: -0.1/);
    assert.throws(() => new NAdam(p(), { momentumDecay: -1 }), /Invalid momentum_decay value: -1/);
    assert.throws(() => new Adam(p(), { amsgrad: 'yes' as unknown as boolean }), /Invalid amsgrad: "yes", expected true or false/);
  });
  test('unknown options and bad params', () => {
    assert.throws(() => new Adam(p(), { learningRate: 0.1 } as never), /unknown option "learningRate"/);
    assert.throws(() => new Adam([]), /empty parameter list/);
    assert.throws(() => new Adam([{ data: [1, 2] } as never]), /expected a Float32Array or Float64Array/);
    const q = param([1]);
    assert.throws(() => new Adam([q, q]), /appears more than once/);
    assert.throws(() => new Adam([{ params: [param([1])], foo: 1 }]), /unknown option "foo" in group 0/);
    assert.throws(() => new Adam([{ params: [param([1])], lr: -2 }]), /group 0: Invalid learning rate: -2/);
  });
  test('SGD requires lr (torch 1.13 has no default), per group or as default', () => {
    assert.throws(() => new SGD(p()), /no lr and there is no default|lr is required/);
    const opt = new SGD([{ params: p(), lr: 0.5 }]);
    assert.equal(opt.paramGroups[0]!.lr, 0.5);
  });
});

describe('parameter groups', () => {
  test('defaults fill groups; overrides stay per group; lr is mutable between steps', () => {
    const a = param([1], [1]);
    const b = param([1], [1]);
    const opt = new SGD([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1 });
    assert.equal(opt.paramGroups[0]!.lr, 0.1);
    assert.equal(opt.paramGroups[1]!.lr, 0.5);
    assert.equal(opt.paramGroups[1]!.momentum, 0);
    opt.step();
    assert.equal(a.data[0], 0.9);
    assert.equal(b.data[0], 0.5);
    opt.paramGroups[0]!.lr = 0.2;
    opt.step();
    assert.ok(Math.abs(a.data[0]! - 0.7) < 1e-15);
  });
  test('options changed between steps take effect, as in torch (momentum 0 -> 0.9 starts a buffer)', () => {
    const a = param([0], [1]);
    const opt = new SGD([a], { lr: 0.1 });
    opt.step();
    assert.equal(opt.stateDict().state['0']!.momentumBuffer, null);
    opt.paramGroups[0]!.momentum = 0.9;
    opt.step(); // first step with momentum: the buffer is a copy of the gradient
    opt.step(); // buffer 0.9 * 1 + 1 = 1.9
    assert.ok(Math.abs(a.data[0]! - -(0.1 + 0.1 + 0.19)) < 1e-15, String(a.data[0]));
    const b = param([0], [1]);
    const adam = new Adam([b], { lr: 0.1 });
    adam.step();
    adam.paramGroups[0]!.betas = [0.5, 0.9];
    adam.step();
    const m = new Float64Array(1);
    m[0] = 0.1 * 0.5 + 0.5 * 1; // expAvg after two steps with the new b1
    const c = new Adam([param([0], [1])], { lr: 0.1 });
    c.step();
    assert.notDeepEqual(JSON.stringify(adam.stateDict().state), JSON.stringify(c.stateDict().state));
    assert.ok(Math.abs(b.data[0]! - (-0.1 / (1 + 1e-8) - 0.1 * (m[0]! / (1 - 0.25)) / (Math.sqrt(0.001 * 0.9 + 0.1) / Math.sqrt(1 - 0.81) + 1e-8))) < 1e-12);
  });
  test('groups do not share option arrays with each other or the defaults', () => {
    const opt = new Adam([{ params: [param([1])] }, { params: [param([2])] }]);
    opt.paramGroups[0]!.betas[0] = 0.5;
    assert.equal(opt.paramGroups[1]!.betas[0], 0.9);
    assert.deepEqual(opt.defaults.betas, [0.9, 0.999]);
  });
  test('addParamGroup adds parameters that the next step updates', () => {
    const a = param([1], [1]);
    const opt = new Adam([a], { lr: 0.1 });
    const b = param([2], [1]);
    opt.addParamGroup({ params: [b], lr: 0.01 });
    opt.step();
    assert.equal(opt.paramGroups.length, 2);
    assert.ok(Math.abs(b.data[0]! - 1.99) < 1e-9);
    assert.throws(() => opt.addParamGroup({ params: [a] }), /appears more than once/);
  });
  test('step(closure) runs the closure first and returns its loss', () => {
    const a = param([3]);
    const opt = new SGD([a], { lr: 0.25 });
    const loss = opt.step(() => {
      a.grad = Float64Array.of(2 * a.data[0]!);
      return a.data[0]! ** 2;
    });
    assert.equal(loss, 9);
    assert.equal(a.data[0], 1.5);
    assert.equal(opt.step(), undefined);
  });
});

describe('null gradients and zeroGrad', () => {
  for (const [name, make] of ALL) {
    test(`${name}: a parameter with grad null is skipped (no state, no step)`, () => {
      const a = param([1, 2], [0.5, -0.5]);
      const b = param([3, 4], null);
      const opt = make([a, b]);
      opt.step();
      assert.deepEqual(Array.from(b.data), [3, 4]);
      assert.notDeepEqual(Array.from(a.data), [1, 2]);
      const sd = opt.stateDict();
      if (name === 'Adagrad') assert.equal(sd.state['1']!.step, 0); // torch creates Adagrad state in the constructor
      else assert.equal(sd.state['1'], undefined);
    });
  }
  test('zeroGrad fills with zeros by default (torch 1.13) and sets null with setToNone', () => {
    const a = param([1], [5]);
    const b = param([1], null);
    const opt = new SGD([a, b], { lr: 1 });
    opt.zeroGrad();
    assert.deepEqual(Array.from(a.grad!), [0]);
    assert.equal(b.grad, null);
    opt.zeroGrad(true);
    assert.equal(a.grad, null);
  });
});

describe('non-finite gradients', () => {
  test("'error' (default) throws naming the parameter and step, before modifying anything", () => {
    const a = param([1, 2], [1, 1], 'w');
    const b = param([3, 4], [1, NaN], 'fc.bias');
    const opt = new Adam([a, b]);
    assert.throws(() => opt.step(), /non-finite gradient in parameter 1 \("fc.bias"\) at step 1: grad\[1\] = NaN/);
    assert.deepEqual(Array.from(a.data), [1, 2]);
    assert.deepEqual(opt.stateDict().state, {});
    b.grad![1] = Infinity;
    assert.throws(() => opt.step(), /parameter 1 \("fc.bias"\) at step 2: grad\[1\] = Infinity/);
  });
  test("'skip' skips the whole step and counts it", () => {
    const a = param([1, 2], [1, 1]);
    const b = param([3, 4], [1, -Infinity]);
    const opt = new SGD([a, b], { lr: 0.1, nonFinite: 'skip' });
    opt.step();
    assert.equal(opt.skippedSteps, 1);
    assert.deepEqual(Array.from(a.data), [1, 2]);
    b.grad![1] = 1;
    opt.step();
    assert.equal(opt.skippedSteps, 1);
    assert.ok(Math.abs(a.data[0]! - 0.9) < 1e-15);
  });
  test('a gradient unlike its parameter is rejected at step time', () => {
    const a = param([1, 2], [1, 1]);
    const opt = new Adam([a]);
    a.grad = new Float64Array(3);
    assert.throws(() => opt.step(), /parameter 0 has a grad \(Float64Array of 3\) unlike its data \(Float64Array of 2\)/);
    a.grad = new Float32Array(2);
    assert.throws(() => opt.step(), /expected the same type and length/);
  });
  test('an invalid policy is rejected', () => {
    assert.throws(() => new Adam([param([1])], { nonFinite: 'ignore' as never }), /invalid nonFinite "ignore"/);
  });
});

describe('stateDict / loadStateDict', () => {
  test('JSON-serializable, never contains the parameters, options with indices', () => {
    const a = param([1, 2], [0.1, 0.2]);
    const b = param([3], [0.3]);
    const opt = new Adam([{ params: [a] }, { params: [b], lr: 0.5 }]);
    opt.step();
    const sd = JSON.parse(JSON.stringify(opt.stateDict()));
    assert.deepEqual(sd.paramGroups[0].params, [0]);
    assert.deepEqual(sd.paramGroups[1].params, [1]);
    assert.equal(sd.paramGroups[1].lr, 0.5);
    assert.deepEqual(sd.paramGroups[0].betas, [0.9, 0.999]);
    assert.deepEqual(Object.keys(sd.state[0]).sort(), ['expAvg', 'expAvgSq', 'step']);
    assert.equal(sd.state[0].expAvg.dtype, 'float64');
    assert.deepEqual(sd.state[0].expAvg.shape, [2]);
    assert.ok(!JSON.stringify(sd).includes('"data"'));
  });
  test('load restores group options and validates counts, sizes and dtypes', () => {
    const mk = () => [param([1, 2], [0.1, 0.2]), param([3], [0.3])];
    const src = new Adam([{ params: mk() }], { lr: 0.02 });
    src.step();
    const sd = JSON.parse(JSON.stringify(src.stateDict()));
    const dst = new Adam(mk(), { lr: 0.5 });
    dst.loadStateDict(sd);
    assert.equal(dst.paramGroups[0]!.lr, 0.02);
    assert.throws(() => new Adam([{ params: mk() }, { params: [param([0])] }]).loadStateDict(sd), /has 1 parameter groups, expected 2/);
    assert.throws(() => new Adam([param([1, 2])]).loadStateDict(sd), /group 0 of the state dict has 2 parameters, expected 1/);
    assert.throws(() => new Adam([param([1, 2, 3]), param([3])]).loadStateDict(sd), /3 values|2 values, expected 3/);
    const f32 = [{ data: Float32Array.of(1, 2), grad: null }, { data: Float32Array.of(3), grad: null }];
    assert.throws(() => new Adam(f32).loadStateDict(sd), /dtype float64 does not match the parameter's float32/);
    const bad = JSON.parse(JSON.stringify(sd));
    bad.state[0].expAvg.base64 = 'abc';
    assert.throws(() => new Adam(mk()).loadStateDict(bad), /base64/);
    const unknown = JSON.parse(JSON.stringify(sd));
    unknown.state[0].foo = 1;
    assert.throws(() => new Adam(mk()).loadStateDict(unknown), /unknown state "foo"/);
    const before = JSON.stringify(dst.stateDict());
    const badGroup = JSON.parse(JSON.stringify(sd));
    badGroup.paramGroups[0].lr = 0.7;
    badGroup.state[1].foo = 1;
    assert.throws(() => dst.loadStateDict(badGroup), /unknown state "foo"/);
    assert.equal(JSON.stringify(dst.stateDict()), before, 'a failed load changes nothing');
    const extraOption = JSON.parse(JSON.stringify(sd));
    extraOption.paramGroups[0].foreach = true;
    assert.throws(() => new Adam(mk()).loadStateDict(extraOption), /group 0 has unknown option "foreach"/);
    const badOption = JSON.parse(JSON.stringify(sd));
    badOption.paramGroups[0].betas = [2, 0.9];
    assert.throws(() => new Adam(mk()).loadStateDict(badOption), /Invalid beta parameter at index 0: 2/);
    const missing = JSON.parse(JSON.stringify(sd));
    delete missing.state[0].expAvgSq;
    assert.throws(() => new Adam(mk()).loadStateDict(missing), /missing expAvgSq/);
  });
  for (const [name, make] of ALL) {
    test(`${name}: float32 state survives JSON bit for bit, save -> load -> continue is identical`, () => {
      const grads = [[0.3, -1.2, 0.05], [-0.7, 0.4, 2.5], [0.1, 0.1, -0.9], [1.5, -0.2, 0.0]];
      const fresh = () => ({ data: Float32Array.of(0.5, -1.5, 2), grad: null as Float32Array | null });
      const full = fresh();
      const o1 = make([full]);
      for (const g of grads) { full.grad = Float32Array.from(g); o1.step(); }
      const half = fresh();
      const o2 = make([half]);
      for (const g of grads.slice(0, 2)) { half.grad = Float32Array.from(g); o2.step(); }
      const saved = JSON.stringify(o2.stateDict());
      const resumed = { data: Float32Array.from(half.data), grad: null as Float32Array | null };
      const o3 = make([resumed]);
      o3.loadStateDict(JSON.parse(saved));
      for (const g of grads.slice(2)) { resumed.grad = Float32Array.from(g); o3.step(); }
      assert.deepEqual(Array.from(resumed.data), Array.from(full.data));
      assert.deepEqual(JSON.parse(JSON.stringify(o3.stateDict())), JSON.parse(JSON.stringify(o1.stateDict())));
    });
  }
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { DataError } from '../../src/core/errors.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { Module } from '../../src/nn/module.js';
import { Linear } from '../../src/nn/layers/linear.js';
import { Sequential } from '../../src/nn/layers/container.js';
import { ReLU } from '../../src/nn/layers/activation.js';

class Block extends Module {
  fc1: Linear;
  act = this.registerModule('act', new ReLU());
  fc2: Linear;
  scale: Tensor;
  constructor(rng: Rng) {
    super();
    this.fc1 = this.registerModule('fc1', new Linear(3, 4, { rng, dtype: 'float64' }));
    this.fc2 = this.registerModule('fc2', new Linear(4, 2, { rng, dtype: 'float64', bias: false }));
    this.scale = this.registerBuffer('scale', new Tensor(new Float64Array([2]), [1]));
  }
  forward(x: Tensor): Tensor {
    return this.fc2.call(this.act.call(this.fc1.call(x))).mul(this.scale);
  }
}

describe('Module', () => {
  test('namedParameters uses dotted names in registration order', () => {
    const net = new Block(new Rng(0));
    assert.deepEqual(net.namedParameters().map(([n]) => n), ['fc1.weight', 'fc1.bias', 'fc2.weight']);
    assert.equal(net.parameters()[0], net.fc1.weight);
    assert.ok(net.parameters().every((p) => p.requiresGrad));
    assert.deepEqual(net.namedBuffers().map(([n]) => n), ['scale']);
    assert.equal(net.numParameters(), 3 * 4 + 4 + 4 * 2);
    assert.deepEqual(net.namedModules().map(([n]) => n), ['', 'act', 'fc1', 'fc2']);
    assert.equal(net.children().length, 3);
  });

  test('Sequential names children by index, like torch', () => {
    const seq = new Sequential(new Linear(2, 3, { rng: new Rng(1) }), new ReLU(), new Linear(3, 1, { rng: new Rng(2) }));
    assert.deepEqual(seq.namedParameters().map(([n]) => n), ['0.weight', '0.bias', '2.weight', '2.bias']);
    assert.equal(seq.length, 3);
    assert.ok(seq.at(-1) instanceof Linear);
    assert.throws(() => seq.at(3), /Sequential.at: invalid index 3, expected an integer in \[-3, 2\]/);
  });

  test('a shared module or parameter is listed once', () => {
    const shared = new Linear(2, 2, { rng: new Rng(3) });
    const seq = new Sequential(shared, new ReLU(), shared);
    assert.deepEqual(seq.namedParameters().map(([n]) => n), ['0.weight', '0.bias']);
  });

  test('train() and eval() propagate to descendants', () => {
    const net = new Sequential(new Block(new Rng(4)), new ReLU());
    assert.ok(net.modules().every((m) => m.training));
    net.eval();
    assert.ok(net.modules().every((m) => !m.training));
    net.train();
    assert.ok(net.modules().every((m) => m.training));
  });

  test('zeroGrad zeroes in place by default and drops with setToNone', () => {
    const net = new Block(new Rng(5));
    const x = new Tensor(new Float64Array([1, -2, 3, 0.5, 0.1, -1]), [2, 3]);
    net.call(x).sum().backward();
    const g = net.fc1.weight.grad!;
    assert.ok(g.some((v) => v !== 0));
    net.zeroGrad();
    assert.equal(net.fc1.weight.grad, g);
    assert.ok(g.every((v) => v === 0));
    net.zeroGrad(true);
    assert.equal(net.fc1.weight.grad, null);
  });

  test('registration errors name the problem', () => {
    class Bad extends Module {
      constructor(kind: number) {
        super();
        const t = new Tensor(new Float32Array(1));
        if (kind === 0) { this.registerParameter('w', t); this.registerBuffer('w', t); }
        if (kind === 1) this.registerParameter('a.b', t);
        if (kind === 2) this.registerModule('m', {} as Module);
      }
      forward(x: Tensor): Tensor { return x; }
    }
    assert.throws(() => new Bad(0), /name "w" is already registered in Bad/);
    assert.throws(() => new Bad(1), /invalid parameter name "a.b"/);
    assert.throws(() => new Bad(2), /invalid module "m": expected a Module/);
  });

  test('toString shows the tree', () => {
    const seq = new Sequential(new Linear(2, 3, { rng: new Rng(1) }), new ReLU());
    assert.equal(seq.toString(), 'Sequential(\n  (0): Linear(inFeatures=2, outFeatures=3, bias=true)\n  (1): ReLU()\n)');
  });
});

describe('stateDict', () => {
  test('round trip restores parameters and buffers, copying into the existing arrays', () => {
    const a = new Block(new Rng(10));
    const b = new Block(new Rng(11));
    a.scale.data[0] = 5;
    const dict = a.stateDict();
    assert.deepEqual(Object.keys(dict), ['scale', 'fc1.weight', 'fc1.bias', 'fc2.weight']);
    assert.notEqual(dict['fc1.weight']!.data, a.fc1.weight.data, 'a copy, not the live array');
    const arrayBefore = b.fc1.weight.data;
    const result = b.loadStateDict(dict);
    assert.deepEqual(result, { missingKeys: [], unexpectedKeys: [] });
    assert.equal(b.fc1.weight.data, arrayBefore);
    for (const [name, t] of b.namedParameters()) assert.deepEqual(t.data, dict[name]!.data);
    assert.equal(b.scale.data[0], 5);
    const x = new Tensor(new Float64Array([1, 2, 3]), [1, 3]);
    assert.deepEqual(b.call(x).data, a.call(x).data);
  });

  test('survives a JSON round trip (plain number arrays)', () => {
    const a = new Block(new Rng(12));
    const json = JSON.parse(JSON.stringify(a.stateDict(), (_k, v) => (v instanceof Float64Array ? Array.from(v) : v)));
    const b = new Block(new Rng(13));
    b.loadStateDict(json);
    assert.deepEqual(b.fc2.weight.data, a.fc2.weight.data);
  });

  test("another model's dict fails naming the key and shapes, and writes nothing", () => {
    const net = new Sequential(new Linear(3, 4, { rng: new Rng(1) }), new ReLU(), new Linear(4, 2, { rng: new Rng(2) }));
    const other = new Sequential(new Linear(3, 5, { rng: new Rng(3) }), new ReLU(), new Linear(5, 2, { rng: new Rng(4) }));
    const before = net.stateDict();
    assert.throws(() => net.loadStateDict(other.stateDict()),
      (e: Error) => e instanceof DataError && /size mismatch for "0.weight": state dict has shape \[5, 3\], the model has \[4, 3\]/.test(e.message));
    assert.deepEqual(net.stateDict(), before);
  });

  test('missing and unexpected keys are named; strict: false reports them', () => {
    const net = new Sequential(new Linear(3, 4, { rng: new Rng(1) }));
    const dict = net.stateDict();
    const extra = { ...dict, '1.weight': { shape: [1], data: [0] } };
    assert.throws(() => net.loadStateDict(extra), /unexpected keys "1.weight"/);
    const { ['0.bias']: _bias, ...partial } = dict;
    assert.throws(() => net.loadStateDict(partial), /missing keys "0.bias"/);
    assert.deepEqual(net.loadStateDict(partial, { strict: false }), { missingKeys: ['0.bias'], unexpectedKeys: [] });
    const short = { ...dict, '0.bias': { shape: [4], data: [1, 2] } };
    assert.throws(() => net.loadStateDict(short), /invalid data for "0.bias": got 2 values, expected 4 numbers/);
  });
});

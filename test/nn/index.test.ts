import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { manualSeed } from '../../src/tensor/index.js';
import * as nn from '../../src/nn/index.js';

test('the nn namespace exposes layers, init and packing; apply re-initializes', () => {
  const rng = new Rng(1);
  const net = new nn.Sequential(new nn.Linear(4, 3, { rng, dtype: 'float64' }), new nn.ReLU(), new nn.Linear(3, 2, { rng, dtype: 'float64' }));
  const visited: string[] = [];
  net.apply((m) => {
    visited.push(m.constructor.name);
    if (m instanceof nn.Linear) {
      nn.init.glorotUniform(m.weight, { rng: new Rng(2) });
      nn.init.zeros(m.bias!);
    }
  });
  assert.deepEqual(visited, ['Linear', 'ReLU', 'Linear', 'Sequential'], 'children in order, then the parent');
  const first = net.at(0) as nn.Linear;
  const bound = Math.sqrt(6 / 7);
  assert.ok(first.weight.data.every((w) => Math.abs(w) <= bound));
  assert.ok(first.bias!.data.every((b) => b === 0));
  const packed = nn.packParameters(net);
  assert.ok(nn.isPacked(net, packed));
  const y = net.call(new Tensor(new Float64Array(8).fill(1), [2, 4]));
  assert.deepEqual(y.shape, [2, 2]);
});

test('without an rng, manualSeed fixes every initial weight', () => {
  const build = () => new nn.Sequential(nn.mlp([3, 5, 2]), new nn.Conv2d(1, 2, 3), new nn.Embedding(4, 2));
  manualSeed(42);
  const a = build().stateDict();
  manualSeed(42);
  const b = build().stateDict();
  const c = build().stateDict();
  assert.deepEqual(a, b);
  assert.notDeepEqual(b, c);
});

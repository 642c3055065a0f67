import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { packParameters, isPacked } from '../../src/nn/pack.js';
import { mlp } from '../../src/nn/mlp.js';

function snapshot(params: Tensor[]): number[][] {
  return params.map((p) => Array.from(p.data));
}

describe('packParameters', () => {
  test('moves every parameter into one flat array, keeping values', () => {
    const net = mlp([3, 4, 2], { rng: new Rng(1), dtype: 'float64' });
    const before = snapshot(net.parameters());
    const packed = packParameters(net);
    assert.equal(packed.data.length, net.numParameters());
    assert.equal(packed.grad.length, net.numParameters());
    assert.ok(packed.data instanceof Float64Array);
    assert.deepEqual(packed.views.map((v) => [v.name, v.offset, v.length, v.shape]), [
      ['0.weight', 0, 12, [4, 3]],
      ['0.bias', 12, 4, [4]],
      ['2.weight', 16, 8, [2, 4]],
      ['2.bias', 24, 2, [2]],
    ]);
    assert.deepEqual(snapshot(net.parameters()), before);
    assert.deepEqual(Array.from(packed.data), before.flat());
    assert.ok(isPacked(net, packed));
  });

  test('views alias the flat arrays both ways', () => {
    const net = mlp([2, 2], { rng: new Rng(2) });
    const packed = packParameters(net);
    packed.data[0] = 42;
    assert.equal(net.parameters()[0]!.data[0], 42);
    net.parameters()[1]!.data[1] = -7;
    assert.equal(packed.data[5], -7);
  });

  test('forward/backward accumulate into the flat grad; zeroGrad keeps the views', () => {
    const net = mlp([3, 4, 2], { rng: new Rng(3), dtype: 'float64' });
    const x = new Tensor(new Rng(4).fillNormal(new Float64Array(15)), [5, 3]);
    // Reference gradients from an unpacked copy.
    const ref = mlp([3, 4, 2], { rng: new Rng(3), dtype: 'float64' });
    ref.call(x).square().sum().backward();
    const refGrad = ref.parameters().flatMap((p) => Array.from(p.grad!));

    const packed = packParameters(net);
    net.call(x).square().sum().backward();
    assert.ok(isPacked(net, packed), 'backward must write into the grad views, not replace them');
    assert.deepEqual(Array.from(packed.grad), refGrad);
    net.call(x).square().sum().backward();
    assert.deepEqual(Array.from(packed.grad), refGrad.map((g) => 2 * g), 'gradients accumulate');
    net.zeroGrad();
    assert.ok(packed.grad.every((g) => g === 0));
    assert.ok(isPacked(net, packed));
    // An in-place step on the flat array changes the model.
    for (let i = 0; i < packed.data.length; i++) packed.data[i]! -= 0.1 * refGrad[i]!;
    const expected = ref.parameters().flatMap((p) => Array.from(p.data)).map((v, i) => v - 0.1 * refGrad[i]!);
    assert.deepEqual(net.parameters().flatMap((p) => Array.from(p.data)), expected);
  });

  test('packs plain parameter objects and copies existing gradients', () => {
    const a = { data: new Float32Array([1, 2]), grad: new Float32Array([0.5, 0.25]), name: 'a' };
    const b = { data: new Float32Array([3]), grad: null };
    const packed = packParameters([a, b]);
    assert.deepEqual(Array.from(packed.data), [1, 2, 3]);
    assert.deepEqual(Array.from(packed.grad), [0.5, 0.25, 0]);
    assert.deepEqual(packed.views.map((v) => v.name), ['a', '1']);
    assert.ok(b.grad !== null && (b.grad as Float32Array).buffer === packed.grad.buffer);
  });

  test('rejects mixed dtypes and empty input', () => {
    const a = { data: new Float32Array(2), grad: null };
    const b = { data: new Float64Array(2), grad: null, name: 'b' };
    assert.throws(() => packParameters([a, b]), /parameter "b" is float64 but "0" is float32, expected one dtype/);
    assert.throws(() => packParameters([]), /no parameters to pack/);
    assert.throws(() => packParameters(42 as never), /invalid source "number"/);
  });
});

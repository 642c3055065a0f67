import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { Linear } from '../../src/nn/layers/linear.js';
import { Conv2d } from '../../src/nn/layers/conv.js';
import { MaxPool2d } from '../../src/nn/layers/pooling.js';
import { Embedding } from '../../src/nn/layers/embedding.js';
import { Flatten, Sequential } from '../../src/nn/layers/container.js';
import { Identity, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh } from '../../src/nn/layers/activation.js';
import { BatchNorm2d } from '../../src/nn/layers/batchnorm.js';
import { mlp } from '../../src/nn/mlp.js';
import { gradcheck, randomTensor, weightedSum } from './gradcheck.js';

const f64 = (values: number[], shape: number[]) => new Tensor(Float64Array.from(values), shape);
const close = (actual: ArrayLike<number>, expected: number[], tol = 1e-12) => {
  assert.equal(actual.length, expected.length, `length ${actual.length} vs ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tol * Math.max(1, Math.abs(expected[i]!)), `[${i}] ${actual[i]} vs ${expected[i]}`);
  }
};
const range = (n: number, from = 1) => Array.from({ length: n }, (_, i) => i + from);
const GRAD_TOL = 1e-6;

describe('Linear', () => {
  test('y = x Wᵀ + b by hand', () => {
    const fc = new Linear(2, 3, { dtype: 'float64', rng: new Rng(0) });
    fc.weight.data.set([1, 2, 3, 4, 5, 6]);
    fc.bias!.data.set([0.5, -1, 0]);
    const y = fc.call(f64([1, -1, 2, 0], [2, 2]));
    assert.deepEqual(y.shape, [2, 3]);
    close(y.data, [-0.5, -2, -1, 2.5, 5, 10]);
    const noBias = new Linear(2, 1, { bias: false, rng: new Rng(0) });
    assert.equal(noBias.bias, null);
    assert.equal(noBias.parameters().length, 1);
  });

  test('torch default init: U(-1/√in, 1/√in), seeded', () => {
    const a = new Linear(100, 50, { rng: new Rng(5) });
    const b = new Linear(100, 50, { rng: new Rng(5) });
    assert.deepEqual(a.weight.data, b.weight.data);
    assert.deepEqual(a.bias!.data, b.bias!.data);
    assert.deepEqual(a.weight.shape, [50, 100]);
    const bound = 1 / Math.sqrt(100);
    const all = [...a.weight.data, ...a.bias!.data];
    assert.ok(all.every((w) => Math.abs(w) <= bound));
    assert.ok(Math.max(...all) > 0.9 * bound && Math.min(...all) < -0.9 * bound);
    assert.ok(a.weight.data instanceof Float32Array);
  });

  test('validates arguments and input shape', () => {
    assert.throws(() => new Linear(-3, 2), /Linear: invalid inFeatures -3, expected a positive integer/);
    assert.throws(() => new Linear(3, 2.5), /Linear: invalid outFeatures 2.5, expected a positive integer/);
    assert.throws(() => new Linear(3, 2, { dtype: 'int8' as never }), /invalid dtype "int8"/);
    const fc = new Linear(784, 10, { rng: new Rng(1) });
    assert.throws(() => fc.call(new Tensor(new Float32Array(10), [2, 5])), /Linear: input has 5 features \(shape \[2, 5\]\), expected 784/);
    assert.throws(() => fc.call(new Tensor(new Float64Array(784), [1, 784])), /input is float64 but the layer's weights are float32/);
  });

  test('gradients match finite differences (float64)', () => {
    const fc = new Linear(4, 3, { dtype: 'float64', rng: new Rng(2) });
    const x = randomTensor([5, 4], 3);
    const { worst } = gradcheck(() => weightedSum(fc.call(x)), [x, fc.weight, fc.bias!]);
    assert.ok(worst < GRAD_TOL, `relative error ${worst}`);
  });
});

describe('Conv2d', () => {
  test('valid convolution by hand', () => {
    const conv = new Conv2d(1, 1, 2, { dtype: 'float64', bias: false, rng: new Rng(0) });
    conv.weight.data.set([1, 0, 0, -1]);
    const y = conv.call(f64(range(9), [1, 1, 3, 3]));
    assert.deepEqual(y.shape, [1, 1, 2, 2]);
    close(y.data, [-4, -4, -4, -4]);
  });

  test("padding 'same', stride 2 with padding 1, two channels and bias by hand", () => {
    const same = new Conv2d(1, 1, 3, { dtype: 'float64', padding: 'same', rng: new Rng(0) });
    same.weight.data.fill(1);
    same.bias!.data[0] = 0.5;
    const y = same.call(f64(range(9), [1, 1, 3, 3]));
    assert.deepEqual(y.shape, [1, 1, 3, 3]);
    close(y.data, [12, 21, 16, 27, 45, 33, 24, 39, 28].map((v) => v + 0.5));

    const strided = new Conv2d(2, 2, 3, { dtype: 'float64', stride: 2, padding: 1, bias: false, rng: new Rng(0) });
    // out channel 0 = ones on in channel 0; out channel 1 = minus ones on in channel 1.
    strided.weight.data.fill(0);
    strided.weight.data.fill(1, 0, 9);
    strided.weight.data.fill(-1, 27, 36);
    const x = f64([...range(9), ...range(9, 10)], [1, 2, 3, 3]);
    const z = strided.call(x);
    assert.deepEqual(z.shape, [1, 2, 2, 2]);
    // windows centered at the corners: in channel 0 sums 12, 16, 24, 28; channel 1 (values + 9) adds 9 per tap (4 taps).
    close(z.data, [12, 16, 24, 28, -(12 + 36), -(16 + 36), -(24 + 36), -(28 + 36)]);
  });

  test('torch default init bound uses fanIn = inC·kh·kw', () => {
    const conv = new Conv2d(3, 8, [3, 5], { rng: new Rng(1) });
    assert.deepEqual(conv.weight.shape, [8, 3, 3, 5]);
    const bound = 1 / Math.sqrt(3 * 15);
    assert.ok([...conv.weight.data, ...conv.bias!.data].every((w) => Math.abs(w) <= bound));
    assert.ok(Math.max(...conv.weight.data) > 0.9 * bound);
  });

  test('validates arguments and input', () => {
    assert.throws(() => new Conv2d(0, 2, 3), /Conv2d: invalid inChannels 0, expected a positive integer/);
    assert.throws(() => new Conv2d(1, 2, 3, { padding: 'same', stride: 2 }), /padding 'same' needs stride 1/);
    assert.throws(() => new Conv2d(1, 2, 2, { padding: 'same' }), /even kernel \[2, 2\]/);
    assert.throws(() => new Conv2d(1, 2, 3, { padding: 'full' as never }), /invalid padding "full"/);
    assert.throws(() => new Conv2d(1, 2, [3, 0]), /invalid kernelSize 0/);
    const conv = new Conv2d(3, 2, 3, { rng: new Rng(0) });
    assert.throws(() => conv.call(new Tensor(new Float32Array(2 * 4 * 25), [2, 4, 5, 5])), /Conv2d: input has 4 channels \(shape \[2, 4, 5, 5\]\), expected 3/);
    assert.throws(() => conv.call(new Tensor(new Float32Array(75), [3, 5, 5])), /Conv2d: input has shape \[3, 5, 5\] \(3 dims\), expected \[N, 3, H, W\]/);
    assert.throws(() => conv.call(new Tensor(new Float32Array(12), [1, 3, 2, 2])), /smaller than the kernel/);
  });

  for (const [name, options] of [
    ["stride 2, padding 1", { stride: 2, padding: 1 }],
    ["padding 'same'", { padding: 'same' as const }],
  ] as const) {
    test(`gradients match finite differences: ${name}`, () => {
      const conv = new Conv2d(2, 3, 3, { ...options, dtype: 'float64', rng: new Rng(4) });
      const x = randomTensor([2, 2, 5, 4], 5);
      const { worst } = gradcheck(() => weightedSum(conv.call(x)), [x, conv.weight, conv.bias!]);
      assert.ok(worst < GRAD_TOL, `relative error ${worst}`);
    });
  }
});

describe('MaxPool2d', () => {
  test('by hand, with default stride and with padding', () => {
    const y = new MaxPool2d(2).call(f64(range(16), [1, 1, 4, 4]));
    assert.deepEqual(y.shape, [1, 1, 2, 2]);
    close(y.data, [6, 8, 14, 16]);
    const z = new MaxPool2d(3, { stride: 2, padding: 1 }).call(f64(range(9).map((v) => -v), [1, 1, 3, 3]));
    // padding never wins, even over negative values
    close(z.data, [-1, -2, -4, -5]);
  });

  test('validates arguments', () => {
    assert.throws(() => new MaxPool2d(2, { padding: 2 }), /invalid padding \[2, 2\], expected at most half the kernel size/);
    assert.throws(() => new MaxPool2d(0), /MaxPool2d: invalid kernelSize 0/);
    assert.throws(() => new MaxPool2d(2).call(f64(range(4), [2, 2])), /expected \[N, C, H, W\]/);
  });

  test('gradients match finite differences', () => {
    const pool = new MaxPool2d(2, { stride: 1 });
    const x = randomTensor([2, 2, 4, 3], 6);
    const { worst } = gradcheck(() => weightedSum(pool.call(x)), [x]);
    assert.ok(worst < GRAD_TOL, `relative error ${worst}`);
  });
});

describe('Embedding', () => {
  test('looks up rows; gradRows marks exactly the touched rows', () => {
    const emb = new Embedding(6, 3, { dtype: 'float64', rng: new Rng(1) });
    const idx = f64([0, 2, 2, 5], [2, 2]);
    const y = emb.call(idx);
    assert.deepEqual(y.shape, [2, 2, 3]);
    const w = emb.weight.data;
    close(y.data, [0, 2, 2, 5].flatMap((r) => Array.from(w.subarray(3 * r, 3 * r + 3))));
    weightedSum(y).backward();
    assert.deepEqual(Array.from(emb.weight.gradRows!), [0, 2, 5]);
    const g = emb.weight.grad!;
    for (const r of [1, 3, 4]) assert.ok(g.subarray(3 * r, 3 * r + 3).every((v) => v === 0), `row ${r} untouched`);
    assert.ok(g.subarray(6, 9).some((v) => v !== 0));
  });

  test('after zeroGrad, the next backward marks only its own rows', () => {
    const emb = new Embedding(6, 2, { dtype: 'float64', rng: new Rng(1) });
    emb.lookup([0, 1]).sum().backward();
    emb.zeroGrad();
    emb.lookup([4, 3, 4]).sum().backward();
    assert.deepEqual(Array.from(emb.weight.gradRows!), [3, 4]);
    assert.deepEqual(Array.from(emb.weight.grad!), [0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 0, 0]);
  });

  test('normal(0, 1) init, seeded', () => {
    const a = new Embedding(100, 50, { rng: new Rng(3) });
    const b = new Embedding(100, 50, { rng: new Rng(3) });
    assert.deepEqual(a.weight.data, b.weight.data);
    const w = Array.from(a.weight.data);
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    const variance = w.reduce((s, v) => s + (v - mean) ** 2, 0) / w.length;
    assert.ok(Math.abs(mean) < 0.06 && Math.abs(variance - 1) < 0.06, `mean ${mean}, variance ${variance}`);
  });

  test('rejects bad indices', () => {
    const emb = new Embedding(4, 2, { rng: new Rng(0) });
    assert.throws(() => emb.lookup([1, 4]), /Embedding: invalid index 4 at position 1, expected an integer in \[0, 3\]/);
    assert.throws(() => emb.lookup([0.5]), /invalid index 0.5/);
    assert.throws(() => new Embedding(4, 0), /invalid embeddingDim 0/);
  });

  test('gradients match finite differences', () => {
    const emb = new Embedding(5, 3, { dtype: 'float64', rng: new Rng(2) });
    const { worst } = gradcheck(() => weightedSum(emb.lookup([4, 1, 4, 0])), [emb.weight]);
    assert.ok(worst < GRAD_TOL, `relative error ${worst}`);
  });
});

describe('activations, Flatten, Sequential, mlp', () => {
  test('activation modules by hand', () => {
    const x = f64([-1, 0, 2], [1, 3]);
    close(new ReLU().call(x).data, [0, 0, 2]);
    close(new Tanh().call(x).data, [Math.tanh(-1), 0, Math.tanh(2)]);
    close(new Sigmoid().call(x).data, [1 / (1 + Math.E), 0.5, 1 / (1 + Math.exp(-2))]);
    assert.equal(new Identity().call(x), x);
    const z = Math.exp(-1) + 1 + Math.exp(2);
    close(new Softmax(1).call(x).data, [Math.exp(-1) / z, 1 / z, Math.exp(2) / z]);
    close(new LogSoftmax(-1).call(x).data, [-1 - Math.log(z), -Math.log(z), 2 - Math.log(z)]);
    assert.throws(() => new Softmax(0.5), /Softmax: invalid dim 0.5/);
  });

  test('Flatten keeps the batch dim by default', () => {
    assert.deepEqual(new Flatten().call(f64(range(24), [2, 3, 4])).shape, [2, 12]);
    assert.deepEqual(new Flatten(0).call(f64(range(24), [2, 3, 4])).shape, [24]);
  });

  test('mlp builds Linear/activation stacks from one seed', () => {
    const a = mlp([4, 8, 8, 2], { activation: 'tanh', rng: new Rng(9) });
    const b = mlp([4, 8, 8, 2], { activation: 'tanh', rng: new Rng(9) });
    assert.equal(a.length, 5);
    assert.ok(a.at(1) instanceof Tanh && a.at(3) instanceof Tanh);
    assert.deepEqual(a.namedParameters().map(([n]) => n), ['0.weight', '0.bias', '2.weight', '2.bias', '4.weight', '4.bias']);
    assert.deepEqual(a.stateDict(), b.stateDict());
    assert.throws(() => mlp([4]), /mlp: invalid sizes \[4\]/);
    assert.throws(() => mlp([4, 2], { activation: 'gelu' as never }), /invalid activation "gelu"/);
  });

  test('float32 (the default) runs end to end and agrees with float64 to float32 precision', () => {
    const build = (dtype: 'float32' | 'float64') => new Sequential(
      new Conv2d(1, 2, 3, { padding: 1, dtype, rng: new Rng(20) }),
      new ReLU(),
      new MaxPool2d(2),
      new Flatten(),
      new Linear(8, 3, { dtype, rng: new Rng(21) }),
    );
    const x64 = randomTensor([2, 1, 4, 4], 22);
    const x32 = new Tensor(Float32Array.from(x64.data), x64.shape);
    const small = build('float32');
    const big = build('float64');
    big.loadStateDict(small.stateDict());
    const y32 = small.call(x32);
    assert.ok(y32.data instanceof Float32Array);
    close(y32.data, Array.from(big.call(x64).data), 1e-5);
  });

  test('a small CNN (Sequential of Conv2d, BatchNorm2d, ReLU, MaxPool2d, Flatten, Linear) passes gradcheck', () => {
    const rng = new Rng(12);
    const net = new Sequential(
      new Conv2d(1, 2, 3, { padding: 'same', dtype: 'float64', rng }),
      new BatchNorm2d(2, { dtype: 'float64' }),
      new ReLU(),
      new MaxPool2d(2),
      new Flatten(),
      new Linear(2 * 2 * 2, 3, { dtype: 'float64', rng }),
      new Tanh(),
    );
    const bn = net.at(1) as BatchNorm2d;
    new Rng(13).fillUniform(bn.weight!.data, 0.5, 1.5);
    new Rng(14).fillNormal(bn.bias!.data, 0, 0.1);
    const x = randomTensor([3, 1, 4, 4], 15);
    const { worst } = gradcheck(() => weightedSum(net.call(x)), [x, ...net.parameters()]);
    assert.ok(worst < GRAD_TOL, `relative error ${worst}`);
  });
});

describe('layer options', () => {
  test('an unknown or misspelt option is refused, listing the valid ones (it used to be ignored)', () => {
    assert.throws(() => mlp([4, 3], { seed: 7 } as never), /mlp: unknown option "seed", expected one of dtype, rng, activation, bias \(seed the initialization with rng: new Rng\(seed\)/);
    assert.throws(() => new Linear(4, 3, { biass: false } as never), /Linear: unknown option "biass", expected one of dtype, rng, bias/);
    assert.throws(() => new Conv2d(1, 2, 3, { pad: 1 } as never), /Conv2d: unknown option "pad"/);
    assert.throws(() => new MaxPool2d(2, { strides: 2 } as never), /MaxPool2d: unknown option "strides", expected one of stride, padding/);
    assert.throws(() => new Embedding(5, 2, { sparse: true } as never), /Embedding: unknown option "sparse"/);
    assert.throws(() => new BatchNorm2d(3, { affline: false } as never), /BatchNorm2d: unknown option "affline"/);
    // The valid ones still work.
    assert.equal(mlp([4, 3], { rng: new Rng(1), bias: false, activation: 'tanh', dtype: 'float64' }).parameters().length, 1);
  });
});

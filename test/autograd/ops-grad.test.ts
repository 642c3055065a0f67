/** Every op's gradient against central finite differences in float64 (relative error < 1e-6). */
import { describe, test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { functional as F } from '../../src/tensor/index.js';
import { mm } from '../../src/tensor/ops/matmul.js';
import { assertGradMatches, leaf, randomBroadcastShapes, scalarize } from './gradcheck.js';

const rng = new Rng(1234);

function positive(shape: number[]): Tensor {
  const t = leaf(rng, shape);
  for (let i = 0; i < t.numel; i++) t.data[i] = Math.abs(t.data[i]!) + 0.5;
  return t;
}

function check(what: string, f: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): void {
  test(what, () => assertGradMatches(scalarize(f, rng), inputs, what));
}

describe('binary ops with broadcasting', () => {
  const pairs: [number[], number[]][] = [[[3, 4], [3, 4]], [[3, 4], [4]], [[2, 1, 4], [3, 1]], [[5], []], [[1], [2, 3]]];
  for (const [sa, sb] of pairs) {
    const tag = `${JSON.stringify(sa)} ${JSON.stringify(sb)}`;
    check(`add ${tag}`, (a, b) => a.add(b), [leaf(rng, sa), leaf(rng, sb)]);
    check(`sub ${tag}`, (a, b) => a.sub(b), [leaf(rng, sa), leaf(rng, sb)]);
    check(`mul ${tag}`, (a, b) => a.mul(b), [leaf(rng, sa), leaf(rng, sb)]);
    check(`div ${tag}`, (a, b) => a.div(b), [leaf(rng, sa), leaf(rng, sb, 0.5)]);
    check(`maximum ${tag}`, (a, b) => a.maximum(b), [leaf(rng, sa), leaf(rng, sb)]);
    check(`minimum ${tag}`, (a, b) => a.minimum(b), [leaf(rng, sa), leaf(rng, sb)]);
  }
  check('ops with numbers', (a) => a.add(2).sub(0.5).mul(3).div(1.5), [leaf(rng, [2, 3])]);
});

describe('unary ops', () => {
  check('neg', (x) => x.neg(), [leaf(rng, [3, 4])]);
  check('exp', (x) => x.exp(), [leaf(rng, [3, 4])]);
  check('log', (x) => x.log(), [positive([3, 4])]);
  check('sqrt', (x) => x.sqrt(), [positive([3, 4])]);
  check('tanh', (x) => x.tanh(), [leaf(rng, [3, 4])]);
  check('sigmoid', (x) => x.sigmoid(), [leaf(rng, [3, 4])]);
  check('relu', (x) => x.relu(), [leaf(rng, [3, 4], 0.1)]);
  check('abs', (x) => x.abs(), [leaf(rng, [3, 4], 0.1)]);
  check('square', (x) => x.square(), [leaf(rng, [3, 4])]);
  check('reciprocal', (x) => x.reciprocal(), [leaf(rng, [3, 4], 0.5)]);
  check('pow 3', (x) => x.pow(3), [leaf(rng, [3, 4])]);
  check('pow 2.5', (x) => x.pow(2.5), [positive([3, 4])]);
  check('pow -1.5', (x) => x.pow(-1.5), [positive([3, 4])]);
  check('clamp', (x) => x.clamp(-0.5, 0.7), [leaf(rng, [4, 5])]);
  check('clamp min only', (x) => x.clamp(0.1), [leaf(rng, [4, 5])]);
  check('clone', (x) => x.clone().mul(x), [leaf(rng, [3])]);
});

describe('reductions', () => {
  check('sum all', (x) => x.sum().mul(x), [leaf(rng, [3, 4])]);
  check('sum dim 1', (x) => x.sum(1), [leaf(rng, [3, 4, 2])]);
  check('sum dims [0, 2] keepdim', (x) => x.sum([0, 2], true), [leaf(rng, [3, 4, 2])]);
  check('sum dim -1', (x) => x.sum(-1), [leaf(rng, [3, 4])]);
  check('mean all', (x) => x.mean().mul(x), [leaf(rng, [3, 4])]);
  check('mean dims [1, 2]', (x) => x.mean([1, 2]), [leaf(rng, [2, 3, 4])]);
  check('max all', (x) => x.max().mul(x), [leaf(rng, [3, 4])]);
  check('max dim 1', (x) => x.max(1), [leaf(rng, [3, 4, 2])]);
  check('max dim 0 keepdim', (x) => x.max(0, true).mul(x), [leaf(rng, [3, 4])]);
  check('sumTo', (x) => x.sumTo([1, 4]), [leaf(rng, [2, 3, 4])]);
});

describe('shape ops', () => {
  check('reshape', (x) => x.reshape(4, -1).mul(x.reshape([4, 3])), [leaf(rng, [2, 6])]);
  check('view', (x) => x.view(3, 4).exp(), [leaf(rng, [12])]);
  check('transpose', (x) => x.transpose(0, 2), [leaf(rng, [2, 3, 4])]);
  check('permute', (x) => x.permute(2, 0, 1), [leaf(rng, [2, 3, 4])]);
  check('t', (x) => x.t().matmul(x), [leaf(rng, [3, 4])]);
  check('flatten', (x) => x.flatten(1), [leaf(rng, [2, 3, 4])]);
  check('unsqueeze/squeeze', (x) => x.unsqueeze(1).mul(x.unsqueeze(0)).squeeze(), [leaf(rng, [3])]);
  check('expand', (x) => x.expand(2, 3, 4), [leaf(rng, [3, 1])]);
  check('indexSelect dim 1 with repeats', (x) => x.indexSelect(1, [2, 0, 2, 3]), [leaf(rng, [3, 4])]);
  check('indexSelect dim 0', (x) => x.indexSelect(0, new Int32Array([1, 1, 0])), [leaf(rng, [2, 3])]);
});

describe('matrix products', () => {
  check('matmul 2-D x 2-D', (a, b) => a.matmul(b), [leaf(rng, [3, 4]), leaf(rng, [4, 5])]);
  check('matmul 1-D x 2-D', (a, b) => a.matmul(b), [leaf(rng, [4]), leaf(rng, [4, 5])]);
  check('matmul 2-D x 1-D', (a, b) => a.matmul(b), [leaf(rng, [3, 4]), leaf(rng, [4])]);
  check('matmul 1-D x 1-D', (a, b) => a.matmul(b), [leaf(rng, [4]), leaf(rng, [4])]);
  check('matmul 3-D x 2-D', (a, b) => a.matmul(b), [leaf(rng, [2, 3, 4]), leaf(rng, [4, 5])]);
  check('matmul batched', (a, b) => a.matmul(b), [leaf(rng, [2, 3, 4]), leaf(rng, [2, 4, 5])]);
  check('matmul broadcast batch', (a, b) => a.matmul(b), [leaf(rng, [2, 1, 3, 4]), leaf(rng, [3, 4, 2])]);
  for (const ta of [false, true]) {
    for (const tb of [false, true]) {
      const a = leaf(rng, ta ? [4, 3] : [3, 4]);
      const b = leaf(rng, tb ? [5, 4] : [4, 5]);
      check(`mm transA=${ta} transB=${tb}`, (x, y) => mm(x, y, ta, tb), [a, b]);
    }
  }
});

describe('softmax family', () => {
  for (const dim of [0, 1, -1]) {
    check(`softmax dim ${dim}`, (x) => x.softmax(dim), [leaf(rng, [3, 4])]);
    check(`logSoftmax dim ${dim}`, (x) => x.logSoftmax(dim), [leaf(rng, [3, 4])]);
    check(`logsumexp dim ${dim}`, (x) => x.logsumexp(dim), [leaf(rng, [3, 4])]);
  }
  check('logSoftmax 3-D dim 1', (x) => F.logSoftmax(x, 1), [leaf(rng, [2, 3, 4])]);
});

describe('functional', () => {
  check('linear', (x, w, b) => F.linear(x, w, b), [leaf(rng, [3, 4]), leaf(rng, [5, 4]), leaf(rng, [5])]);
  check('linear 3-D input, no bias', (x, w) => F.linear(x, w), [leaf(rng, [2, 3, 4]), leaf(rng, [5, 4])]);
  check('conv2d stride 2 padding 1 bias', (x, w, b) => F.conv2d(x, w, b, { stride: 2, padding: 1 }),
    [leaf(rng, [2, 3, 5, 6]), leaf(rng, [4, 3, 3, 2]), leaf(rng, [4])]);
  check('conv2d same', (x, w) => F.conv2d(x, w, null, { padding: 'same' }), [leaf(rng, [1, 2, 4, 4]), leaf(rng, [3, 2, 3, 3])]);
  check('maxPool2d 2x2', (x) => F.maxPool2d(x, 2), [leaf(rng, [2, 2, 4, 5])]);
  check('maxPool2d overlapping, padded', (x) => F.maxPool2d(x, 3, { stride: 1, padding: 1 }), [leaf(rng, [1, 2, 4, 4])]);
  for (const reduction of ['mean', 'sum', 'none'] as const) {
    check(`crossEntropy ${reduction}`, (z) => F.crossEntropy(z, [1, 0, 3], { reduction }), [leaf(rng, [3, 4])]);
    check(`nllLoss ${reduction}`, (z) => F.nllLoss(z, [1, 0, 3], { reduction }), [leaf(rng, [3, 4])]);
  }
  check('mseLoss', (x, y) => F.mseLoss(x, y), [leaf(rng, [3, 4]), leaf(rng, [3, 4])]);
  check('binaryCrossEntropyWithLogits', (x, y) => F.binaryCrossEntropyWithLogits(x, y, { reduction: 'sum' }),
    [leaf(rng, [3, 4]), leaf(rng, [3, 4])]);
  check('batchNorm training [N, C]', (x, w, b) => F.batchNorm(x, null, null, w, b, { training: true }),
    [leaf(rng, [5, 3]), leaf(rng, [3]), leaf(rng, [3])]);
  check('batchNorm training [N, C, H, W]', (x, w, b) => F.batchNorm(x, null, null, w, b, { training: true }),
    [leaf(rng, [2, 3, 2, 2]), leaf(rng, [3]), leaf(rng, [3])]);
  const rm = new Tensor(new Float64Array([0.1, -0.2, 0.3]), [3]);
  const rv = new Tensor(new Float64Array([1.5, 0.5, 2]), [3]);
  check('batchNorm eval', (x, w, b) => F.batchNorm(x, rm, rv, w, b, { training: false }),
    [leaf(rng, [4, 3]), leaf(rng, [3]), leaf(rng, [3])]);
  check('embedding', (w) => F.embedding(w, new Int32Array([2, 0, 2, 4]), [2, 2]), [leaf(rng, [5, 3])]);
  check('dropout (fixed mask)', (x) => F.dropout(x, 0.4, true, new Rng(7)), [leaf(rng, [4, 5])]);
});

describe('random shapes (seeded)', () => {
  const shapeRng = new Rng(77);
  for (let trial = 0; trial < 6; trial++) {
    const { out, a, b } = randomBroadcastShapes(shapeRng);
    const tag = `${JSON.stringify(a)} ${JSON.stringify(b)}`;
    check(`mul/div/sub broadcast ${tag}`, (x, y) => x.mul(y).sub(x.div(y)), [leaf(rng, a), leaf(rng, b, 0.5)]);
    const dim = shapeRng.int(out.length);
    check(`sum/max/logSoftmax along dim ${dim} of ${JSON.stringify(out)}`, (x) => x.sum(dim, true).add(x.max(dim, true)).mul(x.logSoftmax(dim)), [leaf(rng, out)]);
  }
});

// The WASM fused optimizer steps (src/kernels/wasm) against descent's composed optimizers
// (the transform chains, through the torch-shaped classes): equal within float32 rounding.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { loadWasmKernels } from '../../src/kernels/wasm/index.js';
import { createOptimizer } from '../../src/optim/registry.js';
import { scaledRel } from '../helpers/oracle.js';

const kernels = loadWasmKernels({ threads: 1 });
after(() => kernels.dispose());

const N = 1037; // not a multiple of the vector width or the unroll
const STEPS = 6;

function draw(rng: Rng, n: number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => scale * rng.normal());
}

type Kernel = (p: Float32Array, g: Float32Array, state: Float32Array[], step: number) => void;

function compare(spec: string, stateCount: number, kernel: Kernel): void {
  const rng = new Rng(11);
  const p0 = draw(rng, N);
  const grads = Array.from({ length: STEPS }, () => draw(rng, N, 0.5));
  const param = { data: p0.slice(), grad: new Float32Array(N) };
  const optimizer = createOptimizer(spec, [param]);
  const p = p0.slice();
  const state = Array.from({ length: stateCount }, () => new Float32Array(N));
  for (let t = 0; t < STEPS; t++) {
    param.grad.set(grads[t]!);
    optimizer.step();
    kernel(p, grads[t]!.slice(), state, t + 1);
  }
  const err = scaledRel(param.data, p);
  assert.ok(err <= 2e-6, `${spec}: WASM step differs from the composed optimizer by ${err.toExponential(2)} (scaled_rel)`);
}

test('Adam, AdamW, AMSGrad, maximize', () => {
  for (const [spec, o] of [
    ['adam:lr=0.01', {}],
    ['adam:lr=0.01:weightDecay=0.1', { weightDecay: 0.1 }],
    ['adamw:lr=0.01:weightDecay=0.1', { weightDecay: 0.1, decoupledWeightDecay: true }],
    ['adam:lr=0.01:amsgrad=true:betas=0.8/0.99', { amsgrad: true, beta1: 0.8, beta2: 0.99 }],
    ['adam:lr=0.01:maximize=true', { maximize: true }],
  ] as const) {
    compare(spec, 3, (p, g, [m, v, mx], step) => kernels.adamStep(p, g, m!, v!, mx!, { step, lr: 0.01, ...o }));
  }
});

test('SGD: plain, momentum with dampening, Nesterov, weight decay', () => {
  for (const [spec, o] of [
    ['sgd:lr=0.05', {}],
    ['sgd:lr=0.05:momentum=0.9:dampening=0.1', { momentum: 0.9, dampening: 0.1 }],
    ['sgd:lr=0.05:momentum=0.9:nesterov=true:weightDecay=0.01', { momentum: 0.9, nesterov: true, weightDecay: 0.01 }],
  ] as const) {
    compare(spec, 1, (p, g, [buf], step) => kernels.sgdStep(p, g, 'momentum' in o ? buf! : null, { lr: 0.05, ...o, firstStep: step === 1 }));
  }
});

test('Adagrad, RMSprop (centered, momentum), Adadelta', () => {
  compare('adagrad:lr=0.1:lrDecay=0.01:weightDecay=0.01', 1, (p, g, [sum], step) => kernels.adagradStep(p, g, sum!, { step, lr: 0.1, lrDecay: 0.01, weightDecay: 0.01 }));
  compare('rmsprop:lr=0.01:centered=true:momentum=0.5', 3, (p, g, [sq, avg, buf]) => kernels.rmspropStep(p, g, sq!, avg!, buf!, { lr: 0.01, centered: true, momentum: 0.5 }));
  compare('adadelta', 2, (p, g, [sq, acc]) => kernels.adadeltaStep(p, g, sq!, acc!, {}));
});

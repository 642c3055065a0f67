// Parameters, gradients and optimizer state in the backend's own memory (Backend.memory): on the
// WASM backend, layers allocate float32 weights there, autograd their gradients and Adam/SGD
// their state, so the fused steps run in place; the numbers are those of ordinary arrays, and
// blocks go back to the memory when their arrays are garbage-collected.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Rng } from '../../src/core/rng.js';
import { getBackend, setBackend, type Backend } from '../../src/kernels/index.js';
import { loadWasmKernels } from '../../src/kernels/wasm/index.js';
import { MANAGED_BUDGET } from '../../src/kernels/wasm/arena.js';
import { allocateParameter, zerosBeside } from '../../src/kernels/memory.js';
import { nn, Tensor, functional, Adam, SGD } from '../../src/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let previous: Backend;
before(() => {
  previous = getBackend();
  setBackend('wasm');
});
after(() => setBackend(previous));

async function collect(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test('allocateParameter and zerosBeside place float32 arrays in the backend memory, float64 and foreign arrays outside', () => {
  const memory = getBackend().memory!;
  assert.ok(memory, 'the wasm backend has a memory');
  const w = allocateParameter('float32', 1000);
  assert.ok(w instanceof Float32Array && w.length === 1000 && w.every((x) => x === 0));
  assert.ok(memory.holds(w));
  assert.ok(memory.holds(zerosBeside(w)));
  assert.ok(!memory.holds(zerosBeside(new Float32Array(8))), 'an ordinary array gets an ordinary neighbour');
  const d = allocateParameter('float64', 10);
  assert.ok(d instanceof Float64Array && zerosBeside(d) instanceof Float64Array);
  setBackend('ref');
  try {
    assert.ok(!(allocateParameter('float32', 4).buffer instanceof SharedArrayBuffer), 'ref has no memory of its own');
  } finally {
    setBackend('wasm');
  }
});

test('managed arrays cannot be released by hand and go back to the memory when collected', async () => {
  const kernels = loadWasmKernels({ threads: 1 });
  try {
    const a = kernels.memory.allocate(256);
    assert.throws(() => kernels.release(a), /managed .* released when garbage-collected/);
    await collect();
    const start = kernels.memoryBytes();
    for (let round = 0; round < 40; round++) {
      // 40 rounds of 4 MB each would need 160 MB if nothing were returned.
      const block = kernels.memory.allocate(1 << 20);
      block[0] = round;
      if (round % 4 === 3) await collect();
    }
    await collect();
    assert.ok(kernels.memoryBytes() - start <= 5 * 4 * (1 << 20), `memory grew by ${kernels.memoryBytes() - start} bytes`);
  } finally {
    kernels.dispose();
  }
});

test('past its budget (collected arrays come back only when the event loop turns) the memory hands out ordinary arrays', async () => {
  const kernels = loadWasmKernels({ threads: 1 });
  try {
    await collect();
    const block = 16 * 2 ** 20 / 4;
    const held: Float32Array[] = [];
    for (let i = 0; i * block * 4 <= MANAGED_BUDGET; i++) held.push(kernels.memory.allocate(block));
    assert.ok(held.slice(0, -1).every((a) => kernels.memory.holds(a)), 'within the budget: in WASM memory');
    const over = held[held.length - 1]!;
    assert.ok(!kernels.memory.holds(over) && over.length === block && over.every((x) => x === 0), 'past it: an ordinary zero-filled array');
    held.length = 0;
    await collect();
    assert.ok(kernels.memory.holds(kernels.memory.allocate(block)), 'collected arrays gave the budget back');
  } finally {
    kernels.dispose();
  }
});

/** Trains a copy of the seeded MLP for `steps` steps; `plain` moves its parameters to ordinary arrays first. */
function train(plain: boolean, make: (params: Tensor[]) => { zeroGrad(): void; step(): void }, steps: number): Float32Array[] {
  const model = nn.mlp([300, 400, 200, 10], { rng: new Rng(7) });
  const params = model.parameters();
  if (plain) for (const p of params) p.data = (p.data as Float32Array).slice();
  const memory = getBackend().memory!;
  assert.equal(params.every((p) => memory.holds(p.data)), !plain);
  const rng = new Rng(3);
  const x = new Tensor(rng.fillNormal(new Float32Array(64 * 300)), [64, 300]);
  const y = Int32Array.from({ length: 64 }, (_, i) => i % 10);
  const opt = make(params);
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    functional.crossEntropy(model.call(x), y).backward();
    if (!plain) assert.ok(params.every((p) => p.grad !== null && memory.holds(p.grad)), 'gradients live beside their parameters');
    opt.step();
  }
  return params.map((p) => (p.data as Float32Array).slice());
}

for (const [name, make] of [
  ['Adam', (p: Tensor[]) => new Adam(p, { lr: 1e-3 })],
  ['AdamW amsgrad', (p: Tensor[]) => new Adam(p, { lr: 1e-3, amsgrad: true, weightDecay: 0.01 })],
  ['SGD momentum', (p: Tensor[]) => new SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true })],
] as const) {
  test(`${name}: training with parameters, gradients and state in WASM memory is bit-identical to ordinary arrays`, () => {
    const resident = train(false, make, 4);
    const ordinary = train(true, make, 4);
    resident.forEach((r, i) => assert.deepEqual(r, ordinary[i], `parameter ${i}`));
  });
}

test('firstNonFinite in WASM memory finds the first NaN or ±Infinity like the loop, for any range', () => {
  const kernels = loadWasmKernels({ threads: 1 });
  try {
    const rng = new Rng(11);
    const specials = [Number.NaN, Infinity, -Infinity];
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(rng.random() * 200);
      const plain = rng.fillNormal(new Float32Array(n));
      if (trial % 5 === 0) plain[Math.floor(rng.random() * n)] = 3.4e38; // large but finite
      if (trial % 7 === 0) plain[Math.floor(rng.random() * n)] = 1e-45; // subnormal
      const bad = Math.floor(rng.random() * 4);
      for (let b = 0; b < bad; b++) plain[Math.floor(rng.random() * n)] = specials[Math.floor(rng.random() * 3)]!;
      const resident = kernels.allocate(n);
      resident.set(plain);
      const from = Math.floor(rng.random() * n);
      const to = from + Math.floor(rng.random() * (n - from + 1));
      const expected = plain.subarray(from, to).findIndex((x) => !Number.isFinite(x));
      const want = expected < 0 ? -1 : from + expected;
      assert.equal(kernels.firstNonFinite(resident, from, to), want, `n ${n}, [${from}, ${to})`);
      assert.equal(kernels.firstNonFinite(plain, from, to), want, `ordinary array, n ${n}, [${from}, ${to})`);
      kernels.release(resident);
    }
    assert.throws(() => kernels.firstNonFinite(new Float32Array(4), 2, 5), /invalid range \[2, 5\)/);
  } finally {
    kernels.dispose();
  }
});

test('an optimizer refuses a non-finite gradient in WASM memory, naming the index, and modifies nothing', () => {
  const model = nn.mlp([40, 30, 5], { rng: new Rng(5) });
  const params = model.parameters();
  const opt = new Adam(params, { lr: 0.1 });
  opt.zeroGrad();
  functional.crossEntropy(model.call(new Tensor(new Rng(6).fillNormal(new Float32Array(8 * 40)), [8, 40])), new Int32Array(8)).backward();
  assert.ok(getBackend().memory!.holds(params[0]!.grad!));
  params[0]!.grad![777] = Number.NaN;
  const before = params.map((p) => (p.data as Float32Array).slice());
  assert.throws(() => opt.step(), /non-finite gradient in parameter 0 .*grad\[777\] = NaN/);
  params.forEach((p, i) => assert.deepEqual(p.data, before[i]));
});

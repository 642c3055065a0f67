// Fused WASM optimizer steps against plain float32 loops (Math.fround after every operation)
// of the torch.optim 1.13 formulas, over several steps, on lengths around the vector width and
// the streaming chunk, on one and two threads.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { DescentError, ValueError } from '../../src/core/errors.js';
import { loadWasmKernels, type WasmKernels } from '../../src/kernels/wasm/index.js';
import { CHUNK, IN_PLACE_MIN_PER_THREAD } from '../../src/kernels/wasm/stream.js';
import { assertClose, randomArray, ulps } from './helpers.js';

const f = Math.fround;
const one = loadWasmKernels({ threads: 1 });
const three = loadWasmKernels({ threads: 3 });
after(() => {
  for (const k of [one, three]) k.dispose();
});

type Buffers = Record<string, Float32Array>;
type Options = Record<string, number | boolean>;

interface Spec {
  name: string;
  /** State buffer names (after param and grad) and their initial value. */
  state: Record<string, number>;
  variants: Options[];
  run(k: WasmKernels, b: Buffers, o: Options, step: number): void;
  /** Reference update of element i. */
  ref(b: Buffers, i: number, o: Options, step: number): void;
}

const specs: Spec[] = [
  {
    name: 'adam',
    state: { m: 0, v: 0, vmax: 0 },
    variants: [{}, { weightDecay: 0.1 }, { weightDecay: 0.1, decoupledWeightDecay: true }, { amsgrad: true }, { amsgrad: true, maximize: true, weightDecay: 0.05, beta1: 0.5 }],
    run: (k, b, o, step) => k.adamStep(b.p!, b.g!, b.m!, b.v!, o.amsgrad ? b.vmax! : null, { lr: 0.01, ...o, step }),
    ref(b, i, o, step) {
      const lr = 0.01, b1 = (o.beta1 as number) ?? 0.9, b2 = 0.999, eps = 1e-8, wd = (o.weightDecay as number) ?? 0;
      let g = b.g![i]!, p = b.p![i]!;
      if (o.maximize) g = -g;
      if (wd !== 0) {
        if (o.decoupledWeightDecay) p = f(p * f(1 - lr * wd));
        else g = f(g + f(f(wd) * p));
      }
      const m = f(f(b.m![i]! * f(b1)) + f(f(1 - b1) * g));
      let v = f(f(b.v![i]! * f(b2)) + f(f(f(1 - b2) * g) * g));
      b.m![i] = m;
      b.v![i] = v;
      if (o.amsgrad) v = b.vmax![i] = Math.max(b.vmax![i]!, v);
      const denom = f(f(f(Math.sqrt(v)) / f(Math.sqrt(1 - b2 ** step))) + f(eps));
      b.p![i] = f(p + f(f(-lr / (1 - b1 ** step)) * f(m / denom)));
    },
  },
  {
    name: 'sgd',
    state: { buf: 0 },
    variants: [{}, { momentum: 0.9 }, { momentum: 0.9, dampening: 0.1, weightDecay: 0.01 }, { momentum: 0.9, nesterov: true }, { momentum: 0.5, maximize: true, weightDecay: 0.1 }],
    run: (k, b, o, step) => k.sgdStep(b.p!, b.g!, o.momentum ? b.buf! : null, { lr: 0.1, ...o, firstStep: step === 1 }),
    ref(b, i, o, step) {
      const lr = 0.1, mu = (o.momentum as number) ?? 0, damp = (o.dampening as number) ?? 0, wd = (o.weightDecay as number) ?? 0;
      let g = b.g![i]!;
      const p = b.p![i]!;
      if (o.maximize) g = -g;
      if (wd !== 0) g = f(g + f(f(wd) * p));
      let d = g;
      if (mu !== 0) {
        const buf = step === 1 ? g : f(f(b.buf![i]! * f(mu)) + f(f(1 - damp) * g));
        b.buf![i] = buf;
        d = o.nesterov ? f(g + f(f(mu) * buf)) : buf;
      }
      b.p![i] = f(p + f(f(-lr) * d));
    },
  },
  {
    name: 'adagrad',
    state: { sum: 0.1 },
    variants: [{}, { lrDecay: 0.01, weightDecay: 0.1 }, { maximize: true }],
    run: (k, b, o, step) => k.adagradStep(b.p!, b.g!, b.sum!, { lr: 0.01, ...o, step }),
    ref(b, i, o, step) {
      const lr = 0.01, decay = (o.lrDecay as number) ?? 0, wd = (o.weightDecay as number) ?? 0, eps = 1e-10;
      let g = b.g![i]!;
      const p = b.p![i]!;
      if (o.maximize) g = -g;
      if (wd !== 0) g = f(g + f(f(wd) * p));
      const s = (b.sum![i] = f(b.sum![i]! + f(g * g)));
      b.p![i] = f(p + f(f(-lr / (1 + (step - 1) * decay)) * f(g / f(f(Math.sqrt(s)) + f(eps)))));
    },
  },
  {
    name: 'rmsprop',
    state: { sq: 0, ga: 0, buf: 0 },
    variants: [{}, { centered: true }, { momentum: 0.9 }, { centered: true, momentum: 0.5, weightDecay: 0.1, maximize: true, alpha: 0.9 }],
    run: (k, b, o, step) => k.rmspropStep(b.p!, b.g!, b.sq!, o.centered ? b.ga! : null, o.momentum ? b.buf! : null, { lr: 0.01, ...o }),
    ref(b, i, o) {
      const lr = 0.01, al = (o.alpha as number) ?? 0.99, eps = 1e-8, mu = (o.momentum as number) ?? 0, wd = (o.weightDecay as number) ?? 0;
      let g = b.g![i]!;
      const p = b.p![i]!;
      if (o.maximize) g = -g;
      if (wd !== 0) g = f(g + f(f(wd) * p));
      const sq = (b.sq![i] = f(f(b.sq![i]! * f(al)) + f(f(f(1 - al) * g) * g)));
      let avg: number;
      if (o.centered) {
        const ga = (b.ga![i] = f(f(b.ga![i]! * f(al)) + f(f(1 - al) * g)));
        avg = f(f(Math.sqrt(f(sq - f(ga * ga)))) + f(eps));
      } else {
        avg = f(f(Math.sqrt(sq)) + f(eps));
      }
      if (mu > 0) {
        const buf = (b.buf![i] = f(f(b.buf![i]! * f(mu)) + f(g / avg)));
        b.p![i] = f(p + f(f(-lr) * buf));
      } else {
        b.p![i] = f(p + f(f(-lr) * f(g / avg)));
      }
    },
  },
  {
    name: 'adadelta',
    state: { sq: 0, acc: 0 },
    variants: [{}, { weightDecay: 0.1, maximize: true, rho: 0.5, lr: 0.5 }],
    run: (k, b, o) => k.adadeltaStep(b.p!, b.g!, b.sq!, b.acc!, { ...o }),
    ref(b, i, o) {
      const lr = (o.lr as number) ?? 1, rho = (o.rho as number) ?? 0.9, eps = 1e-6, wd = (o.weightDecay as number) ?? 0;
      let g = b.g![i]!;
      const p = b.p![i]!;
      if (o.maximize) g = -g;
      if (wd !== 0) g = f(g + f(f(wd) * p));
      const sq = (b.sq![i] = f(f(b.sq![i]! * f(rho)) + f(f(f(1 - rho) * g) * g)));
      const delta = f(f(f(Math.sqrt(f(b.acc![i]! + f(eps)))) / f(Math.sqrt(f(sq + f(eps))))) * g);
      b.acc![i] = f(f(b.acc![i]! * f(rho)) + f(f(f(1 - rho) * delta) * delta));
      b.p![i] = f(p + f(f(-lr) * delta));
    },
  },
];

const lengths = [0, 1, 3, 4, 15, 16, 17, 50];
/** Several streaming chunks, and long enough to split over 3 threads in place; tried on the last variant only (fast test). */
const long = Math.max(2 * CHUNK, 3 * IN_PLACE_MIN_PER_THREAD) + 37;

for (const spec of specs) {
  test(`${spec.name}: fused WASM step equals the float32 reference loop (every variant, 3 steps; copied on 1 thread, in place on 3)`, () => {
    const rng = new Rng(spec.name.length);
    for (const [v, o] of spec.variants.entries()) {
      for (const n of v === spec.variants.length - 1 ? [...lengths, long] : lengths) {
        const copied: Buffers = { p: randomArray(rng, n) };
        for (const [key, init] of Object.entries(spec.state)) copied[key] = new Float32Array(n).fill(init);
        const refs: Buffers = Object.fromEntries(Object.entries(copied).map(([key, a]) => [key, a.slice()]));
        const inPlace: Buffers = Object.fromEntries(Object.entries(copied).map(([key, a]) => [key, three.allocate(n)]));
        for (const key of Object.keys(copied)) inPlace[key]!.set(copied[key]!);
        inPlace.g = three.allocate(n);
        for (let step = 1; step <= 3; step++) {
          const g = randomArray(rng, n, -2, 2);
          copied.g = g;
          refs.g = g.slice();
          inPlace.g.set(g);
          spec.run(one, copied, o, step);
          spec.run(three, inPlace, o, step);
          for (let i = 0; i < n; i++) spec.ref(refs, i, o, step);
          for (const key of Object.keys(refs)) {
            const what = `${spec.name} ${JSON.stringify(o)} n=${n} step ${step} ${key}`;
            assertClose(copied[key]!, refs[key]!, ulps(refs[key]!, 2), `${what} (copied)`);
            assertClose(inPlace[key]!, refs[key]!, ulps(refs[key]!, 2), `${what} (in place)`);
          }
          assert.deepEqual(copied.g, refs.g, 'the gradient is not written');
        }
        for (const a of Object.values(inPlace)) three.release(a);
      }
    }
  });
}

test('optimizer steps reject bad buffers and hyperparameters, naming the value', () => {
  const a = new Float32Array(4), b = new Float32Array(4);
  assert.throws(() => one.adamStep(a, b, a.slice(), new Float32Array(3), null, { step: 1, lr: 0.1 }), (e: Error) => e instanceof ValueError && /expAvgSq has length 3, expected 4/.test(e.message));
  assert.throws(() => one.adamStep(a, b, a.slice(), b.slice(), null, { step: 0, lr: 0.1 }), /invalid step 0/);
  assert.throws(() => one.adamStep(a, b, a.slice(), b.slice(), null, { step: 1, lr: 0.1, beta1: 1.2 }), /invalid beta1 1.2, expected a number in \[0, 1\)/);
  assert.throws(() => one.adamStep(a, b, a.slice(), b.slice(), null, { step: 1, lr: 0.1, amsgrad: true }), /maxExpAvgSq is null, expected a Float32Array/);
  assert.throws(() => one.sgdStep(a, new Float64Array(4) as never, null, { lr: 0.1 }), (e: Error) => e instanceof DescentError && /Float64Array/.test(e.message));
  assert.throws(() => one.sgdStep(a, b, null, { lr: 0.1, momentum: 0.9 }), /momentumBuffer is null/);
  assert.throws(() => one.sgdStep(a, b, a.slice(), { lr: 0.1, momentum: 0.9, nesterov: true, dampening: 0.5 }), /nesterov needs momentum > 0 and dampening 0/);
  assert.throws(() => one.sgdStep(a, b, null, { lr: -1 }), /invalid lr -1/);
  assert.throws(() => one.rmspropStep(a, b, a.slice(), null, null, { lr: 0.1, centered: true }), /gradAvg is null/);
  assert.throws(() => one.adagradStep(a, b, a.slice(), { lr: 0.1, step: 1, maximize: 1 as never }), /invalid maximize 1, expected true or false/);
  assert.throws(() => one.adadeltaStep(a, b, a.slice(), a.slice(), null as never), /invalid options null/);
});

/**
 * TensorFlow.js peer: `@tensorflow/tfjs` on its WASM backend (tfjs-wasm, XNNPACK kernels) and on
 * its plain-JavaScript CPU backend (tfjs-cpu), in this process. Both are single-threaded in Node:
 * tfjs-backend-wasm only uses its threaded build where WASM_HAS_MULTITHREAD_SUPPORT holds, and
 * that flag is false under Node (tensorflow/tfjs#3830).
 *
 * Each runner keeps the tensors it made under its own backend and selects that backend before
 * its clock starts, so interleaving tfjs-wasm and tfjs-cpu never moves data between them.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { BATCH, MLP_SIZES, benchFeatures, benchLabels, uniformArray } from '../lib/data.js';
import { Skip, timeSync, type Runner } from '../lib/harness.js';

type Tf = typeof import('@tensorflow/tfjs');
export type TfjsImpl = 'tfjs-wasm' | 'tfjs-cpu';
export const TFJS_IMPLS: readonly TfjsImpl[] = ['tfjs-wasm', 'tfjs-cpu'];

export const TFJS_SINGLE_THREAD: Record<TfjsImpl, string> = {
  'tfjs-wasm': 'tfjs-backend-wasm runs single-threaded in Node (WASM_HAS_MULTITHREAD_SUPPORT is false there, tfjs#3830)',
  'tfjs-cpu': 'tfjs-backend-cpu is single-threaded (plain JavaScript)',
};

export interface Tfjs {
  tf: Tf;
  version: string;
  /** Per implementation: null when usable, else why not. */
  unavailable: Record<TfjsImpl, string | null>;
}

let loaded: Promise<Tfjs | string> | null = null;

/** Loads tfjs and initialises both backends once; a string says why tfjs is missing. */
export function loadTfjs(): Promise<Tfjs | string> {
  loaded ??= (async () => {
    let tf: Tf;
    try {
      tf = await import('@tensorflow/tfjs');
    } catch (error) {
      return `@tensorflow/tfjs is not installed (npm install --save-dev @tensorflow/tfjs @tensorflow/tfjs-backend-wasm): ${(error as Error).message.split('\n')[0]}`;
    }
    const unavailable: Record<TfjsImpl, string | null> = { 'tfjs-wasm': null, 'tfjs-cpu': null };
    try {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const require = createRequire(import.meta.url);
      wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
      if (!(await tf.setBackend('wasm'))) unavailable['tfjs-wasm'] = 'tfjs-backend-wasm failed to initialise';
    } catch (error) {
      unavailable['tfjs-wasm'] = `@tensorflow/tfjs-backend-wasm unavailable: ${(error as Error).message.split('\n')[0]}`;
    }
    if (!(await tf.setBackend('cpu'))) unavailable['tfjs-cpu'] = 'tfjs-backend-cpu failed to initialise';
    return { tf, version: tf.version.tfjs, unavailable };
  })();
  return loaded;
}

function backendName(impl: TfjsImpl): string {
  return impl === 'tfjs-wasm' ? 'wasm' : 'cpu';
}

/**
 * A runner for `impl`: `make` builds the work (under the impl's backend) and returns one unit
 * of it plus what to dispose.
 */
export async function tfjsRunner(impl: TfjsImpl, threads: number, make: (tf: Tf) => { work: () => void; dispose: () => void }): Promise<Runner> {
  if (threads !== 1) throw new Skip(TFJS_SINGLE_THREAD[impl]);
  const tfjs = await loadTfjs();
  if (typeof tfjs === 'string') throw new Skip(tfjs);
  const reason = tfjs.unavailable[impl];
  if (reason !== null) throw new Skip(reason);
  const { tf } = tfjs;
  await tf.setBackend(backendName(impl));
  const made = make(tf);
  return {
    async run(reps) {
      await tf.setBackend(backendName(impl));
      return timeSync(made.work, reps);
    },
    async dispose() {
      await tf.setBackend(backendName(impl));
      made.dispose();
    },
  };
}

export function tfjsGemm(n: number): (tf: Tf) => { work: () => void; dispose: () => void } {
  return (tf) => {
    const a = tf.tensor2d(uniformArray(n * n, 1), [n, n]);
    const b = tf.tensor2d(uniformArray(n * n, 2), [n, n]);
    return { work: () => tf.matMul(a, b).dispose(), dispose: () => tf.dispose([a, b]) };
  };
}

interface Dense { w: import('@tensorflow/tfjs').Variable; b: import('@tensorflow/tfjs').Variable }

function dense(tf: Tf, inputs: number, outputs: number): Dense {
  const bound = 1 / Math.sqrt(inputs);
  return { w: tf.variable(tf.randomUniform([inputs, outputs], -bound, bound)), b: tf.variable(tf.zeros([outputs])) };
}

/** One Adam training step per unit: forward, softmax cross-entropy, backward, update. */
function trainer(tf: Tf, vars: import('@tensorflow/tfjs').Variable[], forward: () => import('@tensorflow/tfjs').Tensor): { work: () => void; dispose: () => void } {
  const labels = tf.oneHot(tf.tensor1d(benchLabels(BATCH), 'int32'), 10);
  const opt = tf.train.adam(1e-3);
  const loss = (): import('@tensorflow/tfjs').Scalar => tf.losses.softmaxCrossEntropy(labels, forward()) as import('@tensorflow/tfjs').Scalar;
  return {
    work: () => {
      opt.minimize(loss, false, vars);
    },
    dispose: () => {
      opt.dispose();
      tf.dispose([labels, ...vars]);
    },
  };
}

/** The MLP 784-1000-500-100-10 with ReLU, one Adam step on a batch of 128. */
export function tfjsMlp(tf: Tf): { work: () => void; dispose: () => void } {
  const layers = MLP_SIZES.slice(1).map((out, i) => dense(tf, MLP_SIZES[i]!, out));
  const x = tf.tensor2d(benchFeatures(BATCH * 784), [BATCH, 784]);
  const t = trainer(tf, layers.flatMap((l) => [l.w, l.b]), () => {
    let h: import('@tensorflow/tfjs').Tensor2D = x;
    layers.forEach((l, i) => {
      h = tf.add(tf.matMul(h, l.w), l.b);
      if (i + 1 < layers.length) h = tf.relu(h);
    });
    return h;
  });
  return { work: t.work, dispose: () => { t.dispose(); x.dispose(); } };
}

/** DeepOBS fmnist_2c2d (NHWC), one Adam step on a batch of 128. */
export function tfjsCnn(tf: Tf): { work: () => void; dispose: () => void } {
  const conv = (inC: number, outC: number): Dense => {
    const bound = 1 / Math.sqrt(inC * 25);
    return { w: tf.variable(tf.randomUniform([5, 5, inC, outC], -bound, bound)), b: tf.variable(tf.zeros([outC])) };
  };
  const c1 = conv(1, 32), c2 = conv(32, 64), d1 = dense(tf, 7 * 7 * 64, 1024), d2 = dense(tf, 1024, 10);
  const x = tf.tensor4d(benchFeatures(BATCH * 784), [BATCH, 28, 28, 1]);
  const t = trainer(tf, [c1, c2, d1, d2].flatMap((l) => [l.w, l.b]), () => {
    let h: import('@tensorflow/tfjs').Tensor4D = x;
    for (const c of [c1, c2]) {
      const z = tf.relu(tf.add(tf.conv2d(h, c.w as import('@tensorflow/tfjs').Tensor4D, 1, 'same'), c.b)) as import('@tensorflow/tfjs').Tensor4D;
      h = tf.maxPool(z, 2, 2, 'valid');
    }
    const flat = tf.reshape(h, [BATCH, 7 * 7 * 64]) as import('@tensorflow/tfjs').Tensor2D;
    return tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(flat, d1.w), d1.b)), d2.w), d2.b);
  });
  return { work: t.work, dispose: () => { t.dispose(); x.dispose(); } };
}

/** One optimizer step (Adam, or SGD with momentum 0.9) on `n` parameters with a fixed gradient. */
export function tfjsOptimizerStep(kind: 'adam' | 'sgdm', n: number): (tf: Tf) => { work: () => void; dispose: () => void } {
  return (tf) => {
    const v = tf.variable(tf.tensor1d(uniformArray(n, 3)));
    const g = tf.tensor1d(uniformArray(n, 4));
    const opt = kind === 'adam' ? tf.train.adam(1e-3) : tf.train.momentum(1e-3, 0.9);
    return {
      work: () => opt.applyGradients([{ name: v.name, tensor: g }]),
      dispose: () => {
        opt.dispose();
        tf.dispose([v, g]);
      },
    };
  };
}

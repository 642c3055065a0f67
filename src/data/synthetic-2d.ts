/**
 * Seeded 2-D classification sets for plots and quick experiments: x is [n, 2] row-major, y the
 * class labels. Example i belongs to class i mod classes, so every class has floor(n / classes)
 * or one more examples and any prefix of the set is balanced. `noise` is the standard deviation
 * of Gaussian noise added to each coordinate (for `makeGaussians`, the blobs' standard deviation).
 *
 *   spiral   class k of K: t ~ U(0, 1), radius t, angle 2 pi k / K + 2.5 pi t (1.25 turns)
 *   moons    class 0: (cos pi t, sin pi t); class 1: (1 - cos pi t, 0.5 - sin pi t); t ~ U(0, 1)
 *   circles  angle ~ U(0, 2 pi); class 0 on the unit circle, class 1 on the circle of radius `factor`
 *   xor      point ~ U(-1, 1)^2, class 1 when x0 * x1 < 0 (labels from the point before noise)
 *   gaussians  class 0 around (-1, -1), class 1 around (1, 1)
 */
import { type DType, allocate, checkDType } from '../core/dtype.js';
import { ValueError, show } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { checkInteger, checkInRange, checkNonNegative } from '../core/validate.js';
import type { Dataset } from './dataset.js';
import { type RandomSource, rngFrom } from './random-source.js';

export interface Synthetic2dOptions extends RandomSource {
  /** Number of examples, >= 1. */
  samples: number;
  /** Standard deviation of the Gaussian noise on each coordinate. */
  noise?: number;
  dtype?: DType;
}

export interface SpiralOptions extends Synthetic2dOptions {
  /** Number of arms (classes), default 3. */
  classes?: number;
}

export interface CirclesOptions extends Synthetic2dOptions {
  /** Radius of the inner circle (class 1), in (0, 1); default 0.5. */
  factor?: number;
}

type Point = (cls: number, rng: Rng) => [number, number];

function make2d(where: string, options: Synthetic2dOptions, classes: number, defaultNoise: number, point: Point): Dataset {
  if (options === null || typeof options !== 'object') throw new ValueError(`${where}: invalid options ${show(options)}, expected {samples, noise?, seed? | rng?, dtype?}`);
  const n = checkInteger(options.samples, `${where} samples`, 1);
  const noise = checkNonNegative(options.noise ?? defaultNoise, `${where} noise`);
  const dtype = checkDType(options.dtype ?? 'float32', where);
  const rng = rngFrom(options, where);
  const x = allocate(dtype, 2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const cls = i % classes;
    const [a, b] = point(cls, rng);
    x[2 * i] = noise > 0 ? a + rng.normal(0, noise) : a;
    x[2 * i + 1] = noise > 0 ? b + rng.normal(0, noise) : b;
    y[i] = cls;
  }
  return { x, y, n, featureShape: [2], classes };
}

export function makeSpiral(options: SpiralOptions): Dataset {
  const classes = checkInteger(options?.classes ?? 3, 'makeSpiral classes', 2);
  return make2d('makeSpiral', options, classes, 0.05, (k, rng) => {
    const t = rng.random();
    const angle = (2 * Math.PI * k) / classes + 2.5 * Math.PI * t;
    return [t * Math.cos(angle), t * Math.sin(angle)];
  });
}

export function makeMoons(options: Synthetic2dOptions): Dataset {
  return make2d('makeMoons', options, 2, 0.1, (k, rng) => {
    const a = Math.PI * rng.random();
    return k === 0 ? [Math.cos(a), Math.sin(a)] : [1 - Math.cos(a), 0.5 - Math.sin(a)];
  });
}

export function makeCircles(options: CirclesOptions): Dataset {
  const factor = checkInRange(options?.factor ?? 0.5, 'makeCircles factor', 0, 1);
  if (factor === 0) throw new ValueError(`Invalid makeCircles factor: 0, expected 0 < factor < 1`);
  return make2d('makeCircles', options, 2, 0.05, (k, rng) => {
    const a = 2 * Math.PI * rng.random();
    const r = k === 0 ? 1 : factor;
    return [r * Math.cos(a), r * Math.sin(a)];
  });
}

export function makeXor(options: Synthetic2dOptions): Dataset {
  // Draw points until one lands in a quadrant of the wanted class (on average 2 draws).
  return make2d('makeXor', options, 2, 0, (k, rng) => {
    for (;;) {
      const a = rng.uniform(-1, 1);
      const b = rng.uniform(-1, 1);
      if (a * b !== 0 && (a * b < 0 ? 1 : 0) === k) return [a, b];
    }
  });
}

export function makeGaussians(options: Synthetic2dOptions): Dataset {
  return make2d('makeGaussians', options, 2, 0.5, (k) => (k === 0 ? [-1, -1] : [1, 1]));
}

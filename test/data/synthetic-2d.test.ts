import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { makeSpiral, makeMoons, makeCircles, makeXor, makeGaussians } from '../../src/data/synthetic-2d.js';
import type { Dataset } from '../../src/data/dataset.js';

const makers = { makeSpiral, makeMoons, makeCircles, makeXor, makeGaussians } as const;

function classCounts(d: Dataset): number[] {
  const counts = new Array(d.classes).fill(0);
  for (const label of d.y) counts[label]++;
  return counts;
}

describe('2-D synthetic sets', () => {
  for (const [name, make] of Object.entries(makers)) {
    test(`${name}: shapes, determinism, balance`, () => {
      const a = make({ samples: 101, seed: 7 });
      const b = make({ samples: 101, seed: 7 });
      const c = make({ samples: 101, seed: 8 });
      assert.equal(a.n, 101);
      assert.deepEqual(a.featureShape, [2]);
      assert.ok(a.x instanceof Float32Array && a.x.length === 202);
      assert.ok(a.y instanceof Int32Array && a.y.length === 101);
      assert.deepEqual(a.x, b.x);
      assert.deepEqual(a.y, b.y);
      assert.notDeepEqual(a.x, c.x);
      assert.ok(a.x.every(Number.isFinite));
      const counts = classCounts(a);
      assert.equal(counts.length, name === 'makeSpiral' ? 3 : 2);
      assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `counts ${counts}`);
      // an rng gives the same set as its seed, and is advanced
      const rng = new Rng(7);
      assert.deepEqual(make({ samples: 101, rng }).x, a.x);
      assert.notDeepEqual(make({ samples: 101, rng }).x, a.x);
      assert.ok(make({ samples: 5, seed: 1, dtype: 'float64' }).x instanceof Float64Array);
    });

    test(`${name}: validates options`, () => {
      assert.throws(() => make({ samples: 0 }), /samples: 0, expected an integer >= 1/);
      assert.throws(() => make({ samples: 2.5 }), /samples: 2.5/);
      assert.throws(() => make({ samples: 3, noise: -1 }), /noise: -1, expected .* >= 0/);
      assert.throws(() => make({ samples: 3, seed: -2 }), /seed: -2/);
      assert.throws(() => make({ samples: 3, seed: 1, rng: new Rng(1) }), /both seed 1 and rng/);
      assert.throws(() => make({ samples: 3, dtype: 'int8' as 'float32' }), /invalid dtype "int8"/);
    });
  }

  test('spiral: classes option; radius within [0, 1] without noise', () => {
    const d = makeSpiral({ samples: 200, classes: 5, noise: 0, seed: 1 });
    assert.equal(d.classes, 5);
    assert.deepEqual(classCounts(d), [40, 40, 40, 40, 40]);
    for (let i = 0; i < d.n; i++) assert.ok(Math.hypot(d.x[2 * i]!, d.x[2 * i + 1]!) <= 1 + 1e-6);
    assert.throws(() => makeSpiral({ samples: 10, classes: 1 }), /classes: 1, expected an integer >= 2/);
  });

  test('moons without noise lie on their half circles', () => {
    const d = makeMoons({ samples: 100, noise: 0, seed: 2 });
    for (let i = 0; i < d.n; i++) {
      const [a, b] = [d.x[2 * i]!, d.x[2 * i + 1]!];
      const r = d.y[i] === 0 ? Math.hypot(a, b) : Math.hypot(a - 1, b - 0.5);
      assert.ok(Math.abs(r - 1) < 1e-5);
      assert.ok(d.y[i] === 0 ? b >= -1e-6 : b <= 0.5 + 1e-6);
    }
  });

  test('circles without noise: radius 1 for class 0, factor for class 1', () => {
    const d = makeCircles({ samples: 50, noise: 0, factor: 0.3, seed: 3 });
    for (let i = 0; i < d.n; i++) {
      assert.ok(Math.abs(Math.hypot(d.x[2 * i]!, d.x[2 * i + 1]!) - (d.y[i] === 0 ? 1 : 0.3)) < 1e-5);
    }
    assert.throws(() => makeCircles({ samples: 5, factor: 1 }), /factor: 1, expected 0 <= .* < 1/);
    assert.throws(() => makeCircles({ samples: 5, factor: 0 }), /factor: 0/);
  });

  test('xor without noise: label 1 exactly when the coordinates differ in sign', () => {
    const d = makeXor({ samples: 200, seed: 4 });
    for (let i = 0; i < d.n; i++) assert.equal(d.y[i], d.x[2 * i]! * d.x[2 * i + 1]! < 0 ? 1 : 0);
  });

  test('gaussians: class means near (-1, -1) and (1, 1)', () => {
    const d = makeGaussians({ samples: 2000, noise: 0.5, seed: 5 });
    const sums = [[0, 0], [0, 0]];
    for (let i = 0; i < d.n; i++) { sums[d.y[i]!]![0]! += d.x[2 * i]!; sums[d.y[i]!]![1]! += d.x[2 * i + 1]!; }
    // standard error of each mean: 0.5 / sqrt(1000) = 0.016
    for (const [k, center] of [[0, -1], [1, 1]] as const) {
      for (const s of sums[k]!) assert.ok(Math.abs(s / 1000 - center) < 0.08, `class ${k} mean ${s / 1000}`);
    }
  });
});

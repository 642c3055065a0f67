import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeSparseLogistic, zipfFeatureProbability } from '../../src/data/sparse-logistic.js';

test('shapes, seeded determinism, weights of +-2', () => {
  const a = makeSparseLogistic({ samples: 50, features: 20, seed: 3 });
  const b = makeSparseLogistic({ samples: 50, features: 20, seed: 3 });
  const c = makeSparseLogistic({ samples: 50, features: 20, seed: 4 });
  assert.equal(a.n, 50);
  assert.deepEqual(a.featureShape, [20]);
  assert.equal(a.classes, 2);
  assert.ok(a.x instanceof Float32Array && a.x.length === 1000);
  assert.deepEqual(a.x, b.x);
  assert.deepEqual(a.y, b.y);
  assert.deepEqual(a.trueWeights, b.trueWeights);
  assert.notDeepEqual(a.x, c.x);
  assert.ok(a.trueWeights.every((w) => w === 2 || w === -2));
  assert.ok(a.trueWeights.some((w) => w === 2) && a.trueWeights.some((w) => w === -2));
  assert.ok(a.y.every((l) => l === 0 || l === 1));
  assert.equal(makeSparseLogistic({ samples: 2, seed: 1 }).featureShape[0], 500);
});

test('CSR holds exactly the ones of the dense x', () => {
  const d = makeSparseLogistic({ samples: 200, features: 30, seed: 5, dtype: 'float64' });
  assert.ok(d.x instanceof Float64Array);
  const { indptr, indices } = d.csr;
  assert.equal(indptr.length, 201);
  assert.equal(indptr[0], 0);
  assert.equal(indptr[200], indices.length);
  let ones = 0;
  for (const v of d.x) { assert.ok(v === 0 || v === 1); ones += v; }
  assert.equal(ones, indices.length);
  for (let i = 0; i < d.n; i++) {
    for (let k = indptr[i]!; k < indptr[i + 1]!; k++) {
      assert.equal(d.x[i * 30 + indices[k]!], 1);
      if (k > indptr[i]!) assert.ok(indices[k]! > indices[k - 1]!, 'sorted within a row');
    }
  }
});

test('feature frequencies match min(0.5, 0.5 / j)', () => {
  const n = 8000, d = 40;
  const data = makeSparseLogistic({ samples: n, features: d, seed: 11 });
  const counts = new Float64Array(d);
  for (const j of data.csr.indices) counts[j]!++;
  for (let j = 0; j < d; j++) {
    const p = zipfFeatureProbability(j + 1);
    const sigma = Math.sqrt((p * (1 - p)) / n);
    const freq = counts[j]! / n;
    assert.ok(Math.abs(freq - p) < 5 * sigma, `feature ${j + 1}: frequency ${freq}, expected ${p} +- ${5 * sigma}`);
  }
  assert.equal(zipfFeatureProbability(1), 0.5);
  assert.equal(zipfFeatureProbability(4), 0.125);
});

test('labels follow the logistic model of the true weights', () => {
  const n = 6000;
  const data = makeSparseLogistic({ samples: n, features: 50, seed: 12 });
  // Compare the mean label with the mean model probability, and check the labels agree with the
  // sign of w.x far more often than chance.
  let meanP = 0, meanY = 0, agree = 0, decided = 0;
  for (let i = 0; i < n; i++) {
    let z = 0;
    for (let k = data.csr.indptr[i]!; k < data.csr.indptr[i + 1]!; k++) z += data.trueWeights[data.csr.indices[k]!]!;
    const p = 1 / (1 + Math.exp(-z));
    meanP += p / n;
    meanY += data.y[i]! / n;
    if (z !== 0) { decided++; if ((z > 0 ? 1 : 0) === data.y[i]) agree++; }
  }
  assert.ok(Math.abs(meanP - meanY) < 0.03, `mean label ${meanY}, mean probability ${meanP}`);
  assert.ok(agree / decided > 0.75, `agreement ${agree / decided}`);
});

test('validates options', () => {
  assert.throws(() => makeSparseLogistic({ samples: 0 }), /samples: 0, expected an integer >= 1/);
  assert.throws(() => makeSparseLogistic({ samples: 5, features: 0 }), /features: 0, expected an integer >= 1/);
});

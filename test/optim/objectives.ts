/**
 * The oracle's objectives (FORMAT.md, kind `function`) in plain float64 math:
 * `objective(fn)(params)` returns the loss and writes each parameter's gradient into
 * `p.grad` (rounded to the parameter's dtype).
 */
import type { Parameter } from '../../src/core/param.js';

export type Objective = (params: Parameter[]) => number;

function gradBuffer(p: Parameter): Float32Array | Float64Array {
  if (p.grad === null || p.grad.length !== p.data.length) p.grad = p.data instanceof Float64Array ? new Float64Array(p.data.length) : new Float32Array(p.data.length);
  return p.grad;
}

export function rosenbrock(a: number, b: number): Objective {
  return ([p]) => {
    const x = p!.data[0]!;
    const y = p!.data[1]!;
    const r = y - x * x;
    const g = gradBuffer(p!);
    g[0] = -2 * (a - x) - 4 * b * x * r;
    g[1] = 2 * b * r;
    return (a - x) * (a - x) + b * r * r;
  };
}

export const beale: Objective = ([p]) => {
  const x = p!.data[0]!;
  const y = p!.data[1]!;
  const t1 = 1.5 - x + x * y;
  const t2 = 2.25 - x + x * y * y;
  const t3 = 2.625 - x + x * y * y * y;
  const g = gradBuffer(p!);
  g[0] = 2 * t1 * (y - 1) + 2 * t2 * (y * y - 1) + 2 * t3 * (y * y * y - 1);
  g[1] = 2 * t1 * x + 2 * t2 * 2 * x * y + 2 * t3 * 3 * x * y * y;
  return t1 * t1 + t2 * t2 + t3 * t3;
};

/** f = 0.5 x^T A x - b^T x, grad = A x - b; A is n x n row-major. */
export function quadratic(A: ArrayLike<number>, b: ArrayLike<number>): Objective {
  const n = b.length;
  return ([p]) => {
    const x = p!.data;
    const g = gradBuffer(p!);
    let f = 0;
    for (let i = 0; i < n; i++) {
      let ax = 0;
      for (let j = 0; j < n; j++) ax += A[i * n + j]! * x[j]!;
      f += 0.5 * x[i]! * ax - b[i]! * x[i]!;
      g[i] = ax - b[i]!;
    }
    return f;
  };
}

/**
 * 2-layer tanh MLP with mean softmax cross-entropy; params W1 [h,in], b1 [h], W2 [out,h], b2 [out]
 * (torch Linear convention). X is samples x in (row-major), y integer labels.
 */
export function mlp(X: ArrayLike<number>, y: readonly number[], nIn: number, nHidden: number, nOut: number): Objective {
  const N = y.length;
  const H = new Float64Array(N * nHidden);
  const dZ = new Float64Array(N * nOut);
  const dA = new Float64Array(N * nHidden);
  return ([W1, b1, W2, b2]) => {
    const w1 = W1!.data, c1 = b1!.data, w2 = W2!.data, c2 = b2!.data;
    let loss = 0;
    for (let s = 0; s < N; s++) {
      for (let j = 0; j < nHidden; j++) {
        let a = c1[j]!;
        for (let k = 0; k < nIn; k++) a += X[s * nIn + k]! * w1[j * nIn + k]!;
        H[s * nHidden + j] = Math.tanh(a);
      }
      let zmax = -Infinity;
      const z = new Float64Array(nOut);
      for (let o = 0; o < nOut; o++) {
        let v = c2[o]!;
        for (let j = 0; j < nHidden; j++) v += H[s * nHidden + j]! * w2[o * nHidden + j]!;
        z[o] = v;
        if (v > zmax) zmax = v;
      }
      let sum = 0;
      for (let o = 0; o < nOut; o++) sum += Math.exp(z[o]! - zmax);
      const lse = zmax + Math.log(sum);
      loss += lse - z[y[s]!]!;
      for (let o = 0; o < nOut; o++) dZ[s * nOut + o] = (Math.exp(z[o]! - lse) - (o === y[s] ? 1 : 0)) / N;
    }
    const gW1 = gradBuffer(W1!), gb1 = gradBuffer(b1!), gW2 = gradBuffer(W2!), gb2 = gradBuffer(b2!);
    for (let o = 0; o < nOut; o++) {
      let sb = 0;
      for (let s = 0; s < N; s++) sb += dZ[s * nOut + o]!;
      gb2[o] = sb;
      for (let j = 0; j < nHidden; j++) {
        let sw = 0;
        for (let s = 0; s < N; s++) sw += dZ[s * nOut + o]! * H[s * nHidden + j]!;
        gW2[o * nHidden + j] = sw;
      }
    }
    for (let s = 0; s < N; s++) {
      for (let j = 0; j < nHidden; j++) {
        let dh = 0;
        for (let o = 0; o < nOut; o++) dh += dZ[s * nOut + o]! * w2[o * nHidden + j]!;
        const h = H[s * nHidden + j]!;
        dA[s * nHidden + j] = dh * (1 - h * h);
      }
    }
    for (let j = 0; j < nHidden; j++) {
      let sb = 0;
      for (let s = 0; s < N; s++) sb += dA[s * nHidden + j]!;
      gb1[j] = sb;
      for (let k = 0; k < nIn; k++) {
        let sw = 0;
        for (let s = 0; s < N; s++) sw += dA[s * nHidden + j]! * X[s * nIn + k]!;
        gW1[j * nIn + k] = sw;
      }
    }
    return loss / N;
  };
}

/** The objective a fixture case describes. */
export function fixtureObjective(fn: any): Objective {
  switch (fn.name) {
    case 'rosenbrock':
      return rosenbrock(fn.a, fn.b);
    case 'beale':
      return beale;
    case 'quadratic':
      return quadratic(fn.A.data, fn.b.data);
    case 'mlp':
      return mlp(fn.X.data, fn.y, fn.layers[0], fn.layers[1], fn.layers[2]);
    default:
      throw new Error(`unknown fixture function ${fn.name}`);
  }
}

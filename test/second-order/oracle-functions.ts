/**
 * The oracle's objective functions (FORMAT.md, kind `function`) in plain Float64Array math:
 * `lossAndGrad(params)` returns the loss and fills each parameter's `.grad`.
 */
import type { Parameter } from '../../src/core/param.js';
import { toF64 } from '../helpers/oracle.js';

export type LossAndGrad = (params: Parameter[]) => number;

function gradOf(p: Parameter): Float64Array {
  if (!(p.grad instanceof Float64Array) || p.grad.length !== p.data.length) p.grad = new Float64Array(p.data.length);
  return p.grad as Float64Array;
}

export function oracleFunction(fn: any): LossAndGrad {
  switch (fn.name) {
    case 'rosenbrock': {
      const a: number = fn.a;
      const b: number = fn.b;
      return ([p]) => {
        const [x, y] = [p!.data[0]!, p!.data[1]!];
        const r = y - x * x;
        const g = gradOf(p!);
        g[0] = -2 * (a - x) - 4 * b * x * r;
        g[1] = 2 * b * r;
        return (a - x) ** 2 + b * r * r;
      };
    }
    case 'beale': {
      return ([p]) => {
        const [x, y] = [p!.data[0]!, p!.data[1]!];
        const t1 = 1.5 - x + x * y;
        const t2 = 2.25 - x + x * y * y;
        const t3 = 2.625 - x + x * y * y * y;
        const g = gradOf(p!);
        g[0] = 2 * t1 * (y - 1) + 2 * t2 * (y * y - 1) + 2 * t3 * (y * y * y - 1);
        g[1] = 2 * t1 * x + 2 * t2 * 2 * x * y + 2 * t3 * 3 * x * y * y;
        return t1 * t1 + t2 * t2 + t3 * t3;
      };
    }
    case 'quadratic': {
      const A = toF64(fn.A);
      const bv = toF64(fn.b);
      const n = bv.length;
      return ([p]) => {
        const x = p!.data;
        const g = gradOf(p!);
        let f = 0;
        for (let i = 0; i < n; i++) {
          let ax = 0;
          for (let j = 0; j < n; j++) ax += A[i * n + j]! * x[j]!;
          g[i] = ax - bv[i]!;
          f += 0.5 * x[i]! * ax - bv[i]! * x[i]!;
        }
        return f;
      };
    }
    case 'mlp': {
      const X = toF64(fn.X);
      const labels: number[] = fn.y;
      const [nIn, nHid, nOut] = fn.layers as [number, number, number];
      const N = labels.length;
      return ([W1, b1, W2, b2]) => {
        const gW1 = gradOf(W1!).fill(0), gb1 = gradOf(b1!).fill(0), gW2 = gradOf(W2!).fill(0), gb2 = gradOf(b2!).fill(0);
        const h = new Float64Array(nHid), z = new Float64Array(nOut), dz = new Float64Array(nOut), dh = new Float64Array(nHid);
        let loss = 0;
        for (let s = 0; s < N; s++) {
          for (let j = 0; j < nHid; j++) {
            let a = b1!.data[j]!;
            for (let k = 0; k < nIn; k++) a += X[s * nIn + k]! * W1!.data[j * nIn + k]!;
            h[j] = Math.tanh(a);
          }
          let zMax = -Infinity;
          for (let o = 0; o < nOut; o++) {
            let v = b2!.data[o]!;
            for (let j = 0; j < nHid; j++) v += h[j]! * W2!.data[o * nHid + j]!;
            z[o] = v;
            zMax = Math.max(zMax, v);
          }
          let sum = 0;
          for (let o = 0; o < nOut; o++) sum += Math.exp(z[o]! - zMax);
          const lse = zMax + Math.log(sum);
          loss += lse - z[labels[s]!]!;
          for (let o = 0; o < nOut; o++) dz[o] = (Math.exp(z[o]! - lse) - (o === labels[s] ? 1 : 0)) / N;
          dh.fill(0);
          for (let o = 0; o < nOut; o++) {
            gb2[o] = gb2[o]! + dz[o]!;
            for (let j = 0; j < nHid; j++) {
              gW2[o * nHid + j] = gW2[o * nHid + j]! + dz[o]! * h[j]!;
              dh[j] = dh[j]! + dz[o]! * W2!.data[o * nHid + j]!;
            }
          }
          for (let j = 0; j < nHid; j++) {
            const da = dh[j]! * (1 - h[j]! * h[j]!);
            gb1[j] = gb1[j]! + da;
            for (let k = 0; k < nIn; k++) gW1[j * nIn + k] = gW1[j * nIn + k]! + da * X[s * nIn + k]!;
          }
        }
        return loss / N;
      };
    }
    default:
      throw new Error(`unknown oracle function ${fn.name}`);
  }
}

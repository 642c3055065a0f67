/** Reference reductions over the middle axis of an [outer, size, inner] view. */
import type { FloatArray } from '../../core/dtype.js';
import { ValueError } from '../../core/errors.js';
import { checkCount, checkSpan } from './check.js';

function checkAxis(kernel: string, outer: number, size: number, inner: number, x: ArrayLike<number>, xo: number, out: ArrayLike<number>, oo: number, outPerRow: number): void {
  checkCount(kernel, 'outer', outer);
  checkCount(kernel, 'size', size);
  checkCount(kernel, 'inner', inner);
  checkSpan(kernel, 'x', x, xo, outer * size * inner);
  checkSpan(kernel, 'out', out, oo, outer * outPerRow * inner);
}

export function sumAxis(outer: number, size: number, inner: number, x: FloatArray, xo: number, out: FloatArray, oo: number): void {
  checkAxis('sumAxis', outer, size, inner, x, xo, out, oo, 1);
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      let s = 0;
      const base = xo + o * size;
      for (let k = 0; k < size; k++) s += x[base + k]!;
      out[oo + o] = s;
    }
    return;
  }
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    for (let k = 0; k < size; k++) {
      const base = xo + (o * size + k) * inner;
      for (let i = 0; i < inner; i++) acc[i] += x[base + i]!;
    }
    const ob = oo + o * inner;
    for (let i = 0; i < inner; i++) out[ob + i] = acc[i]!;
  }
}

export function logSumExpAxis(outer: number, size: number, inner: number, x: FloatArray, xo: number, out: FloatArray, oo: number): void {
  checkAxis('logSumExpAxis', outer, size, inner, x, xo, out, oo, 1);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = xo + o * size * inner + i;
      let m = -Infinity;
      for (let k = 0; k < size; k++) {
        const v = x[base + k * inner]!;
        if (v > m || v !== v) m = v;
        if (m !== m) break;
      }
      if (m !== m || m === Infinity || m === -Infinity) {
        out[oo + o * inner + i] = m;
        continue;
      }
      let s = 0;
      for (let k = 0; k < size; k++) s += Math.exp(x[base + k * inner]! - m);
      out[oo + o * inner + i] = m + Math.log(s);
    }
  }
}

export function logSoftmaxAxis(outer: number, size: number, inner: number, x: FloatArray, xo: number, out: FloatArray, oo: number): void {
  checkAxis('logSoftmaxAxis', outer, size, inner, x, xo, out, oo, size);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const rel = o * size * inner + i;
      let m = -Infinity;
      for (let k = 0; k < size; k++) {
        const v = x[xo + rel + k * inner]!;
        if (v > m || v !== v) m = v;
        if (m !== m) break;
      }
      if (m === -Infinity || m === Infinity) m = 0; // all -inf (gives NaN like torch) or some +inf
      let s = 0;
      for (let k = 0; k < size; k++) s += Math.exp(x[xo + rel + k * inner]! - m);
      const ls = Math.log(s);
      for (let k = 0; k < size; k++) out[oo + rel + k * inner] = x[xo + rel + k * inner]! - m - ls;
    }
  }
}

export function argmaxAxis(outer: number, size: number, inner: number, x: FloatArray, xo: number, index: Int32Array, io: number): void {
  checkAxis('argmaxAxis', outer, size, inner, x, xo, index, io, 1);
  if (size === 0 && outer * inner > 0) throw new ValueError(`argmaxAxis: size 0, expected at least one element per slice`);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const rel = o * size * inner + i;
      let best = rel;
      let m = x[xo + rel]!;
      if (m === m) {
        for (let k = 1; k < size; k++) {
          const v = x[xo + rel + k * inner]!;
          if (v > m || v !== v) {
            m = v;
            best = rel + k * inner;
            if (v !== v) break;
          }
        }
      }
      index[io + o * inner + i] = best;
    }
  }
}

export function gather(n: number, x: FloatArray, xo: number, index: Int32Array, io: number, out: FloatArray, oo: number): void {
  checkCount('gather', 'n', n);
  checkSpan('gather', 'index', index, io, n);
  checkSpan('gather', 'out', out, oo, n);
  checkSpan('gather', 'x', x, xo, 0);
  for (let j = 0; j < n; j++) out[oo + j] = x[xo + index[io + j]!]!;
}

export function scatterAdd(n: number, src: FloatArray, so: number, index: Int32Array, io: number, out: FloatArray, oo: number): void {
  checkCount('scatterAdd', 'n', n);
  checkSpan('scatterAdd', 'src', src, so, n);
  checkSpan('scatterAdd', 'index', index, io, n);
  checkSpan('scatterAdd', 'out', out, oo, 0);
  for (let j = 0; j < n; j++) out[oo + index[io + j]!] += src[so + j]!;
}

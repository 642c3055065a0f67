/** Reference elementwise kernels: unary ops, broadcasting binary ops, strided copies. */
import type { FloatArray } from '../../core/dtype.js';
import type { BinaryOp, UnaryOp } from '../backend.js';
import { checkCount, checkSpan, checkStrided } from './check.js';

export function unary(op: UnaryOp, n: number, x: FloatArray, xo: number, out: FloatArray, oo: number, p0: number, p1: number): void {
  checkCount('unary', 'n', n);
  checkSpan('unary', 'x', x, xo, n);
  checkSpan('unary', 'out', out, oo, n);
  switch (op) {
    case 'neg': for (let i = 0; i < n; i++) out[oo + i] = -x[xo + i]!; return;
    case 'exp': for (let i = 0; i < n; i++) out[oo + i] = Math.exp(x[xo + i]!); return;
    case 'log': for (let i = 0; i < n; i++) out[oo + i] = Math.log(x[xo + i]!); return;
    case 'sqrt': for (let i = 0; i < n; i++) out[oo + i] = Math.sqrt(x[xo + i]!); return;
    case 'tanh': for (let i = 0; i < n; i++) out[oo + i] = Math.tanh(x[xo + i]!); return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        // Stable on both tails: never exponentiates a large positive number.
        if (v >= 0) out[oo + i] = 1 / (1 + Math.exp(-v));
        else {
          const e = Math.exp(v);
          out[oo + i] = e / (1 + e);
        }
      }
      return;
    case 'relu': for (let i = 0; i < n; i++) { const v = x[xo + i]!; out[oo + i] = v > 0 ? v : (v === v ? 0 : v); } return;
    case 'abs': for (let i = 0; i < n; i++) out[oo + i] = Math.abs(x[xo + i]!); return;
    case 'square': for (let i = 0; i < n; i++) { const v = x[xo + i]!; out[oo + i] = v * v; } return;
    case 'sign': for (let i = 0; i < n; i++) { const v = x[xo + i]!; out[oo + i] = v > 0 ? 1 : v < 0 ? -1 : v; } return;
    case 'reciprocal': for (let i = 0; i < n; i++) out[oo + i] = 1 / x[xo + i]!; return;
    case 'pow':
      if (p0 === 2) for (let i = 0; i < n; i++) { const v = x[xo + i]!; out[oo + i] = v * v; }
      else if (p0 === 1) for (let i = 0; i < n; i++) out[oo + i] = x[xo + i]!;
      else for (let i = 0; i < n; i++) out[oo + i] = Math.pow(x[xo + i]!, p0);
      return;
    case 'scale': for (let i = 0; i < n; i++) out[oo + i] = p0 * x[xo + i]!; return;
    case 'addScalar': for (let i = 0; i < n; i++) out[oo + i] = x[xo + i]! + p0; return;
    case 'clamp':
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        out[oo + i] = v < p0 ? p0 : v > p1 ? p1 : v;
      }
      return;
    case 'stepGt': for (let i = 0; i < n; i++) out[oo + i] = x[xo + i]! > p0 ? 1 : 0; return;
    case 'inRange': for (let i = 0; i < n; i++) { const v = x[xo + i]!; out[oo + i] = v >= p0 && v <= p1 ? 1 : 0; } return;
    default: throw new Error(`unary: unknown op ${JSON.stringify(op)}`);
  }
}

/** One run of a binary op along a line: out[oo + i] = a[ai + i sa] ∘ b[bi + i sb]. */
function binaryRun(op: BinaryOp, n: number, a: FloatArray, ai: number, sa: number, b: FloatArray, bi: number, sb: number, out: FloatArray, oo: number): void {
  switch (op) {
    case 'add': for (let i = 0; i < n; i++) out[oo + i] = a[ai + i * sa]! + b[bi + i * sb]!; return;
    case 'sub': for (let i = 0; i < n; i++) out[oo + i] = a[ai + i * sa]! - b[bi + i * sb]!; return;
    case 'mul': for (let i = 0; i < n; i++) out[oo + i] = a[ai + i * sa]! * b[bi + i * sb]!; return;
    case 'div': for (let i = 0; i < n; i++) out[oo + i] = a[ai + i * sa]! / b[bi + i * sb]!; return;
    case 'maximum':
      for (let i = 0; i < n; i++) {
        const u = a[ai + i * sa]!, v = b[bi + i * sb]!;
        out[oo + i] = u !== u || v !== v ? NaN : u >= v ? u : v;
      }
      return;
    case 'minimum':
      for (let i = 0; i < n; i++) {
        const u = a[ai + i * sa]!, v = b[bi + i * sb]!;
        out[oo + i] = u !== u || v !== v ? NaN : u <= v ? u : v;
      }
      return;
    default: throw new Error(`binary: unknown op ${JSON.stringify(op)}`);
  }
}

/** Merges adjacent dims that every operand walks contiguously; returns [shape, ...strides]. */
export function collapse(ndim: number, shape: ArrayLike<number>, strides: ArrayLike<number>[]): [number[], number[][]] {
  const sh: number[] = [];
  const st: number[][] = strides.map(() => []);
  for (let d = 0; d < ndim; d++) {
    const size = shape[d]!;
    if (size === 1) continue;
    const last = sh.length - 1;
    if (last >= 0 && strides.every((s, k) => st[k]![last] === s[d]! * size)) {
      sh[last] = sh[last]! * size;
      strides.forEach((s, k) => { st[k]![last] = s[d]!; });
    } else {
      sh.push(size);
      strides.forEach((s, k) => st[k]!.push(s[d]!));
    }
  }
  return [sh, st];
}

function numel(ndim: number, shape: ArrayLike<number>): number {
  let n = 1;
  for (let d = 0; d < ndim; d++) n *= shape[d]!;
  return n;
}

export function binary(
  op: BinaryOp, ndim: number, shape: ArrayLike<number>,
  a: FloatArray, aOffset: number, aStrides: ArrayLike<number>,
  b: FloatArray, bOffset: number, bStrides: ArrayLike<number>,
  out: FloatArray, outOffset: number,
): void {
  checkCount('binary', 'ndim', ndim);
  const total = checkStrided('binary', 'a', a, aOffset, ndim, shape, aStrides);
  checkStrided('binary', 'b', b, bOffset, ndim, shape, bStrides);
  checkSpan('binary', 'out', out, outOffset, total);
  if (total === 0) return;
  const [sh, [sa, sb]] = collapse(ndim, shape, [aStrides, bStrides]) as [number[], [number[], number[]]];
  const nd = sh.length;
  if (nd === 0) {
    binaryRun(op, 1, a, aOffset, 0, b, bOffset, 0, out, outOffset);
    return;
  }
  const inner = sh[nd - 1]!;
  const ia = sa[nd - 1]!, ib = sb[nd - 1]!;
  const outer = numel(nd - 1, sh);
  const idx = new Array<number>(nd).fill(0);
  let pa = aOffset, pb = bOffset, po = outOffset;
  for (let r = 0; r < outer; r++) {
    binaryRun(op, inner, a, pa, ia, b, pb, ib, out, po);
    po += inner;
    // Advance the multi-index over dims nd-2 .. 0.
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]!++;
      pa += sa[d]!;
      pb += sb[d]!;
      if (idx[d]! < sh[d]!) break;
      pa -= sa[d]! * sh[d]!;
      pb -= sb[d]! * sh[d]!;
      idx[d] = 0;
    }
  }
}

export function copyStrided(ndim: number, shape: ArrayLike<number>, x: FloatArray, xOffset: number, xStrides: ArrayLike<number>, out: FloatArray, outOffset: number): void {
  checkCount('copyStrided', 'ndim', ndim);
  const total = checkStrided('copyStrided', 'x', x, xOffset, ndim, shape, xStrides);
  checkSpan('copyStrided', 'out', out, outOffset, total);
  if (total === 0) return;
  const [sh, [sx]] = collapse(ndim, shape, [xStrides]) as [number[], [number[]]];
  const nd = sh.length;
  if (nd === 0) {
    out[outOffset] = x[xOffset]!;
    return;
  }
  const inner = sh[nd - 1]!;
  const ix = sx[nd - 1]!;
  const outer = numel(nd - 1, sh);
  const idx = new Array<number>(nd).fill(0);
  let px = xOffset, po = outOffset;
  for (let r = 0; r < outer; r++) {
    if (ix === 1) for (let i = 0; i < inner; i++) out[po + i] = x[px + i]!;
    else for (let i = 0; i < inner; i++) out[po + i] = x[px + i * ix]!;
    po += inner;
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]!++;
      px += sx[d]!;
      if (idx[d]! < sh[d]!) break;
      px -= sx[d]! * sh[d]!;
      idx[d] = 0;
    }
  }
}

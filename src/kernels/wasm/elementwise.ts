/**
 * Elementwise kernels (unary, binary, sumAxis, copyStrided up to 3-D after merging dims) on the WASM module for Float32Array operands,
 * with the reference backend's signatures and bit-identical results: only the ops whose float32
 * result one IEEE float32 operation reproduces exactly run here (see assembly/elementwise.ts);
 * other ops, scalar parameters that are not float32 values, layouts other than a contiguous or
 * row-broadcast 2-D walk, and Float64Array operands go to `ref`.
 *
 * Operands outside WASM memory are copied into the operand arena, results copied back (a copy
 * costs far less than the JavaScript loop it replaces); arrays from allocate() are used in place.
 */
import type { FloatArray } from '../../core/dtype.js';
import type { Backend, BinaryOp, UnaryOp } from '../backend.js';
import { checkCount, checkSpan, checkStrided } from '../ref/check.js';
import { collapse } from '../ref/elementwise.js';
import { alignUp } from './arena.js';
import type { KernelContext } from './context.js';

const UNARY: Partial<Record<UnaryOp, number>> = {
  neg: 0, abs: 1, square: 2, sqrt: 3, reciprocal: 4, relu: 5, stepGt: 6, scale: 7, addScalar: 8,
};
const BINARY: Partial<Record<BinaryOp, number>> = { add: 0, sub: 1, mul: 2, div: 3 };

export type ElementwiseKernels = Pick<Backend, 'unary' | 'binary' | 'sumAxis' | 'copyStrided'>;

export function makeElementwise(ctx: KernelContext, ref: ElementwiseKernels): ElementwiseKernels {
  const { exports: k, arena } = ctx;

  /** Byte address of x[offset .. offset + count) in WASM memory, copying it in at `cursor` when needed. */
  function place(x: Float32Array, offset: number, count: number, cursor: { at: number }, copyIn: boolean): number {
    const address = arena.addressOf(x);
    if (address >= 0) return address + 4 * offset;
    const ptr = cursor.at;
    cursor.at += alignUp(Math.max(count, 1) * 4);
    const f32 = arena.reserve(cursor.at, 'wasm elementwise');
    if (copyIn && count > 0) f32.set(x.subarray(offset, offset + count), ptr / 4);
    return ptr;
  }

  function copyOut(out: Float32Array, outOffset: number, ptr: number, count: number): void {
    if (arena.addressOf(out) >= 0) return;
    const f32 = arena.reserve(0, 'wasm elementwise');
    out.set(f32.subarray(ptr / 4, ptr / 4 + count), outOffset);
  }

  function unary(op: UnaryOp, n: number, x: FloatArray, xo: number, out: FloatArray, oo: number, p0: number, p1: number): void {
    const code = UNARY[op];
    if (code === undefined || !(x instanceof Float32Array) || !(out instanceof Float32Array) || Math.fround(p0) !== p0 && !Number.isNaN(p0)) {
      ref.unary(op, n, x, xo, out, oo, p0, p1);
      return;
    }
    checkCount('unary', 'n', n);
    checkSpan('unary', 'x', x, xo, n);
    checkSpan('unary', 'out', out, oo, n);
    if (n === 0) return;
    const cursor = { at: arena.operandBase };
    const xp = place(x, xo, n, cursor, true);
    const op_ = place(out, oo, n, cursor, false);
    k.unary32(code, n, xp, op_, p0);
    copyOut(out, oo, op_, n);
  }

  function binary(
    op: BinaryOp, ndim: number, shape: ArrayLike<number>,
    a: FloatArray, aOffset: number, aStrides: ArrayLike<number>,
    b: FloatArray, bOffset: number, bStrides: ArrayLike<number>,
    out: FloatArray, outOffset: number,
  ): void {
    const code = BINARY[op];
    if (code === undefined || !(a instanceof Float32Array) || !(b instanceof Float32Array) || !(out instanceof Float32Array)) {
      ref.binary(op, ndim, shape, a, aOffset, aStrides, b, bOffset, bStrides, out, outOffset);
      return;
    }
    checkCount('binary', 'ndim', ndim);
    const total = checkStrided('binary', 'a', a, aOffset, ndim, shape, aStrides);
    checkStrided('binary', 'b', b, bOffset, ndim, shape, bStrides);
    checkSpan('binary', 'out', out, outOffset, total);
    if (total === 0) return;
    const [sh, [sa, sb]] = collapse(ndim, shape, [aStrides, bStrides]) as [number[], [number[], number[]]];
    const nd = sh.length;
    const cols = nd === 0 ? 1 : sh[nd - 1]!;
    const aCol = nd === 0 ? 0 : sa[nd - 1]!, bCol = nd === 0 ? 0 : sb[nd - 1]!;
    if (nd > 2 || aCol > 1 || bCol > 1) {
      ref.binary(op, ndim, shape, a, aOffset, aStrides, b, bOffset, bStrides, out, outOffset);
      return;
    }
    const rows = nd === 2 ? sh[0]! : 1;
    const aRow = nd === 2 ? sa[0]! : 0, bRow = nd === 2 ? sb[0]! : 0;
    const aSpan = (rows - 1) * aRow + (cols - 1) * aCol + 1;
    const bSpan = (rows - 1) * bRow + (cols - 1) * bCol + 1;
    const cursor = { at: arena.operandBase };
    const ap = place(a, aOffset, aSpan, cursor, true);
    const bp = place(b, bOffset, bSpan, cursor, true);
    const outp = place(out, outOffset, total, cursor, false);
    k.binary32(code, rows, cols, ap, aRow, aCol, bp, bRow, bCol, outp);
    copyOut(out, outOffset, outp, total);
  }

  function sumAxis(outer: number, size: number, inner: number, x: FloatArray, xo: number, out: FloatArray, oo: number): void {
    if (!(x instanceof Float32Array) || !(out instanceof Float32Array)) {
      ref.sumAxis(outer, size, inner, x, xo, out, oo);
      return;
    }
    checkCount('sumAxis', 'outer', outer);
    checkCount('sumAxis', 'size', size);
    checkCount('sumAxis', 'inner', inner);
    checkSpan('sumAxis', 'x', x, xo, outer * size * inner);
    checkSpan('sumAxis', 'out', out, oo, outer * inner);
    const count = outer * inner;
    if (count === 0) return;
    const cursor = { at: arena.operandBase };
    const xp = place(x, xo, outer * size * inner, cursor, true);
    const outp = place(out, oo, count, cursor, false);
    k.sumAxis32(outer, size, inner, xp, outp, arena.work(0));
    copyOut(out, oo, outp, count);
  }

  function copyStrided(ndim: number, shape: ArrayLike<number>, x: FloatArray, xOffset: number, xStrides: ArrayLike<number>, out: FloatArray, outOffset: number): void {
    if (!(x instanceof Float32Array) || !(out instanceof Float32Array)) {
      ref.copyStrided(ndim, shape, x, xOffset, xStrides, out, outOffset);
      return;
    }
    checkCount('copyStrided', 'ndim', ndim);
    const total = checkStrided('copyStrided', 'x', x, xOffset, ndim, shape, xStrides);
    checkSpan('copyStrided', 'out', out, outOffset, total);
    if (total === 0) return;
    const [sh, [sx]] = collapse(ndim, shape, [xStrides]) as [number[], [number[]]];
    if (sh.length > 3) {
      ref.copyStrided(ndim, shape, x, xOffset, xStrides, out, outOffset);
      return;
    }
    while (sh.length < 3) {
      sh.unshift(1);
      sx.unshift(0);
    }
    const xSpan = (sh[0]! - 1) * sx[0]! + (sh[1]! - 1) * sx[1]! + (sh[2]! - 1) * sx[2]! + 1;
    const cursor = { at: arena.operandBase };
    const xp = place(x, xOffset, xSpan, cursor, true);
    const outp = place(out, outOffset, total, cursor, false);
    k.copyStrided32(sh[0]!, sh[1]!, sh[2]!, sx[0]!, sx[1]!, sx[2]!, xp, outp);
    copyOut(out, outOffset, outp, total);
  }

  return { unary, binary, sumAxis, copyStrided };
}

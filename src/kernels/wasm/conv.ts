/**
 * im2col, col2im and maxPool2d on the WASM module for Float32Array operands (the same loops as the
 * reference kernels, so the same bits); Float64Array operands go to `ref`. Operands outside
 * WASM memory are copied in (col2im's x too: it is accumulated into) and results copied back.
 */
import type { FloatArray } from '../../core/dtype.js';
import type { Backend, Conv2dGeometry } from '../backend.js';
import { checkGeometry, checkSpan } from '../ref/check.js';
import { alignUp } from './arena.js';
import type { KernelContext } from './context.js';

export type ConvKernels = Pick<Backend, 'im2col' | 'col2im' | 'maxPool2d'>;

export function makeConv(ctx: KernelContext, ref: ConvKernels): ConvKernels {
  const { exports: k, arena } = ctx;

  /** Addresses of x and col in WASM memory, copying in those that live outside (and must be read). */
  function place(x: Float32Array, xo: number, xCount: number, col: Float32Array, co: number, colCount: number, readCol: boolean, readX: boolean): [number, number] {
    let cursor = arena.operandBase;
    const xIn = arena.addressOf(x), colIn = arena.addressOf(col);
    const xp = xIn >= 0 ? xIn + 4 * xo : cursor;
    if (xIn < 0) cursor += alignUp(Math.max(1, xCount) * 4);
    const cp = colIn >= 0 ? colIn + 4 * co : cursor;
    if (colIn < 0) cursor += alignUp(Math.max(1, colCount) * 4);
    const f32 = arena.reserve(cursor, 'wasm conv');
    if (xIn < 0 && readX) f32.set(x.subarray(xo, xo + xCount), xp / 4);
    if (colIn < 0 && readCol) f32.set(col.subarray(co, co + colCount), cp / 4);
    return [xp, cp];
  }

  function copyBack(dst: Float32Array, offset: number, ptr: number, count: number): void {
    if (arena.addressOf(dst) >= 0) return;
    dst.set(arena.reserve(0, 'wasm conv').subarray(ptr / 4, ptr / 4 + count), offset);
  }

  function sizes(g: Conv2dGeometry): [number, number] {
    return [g.n * g.c * g.h * g.w, g.n * g.oh * g.ow * g.c * g.kh * g.kw];
  }

  return {
    im2col(g: Conv2dGeometry, x: FloatArray, xo: number, col: FloatArray, co: number): void {
      if (!(x instanceof Float32Array) || !(col instanceof Float32Array)) return ref.im2col(g, x, xo, col, co);
      checkGeometry('im2col', g);
      const [xCount, colCount] = sizes(g);
      checkSpan('im2col', 'x', x, xo, xCount);
      checkSpan('im2col', 'col', col, co, colCount);
      if (colCount === 0) return;
      const [xp, cp] = place(x, xo, xCount, col, co, colCount, false, true);
      k.im2col32(g.n, g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.oh, g.ow, xp, cp);
      copyBack(col, co, cp, colCount);
    },
    col2im(g: Conv2dGeometry, col: FloatArray, co: number, x: FloatArray, xo: number): void {
      if (!(x instanceof Float32Array) || !(col instanceof Float32Array)) return ref.col2im(g, col, co, x, xo);
      checkGeometry('col2im', g);
      const [xCount, colCount] = sizes(g);
      checkSpan('col2im', 'x', x, xo, xCount);
      checkSpan('col2im', 'col', col, co, colCount);
      if (colCount === 0 || xCount === 0) return;
      const [xp, cp] = place(x, xo, xCount, col, co, colCount, true, true);
      k.col2im32(g.n, g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.oh, g.ow, cp, xp);
      copyBack(x, xo, xp, xCount);
    },
    maxPool2d(g: Conv2dGeometry, x: FloatArray, xo: number, out: FloatArray, oo: number, index: Int32Array, io: number): void {
      if (!(x instanceof Float32Array) || !(out instanceof Float32Array)) return ref.maxPool2d(g, x, xo, out, oo, index, io);
      checkGeometry('maxPool2d', g);
      const xCount = g.n * g.c * g.h * g.w, count = g.n * g.c * g.oh * g.ow;
      checkSpan('maxPool2d', 'x', x, xo, xCount);
      checkSpan('maxPool2d', 'out', out, oo, count);
      checkSpan('maxPool2d', 'index', index, io, count);
      if (count === 0) return;
      // x (copied in unless it lives in WASM memory), then out and index in the operand arena.
      const [xp, outp] = place(x, xo, xCount, out, oo, count, false, true);
      const indexp = alignUp(Math.max(arena.operandBase, xp + 4 * xCount, outp + 4 * count));
      const f32 = arena.reserve(indexp + 4 * count, 'wasm conv');
      k.maxPool2d32(g.n, g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.oh, g.ow, xp, outp, indexp);
      copyBack(out, oo, outp, count);
      index.set(new Int32Array(f32.buffer, indexp, count), io);
    },
  };
}

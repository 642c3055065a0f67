/**
 * Fused convolution on the WASM module (float32; Float64Array operands go to the fallback):
 * conv2d and its two gradients, one image at a time with the image's columns in a per-thread
 * buffer of WASM memory (assembly/conv.ts), so the columns of the batch never exist and never
 * cross into JavaScript. Threads claim images (groups of CONV_GROUP images for the weight
 * gradient, reduced in group order, so the numbers do not depend on the thread count).
 * Operands outside WASM memory are copied in once and results copied back once.
 */
import type { FloatArray } from '../../core/dtype.js';
import type { Backend, Conv2dGeometry } from '../backend.js';
import { checkConv2d } from '../ref/conv2d.js';
import { alignUp } from './arena.js';
import type { KernelContext } from './context.js';
import type { KernelName } from './threads.js';

export type Conv2dKernels = Pick<Backend, 'conv2d' | 'conv2dBackwardInput' | 'conv2dBackwardWeight'>;

/** Multiply-adds below which a convolution runs on the calling thread only. */
const THREAD_MIN_WORK = 1 << 22;
/** Index of the image counter in the arena's shared counters (0: gemm, 1: streamed steps). */
const COUNTER = 2;

interface Operand {
  array: Float32Array | null;
  offset: number;
  count: number;
  /** Whether the kernel reads it (copied in when it lives outside WASM memory). */
  read: boolean;
}

export function makeConv2d(ctx: KernelContext, fallback: Conv2dKernels): Conv2dKernels {
  const { exports: k, arena } = ctx;
  const group = Number(k.CONV_GROUP.value);

  /**
   * Byte addresses of the operands (in place when they live in WASM memory, else staged in the
   * operand arena and copied in when read), then `scratch` bytes per thread; returns the
   * addresses and the scratch base.
   */
  function stage(operands: readonly Operand[], scratch: number, threads: number): [number[], number] {
    let cursor = arena.operandBase;
    const ptrs = operands.map((op) => {
      if (op.array === null) return 0;
      const at = arena.addressOf(op.array);
      if (at >= 0) return at + 4 * op.offset;
      const ptr = cursor;
      cursor += alignUp(Math.max(1, op.count) * 4);
      return ptr;
    });
    const scratchBase = cursor;
    const f32 = arena.reserve(scratchBase + threads * scratch, 'wasm conv2d');
    operands.forEach((op, i) => {
      if (op.array !== null && op.read && arena.addressOf(op.array) < 0) f32.set(op.array.subarray(op.offset, op.offset + op.count), ptrs[i]! / 4);
    });
    return [ptrs, scratchBase];
  }

  function copyBack(op: Operand, ptr: number): void {
    if (op.array === null || arena.addressOf(op.array) >= 0) return;
    op.array.set(arena.reserve(0, 'wasm conv2d').subarray(ptr / 4, ptr / 4 + op.count), op.offset);
  }

  /** Runs `name(...head, scratch_t, work_t, counter)` on `threads` threads claiming from one counter. */
  function run(name: KernelName, head: number[], scratchBase: number, scratch: number, threads: number): void {
    const fn = k[name as 'conv2dForward32'] as (...a: number[]) => void;
    const counter = arena.sync.byteOffset + 4 * COUNTER;
    Atomics.store(arena.sync, COUNTER, 0);
    const args = [...head, 0, 0, counter];
    const at = head.length;
    const pool = ctx.pool;
    const workers = pool === null ? 0 : threads - 1;
    for (let w = 0; w < workers; w++) {
      args[at] = scratchBase + (w + 1) * scratch;
      args[at + 1] = arena.work(w + 1);
      pool!.post(w, name, args);
    }
    try {
      args[at] = scratchBase;
      args[at + 1] = arena.work(0);
      fn.apply(null, args);
    } finally {
      for (let w = 0; w < workers; w++) pool!.wait(w);
    }
  }

  function threadsFor(g: Conv2dGeometry, o: number, units: number): number {
    if (ctx.pool === null) return 1;
    const work = g.n * o * g.oh * g.ow * g.c * g.kh * g.kw;
    return work < THREAD_MIN_WORK ? 1 : Math.max(1, Math.min(ctx.threads, units));
  }

  const geom = (g: Conv2dGeometry, o: number) => [g.n, g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.oh, g.ow, o];
  const f32 = (...arrays: (FloatArray | null)[]) => arrays.every((a) => a === null || a instanceof Float32Array);

  return {
    conv2d(g, o, x, xo, w, wo, bias, bo, out, oo): void {
      if (!f32(x, w, bias, out)) return fallback.conv2d(g, o, x, xo, w, wo, bias, bo, out, oo);
      const { pix, ckk } = checkConv2d('wasm conv2d', g, o, { x: [x, xo, 'x'], weight: [w, wo, 'weight'], bias: [bias, bo, 'bias'], out: [out, oo, 'out'] });
      const ops: Operand[] = [
        { array: x as Float32Array, offset: xo, count: g.n * g.c * g.h * g.w, read: true },
        { array: w as Float32Array, offset: wo, count: o * ckk, read: true },
        { array: bias as Float32Array | null, offset: bo, count: o, read: true },
        { array: out as Float32Array, offset: oo, count: g.n * o * pix, read: false },
      ];
      if (g.n === 0) return;
      const scratch = alignUp(pix * ckk * 4);
      const threads = threadsFor(g, o, g.n);
      const [p, base] = stage(ops, scratch, threads);
      run('conv2dForward32', [...geom(g, o), p[0]!, p[1]!, p[2]!, p[3]!], base, scratch, threads);
      copyBack(ops[3]!, p[3]!);
    },

    conv2dBackwardInput(g, o, dOut, go, w, wo, dx, dxo): void {
      if (!f32(dOut, w, dx)) return fallback.conv2dBackwardInput(g, o, dOut, go, w, wo, dx, dxo);
      const { pix, ckk } = checkConv2d('wasm conv2dBackwardInput', g, o, { dOut: [dOut, go, 'out'], weight: [w, wo, 'weight'], dx: [dx, dxo, 'x'] });
      const ops: Operand[] = [
        { array: dOut as Float32Array, offset: go, count: g.n * o * pix, read: true },
        { array: w as Float32Array, offset: wo, count: o * ckk, read: true },
        { array: dx as Float32Array, offset: dxo, count: g.n * g.c * g.h * g.w, read: false },
      ];
      if (g.n === 0) return;
      const scratch = alignUp(pix * ckk * 4);
      const threads = threadsFor(g, o, g.n);
      const [p, base] = stage(ops, scratch, threads);
      run('conv2dBackwardInput32', [...geom(g, o), p[0]!, p[1]!, p[2]!], base, scratch, threads);
      copyBack(ops[2]!, p[2]!);
    },

    conv2dBackwardWeight(g, o, x, xo, dOut, go, dw, dwo, dBias, dbo): void {
      if (!f32(x, dOut, dw, dBias)) return fallback.conv2dBackwardWeight(g, o, x, xo, dOut, go, dw, dwo, dBias, dbo);
      const { pix, ckk } = checkConv2d('wasm conv2dBackwardWeight', g, o, { x: [x, xo, 'x'], dOut: [dOut, go, 'out'], dWeight: [dw, dwo, 'weight'], dBias: [dBias, dbo, 'bias'] });
      const groups = Math.ceil(g.n / group);
      const partFloats = o * ckk + o;
      const ops: Operand[] = [
        { array: x as Float32Array, offset: xo, count: g.n * g.c * g.h * g.w, read: true },
        { array: dOut as Float32Array, offset: go, count: g.n * o * pix, read: true },
      ];
      if (g.n === 0) {
        dw.fill(0, dwo, dwo + o * ckk);
        dBias?.fill(0, dbo, dbo + o);
        return;
      }
      const scratch = alignUp(pix * ckk * 4);
      const threads = threadsFor(g, o, groups);
      const [p, base] = stage(ops, scratch, threads);
      // The partial sums of every group, then their reduction (dWeight and dBias side by side),
      // live after the per-thread scratch.
      const parts = alignUp(base + threads * scratch);
      const sum = alignUp(parts + groups * partFloats * 4);
      const mem = arena.reserve(sum + partFloats * 4, 'wasm conv2d');
      run('conv2dBackwardWeight32', [...geom(g, o), p[0]!, p[1]!, parts], base, scratch, threads);
      k.convReduce32(groups, partFloats, parts, sum);
      const s = sum / 4;
      dw.set(mem.subarray(s, s + o * ckk), dwo);
      if (dBias !== null) dBias.set(mem.subarray(s + o * ckk, s + partFloats), dbo);
    },
  };
}

/**
 * Streams elementwise kernels (the fused optimizer steps) through WASM memory in chunks: a
 * chunk of every buffer is copied into the operand arena, stepped, and the written buffers are
 * copied back. Chunks stay in cache, so the copies cost little beyond the one pass over memory
 * the step needs anyway, and the arena stays small whatever the parameter count.
 * The copying runs on the calling thread only (handing chunks to workers costs more than it
 * saves while the caller copies anyway). When every buffer already lives in WASM memory (from
 * `allocate()`), nothing is copied and the buffers are stepped in place (split across threads:
 * see runInPlace).
 */
import { ValueError, show } from '../../core/errors.js';
import { checkFloat32, type KernelContext } from './context.js';
import type { KernelName } from './threads.js';

/** Floats per buffer per chunk on one thread (five buffers stay in L2). */
export const CHUNK = 16384;
/** Buffers a kernel streams at most. */
export const SLOTS = 5;
const CHUNK_BYTES = CHUNK * 4;

/** One streamed buffer: the array (or null when the variant does not use it) and whether the kernel writes it. */
export interface Stream {
  array: Float32Array | null;
  written: boolean;
}

/**
 * Runs `name(count, ptr0, ..., ptrS-1, ...scalars, tmp)` over `n` elements of every stream.
 * A null stream passes pointer 0. `scalars` follow the pointers (flags first).
 */
export function runStreamed(ctx: KernelContext, name: KernelName, n: number, streams: readonly Stream[], scalars: readonly number[]): void {
  if (n === 0) return;
  if (streams.every((s) => s.array === null || ctx.arena.addressOf(s.array) >= 0)) {
    runInPlace(ctx, name, n, streams, scalars);
    return;
  }
  runOnCaller(ctx, name, n, streams, scalars);
}

function setArgs(args: number[], count: number, base: number, streams: readonly Stream[], scalars: readonly number[], tmp: number): void {
  args[0] = count;
  for (let s = 0; s < streams.length; s++) args[1 + s] = streams[s]!.array === null ? 0 : base + s * CHUNK_BYTES;
  for (let i = 0; i < scalars.length; i++) args[1 + streams.length + i] = scalars[i]!;
  args[1 + streams.length + scalars.length] = tmp;
}

function copyIn(f32: Float32Array, streams: readonly Stream[], from: number, count: number, base: number): void {
  for (let s = 0; s < streams.length; s++) {
    const array = streams[s]!.array;
    if (array !== null) f32.set(array.subarray(from, from + count), (base + s * CHUNK_BYTES) / 4);
  }
}

function copyOut(f32: Float32Array, streams: readonly Stream[], from: number, count: number, base: number): void {
  for (let s = 0; s < streams.length; s++) {
    const { array, written } = streams[s]!;
    if (array === null || !written) continue;
    const ptr = (base + s * CHUNK_BYTES) / 4;
    array.set(f32.subarray(ptr, ptr + count), from);
  }
}

/** Elements each thread takes at least when buffers are stepped in place. */
export const IN_PLACE_MIN_PER_THREAD = 65536;

/**
 * Every buffer lives in WASM memory: no copies. With threads, each claims chunks of the range
 * through the shared counter sync[1] (about four per thread), so a late thread just does less.
 */
function runInPlace(ctx: KernelContext, name: KernelName, n: number, streams: readonly Stream[], scalars: readonly number[]): void {
  const { arena } = ctx;
  const pool = ctx.pool;
  // memory.test.ts checks the split against the one-thread copying path over many sizes.
  const threads = pool === null ? 1 : Math.max(1, Math.min(ctx.threads, Math.floor(n / IN_PLACE_MIN_PER_THREAD)));
  const fn = ctx.exports[name] as (...a: number[]) => void;
  const args: number[] = new Array(2 + streams.length + scalars.length).fill(0);
  args[0] = n;
  const base = streams.map((s) => (s.array === null ? 0 : arena.addressOf(s.array)));
  for (let s = 0; s < streams.length; s++) args[1 + s] = base[s]!;
  for (let i = 0; i < scalars.length; i++) args[1 + streams.length + i] = scalars[i]!;
  const tmpIndex = 1 + streams.length + scalars.length;
  if (threads === 1) {
    args[tmpIndex] = arena.work(0) + ctx.gemmWorkBytes;
    fn.apply(null, args);
    return;
  }
  const chunk = Math.max(CHUNK, Math.ceil(n / (threads * 4) / 16) * 16);
  Atomics.store(arena.sync, 1, 0);
  const workers = threads - 1;
  for (let w = 0; w < workers; w++) {
    args[tmpIndex] = arena.work(w + 1) + ctx.gemmWorkBytes;
    pool!.post(w, name, args, { streams: streams.length, chunk });
  }
  try {
    args[tmpIndex] = arena.work(0) + ctx.gemmWorkBytes;
    for (;;) {
      const start = Atomics.add(arena.sync, 1, chunk);
      if (start >= n) break;
      args[0] = Math.min(chunk, n - start);
      for (let s = 0; s < streams.length; s++) args[1 + s] = base[s] === 0 ? 0 : base[s]! + 4 * start;
      fn.apply(null, args);
    }
  } finally {
    for (let w = 0; w < workers; w++) pool!.wait(w);
  }
}

/** One thread: copy a chunk in, step it, copy it out. */
function runOnCaller(ctx: KernelContext, name: KernelName, n: number, streams: readonly Stream[], scalars: readonly number[]): void {
  const { arena } = ctx;
  const base = arena.operandBase;
  const f32 = arena.reserve(base + SLOTS * CHUNK_BYTES, `wasm ${name}`);
  const fn = ctx.exports[name] as (...args: number[]) => void;
  const args: number[] = new Array(2 + streams.length + scalars.length).fill(0);
  setArgs(args, 0, base, streams, scalars, arena.work(0) + ctx.gemmWorkBytes);
  for (let from = 0; from < n; from += CHUNK) {
    const count = Math.min(CHUNK, n - from);
    args[0] = count;
    copyIn(f32, streams, from, count, base);
    fn.apply(null, args);
    copyOut(f32, streams, from, count, base);
  }
}

/** Checks that every given buffer is a Float32Array of the parameter's length; returns that length. */
export function checkBuffers(where: string, buffers: Record<string, unknown>, required: readonly string[]): number {
  let n = -1;
  let first = '';
  for (const [name, value] of Object.entries(buffers)) {
    if (value === null || value === undefined) {
      if (required.includes(name)) throw new ValueError(`${where}: ${name} is ${show(value)}, expected a Float32Array`);
      continue;
    }
    const array = checkFloat32(where, name, value);
    if (n < 0) {
      n = array.length;
      first = name;
    } else if (array.length !== n) {
      throw new ValueError(`${where}: ${name} has length ${array.length}, expected ${n} (the length of ${first})`);
    }
  }
  return Math.max(n, 0);
}

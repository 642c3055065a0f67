/**
 * The layout of the kernels' shared linear memory:
 *
 *   [0, heapBase)                  static data of the module
 *   [sync, sync + 64)              counters shared between threads (GEMM work claiming)
 *   [workBase, heapStart)          one workspace per thread (GEMM packing buffers, step tails)
 *   [heapStart, top)               arrays handed out by `allocate` (zero-copy operands)
 *   [operandBase = top, ...)       the operand arena: each call copies its operands here
 *
 * The arena is reused by every call (it restarts at operandBase), so memory grows only to the
 * allocated arrays plus the largest single call. Memory is shared, so views made before a
 * `memory.grow` stay valid; every buffer object the memory has handed out is remembered, which
 * is how a Float32Array is recognized as living in this memory (then it is used in place).
 */
import { DescentError, ValueError, show } from '../../core/errors.js';
import { MAX_PAGES, PAGE_BYTES } from './module.js';
import { wasmApi, type WasmApi, type WasmMemory } from './wasm-api.js';

const ALIGN = 64;
/** Bytes of managed arrays (allocateManaged) live or not yet returned, at most. */
export const MANAGED_BUDGET = 256 * 2 ** 20;

export function alignUp(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}

export class Arena {
  readonly memory: WasmMemory;
  /** Int32 counters shared between threads; sync[0] is the GEMM chunk counter. */
  readonly sync: Int32Array;
  readonly workBase: number;
  readonly workBytes: number;
  private readonly heapStart: number;
  private top: number;
  private f32: Float32Array;
  private readonly buffers = new WeakSet<object>();
  /** Live allocations: address → bytes. Freed blocks below the top: bytes → addresses. */
  private readonly live = new Map<number, number>();
  private readonly free = new Map<number, number[]>();
  /** Addresses of live blocks from allocateManaged. */
  private readonly managed = new Set<number>();
  private managedBytes = 0;
  /** Blocks of collected managed arrays go back here. */
  private readonly registry = new FinalizationRegistry<number>((address) => {
    if (!this.managed.delete(address)) return;
    this.managedBytes -= this.live.get(address)!;
    this.releaseAt(address);
  });

  /** `memory` is the module's (shared) memory; the layout starts after its static data at heapBase. */
  constructor(memory: WasmMemory, heapBase: number, workBytes: number, threads: number) {
    this.memory = memory;
    const syncAddress = alignUp(heapBase);
    this.workBase = syncAddress + ALIGN;
    this.workBytes = alignUp(workBytes);
    this.heapStart = this.top = this.workBase + threads * this.workBytes;
    this.f32 = new Float32Array(this.memory.buffer);
    this.buffers.add(this.f32.buffer);
    this.reserve(this.top + PAGE_BYTES, 'wasm kernels');
    // Shared memory never detaches, so this view stays valid as the memory grows.
    this.sync = new Int32Array(this.memory.buffer, syncAddress, ALIGN / 4);
  }

  /** A fresh shared memory of one page that can grow to the module's maximum (4 GiB). */
  static createMemory(): WasmMemory {
    return new (wasmApi() as WasmApi).Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
  }

  /** Byte address of thread `t`'s workspace. */
  work(t: number): number {
    return this.workBase + t * this.workBytes;
  }

  /** Start of the operand arena (just above the allocated arrays). */
  get operandBase(): number {
    return this.top;
  }

  /** Makes linear memory at least `end` bytes long; returns the (possibly refreshed) float view. */
  reserve(end: number, where: string): Float32Array {
    if (end > this.f32.byteLength || this.f32.byteLength !== this.memory.buffer.byteLength) {
      const current = this.memory.buffer.byteLength;
      if (end > current) {
        const pages = Math.ceil((end - current) / PAGE_BYTES);
        if (current / PAGE_BYTES + pages > MAX_PAGES) {
          throw new DescentError(`${where}: needs ${show(end)} bytes of WebAssembly memory, expected at most ${MAX_PAGES * PAGE_BYTES} (4 GiB); split the work into smaller calls`);
        }
        this.memory.grow(pages);
      }
      this.f32 = new Float32Array(this.memory.buffer);
      this.buffers.add(this.f32.buffer);
    }
    return this.f32;
  }

  /** Byte address of `array` if it is a view of this memory, else -1. */
  addressOf(array: Float32Array): number {
    return this.buffers.has(array.buffer) ? array.byteOffset : -1;
  }

  /** A zero-filled Float32Array of `length` living in this memory. */
  allocate(length: number): Float32Array {
    if (!Number.isInteger(length) || length < 0) throw new ValueError(`wasm allocate: invalid length ${show(length)}, expected an integer >= 0`);
    const bytes = alignUp(Math.max(length, 1) * 4);
    const reuse = this.free.get(bytes);
    let address: number;
    if (reuse !== undefined && reuse.length > 0) {
      address = reuse.pop()!;
    } else {
      address = this.top;
      this.reserve(address + bytes, 'wasm allocate');
      this.top += bytes;
    }
    this.live.set(address, bytes);
    const view = new Float32Array(this.f32.buffer, address, length);
    view.fill(0);
    return view;
  }

  /**
   * Like `allocate`, but the block goes back to the memory when the returned array is
   * garbage-collected (it cannot be released by hand). Keep that array itself reachable for as
   * long as any view of it (a subarray) is used.
   */
  allocateManaged(length: number): Float32Array | null {
    // Collected arrays are only returned when the event loop turns (finalizers do not run inside
    // a synchronous loop): a loop that builds model after model would grow the memory without
    // bound. Past the budget, the caller takes an ordinary array instead.
    const bytes = alignUp(Math.max(length, 1) * 4);
    if (this.managedBytes + bytes > MANAGED_BUDGET) return null;
    const view = this.allocate(length);
    this.managed.add(view.byteOffset);
    this.managedBytes += bytes;
    this.registry.register(view, view.byteOffset);
    return view;
  }

  /** Returns an array from `allocate` to the memory; the array must not be used afterwards. */
  release(array: Float32Array): void {
    const address = array instanceof Float32Array ? this.addressOf(array) : -1;
    if (this.managed.has(address)) throw new ValueError(`wasm release: this array is managed (from the backend's memory.allocate): it is released when garbage-collected, expected an array returned by allocate()`);
    if (!this.live.has(address)) throw new ValueError(`wasm release: expected an array returned by allocate() of these kernels and not yet released`);
    this.releaseAt(address);
  }

  private releaseAt(address: number): void {
    const bytes = this.live.get(address)!;
    this.live.delete(address);
    if (address + bytes !== this.top) {
      const list = this.free.get(bytes) ?? [];
      list.push(address);
      this.free.set(bytes, list);
      return;
    }
    this.top = address;
    // Give back freed blocks now at the top.
    for (let moved = true; moved && this.top > this.heapStart;) {
      moved = false;
      for (const [size, list] of this.free) {
        const i = list.indexOf(this.top - size);
        if (i >= 0) {
          list.splice(i, 1);
          this.top -= size;
          moved = true;
          break;
        }
      }
    }
  }

  /** Bytes of linear memory in use now (never shrinks). */
  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }
}

/**
 * GEMM through the WASM kernels, with GemmBackend's signature (float32 only):
 * C = alpha * op(A) * op(B) + beta * C, row-major (see kernels/backend.ts).
 *
 * Operands that live in WASM memory (arrays from `allocate()`) are used in place. The stored
 * spans of the others are copied into the operand arena, the product is computed there (split
 * across threads along the longer of m and n when the product is large enough), and the span
 * of C is copied back. When beta == 0 and C has no gaps between rows, C is not copied in (and
 * so not read). C in WASM memory overlapping A or B is copied, so aliasing stays harmless.
 */
import { ValueError, show } from '../../core/errors.js';
import { alignUp } from './arena.js';
import { checkBool, checkCount, checkFinite, checkFloat32, type KernelContext } from './context.js';

const WHERE = 'wasm gemm';
/** Products smaller than this many multiply-adds run on one thread. */
export const THREAD_MIN_WORK = 1 << 22;
/** Threads each take at least this many rows (or columns). */
const THREAD_MIN_SPLIT = 16;
/** Rows (or columns) a thread's chunk has at least when there are enough to go round. */
const CHUNK_MIN = 256;

export type GemmFn = (
  transA: boolean, transB: boolean,
  m: number, n: number, k: number,
  alpha: number,
  a: Float32Array, aOffset: number, lda: number,
  b: Float32Array, bOffset: number, ldb: number,
  beta: number,
  c: Float32Array, cOffset: number, ldc: number,
) => void;

/** Elements spanned by a rows×cols row-major matrix with leading dimension ld. */
function span(rows: number, cols: number, ld: number): number {
  return rows === 0 || cols === 0 ? 0 : (rows - 1) * ld + cols;
}

function checkMatrix(name: string, array: unknown, offset: unknown, ld: unknown, rows: number, cols: number, shape: string): number {
  const arr = checkFloat32(WHERE, name, array);
  const off = checkCount(WHERE, `${name}Offset`, offset);
  const lead = checkCount(WHERE, `ld${name}`, ld);
  if (lead < cols) throw new ValueError(`${WHERE}: invalid ld${name} ${show(lead)}, expected >= ${cols} (the row length of ${name} stored as ${shape})`);
  const s = span(rows, cols, lead);
  if (off + s > arr.length) {
    throw new ValueError(`${WHERE}: ${name} of length ${arr.length} is too short for ${shape} with offset ${off} and ld${name} ${lead}, expected length >= ${off + s}`);
  }
  return s;
}

/** Whether byte ranges [x, x + 4·xCount) and [y, y + 4·yCount) intersect. */
function overlaps(x: number, xCount: number, y: number, yCount: number): boolean {
  return xCount > 0 && yCount > 0 && x < y + 4 * yCount && y < x + 4 * xCount;
}

export function makeGemm(ctx: KernelContext): GemmFn {
  const { exports: k, arena } = ctx;
  const callArgs: number[] = new Array(17).fill(0);

  return function gemm(transA, transB, m, n, kk, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc): void {
    checkBool(WHERE, 'transA', transA);
    checkBool(WHERE, 'transB', transB);
    checkCount(WHERE, 'm', m);
    checkCount(WHERE, 'n', n);
    checkCount(WHERE, 'k', kk);
    checkFinite(WHERE, 'alpha', alpha);
    checkFinite(WHERE, 'beta', beta);
    const aRows = transA ? kk : m, aCols = transA ? m : kk;
    const bRows = transB ? n : kk, bCols = transB ? kk : n;
    const spanA = checkMatrix('a', a, aOffset, lda, aRows, aCols, `${aRows}×${aCols}`);
    const spanB = checkMatrix('b', b, bOffset, ldb, bRows, bCols, `${bRows}×${bCols}`);
    const spanC = checkMatrix('c', c, cOffset, ldc, m, n, `${m}×${n}`);
    if (m === 0 || n === 0) return;

    // Operands already in WASM memory (from allocate()) are used in place; others are copied.
    const aIn = arena.addressOf(a), bIn = arena.addressOf(b), cIn = arena.addressOf(c);
    let cursor = arena.operandBase;
    const aPtr = aIn >= 0 ? aIn + 4 * aOffset : cursor;
    if (aIn < 0) cursor += alignUp(spanA * 4);
    const bPtr = bIn >= 0 ? bIn + 4 * bOffset : cursor;
    if (bIn < 0) cursor += alignUp(spanB * 4);
    const cDirect = cIn >= 0 && !(aIn >= 0 && overlaps(cIn + 4 * cOffset, spanC, aPtr, spanA)) && !(bIn >= 0 && overlaps(cIn + 4 * cOffset, spanC, bPtr, spanB));
    const cPtr = cDirect ? cIn + 4 * cOffset : cursor;
    if (!cDirect) cursor += alignUp(spanC * 4);
    const f32 = arena.reserve(cursor, WHERE);
    if (aIn < 0 && spanA > 0) f32.set(a.subarray(aOffset, aOffset + spanA), aPtr / 4);
    if (bIn < 0 && spanB > 0) f32.set(b.subarray(bOffset, bOffset + spanB), bPtr / 4);
    if (!cDirect && (beta !== 0 || (ldc !== n && m > 1))) f32.set(c.subarray(cOffset, cOffset + spanC), cPtr / 4);

    const ta = transA ? 1 : 0, tb = transB ? 1 : 0;
    const pool = ctx.pool;
    const threads = pool === null ? 1 : Math.min(ctx.threads, Math.floor(Math.max(m, n) / THREAD_MIN_SPLIT));
    if (threads <= 1 || m * n * kk < THREAD_MIN_WORK) {
      k.gemm(ta, tb, m, n, kk, alpha, aPtr, lda, bPtr, ldb, beta, cPtr, ldc, arena.work(0));
    } else {
      // Threads claim chunks of columns (n >= m) or rows through an atomic counter, so a thread
      // that starts late or runs slowly just does less. Every chunk packs the whole of the other
      // operand again (all of A for a chunk of columns), so chunks are large: one to four per
      // thread, each at least CHUNK_MIN wide where the size allows.
      const alongN = n >= m;
      const total = alongN ? n : m;
      const perThread = Math.max(1, Math.min(4, Math.floor(total / (threads * CHUNK_MIN))));
      // Whole micro-kernel tiles per chunk (MR = 6 rows, NR = 8 columns; see assembly/gemm.ts).
      const unit = alongN ? 8 : 6;
      const chunk = Math.max(Math.ceil(THREAD_MIN_SPLIT / unit) * unit, Math.ceil(total / (threads * perThread) / unit) * unit);
      Atomics.store(arena.sync, 0, 0);
      const counter = arena.sync.byteOffset;
      const args = callArgs;
      args[0] = ta; args[1] = tb; args[2] = m; args[3] = n; args[4] = kk; args[5] = alpha;
      args[6] = aPtr; args[7] = lda; args[8] = bPtr; args[9] = ldb; args[10] = beta; args[11] = cPtr; args[12] = ldc;
      args[14] = counter; args[15] = chunk; args[16] = alongN ? 1 : 0;
      const workers = threads - 1;
      for (let w = 0; w < workers; w++) {
        args[13] = arena.work(w + 1);
        pool!.post(w, 'gemmShared', args);
      }
      try {
        k.gemmShared(ta, tb, m, n, kk, alpha, aPtr, lda, bPtr, ldb, beta, cPtr, ldc, arena.work(0), counter, chunk, alongN ? 1 : 0);
      } finally {
        for (let w = 0; w < workers; w++) pool!.wait(w);
      }
    }
    if (!cDirect) c.set(f32.subarray(cPtr / 4, (cPtr / 4) + spanC), cOffset);
  };
}

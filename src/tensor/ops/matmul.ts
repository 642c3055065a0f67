/**
 * Matrix products through backend.gemm. `mm` is the one recorded op: C = op(A) op(B) for 2-D
 * operands or 3-D batches, with transpose flags so backward never materializes a transpose.
 */
import type { FloatArray } from '../../core/dtype.js';
import { ShapeError, show } from '../../core/errors.js';
import { getBackend } from '../../kernels/registry.js';
import { record } from '../../autograd/node.js';
import type { Tensor } from '../tensor.js';
import { broadcastShapes } from '../shape.js';
import { checkSameDtype, checkTensor, empty } from './util.js';
import { expand, reshape } from './movement.js';

/** op(A) op(B) for A, B both 2-D, or both 3-D with the same batch size. */
export function mm(a: Tensor, b: Tensor, transA = false, transB = false, op = 'matmul'): Tensor {
  checkTensor(a, op, 'a');
  checkTensor(b, op, 'b');
  checkSameDtype(a, b, op);
  const batched = a.ndim === 3;
  if ((a.ndim !== 2 && a.ndim !== 3) || b.ndim !== a.ndim || (batched && a.shape[0] !== b.shape[0])) {
    throw new ShapeError(`${op}: shapes ${show(a.shape)} and ${show(b.shape)} are not both 2-D or both 3-D with equal batch`);
  }
  const r = batched ? 1 : 0;
  const m = a.shape[r + (transA ? 1 : 0)]!;
  const k = a.shape[r + (transA ? 0 : 1)]!;
  const kb = b.shape[r + (transB ? 1 : 0)]!;
  const n = b.shape[r + (transB ? 0 : 1)]!;
  if (k !== kb) {
    const ia = transA ? r : r + 1;
    const ib = transB ? r + 1 : r;
    throw new ShapeError(`${op}: shapes ${show(a.shape)} and ${show(b.shape)} do not match: expected a.shape[${ia}] == b.shape[${ib}]`);
  }
  const batch = batched ? a.shape[0]! : 1;
  const out = empty(batched ? [batch, m, n] : [m, n], a.dtype);
  const be = getBackend();
  const lda = a.shape[r + 1]!;
  const ldb = b.shape[r + 1]!;
  for (let i = 0; i < batch; i++) {
    be.gemm(transA, transB, m, n, k, 1, a.data, i * m * k, lda, b.data, i * k * n, ldb, 0, out.data, i * m * n, n);
  }
  return record(out, {
    name: op, inputs: [a, b],
    backward: (g, wanted) => {
      // C = op(A) op(B); dA and dB in A's and B's stored layout.
      let ga: Tensor | null = null;
      let gb: Tensor | null = null;
      if (a.requiresGrad && wanted?.[0] !== false) {
        ga = !transA ? mm(g, b, false, !transB, op) : mm(b, g, transB, true, op);
      }
      if (b.requiresGrad && wanted?.[1] !== false) {
        gb = !transB ? mm(a, g, !transA, false, op) : mm(g, a, true, transA, op);
      }
      return [ga, gb];
    },
    // The same products, accumulated straight into a leaf's grad by gemm (beta 1, or 0 on zeros).
    backwardInto: (g, i, dst, zero) => {
      if (batched || g.dtype !== a.dtype) return false;
      const beta = zero ? 0 : 1;
      if (i === 0) {
        if (!transA) gemmInto(g, b, false, !transB, beta, dst);
        else gemmInto(b, g, transB, true, beta, dst);
      } else {
        if (!transB) gemmInto(a, g, !transA, false, beta, dst);
        else gemmInto(g, a, true, transA, beta, dst);
      }
      return true;
    },
  });
}

/** dst = op(x) op(y) + beta dst for 2-D x, y (dst contiguous, of the product's shape). */
function gemmInto(x: Tensor, y: Tensor, tx: boolean, ty: boolean, beta: number, dst: FloatArray): void {
  const m = x.shape[tx ? 1 : 0]!, k = x.shape[tx ? 0 : 1]!;
  const n = y.shape[ty ? 0 : 1]!;
  getBackend().gemm(tx, ty, m, n, k, 1, x.data, 0, x.shape[1]!, y.data, 0, y.shape[1]!, beta, dst, 0, n);
}

/** torch.matmul semantics for 1-D, 2-D and batched operands (batch dims broadcast). */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkTensor(a, 'matmul', 'a');
  checkTensor(b, 'matmul', 'b');
  checkSameDtype(a, b, 'matmul');
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(`matmul: shapes ${show(a.shape)} and ${show(b.shape)}: both arguments need at least 1 dimension`);
  }
  if (a.ndim === 1 && b.ndim === 1) {
    if (a.shape[0] !== b.shape[0]) throw new ShapeError(`matmul: shapes ${show(a.shape)} and ${show(b.shape)} do not match: expected a.shape[0] == b.shape[0]`);
    return reshape(mm(reshape(a, [1, a.shape[0]!]), reshape(b, [b.shape[0]!, 1])), []);
  }
  if (a.ndim === 1) {
    const out = matmul(reshape(a, [1, a.shape[0]!]), b);
    return reshape(out, [...out.shape.slice(0, -2), out.shape[out.ndim - 1]!]);
  }
  if (b.ndim === 1) {
    const out = matmul(a, reshape(b, [b.shape[0]!, 1]));
    return reshape(out, out.shape.slice(0, -1));
  }
  if (a.ndim === 2 && b.ndim === 2) return mm(a, b);
  const m = a.shape[a.ndim - 2]!, k = a.shape[a.ndim - 1]!;
  const kb = b.shape[b.ndim - 2]!, n = b.shape[b.ndim - 1]!;
  if (k !== kb) {
    throw new ShapeError(`matmul: shapes ${show(a.shape)} and ${show(b.shape)} do not match: expected a.shape[${a.ndim - 1}] == b.shape[${b.ndim - 2}]`);
  }
  if (b.ndim === 2) {
    // [..., m, k] @ [k, n]: one gemm over all rows.
    const out = mm(reshape(a, [-1, k]), b);
    return reshape(out, [...a.shape.slice(0, -1), n]);
  }
  const batchShape = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), 'matmul');
  const batch = batchShape.reduce((p, d) => p * d, 1);
  const a3 = reshape(expand(a, [...batchShape, m, k]), [batch, m, k]);
  const b3 = reshape(expand(b, [...batchShape, k, n]), [batch, k, n]);
  return reshape(mm(a3, b3), [...batchShape, m, n]);
}


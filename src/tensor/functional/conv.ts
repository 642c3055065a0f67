/**
 * 2-D convolution and max pooling on [N, C, H, W] tensors. conv2d runs the backend's fused
 * kernels (conv2d, conv2dBackwardInput, conv2dBackwardWeight: one image's columns at a time);
 * with createGraph its gradient is built from differentiable ops (im2col + matmul, col2im),
 * so double backward works too.
 */
import { ShapeError, ValueError, show } from '../../core/errors.js';
import type { Conv2dGeometry } from '../../kernels/backend.js';
import { getBackend } from '../../kernels/registry.js';
import { record } from '../../autograd/node.js';
import { isGradEnabled } from '../../autograd/mode.js';
import type { Tensor } from '../tensor.js';
import { checkSameDtype, checkTensor, empty } from '../ops/util.js';
import { mm } from '../ops/matmul.js';
import { sum } from '../ops/reduce.js';
import { permute, reshape } from '../ops/movement.js';
import { scatterAddFlat } from '../ops/indexing.js';

export type Pair = number | readonly [number, number];

export interface Conv2dOptions {
  stride?: Pair;
  padding?: Pair | 'same' | 'valid';
}

export interface MaxPool2dOptions {
  /** Default: the kernel size. */
  stride?: Pair | null;
  padding?: Pair;
}

function pair(value: unknown, name: string, op: string, min: number): [number, number] {
  const v = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => Number.isInteger(x) && x >= min)) {
    throw new ValueError(`${op}: invalid ${name} ${show(value)}, expected an integer >= ${min} or a pair of them`);
  }
  return [v[0], v[1]];
}

function geometry(x: Tensor, kh: number, kw: number, [sh, sw]: [number, number], [ph, pw]: [number, number], op: string): Conv2dGeometry {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const oh = Math.floor((h + 2 * ph - kh) / sh) + 1;
  const ow = Math.floor((w + 2 * pw - kw) / sw) + 1;
  if (oh < 1 || ow < 1) {
    throw new ShapeError(`${op}: input of shape ${show(x.shape)} is smaller than the kernel [${kh}, ${kw}] with padding [${ph}, ${pw}]: expected an output of at least 1x1`);
  }
  return { n, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow };
}

/** x [n, c, h, w] -> columns [n*oh*ow, c*kh*kw]; the gradient is col2im. */
function im2col(x: Tensor, g: Conv2dGeometry): Tensor {
  const out = empty([g.n * g.oh * g.ow, g.c * g.kh * g.kw], x.dtype);
  getBackend().im2col(g, x.data, 0, out.data, 0);
  return record(out, { name: 'im2col', inputs: [x], backward: (gr) => [col2im(gr, g, x.shape)] });
}

/** The adjoint of im2col (sums overlapping windows back into an image); the gradient is im2col. */
function col2im(col: Tensor, g: Conv2dGeometry, shape: readonly number[]): Tensor {
  const out = empty(shape, col.dtype);
  getBackend().col2im(g, col.data, 0, out.data, 0);
  return record(out, { name: 'col2im', inputs: [col], backward: (gr) => [im2col(gr, g)] });
}

/**
 * Cross-correlation like torch.nn.functional.conv2d: x [N, C, H, W], weight [O, C, kh, kw],
 * bias [O]; padding 'same' needs stride 1 and odd kernels.
 */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv2dOptions = {}): Tensor {
  checkTensor(x, 'conv2d', 'input');
  checkTensor(weight, 'conv2d', 'weight');
  checkSameDtype(x, weight, 'conv2d');
  if (x.ndim !== 4) throw new ShapeError(`conv2d: input of shape ${show(x.shape)} is not 4-D, expected [N, C, H, W]`);
  if (weight.ndim !== 4) throw new ShapeError(`conv2d: weight of shape ${show(weight.shape)} is not 4-D, expected [O, C, kh, kw]`);
  const [o, c, kh, kw] = weight.shape as [number, number, number, number];
  if (x.shape[1] !== c) {
    throw new ShapeError(`conv2d: input of shape ${show(x.shape)} and weight of shape ${show(weight.shape)} do not match: expected input.shape[1] == weight.shape[1] (${c})`);
  }
  const stride = pair(options.stride ?? 1, 'stride', 'conv2d', 1);
  let padding: [number, number];
  const p = options.padding ?? 0;
  if (p === 'valid') padding = [0, 0];
  else if (p === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1) throw new ValueError(`conv2d: padding 'same' needs stride 1, got stride ${show(stride)}`);
    if (kh % 2 === 0 || kw % 2 === 0) throw new ValueError(`conv2d: padding 'same' needs odd kernel sizes here, got [${kh}, ${kw}]`);
    padding = [(kh - 1) / 2, (kw - 1) / 2];
  } else padding = pair(p, 'padding', 'conv2d', 0);
  if (bias != null) {
    checkTensor(bias, 'conv2d', 'bias');
    checkSameDtype(x, bias, 'conv2d');
    if (bias.ndim !== 1 || bias.shape[0] !== o) throw new ShapeError(`conv2d: bias of shape ${show(bias.shape)} does not match weight ${show(weight.shape)}: expected [${o}]`);
  }
  const g = geometry(x, kh, kw, stride, padding, 'conv2d');
  const out = empty([g.n, o, g.oh, g.ow], x.dtype);
  getBackend().conv2d(g, o, x.data, 0, weight.data, 0, bias?.data ?? null, 0, out.data, 0);
  const inputs = bias != null ? [x, weight, bias] : [x, weight];
  return record(out, {
    name: 'conv2d',
    inputs,
    backward: (gy, wanted) => (isGradEnabled() ? conv2dGradGraph(gy, x, weight, bias != null, g) : conv2dGrad(gy, x, weight, bias != null, g, wanted)),
  });
}

/** The gradients of conv2d from the fused backend kernels (not differentiable: no createGraph). */
function conv2dGrad(gy: Tensor, x: Tensor, weight: Tensor, hasBias: boolean, g: Conv2dGeometry, wanted?: readonly boolean[]): (Tensor | null)[] {
  const o = weight.shape[0]!;
  const backend = getBackend();
  let dx: Tensor | null = null;
  if (wanted?.[0] !== false) {
    dx = empty(x.shape, x.dtype);
    backend.conv2dBackwardInput(g, o, gy.data, 0, weight.data, 0, dx.data, 0);
  }
  let dw: Tensor | null = null, db: Tensor | null = null;
  if (wanted?.[1] !== false || (hasBias && wanted?.[2] !== false)) {
    dw = empty(weight.shape, weight.dtype);
    db = hasBias ? empty([o], weight.dtype) : null;
    backend.conv2dBackwardWeight(g, o, x.data, 0, gy.data, 0, dw.data, 0, db?.data ?? null, 0);
  }
  return hasBias ? [dx, dw, db] : [dx, dw];
}

/** The same gradients built from differentiable ops (for createGraph: double backward). */
function conv2dGradGraph(gy: Tensor, x: Tensor, weight: Tensor, hasBias: boolean, g: Conv2dGeometry): Tensor[] {
  const [o, c, kh, kw] = weight.shape as [number, number, number, number];
  const gyRows = reshape(permute(gy, [0, 2, 3, 1]), [g.n * g.oh * g.ow, o]);
  const w2 = reshape(weight, [o, c * kh * kw]);
  const dx = col2im(mm(gyRows, w2, false, false, 'conv2d backward'), g, x.shape);
  const dw = reshape(mm(gyRows, im2col(x, g), true, false, 'conv2d backward'), weight.shape);
  return hasBias ? [dx, dw, sum(gyRows, 0)] : [dx, dw];
}

/** Max pooling like torch's max_pool2d (padding counts as -Infinity); gradient to each window's argmax. */
export function maxPool2d(x: Tensor, kernelSize: Pair, options: MaxPool2dOptions = {}): Tensor {
  checkTensor(x, 'maxPool2d');
  if (x.ndim !== 4) throw new ShapeError(`maxPool2d: input of shape ${show(x.shape)} is not 4-D, expected [N, C, H, W]`);
  const [kh, kw] = pair(kernelSize, 'kernelSize', 'maxPool2d', 1);
  const stride = pair(options.stride ?? [kh, kw], 'stride', 'maxPool2d', 1);
  const padding = pair(options.padding ?? 0, 'padding', 'maxPool2d', 0);
  if (2 * padding[0] > kh || 2 * padding[1] > kw) {
    throw new ValueError(`maxPool2d: padding ${show(padding)} is too large for kernel [${kh}, ${kw}]: expected padding <= kernel / 2`);
  }
  const g = geometry(x, kh, kw, stride, padding, 'maxPool2d');
  const out = empty([g.n, g.c, g.oh, g.ow], x.dtype);
  const index = new Int32Array(out.numel);
  getBackend().maxPool2d(g, x.data, 0, out.data, 0, index, 0);
  return record(out, { name: 'maxPool2d', inputs: [x], backward: (gr) => [scatterAddFlat(gr, index, x.shape, true)] });
}

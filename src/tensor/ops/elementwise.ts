/**
 * Elementwise ops with torch broadcasting. Each op computes its forward value with a
 * backend kernel and records a backward rule written in differentiable Tensor ops.
 */
import { ValueError, show } from '../../core/errors.js';
import type { BinaryOp, UnaryOp } from '../../kernels/backend.js';
import { getBackend } from '../../kernels/registry.js';
import { record } from '../../autograd/node.js';
import type { Tensor } from '../tensor.js';
import { broadcastShapes, broadcastStrides, sameShape, stridesOf } from '../shape.js';
import { checkSameDtype, checkTensor, empty, toOperand } from './util.js';
import { sumTo } from './reduce.js';

function binaryForward(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  const shape = sameShape(a.shape, b.shape) ? a.shape : broadcastShapes(a.shape, b.shape, op);
  const out = empty(shape, a.dtype);
  const sa = sameShape(a.shape, shape) ? stridesOf(shape) : broadcastStrides(a.shape, shape);
  const sb = sameShape(b.shape, shape) ? stridesOf(shape) : broadcastStrides(b.shape, shape);
  getBackend().binary(op, shape.length, shape, a.data, 0, sa, b.data, 0, sb, out.data, 0);
  return out;
}

function operands(a: Tensor, b: Tensor | number, op: string): Tensor {
  checkTensor(a, op);
  return toOperand(b, a, op);
}

export function add(a: Tensor, other: Tensor | number): Tensor {
  const b = operands(a, other, 'add');
  const out = binaryForward('add', a, b);
  return record(out, {
    name: 'add', inputs: [a, b],
    backward: (g) => [a.requiresGrad ? sumTo(g, a.shape) : null, b.requiresGrad ? sumTo(g, b.shape) : null],
  });
}

export function sub(a: Tensor, other: Tensor | number): Tensor {
  const b = operands(a, other, 'sub');
  const out = binaryForward('sub', a, b);
  return record(out, {
    name: 'sub', inputs: [a, b],
    backward: (g) => [a.requiresGrad ? sumTo(g, a.shape) : null, b.requiresGrad ? sumTo(neg(g), b.shape) : null],
  });
}

export function mul(a: Tensor, other: Tensor | number): Tensor {
  const b = operands(a, other, 'mul');
  const out = binaryForward('mul', a, b);
  return record(out, {
    name: 'mul', inputs: [a, b],
    backward: (g) => [a.requiresGrad ? sumTo(mul(g, b), a.shape) : null, b.requiresGrad ? sumTo(mul(g, a), b.shape) : null],
  });
}

export function div(a: Tensor, other: Tensor | number): Tensor {
  const b = operands(a, other, 'div');
  const out = binaryForward('div', a, b);
  return record(out, {
    name: 'div', inputs: [a, b],
    backward: (g) => [
      a.requiresGrad ? sumTo(div(g, b), a.shape) : null,
      // d(a/b)/db = -a / b^2
      b.requiresGrad ? sumTo(neg(div(mul(g, a), mul(b, b))), b.shape) : null,
    ],
  });
}

/** The share of the gradient of maximum/minimum going to `a`: 1 where a wins, 1/2 on ties (as torch). */
function winnerMask(a: Tensor, b: Tensor, sign: 1 | -1): Tensor {
  const d = binaryForward('sub', a, b);
  const m = d.data;
  for (let i = 0; i < m.length; i++) {
    const v = sign * m[i]!;
    m[i] = v > 0 ? 1 : v === 0 ? 0.5 : 0;
  }
  return d;
}

function extremum(op: 'maximum' | 'minimum', a: Tensor, other: Tensor | number): Tensor {
  const b = operands(a, other, op);
  const out = binaryForward(op, a, b);
  return record(out, {
    name: op, inputs: [a, b],
    backward: (g) => {
      const ma = winnerMask(a, b, op === 'maximum' ? 1 : -1);
      const mb = unaryForward('addScalar', unaryForward('neg', ma, 0, 0), 1, 0);
      return [a.requiresGrad ? sumTo(mul(g, ma), a.shape) : null, b.requiresGrad ? sumTo(mul(g, mb), b.shape) : null];
    },
  });
}

export function maximum(a: Tensor, other: Tensor | number): Tensor {
  return extremum('maximum', a, other);
}

export function minimum(a: Tensor, other: Tensor | number): Tensor {
  return extremum('minimum', a, other);
}

/** Forward only: a new tensor f(x) with no tape entry. */
export function unaryForward(op: UnaryOp, x: Tensor, p0: number, p1: number): Tensor {
  const out = empty(x.shape, x.dtype);
  getBackend().unary(op, x.numel, x.data, 0, out.data, 0, p0, p1);
  return out;
}

function unary(op: UnaryOp, x: Tensor, backward: (g: Tensor, out: Tensor) => Tensor, p0 = 0, p1 = 0): Tensor {
  checkTensor(x, op);
  const out = unaryForward(op, x, p0, p1);
  return record(out, { name: op, inputs: [x], backward: (g) => [backward(g, out)] });
}

export function neg(x: Tensor): Tensor {
  return unary('neg', x, (g) => neg(g));
}

export function exp(x: Tensor): Tensor {
  return unary('exp', x, (g, out) => mul(g, out));
}

export function log(x: Tensor): Tensor {
  return unary('log', x, (g) => div(g, x));
}

export function sqrt(x: Tensor): Tensor {
  return unary('sqrt', x, (g, out) => div(g, scale(out, 2)));
}

export function tanh(x: Tensor): Tensor {
  // d tanh = 1 - tanh^2
  return unary('tanh', x, (g, out) => mul(g, addScalar(neg(square(out)), 1)));
}

export function sigmoid(x: Tensor): Tensor {
  return unary('sigmoid', x, (g, out) => mul(g, mul(out, addScalar(neg(out), 1))));
}

export function relu(x: Tensor): Tensor {
  return unary('relu', x, (g) => mul(g, unaryForward('stepGt', x, 0, 0)));
}

export function abs(x: Tensor): Tensor {
  return unary('abs', x, (g) => mul(g, unaryForward('sign', x, 0, 0)));
}

export function square(x: Tensor): Tensor {
  return unary('square', x, (g) => mul(g, scale(x, 2)));
}

export function reciprocal(x: Tensor): Tensor {
  return unary('reciprocal', x, (g, out) => neg(mul(g, square(out))));
}

/** Elementwise sign; its gradient is zero (recorded as no dependence). */
export function sign(x: Tensor): Tensor {
  checkTensor(x, 'sign');
  return unaryForward('sign', x, 0, 0);
}

export function pow(x: Tensor, exponent: number): Tensor {
  if (typeof exponent !== 'number' || Number.isNaN(exponent)) {
    throw new ValueError(`pow: invalid exponent ${show(exponent)}, expected a number`);
  }
  return unary('pow', x, (g) => (exponent === 0 ? scale(g, 0) : mul(g, scale(pow(x, exponent - 1), exponent))), exponent);
}

/** x * c for a number c. */
export function scale(x: Tensor, c: number): Tensor {
  return unary('scale', x, (g) => scale(g, c), c);
}

/** x + c for a number c. */
export function addScalar(x: Tensor, c: number): Tensor {
  return unary('addScalar', x, (g) => g, c);
}

export function clamp(x: Tensor, min?: number, max?: number): Tensor {
  if (min === undefined && max === undefined) throw new ValueError('clamp: expected at least one of min and max');
  for (const [name, v] of [['min', min], ['max', max]] as const) {
    if (v !== undefined && (typeof v !== 'number' || Number.isNaN(v))) throw new ValueError(`clamp: invalid ${name} ${show(v)}, expected a number`);
  }
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  return unary('clamp', x, (g) => mul(g, unaryForward('inRange', x, lo, hi)), lo, hi);
}

/** A differentiable copy. */
export function clone(x: Tensor): Tensor {
  checkTensor(x, 'clone');
  const out = empty(x.shape, x.dtype);
  out.data.set(x.data);
  return record(out, { name: 'clone', inputs: [x], backward: (g) => [g] });
}

export { checkSameDtype };

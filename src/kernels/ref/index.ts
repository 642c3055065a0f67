/** The reference backend: plain TypeScript kernels that define descent's numbers. */
import type { Backend } from '../backend.js';
import { gemm } from './gemm.js';
import { binary, copyStrided, unary } from './elementwise.js';
import { argmaxAxis, gather, logSoftmaxAxis, logSumExpAxis, scatterAdd, sumAxis } from './reduce.js';
import { col2im, im2col, maxPool2d } from './conv.js';
import { conv2d, conv2dBackwardInput, conv2dBackwardWeight } from './conv2d.js';

export const refBackend: Backend = Object.freeze({
  name: 'ref',
  gemm,
  unary,
  binary,
  copyStrided,
  sumAxis,
  logSumExpAxis,
  logSoftmaxAxis,
  argmaxAxis,
  gather,
  scatterAdd,
  im2col,
  col2im,
  maxPool2d,
  conv2d,
  conv2dBackwardInput,
  conv2dBackwardWeight,
});

// The WebAssembly module's exports. Built twice by scripts/build-wasm.mjs: kernels.wasm with
// baseline SIMD and kernels-relaxed.wasm with relaxed SIMD (fused multiply-add in GEMM).
// Memory is imported (shared, so worker threads can run the same kernels on it); the module
// allocates nothing: the JS loader lays out operands and scratch space above heapBase().

export { gemm, gemmShared, GEMM_WORK_BYTES, MR, NR, KC, MC, NC } from './gemm';
export { unary32, binary32, sumAxis32, copyStrided32, firstNonFinite32, SUM_ACC_BYTES } from './elementwise';
export { im2col32, col2im32, maxPool2d32, conv2dForward32, conv2dBackwardInput32, conv2dBackwardWeight32, convReduce32, CONV_GROUP } from './conv';
export { adam, sgd, adagrad, rmsprop, adadelta, TAIL_BYTES } from './optim';

/** First free byte of linear memory (after static data). */
export function heapBase(): usize {
  return __heap_base;
}

export type { Backend, GemmBackend, BinaryOp, UnaryOp, Conv2dGeometry, OptimizerSteps, AdamStepOptions, SgdStepOptions, AdagradStepOptions, RmspropStepOptions, AdadeltaStepOptions } from './backend.js';
export { refBackend } from './ref/index.js';
export { getBackend, setBackend, registerBackend, registeredBackends, withRefFallback, setDefaultBackendOrder } from './registry.js';
export type { PartialBackend } from './registry.js';
export { loadWasmKernels, createWasmBackend, wasmAvailable } from './wasm/index.js';
export type { WasmKernels, WasmKernelOptions } from './wasm/index.js';

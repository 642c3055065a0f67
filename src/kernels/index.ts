export type { Backend, GemmBackend, BinaryOp, UnaryOp, Conv2dGeometry } from './backend.js';
export { refBackend } from './ref/index.js';
export { getBackend, setBackend, registerBackend, registeredBackends, withRefFallback } from './registry.js';
export type { PartialBackend } from './registry.js';

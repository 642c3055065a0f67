/**
 * What every wrapper needs: the main thread's instance, the memory arena, the worker pool,
 * and argument checks shared by the kernels.
 */
import { DescentError, ValueError, show } from '../../core/errors.js';
import type { Arena } from './arena.js';
import type { KernelExports } from './module.js';
import type { WorkerPool } from './threads.js';

export interface KernelContext {
  readonly exports: KernelExports;
  readonly arena: Arena;
  readonly pool: WorkerPool | null;
  /** Threads in all: the calling thread plus pool.size workers. */
  readonly threads: number;
  readonly gemmWorkBytes: number;
}

export function checkFloat32(where: string, name: string, value: unknown): Float32Array {
  if (value instanceof Float32Array) return value;
  if (value instanceof Float64Array) {
    throw new DescentError(`${where}: ${name} is a Float64Array; the WASM kernels are float32 only, expected a Float32Array (use the ref backend for float64)`);
  }
  throw new ValueError(`${where}: invalid ${name} ${describe(value)}, expected a Float32Array`);
}

export function checkCount(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ValueError(`${where}: invalid ${name} ${show(value)}, expected an integer >= 0`);
  }
  return value;
}

export function checkFinite(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValueError(`${where}: invalid ${name} ${show(value)}, expected a finite number`);
  }
  return value;
}

export function checkBool(where: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ValueError(`${where}: invalid ${name} ${show(value)}, expected true or false`);
  return value;
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return show(value);
  return (value as object).constructor?.name ?? 'object';
}

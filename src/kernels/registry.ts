/**
 * Backend selection. `getBackend()` returns the current backend: the one given to
 * `setBackend`, else the one named by the DESCENT_BACKEND environment variable, else 'ref'.
 * Backends register a factory under a name; a backend may implement only some kernels
 * (at least gemm): the missing ones are taken from the reference backend.
 */
import { ValueError, show } from '../core/errors.js';
import type { Backend, GemmBackend } from './backend.js';
import { refBackend } from './ref/index.js';
import { createWasmBackend } from './wasm/index.js';

export type PartialBackend = GemmBackend & Partial<Backend> & { readonly name?: string };

// 'wasm': WebAssembly SIMD kernels (GEMM on all cores, float64 falls back to ref), compiled
// on first use. DESCENT_THREADS sets its thread count.
const factories = new Map<string, () => PartialBackend>([
  ['ref', () => refBackend],
  ['wasm', () => createWasmBackend(refBackend)],
]);
let current: Backend | null = null;

/** Makes `name` available to setBackend(name) and DESCENT_BACKEND=name. */
export function registerBackend(name: string, factory: () => PartialBackend): void {
  if (typeof name !== 'string' || !/^[a-z][a-z0-9_-]*$/.test(name)) {
    throw new ValueError(`registerBackend: invalid name ${show(name)}, expected lowercase letters, digits, '-' or '_'`);
  }
  if (typeof factory !== 'function') throw new ValueError(`registerBackend: invalid factory for ${show(name)}, expected a function`);
  factories.set(name, factory);
}

export function registeredBackends(): string[] {
  return [...factories.keys()];
}

/** Completes a partial backend with reference kernels. */
export function withRefFallback(partial: PartialBackend, name?: string): Backend {
  if (partial === null || typeof partial !== 'object' || typeof partial.gemm !== 'function') {
    throw new ValueError(`setBackend: invalid backend ${show(partial)}, expected an object with at least a gemm method`);
  }
  const full: Record<string, unknown> = {};
  for (const key of Object.keys(refBackend) as (keyof Backend)[]) {
    const own = partial[key];
    full[key] = typeof own === 'function' ? (own as (...args: unknown[]) => unknown).bind(partial) : refBackend[key];
  }
  full.name = partial.name ?? name ?? 'custom';
  if (partial.optimizerSteps !== undefined) full.optimizerSteps = partial.optimizerSteps;
  if (partial.memory !== undefined) full.memory = partial.memory;
  return Object.freeze(full) as unknown as Backend;
}

/** Selects the backend by object or registered name. */
export function setBackend(backend: PartialBackend | string): Backend {
  if (typeof backend === 'string') {
    const factory = factories.get(backend);
    if (!factory) throw new ValueError(`setBackend: unknown backend ${show(backend)}, expected one of ${registeredBackends().map((n) => JSON.stringify(n)).join(', ')}`);
    current = withRefFallback(factory(), backend);
  } else {
    current = backend === refBackend ? refBackend : withRefFallback(backend);
  }
  return current;
}

let preferred: string[] = ['wasm', 'ref'];

/**
 * The backends tried, in order, when neither setBackend nor DESCENT_BACKEND chose one: the
 * first that loads is used ('wasm' where it loads, else 'ref').
 */
export function setDefaultBackendOrder(names: readonly string[]): void {
  if (!Array.isArray(names) || names.length === 0 || names.some((n) => !factories.has(n))) {
    throw new ValueError(`setDefaultBackendOrder: invalid names ${show(names)}, expected registered backends (${registeredBackends().join(', ')})`);
  }
  preferred = [...names];
}

export function getBackend(): Backend {
  if (current === null) {
    const env = typeof process !== 'undefined' ? process.env?.DESCENT_BACKEND : undefined;
    if (env) {
      setBackend(env); // asked for by name: a failure to load is an error
    } else {
      for (const name of preferred) {
        try {
          setBackend(name);
          break;
        } catch {
          // not available here (e.g. wasm before `npm run build`): try the next
        }
      }
      if (current === null) setBackend('ref');
    }
  }
  return current!;
}

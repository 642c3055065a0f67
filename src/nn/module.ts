/**
 * Module: the base of every layer, shaped like torch.nn.Module. A module owns parameters
 * (tensors the optimizer trains), buffers (state that is saved but not trained, such as
 * BatchNorm's running statistics) and child modules, each registered under a name. Names
 * compose with dots, `fc1.weight`, `0.bias`, exactly as torch's `state_dict` keys do.
 *
 * Registration is explicit (TypeScript has no `__setattr__` hook):
 *
 *   class Net extends Module {
 *     fc = this.registerModule('fc', new Linear(4, 2));
 *     forward(x: Tensor) { return this.fc.call(x).relu(); }
 *   }
 *
 * `stateDict()` returns copies (a snapshot, safe to serialize); `loadStateDict()` copies values
 * INTO the existing arrays, so parameters packed into one flat buffer stay packed.
 */
import type { FloatArray } from '../core/dtype.js';
import { DataError, ValueError, show } from '../core/errors.js';
import { Tensor } from '../tensor/tensor.js';

/** One saved tensor: its shape and a copy of its values. */
export interface StateEntry {
  shape: number[];
  /** A typed array, or plain numbers (e.g. after a JSON round trip). */
  data: FloatArray | number[];
}

export type StateDict = Record<string, StateEntry>;

export interface LoadStateDictResult {
  /** Model keys the dict did not have (only when `strict` is false). */
  missingKeys: string[];
  /** Dict keys the model does not have (only when `strict` is false). */
  unexpectedKeys: string[];
}

const NAME = /^[A-Za-z0-9_]+$/;

function checkName(name: unknown, kind: string, where: string): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new ValueError(`${where}: invalid ${kind} name ${show(name)}, expected letters, digits or '_' (no dots)`);
  }
  return name;
}

function listKeys(keys: readonly string[]): string {
  const shown = keys.slice(0, 8).map((k) => JSON.stringify(k)).join(', ');
  return keys.length > 8 ? `${shown}, ... (${keys.length} in all)` : shown;
}

export abstract class Module {
  /** True in training mode (Dropout drops, BatchNorm uses batch statistics); see train()/eval(). */
  training = true;

  readonly #parameters = new Map<string, Tensor>();
  readonly #buffers = new Map<string, Tensor>();
  readonly #modules = new Map<string, Module>();

  /** Computes the module's output. */
  abstract forward(input: Tensor): Tensor;

  /** Runs `forward` (the analogue of calling a torch module). */
  call(input: Tensor): Tensor {
    return this.forward(input);
  }

  /** Registers `tensor` as a trainable parameter under `name` (sets requiresGrad) and returns it. */
  protected registerParameter(name: string, tensor: Tensor): Tensor {
    const where = `${this.constructor.name}.registerParameter`;
    this.checkFree(checkName(name, 'parameter', where), where);
    if (!(tensor instanceof Tensor)) throw new ValueError(`${where}: invalid parameter ${show(name)}: expected a Tensor`);
    tensor.requiresGrad_(true);
    this.#parameters.set(name, tensor);
    return tensor;
  }

  /** Registers `tensor` as a buffer (saved in stateDict, not trained) under `name` and returns it. */
  protected registerBuffer(name: string, tensor: Tensor): Tensor {
    const where = `${this.constructor.name}.registerBuffer`;
    this.checkFree(checkName(name, 'buffer', where), where);
    if (!(tensor instanceof Tensor)) throw new ValueError(`${where}: invalid buffer ${show(name)}: expected a Tensor`);
    this.#buffers.set(name, tensor);
    return tensor;
  }

  /** Registers a child module under `name` and returns it. */
  protected registerModule<M extends Module>(name: string, module: M): M {
    const where = `${this.constructor.name}.registerModule`;
    this.checkFree(checkName(name, 'module', where), where);
    if (!(module instanceof Module)) throw new ValueError(`${where}: invalid module ${show(name)}: expected a Module`);
    if ((module as Module) === this) throw new ValueError(`${where}: cannot register a module as its own child (${show(name)})`);
    this.#modules.set(name, module);
    return module;
  }

  private checkFree(name: string, where: string): void {
    if (this.#parameters.has(name) || this.#buffers.has(name) || this.#modules.has(name)) {
      throw new ValueError(`${where}: name ${show(name)} is already registered in ${this.constructor.name}`);
    }
  }

  /** Direct children, in registration order. */
  children(): Module[] {
    return [...this.#modules.values()];
  }

  namedChildren(): [string, Module][] {
    return [...this.#modules.entries()];
  }

  /** This module and all descendants (each once), depth first, with dotted names ('' for this one). */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const visit = (m: Module, name: string): void => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([name, m]);
      for (const [child, sub] of m.#modules) visit(sub, name === '' ? child : `${name}.${child}`);
    };
    visit(this, prefix);
    return out;
  }

  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Parameters with dotted names, in registration order; a tensor shared by two modules appears once. */
  namedParameters(): [string, Tensor][] {
    return this.collect((m) => m.#parameters);
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  namedBuffers(): [string, Tensor][] {
    return this.collect((m) => m.#buffers);
  }

  buffers(): Tensor[] {
    return this.namedBuffers().map(([, t]) => t);
  }

  private collect(pick: (m: Module) => Map<string, Tensor>): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, t] of pick(m)) {
        if (seen.has(t)) continue;
        seen.add(t);
        out.push([prefix === '' ? name : `${prefix}.${name}`, t]);
      }
    }
    return out;
  }

  /**
   * Calls `fn` on every descendant and then this module (children first, like torch's
   * `apply`); returns this. The usual way to re-initialize:
   *   net.apply((m) => { if (m instanceof Linear) init.heNormal(m.weight, { rng }); });
   */
  apply(fn: (module: Module) => void): this {
    if (typeof fn !== 'function') throw new ValueError(`${this.constructor.name}.apply: invalid fn ${show(typeof fn)}, expected a function`);
    const seen = new Set<Module>();
    const visit = (m: Module): void => {
      if (seen.has(m)) return;
      seen.add(m);
      for (const child of m.#modules.values()) visit(child);
      fn(m);
    };
    visit(this);
    return this;
  }

  /** Total number of parameter elements. */
  numParameters(): number {
    let n = 0;
    for (const p of this.parameters()) n += p.data.length;
    return n;
  }

  /** Sets training mode on this module and every descendant; returns this. */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new ValueError(`${this.constructor.name}.train: invalid mode ${show(mode)}, expected a boolean`);
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode (train(false)); returns this. */
  eval(): this {
    return this.train(false);
  }

  /**
   * Clears parameter gradients. By default fills them with zeros, keeping the arrays (torch
   * 1.13's default, and what packed parameters need); `setToNone` drops them instead.
   */
  zeroGrad(setToNone = false): void {
    for (const p of this.parameters()) {
      if (setToNone) {
        p.grad = null;
        p.gradRows = null;
      } else {
        p.zeroGrad(); // keeps the array (and tells the engine the gradient is all zeros)
      }
    }
  }

  /** Copies of every parameter and buffer, keyed by dotted name (parameters first, then buffers, per module). */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [name, t] of this.stateTensors()) out[name] = { shape: t.shape.slice(), data: t.data.slice() };
    return out;
  }

  /** Parameters and buffers by dotted name, in stateDict order. */
  private stateTensors(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const map of [m.#parameters, m.#buffers]) {
        for (const [name, t] of map) {
          if (seen.has(t)) continue;
          seen.add(t);
          out.push([prefix === '' ? name : `${prefix}.${name}`, t]);
        }
      }
    }
    return out;
  }

  /**
   * Copies values from `dict` into this module's parameters and buffers (in place). With
   * `strict` (default) the keys must match exactly; shapes must match always. Throws a
   * DataError naming the offending keys or the key and both shapes; nothing is written then.
   */
  loadStateDict(dict: StateDict, options: { strict?: boolean } = {}): LoadStateDictResult {
    const where = `${this.constructor.name}.loadStateDict`;
    if (dict === null || typeof dict !== 'object' || Array.isArray(dict)) {
      throw new DataError(`${where}: invalid state dict ${show(typeof dict)}, expected an object of {shape, data} keyed by name`);
    }
    const strict = options.strict ?? true;
    const own = this.stateTensors();
    const ownNames = new Set(own.map(([n]) => n));
    const missingKeys = own.map(([n]) => n).filter((n) => !Object.prototype.hasOwnProperty.call(dict, n));
    const unexpectedKeys = Object.keys(dict).filter((n) => !ownNames.has(n));
    if (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
      const parts: string[] = [];
      if (missingKeys.length > 0) parts.push(`missing keys ${listKeys(missingKeys)}`);
      if (unexpectedKeys.length > 0) parts.push(`unexpected keys ${listKeys(unexpectedKeys)}`);
      throw new DataError(`${where}: state dict does not match the model: ${parts.join('; ')}`);
    }
    const writes: [Tensor, ArrayLike<number>][] = [];
    for (const [name, t] of own) {
      if (!Object.prototype.hasOwnProperty.call(dict, name)) continue;
      const entry = dict[name];
      if (entry === null || typeof entry !== 'object' || !Array.isArray(entry.shape)) {
        throw new DataError(`${where}: invalid entry for ${show(name)}, expected {shape, data}`);
      }
      const shapeOk = entry.shape.length === t.shape.length && entry.shape.every((d, i) => d === t.shape[i]);
      if (!shapeOk) {
        throw new DataError(`${where}: size mismatch for ${show(name)}: state dict has shape ${show(entry.shape)}, the model has ${show(t.shape)}`);
      }
      const data = entry.data as unknown;
      const isArrayLike = Array.isArray(data) || data instanceof Float32Array || data instanceof Float64Array;
      if (!isArrayLike || (data as ArrayLike<number>).length !== t.data.length) {
        const got = isArrayLike ? `${(data as ArrayLike<number>).length} values` : show(typeof data);
        throw new DataError(`${where}: invalid data for ${show(name)}: got ${got}, expected ${t.data.length} numbers`);
      }
      const values = data as ArrayLike<number>;
      for (let i = 0; i < values.length; i++) {
        if (typeof values[i] !== 'number') throw new DataError(`${where}: invalid value ${show(values[i])} at ${name}[${i}], expected a number`);
      }
      writes.push([t, values]);
    }
    for (const [t, values] of writes) t.data.set(values);
    return { missingKeys, unexpectedKeys };
  }

  /** One-line description of this module's own settings (override in layers), shown by toString. */
  protected extraRepr(): string {
    return '';
  }

  toString(): string {
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    const kids = this.namedChildren();
    if (kids.length === 0) return `${head})`;
    const lines = kids.map(([name, m]) => `  (${name}): ${m.toString().split('\n').join('\n  ')}`);
    return `${head}\n${lines.join('\n')}\n)`;
  }
}

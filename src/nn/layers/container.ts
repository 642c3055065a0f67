/** Sequential (modules applied in order, named '0', '1', ...) and Flatten. */
import { ValueError, show } from '../../core/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Module } from '../module.js';
import { checkTensor } from './check-input.js';

export class Sequential extends Module {
  readonly #layers: Module[] = [];

  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => {
      if (!(m instanceof Module)) throw new ValueError(`Sequential: invalid module at index ${i}: ${show(typeof m)}, expected a Module`);
      this.append(m);
    });
  }

  /** Adds `module` at the end (named by its index) and returns this. */
  append(module: Module): this {
    if (!(module instanceof Module)) throw new ValueError(`Sequential.append: invalid module ${show(typeof module)}, expected a Module`);
    this.registerModule(String(this.#layers.length), module);
    this.#layers.push(module);
    return this;
  }

  get length(): number {
    return this.#layers.length;
  }

  /** The module at `index` (negative counts from the end). */
  at(index: number): Module {
    const n = this.#layers.length;
    if (!Number.isInteger(index) || index < -n || index >= n) {
      throw new ValueError(`Sequential.at: invalid index ${show(index)}, expected an integer in [${-n}, ${n - 1}]`);
    }
    return this.#layers[index < 0 ? index + n : index]!;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.#layers[Symbol.iterator]();
  }

  forward(input: Tensor): Tensor {
    let x = input;
    for (const m of this.#layers) x = m.call(x);
    return x;
  }
}

/** Flattens dims startDim..endDim into one (default: all but the batch dim), like torch.nn.Flatten. */
export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;

  constructor(startDim = 1, endDim = -1) {
    super();
    for (const [name, v] of [['startDim', startDim], ['endDim', endDim]] as const) {
      if (typeof v !== 'number' || !Number.isInteger(v)) throw new ValueError(`Flatten: invalid ${name} ${show(v)}, expected an integer`);
    }
    this.startDim = startDim;
    this.endDim = endDim;
  }

  forward(input: Tensor): Tensor {
    return checkTensor(input, 'Flatten').flatten(this.startDim, this.endDim);
  }

  protected override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}

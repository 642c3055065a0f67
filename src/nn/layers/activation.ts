/** Activation modules: thin wrappers over the Tensor ops, so they can sit in a Sequential. */
import { ValueError, show } from '../../core/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { logSoftmax, softmax } from '../../tensor/functional.js';
import { Module } from '../module.js';
import { checkTensor } from './check-input.js';

export class ReLU extends Module {
  forward(input: Tensor): Tensor {
    return checkTensor(input, 'ReLU').relu();
  }
}

export class Tanh extends Module {
  forward(input: Tensor): Tensor {
    return checkTensor(input, 'Tanh').tanh();
  }
}

export class Sigmoid extends Module {
  forward(input: Tensor): Tensor {
    return checkTensor(input, 'Sigmoid').sigmoid();
  }
}

export class Identity extends Module {
  forward(input: Tensor): Tensor {
    return checkTensor(input, 'Identity');
  }
}

function checkDim(dim: unknown, where: string): number {
  if (typeof dim !== 'number' || !Number.isInteger(dim)) {
    throw new ValueError(`${where}: invalid dim ${show(dim)}, expected an integer (negative counts from the end)`);
  }
  return dim;
}

/** softmax along `dim` (torch requires the dim too: no implicit choice). */
export class Softmax extends Module {
  readonly dim: number;
  constructor(dim: number) {
    super();
    this.dim = checkDim(dim, 'Softmax');
  }
  forward(input: Tensor): Tensor {
    return softmax(checkTensor(input, 'Softmax'), this.dim);
  }
  protected override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** log(softmax) along `dim`, computed stably. */
export class LogSoftmax extends Module {
  readonly dim: number;
  constructor(dim: number) {
    super();
    this.dim = checkDim(dim, 'LogSoftmax');
  }
  forward(input: Tensor): Tensor {
    return logSoftmax(checkTensor(input, 'LogSoftmax'), this.dim);
  }
  protected override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

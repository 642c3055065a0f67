/**
 * MaxPool2d: the maximum over each kernel window of [N, C, H, W] inputs. stride defaults to
 * the kernel size; padding pads with -∞ (so it never wins) and must be at most half the kernel,
 * as in torch. Output size: floor((H + 2·pad - k) / stride) + 1. The gradient goes to the
 * (first) maximum of each window.
 */
import { ShapeError, ValueError, show } from '../../core/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { maxPool2d } from '../../tensor/functional.js';
import { Module } from '../module.js';
import { checkNDim, checkTensor } from './check-input.js';
import { checkOptions, pair } from './options.js';

export interface MaxPool2dOptions {
  /** Step between windows, n or [sh, sw] (default: the kernel size). */
  stride?: number | readonly [number, number];
  /** -∞ padding on each side, n or [ph, pw] (default 0). */
  padding?: number | readonly [number, number];
}

export class MaxPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];

  constructor(kernelSize: number | readonly [number, number], options: MaxPool2dOptions = {}) {
    super();
    const where = 'MaxPool2d';
    this.kernelSize = pair(kernelSize, 'kernelSize', where);
    checkOptions(options, where, ['stride', 'padding']);
    this.stride = pair(options.stride ?? this.kernelSize, 'stride', where);
    this.padding = pair(options.padding ?? 0, 'padding', where, true);
    for (const d of [0, 1]) {
      if (2 * this.padding[d]! > this.kernelSize[d]!) {
        throw new ValueError(`${where}: invalid padding ${show(this.padding)}, expected at most half the kernel size ${show(this.kernelSize)}`);
      }
    }
  }

  forward(input: Tensor): Tensor {
    const where = 'MaxPool2d';
    const x = checkTensor(input, where);
    checkNDim(x, [4], '[N, C, H, W]', where);
    for (const d of [0, 1]) {
      if (x.shape[2 + d]! + 2 * this.padding[d]! < this.kernelSize[d]!) {
        throw new ShapeError(`${where}: input ${show(x.shape)} padded by ${show(this.padding)} is smaller than the kernel ${show(this.kernelSize)}`);
      }
    }
    return maxPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding });
  }

  protected override extraRepr(): string {
    return `kernelSize=${show(this.kernelSize)}, stride=${show(this.stride)}, padding=${show(this.padding)}`;
  }
}

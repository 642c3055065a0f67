/**
 * Conv2d: 2-D cross-correlation (what torch and every framework call convolution) over
 * inputs [N, inChannels, H, W] with weight [outChannels, inChannels, kh, kw] and bias
 * [outChannels]. Output size per spatial dim: floor((H + 2·pad - kh) / stride) + 1.
 * padding 'valid' is 0; 'same' keeps H × W (stride 1 only, as in torch, and odd kernels:
 * torch's asymmetric padding for even kernels is not supported). Initial weight and
 * bias ~ U(-1/√fanIn, 1/√fanIn), fanIn = inChannels·kh·kw, torch's default.
 */
import { allocateParameter } from '../../kernels/memory.js';
import { ShapeError, ValueError, show } from '../../core/errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { conv2d } from '../../tensor/functional.js';
import { Module } from '../module.js';
import { checkDTypeMatch, checkNDim, checkTensor } from './check-input.js';
import { type LayerOptions, checkBool, checkOptions, layerDType, layerRng, pair, positiveInt } from './options.js';

export type Padding = number | readonly [number, number] | 'same' | 'valid';

export interface Conv2dOptions extends LayerOptions {
  /** Step between windows, n or [sh, sw] (default 1). */
  stride?: number | readonly [number, number];
  /** Zero padding on each side, n or [ph, pw], or 'same' / 'valid' (default 0). */
  padding?: Padding;
  /** Whether to add a learned bias (default true). */
  bias?: boolean;
}

export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number] | 'same';
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(inChannels: number, outChannels: number, kernelSize: number | readonly [number, number], options: Conv2dOptions = {}) {
    super();
    const where = 'Conv2d';
    this.inChannels = positiveInt(inChannels, 'inChannels', where);
    this.outChannels = positiveInt(outChannels, 'outChannels', where);
    this.kernelSize = pair(kernelSize, 'kernelSize', where);
    checkOptions(options, where, ['dtype', 'rng', 'stride', 'padding', 'bias']);
    this.stride = pair(options.stride ?? 1, 'stride', where);
    const padding = options.padding ?? 0;
    if (padding === 'same') {
      if (this.stride[0] !== 1 || this.stride[1] !== 1) {
        throw new ValueError(`${where}: padding 'same' needs stride 1, got stride ${show(this.stride)}`);
      }
      this.padding = 'same';
      if (this.kernelSize[0] % 2 === 0 || this.kernelSize[1] % 2 === 0) {
        throw new ValueError(`${where}: padding 'same' with the even kernel ${show(this.kernelSize)} would pad asymmetrically (unsupported), expected odd kernel sizes`);
      }
    } else if (padding === 'valid') {
      this.padding = [0, 0];
    } else {
      if (typeof padding === 'string') throw new ValueError(`${where}: invalid padding ${show(padding)}, expected an integer >= 0, [ph, pw], 'same' or 'valid'`);
      this.padding = pair(padding, 'padding', where, true);
    }
    const hasBias = checkBool(options.bias ?? true, 'bias', where);
    const dtype = layerDType(options, where);
    const rng = layerRng(options, where);
    const [kh, kw] = this.kernelSize;
    const bound = 1 / Math.sqrt(inChannels * kh * kw);
    const w = rng.fillUniform(allocateParameter(dtype, outChannels * inChannels * kh * kw), -bound, bound);
    this.weight = this.registerParameter('weight', new Tensor(w, [outChannels, inChannels, kh, kw]));
    if (hasBias) {
      const b = rng.fillUniform(allocateParameter(dtype, outChannels), -bound, bound);
      this.bias = this.registerParameter('bias', new Tensor(b, [outChannels]));
    } else {
      this.bias = null;
    }
  }

  forward(input: Tensor): Tensor {
    const where = 'Conv2d';
    const x = checkTensor(input, where);
    checkNDim(x, [4], `[N, ${this.inChannels}, H, W]`, where);
    if (x.shape[1] !== this.inChannels) {
      throw new ShapeError(`${where}: input has ${x.shape[1]} channels (shape ${show(x.shape)}), expected ${this.inChannels}`);
    }
    checkDTypeMatch(x, this.weight.dtype, where);
    if (this.padding !== 'same') {
      for (const d of [0, 1]) {
        const size = x.shape[2 + d]! + 2 * this.padding[d]!;
        if (size < this.kernelSize[d]!) {
          throw new ShapeError(`${where}: input ${show(x.shape)} padded by ${show(this.padding)} is smaller than the kernel ${show(this.kernelSize)}`);
        }
      }
    }
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding });
  }

  protected override extraRepr(): string {
    const pad = this.padding === 'same' ? "'same'" : show(this.padding);
    return `${this.inChannels}, ${this.outChannels}, kernelSize=${show(this.kernelSize)}, stride=${show(this.stride)}, padding=${pad}, bias=${this.bias !== null}`;
  }
}

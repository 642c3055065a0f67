/**
 * Linear: y = x Wᵀ + b, with W of shape [outFeatures, inFeatures] (torch's layout) and x of
 * shape [..., inFeatures]. Initial W and b ~ U(-1/√in, 1/√in), torch's default.
 */
import { allocateParameter } from '../../kernels/memory.js';
import { ShapeError, show } from '../../core/errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { linear } from '../../tensor/functional.js';
import { Module } from '../module.js';
import { checkDTypeMatch, checkTensor } from './check-input.js';
import { type LayerOptions, checkBool, checkOptions, layerDType, layerRng, positiveInt } from './options.js';

export interface LinearOptions extends LayerOptions {
  /** Whether to add a learned bias (default true). */
  bias?: boolean;
}

export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    const where = 'Linear';
    this.inFeatures = positiveInt(inFeatures, 'inFeatures', where);
    this.outFeatures = positiveInt(outFeatures, 'outFeatures', where);
    checkOptions(options, where, ['dtype', 'rng', 'bias']);
    const hasBias = checkBool(options.bias ?? true, 'bias', where);
    const dtype = layerDType(options, where);
    const rng = layerRng(options, where);
    const bound = 1 / Math.sqrt(inFeatures);
    const w = rng.fillUniform(allocateParameter(dtype, outFeatures * inFeatures), -bound, bound);
    this.weight = this.registerParameter('weight', new Tensor(w, [outFeatures, inFeatures]));
    if (hasBias) {
      const b = rng.fillUniform(allocateParameter(dtype, outFeatures), -bound, bound);
      this.bias = this.registerParameter('bias', new Tensor(b, [outFeatures]));
    } else {
      this.bias = null;
    }
  }

  forward(input: Tensor): Tensor {
    const where = 'Linear';
    const x = checkTensor(input, where);
    const features = x.shape.length === 0 ? undefined : x.shape[x.shape.length - 1];
    if (features !== this.inFeatures) {
      throw new ShapeError(`${where}: input has ${features ?? 'no'} features (shape ${show(x.shape)}), expected ${this.inFeatures}`);
    }
    checkDTypeMatch(x, this.weight.dtype, where);
    return linear(x, this.weight, this.bias);
  }

  protected override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}

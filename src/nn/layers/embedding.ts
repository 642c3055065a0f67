/**
 * Embedding: a lookup table of `numEmbeddings` rows of size `embeddingDim`. The input holds
 * integer row indices (any shape [...]); the output has shape [..., embeddingDim]. Initial
 * rows ~ N(0, 1), torch's default. The gradient is row-sparse: after backward,
 * `weight.gradRows` lists exactly the rows that were looked up.
 */
import { allocateParameter } from '../../kernels/memory.js';
import { ValueError, show } from '../../core/errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { embedding } from '../../tensor/functional.js';
import { Module } from '../module.js';
import { checkTensor } from './check-input.js';
import { type LayerOptions, checkOptions, layerDType, layerRng, positiveInt } from './options.js';

export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly weight: Tensor;

  constructor(numEmbeddings: number, embeddingDim: number, options: LayerOptions = {}) {
    super();
    const where = 'Embedding';
    this.numEmbeddings = positiveInt(numEmbeddings, 'numEmbeddings', where);
    this.embeddingDim = positiveInt(embeddingDim, 'embeddingDim', where);
    checkOptions(options, where, ['dtype', 'rng']);
    const dtype = layerDType(options, where);
    const w = layerRng(options, where).fillNormal(allocateParameter(dtype, numEmbeddings * embeddingDim));
    this.weight = this.registerParameter('weight', new Tensor(w, [numEmbeddings, embeddingDim]));
  }

  /** Looks up rows; `input` holds integer indices in [0, numEmbeddings). */
  forward(input: Tensor): Tensor {
    const x = checkTensor(input, 'Embedding');
    return this.lookup(x.data, x.shape);
  }

  /** Looks up rows from plain indices, shaped `shape` (default [indices.length]). */
  lookup(indices: ArrayLike<number>, shape: readonly number[] = [indices.length]): Tensor {
    const where = 'Embedding';
    const idx = new Int32Array(indices.length);
    for (let i = 0; i < indices.length; i++) {
      const v = indices[i]!;
      if (!Number.isInteger(v) || v < 0 || v >= this.numEmbeddings) {
        throw new ValueError(`${where}: invalid index ${show(v)} at position ${i}, expected an integer in [0, ${this.numEmbeddings - 1}]`);
      }
      idx[i] = v;
    }
    return embedding(this.weight, idx, shape);
  }

  protected override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}`;
  }
}

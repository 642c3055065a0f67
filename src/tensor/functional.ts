/**
 * torch.nn.functional, the parts descent needs: activations, linear, conv2d, maxPool2d,
 * dropout, embedding, batchNorm, and the losses. Import as `functional` (or `F`).
 */
export { relu, tanh, sigmoid, softmax, logSoftmax, linear, dropout, embedding } from './functional/basic.js';
export { crossEntropy, nllLoss, mseLoss, binaryCrossEntropyWithLogits } from './functional/losses.js';
export type { Reduction, LossOptions } from './functional/losses.js';
export { conv2d, maxPool2d } from './functional/conv.js';
export type { Conv2dOptions, MaxPool2dOptions, Pair } from './functional/conv.js';
export { batchNorm } from './functional/norm.js';
export type { BatchNormOptions } from './functional/norm.js';

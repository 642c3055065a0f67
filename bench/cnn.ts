// The DeepOBS fmnist_2c2d training step in descent: conv 5×5×32 'same' + ReLU + max-pool 2,
// conv 5×5×64 'same' + ReLU + max-pool 2, dense 1024 + ReLU, dense 10; batch 128, Adam 1e-3,
// cross-entropy. `npm run bench -- --only cnn` times it against TensorFlow.js and PyTorch.
import { nn, Tensor } from '../src/index.js';
import { BATCH, benchFeatures, benchLabels } from './lib/data.js';
import { trainingStep } from './mlp.js';

export function cnnModel(): nn.Module {
  return new nn.Sequential(
    new nn.Conv2d(1, 32, 5, { padding: 'same' }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(32, 64, 5, { padding: 'same' }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(7 * 7 * 64, 1024), new nn.ReLU(),
    new nn.Linear(1024, 10),
  );
}

export function cnnStep(): () => number {
  return trainingStep(cnnModel(), new Tensor(benchFeatures(BATCH * 784), [BATCH, 1, 28, 28]), benchLabels(BATCH));
}

/**
 * The decay schedulers of torch.optim.lr_scheduler (1.13): StepLR, MultiStepLR, ExponentialLR,
 * ConstantLR, LinearLR, PolynomialLR. Each keeps torch's chainable form (`step()` multiplies the
 * group's current lr, so schedulers compose) and its closed form (`step(epoch)`).
 * Formulas: docs/schedules.md.
 */
import { ValueError, show } from '../../core/errors.js';
import { LRScheduler, checkOptionKeys, finite, positiveInteger } from './scheduler.js';

function positive(value: unknown, name: string, where: string): number {
  const v = finite(value, name, where);
  if (v <= 0) throw new ValueError(`${where}: invalid ${name} ${v}, expected ${name} > 0`);
  return v;
}

function nonNegativeInteger(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ValueError(`${where}: invalid ${name} ${show(value)}, expected an integer >= 0`);
  }
  return value;
}

export interface StepLROptions {
  stepSize: number;
  gamma?: number;
  lastEpoch?: number;
}

/** lr = initialLr * gamma^floor(epoch / stepSize). */
export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;

  constructor(optimizer: unknown, options: StepLROptions) {
    checkOptionKeys(options, ['stepSize', 'gamma', 'lastEpoch'], 'StepLR', true);
    super(optimizer, options.lastEpoch, 'StepLR');
    this.stepSize = positiveInteger(options.stepSize, 'stepSize', 'StepLR');
    this.gamma = positive(options.gamma ?? 0.1, 'gamma', 'StepLR');
    this.initialStep();
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((base) => base * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}

export interface MultiStepLROptions {
  milestones: number[];
  gamma?: number;
  lastEpoch?: number;
}

/** lr = initialLr * gamma^(number of milestones <= epoch). Milestones: increasing integers. */
export class MultiStepLR extends LRScheduler {
  milestones: number[];
  gamma: number;

  constructor(optimizer: unknown, options: MultiStepLROptions) {
    checkOptionKeys(options, ['milestones', 'gamma', 'lastEpoch'], 'MultiStepLR', true);
    super(optimizer, options.lastEpoch, 'MultiStepLR');
    this.milestones = checkMilestones(options.milestones, 'MultiStepLR');
    this.gamma = positive(options.gamma ?? 0.1, 'gamma', 'MultiStepLR');
    this.initialStep();
  }

  protected computeLr(): number[] {
    const hits = this.milestones.filter((m) => m === this.lastEpoch).length;
    return this.optimizer.paramGroups.map((g) => (hits === 0 ? g.lr : g.lr * this.gamma ** hits));
  }

  protected override closedFormLr(): number[] {
    const passed = this.milestones.filter((m) => m <= this.lastEpoch).length;
    return this.baseLrs.map((base) => base * this.gamma ** passed);
  }
}

/** Milestones must be non-negative integers in non-decreasing order (a repeat counts twice, as in torch). */
export function checkMilestones(value: unknown, where: string): number[] {
  if (!Array.isArray(value)) throw new ValueError(`${where}: invalid milestones ${show(value)}, expected an array of integers`);
  value.forEach((m, i) => {
    if (typeof m !== 'number' || !Number.isInteger(m) || m < 0) {
      throw new ValueError(`${where}: invalid milestones[${i}] ${show(m)}, expected an integer >= 0`);
    }
    if (i > 0 && m < value[i - 1]) {
      throw new ValueError(`${where}: milestones ${show(value)} are not sorted, expected increasing integers`);
    }
  });
  return [...value] as number[];
}

export interface ExponentialLROptions {
  gamma: number;
  lastEpoch?: number;
}

/** lr = initialLr * gamma^epoch. */
export class ExponentialLR extends LRScheduler {
  gamma: number;

  constructor(optimizer: unknown, options: ExponentialLROptions) {
    checkOptionKeys(options, ['gamma', 'lastEpoch'], 'ExponentialLR', true);
    super(optimizer, options.lastEpoch, 'ExponentialLR');
    this.gamma = positive(options.gamma, 'gamma', 'ExponentialLR');
    this.initialStep();
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    return this.lastEpoch === 0 ? groups.map((g) => g.lr) : groups.map((g) => g.lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((base) => base * this.gamma ** this.lastEpoch);
  }
}

export interface ConstantLROptions {
  /** Multiplier in [0, 1] until `totalIters`; default 1/3. */
  factor?: number;
  totalIters?: number;
  lastEpoch?: number;
}

/** lr = initialLr * factor for epoch < totalIters, then initialLr. */
export class ConstantLR extends LRScheduler {
  factor: number;
  totalIters: number;

  constructor(optimizer: unknown, options: ConstantLROptions = {}) {
    checkOptionKeys(options, ['factor', 'totalIters', 'lastEpoch'], 'ConstantLR');
    super(optimizer, options.lastEpoch, 'ConstantLR');
    const factor = finite(options.factor ?? 1 / 3, 'factor', 'ConstantLR');
    if (factor < 0 || factor > 1) throw new ValueError(`ConstantLR: invalid factor ${factor}, expected 0 <= factor <= 1`);
    this.factor = factor;
    this.totalIters = nonNegativeInteger(options.totalIters ?? 5, 'totalIters', 'ConstantLR');
    this.initialStep();
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * (1 / this.factor));
  }

  protected override closedFormLr(): number[] {
    const done = this.lastEpoch >= this.totalIters ? 1 : 0;
    return this.baseLrs.map((base) => base * (this.factor + done * (1 - this.factor)));
  }
}

export interface LinearLROptions {
  /** Multiplier at epoch 0, in (0, 1]; default 1/3. */
  startFactor?: number;
  /** Multiplier from `totalIters` on, in [0, 1]; default 1. */
  endFactor?: number;
  totalIters?: number;
  lastEpoch?: number;
}

/** lr = initialLr * (start + (end - start) * min(epoch, totalIters) / totalIters). */
export class LinearLR extends LRScheduler {
  startFactor: number;
  endFactor: number;
  totalIters: number;

  constructor(optimizer: unknown, options: LinearLROptions = {}) {
    checkOptionKeys(options, ['startFactor', 'endFactor', 'totalIters', 'lastEpoch'], 'LinearLR');
    super(optimizer, options.lastEpoch, 'LinearLR');
    const start = finite(options.startFactor ?? 1 / 3, 'startFactor', 'LinearLR');
    if (start <= 0 || start > 1) throw new ValueError(`LinearLR: invalid startFactor ${start}, expected 0 < startFactor <= 1`);
    const end = finite(options.endFactor ?? 1, 'endFactor', 'LinearLR');
    if (end < 0 || end > 1) throw new ValueError(`LinearLR: invalid endFactor ${end}, expected 0 <= endFactor <= 1`);
    this.startFactor = start;
    this.endFactor = end;
    this.totalIters = positiveInteger(options.totalIters ?? 5, 'totalIters', 'LinearLR');
    this.initialStep();
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr * this.startFactor);
    if (this.lastEpoch > this.totalIters) return groups.map((g) => g.lr);
    const d = this.endFactor - this.startFactor;
    const ratio = 1 + d / (this.totalIters * this.startFactor + (this.lastEpoch - 1) * d);
    return groups.map((g) => g.lr * ratio);
  }

  protected override closedFormLr(): number[] {
    const t = Math.min(this.totalIters, this.lastEpoch) / this.totalIters;
    return this.baseLrs.map((base) => base * (this.startFactor + (this.endFactor - this.startFactor) * t));
  }
}

export interface PolynomialLROptions {
  totalIters?: number;
  power?: number;
  lastEpoch?: number;
}

/** lr = initialLr * (1 - min(epoch, totalIters) / totalIters)^power. */
export class PolynomialLR extends LRScheduler {
  totalIters: number;
  power: number;

  constructor(optimizer: unknown, options: PolynomialLROptions = {}) {
    checkOptionKeys(options, ['totalIters', 'power', 'lastEpoch'], 'PolynomialLR');
    super(optimizer, options.lastEpoch, 'PolynomialLR');
    this.totalIters = positiveInteger(options.totalIters ?? 5, 'totalIters', 'PolynomialLR');
    this.power = finite(options.power ?? 1, 'power', 'PolynomialLR');
    if (this.power < 0) throw new ValueError(`PolynomialLR: invalid power ${this.power}, expected power >= 0`);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0 || this.lastEpoch > this.totalIters) return groups.map((g) => g.lr);
    const factor = ((1 - this.lastEpoch / this.totalIters) / (1 - (this.lastEpoch - 1) / this.totalIters)) ** this.power;
    return groups.map((g) => g.lr * factor);
  }

  protected override closedFormLr(): number[] {
    const t = Math.min(this.totalIters, this.lastEpoch) / this.totalIters;
    return this.baseLrs.map((base) => base * (1 - t) ** this.power);
  }
}

/**
 * Combining schedulers (torch 1.13): SequentialLR runs one scheduler after another,
 * ChainedScheduler steps several at once (their chainable forms multiply).
 */
import { ValueError, show } from '../../core/errors.js';
import type { ChainableScheduler, SchedulableOptimizer, SchedulerState } from './scheduler.js';
import { LRScheduler, checkOptimizer, checkOptionKeys, lastEpochOption, plainCopy } from './scheduler.js';

export interface SequentialLROptions {
  /** Built, in order, on the same optimizer. */
  schedulers: LRScheduler[];
  /** The steps at which to switch to the next scheduler: schedulers.length - 1 increasing integers. */
  milestones: number[];
  lastEpoch?: number;
}

/**
 * torch's SequentialLR, quirks included: the constructor resets every group's lr to its
 * initialLr, takes back the initial step of each sub-scheduler and re-runs the first one's;
 * at a milestone the next scheduler is stepped with `step(0)`, i.e. its closed form at 0.
 */
export class SequentialLR implements ChainableScheduler {
  readonly optimizer: SchedulableOptimizer;
  readonly schedulers: LRScheduler[];
  milestones: number[];
  lastEpoch: number;
  private lastLr: number[];

  constructor(optimizer: unknown, options: SequentialLROptions) {
    const where = 'SequentialLR';
    checkOptionKeys(options, ['schedulers', 'milestones', 'lastEpoch'], where, true);
    this.optimizer = checkOptimizer(optimizer, where);
    const { schedulers, milestones } = options;
    if (!Array.isArray(schedulers) || schedulers.length === 0) {
      throw new ValueError(`${where}: invalid schedulers ${show(schedulers)}, expected a non-empty array of schedulers`);
    }
    schedulers.forEach((s, i) => {
      if (!(s instanceof LRScheduler)) throw new ValueError(`${where}: schedulers[${i}] is ${show(s)}, expected an LRScheduler (StepLR, LinearLR, ...)`);
      if (s.optimizer !== optimizer) throw new ValueError(`${where}: schedulers[${i}] drives another optimizer, expected all to be built on the optimizer given to SequentialLR`);
    });
    if (!Array.isArray(milestones) || milestones.length !== schedulers.length - 1) {
      throw new ValueError(`${where}: milestones ${show(milestones)}, expected ${schedulers.length - 1} value(s), one fewer than the ${schedulers.length} schedulers`);
    }
    milestones.forEach((m, i) => {
      if (typeof m !== 'number' || !Number.isInteger(m) || m < 0 || (i > 0 && m <= milestones[i - 1]!)) {
        throw new ValueError(`${where}: invalid milestones ${show(milestones)}, expected increasing integers >= 0`);
      }
    });
    this.schedulers = [...schedulers];
    this.milestones = [...milestones];
    this.lastEpoch = lastEpochOption(options.lastEpoch, where) + 1;
    this.optimizer.paramGroups.forEach((group, g) => {
      if (typeof group.initialLr !== 'number') throw new ValueError(`${where}: paramGroups[${g}].initialLr is ${show(group.initialLr)}, expected a number set by the sub-schedulers`);
      group.lr = group.initialLr;
    });
    for (const s of this.schedulers) s.lastEpoch -= 1;
    this.schedulers[0]!.initialStep();
    this.lastLr = this.schedulers[0]!.getLastLr();
  }

  step(): void {
    this.lastEpoch += 1;
    const idx = this.milestones.filter((m) => m <= this.lastEpoch).length;
    const scheduler = this.schedulers[idx]!;
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) scheduler.step(0);
    else scheduler.step();
    this.lastLr = scheduler.getLastLr();
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  stateDict(): SchedulerState {
    return {
      milestones: [...this.milestones],
      lastEpoch: this.lastEpoch,
      lastLr: [...this.lastLr],
      schedulers: this.schedulers.map((s) => s.stateDict()),
    };
  }

  loadStateDict(state: SchedulerState): void {
    const subs = loadSubStates(state, this.schedulers, 'SequentialLR');
    if (typeof state['lastEpoch'] === 'number') this.lastEpoch = state['lastEpoch'];
    if (Array.isArray(state['milestones'])) this.milestones = plainCopy(state['milestones'] as number[]);
    if (Array.isArray(state['lastLr'])) this.lastLr = plainCopy(state['lastLr'] as number[]);
    subs();
  }
}

/**
 * torch's ChainedScheduler: `step()` steps every scheduler in order, so their chainable
 * forms compose (e.g. ConstantLR then ExponentialLR multiplies the two factors).
 */
export class ChainedScheduler implements ChainableScheduler {
  readonly optimizer: SchedulableOptimizer;
  readonly schedulers: ChainableScheduler[];
  private lastLr: number[];

  constructor(schedulers: ChainableScheduler[]) {
    const where = 'ChainedScheduler';
    if (!Array.isArray(schedulers) || schedulers.length === 0) {
      throw new ValueError(`${where}: invalid schedulers ${show(schedulers)}, expected a non-empty array of schedulers`);
    }
    schedulers.forEach((s, i) => {
      if (s === null || typeof s !== 'object' || typeof s.step !== 'function' || typeof s.getLastLr !== 'function') {
        throw new ValueError(`${where}: schedulers[${i}] is ${show(s)}, expected a scheduler with step() and getLastLr()`);
      }
      if (s.optimizer !== schedulers[0]!.optimizer) {
        throw new ValueError(`${where}: schedulers[${i}] drives another optimizer, expected all schedulers on the same optimizer`);
      }
    });
    this.schedulers = [...schedulers];
    this.optimizer = schedulers[0]!.optimizer;
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  step(): void {
    for (const s of this.schedulers) s.step();
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  stateDict(): SchedulerState {
    return { lastLr: [...this.lastLr], schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  loadStateDict(state: SchedulerState): void {
    const subs = loadSubStates(state, this.schedulers, 'ChainedScheduler');
    if (Array.isArray(state['lastLr'])) this.lastLr = plainCopy(state['lastLr'] as number[]);
    subs();
  }
}

/** Checks a composite state and returns the function that loads the members' states. */
function loadSubStates(state: SchedulerState, schedulers: ChainableScheduler[], where: string): () => void {
  const subs = (state as { schedulers?: unknown } | null)?.schedulers;
  if (!Array.isArray(subs) || subs.length !== schedulers.length) {
    throw new ValueError(`${where}.loadStateDict: invalid state ${show(state)}, expected {schedulers: [${schedulers.length} states], ...} from stateDict()`);
  }
  return () => subs.forEach((s, i) => schedulers[i]!.loadStateDict(s as SchedulerState));
}

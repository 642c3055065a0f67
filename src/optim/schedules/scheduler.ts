/**
 * The base of the torch-shaped learning-rate schedulers (torch.optim.lr_scheduler, 1.13).
 *
 * A scheduler drives `optimizer.paramGroups[g].lr` (and, for OneCycleLR and CyclicLR, the
 * group's `momentum` or `betas[0]`). It only needs the structural shape below, so any
 * optimizer whose groups carry a numeric `lr` can be scheduled.
 *
 * Call order, as in torch: `optimizer.step(); scheduler.step();`. Every constructor performs
 * one initial step (`lastEpoch` goes from -1 to 0), which may already change the lr.
 */
import { ValueError, show } from '../../core/errors.js';

/** One parameter group as a scheduler sees it. */
export interface SchedulableGroup {
  lr: number;
  /** Set by the first scheduler built on the group (torch's `initial_lr`). */
  initialLr?: number;
  momentum?: number;
  betas?: readonly number[];
}

/** The part of an optimizer a scheduler touches. */
export interface SchedulableOptimizer {
  paramGroups: SchedulableGroup[];
  /** Constructor defaults (torch's `optimizer.defaults`); consulted to find the momentum key. */
  defaults?: object;
}

/** A scheduler's state: plain JSON data (functions such as `lrLambda` are not included). */
export type SchedulerState = Record<string, unknown>;

/** What ChainedScheduler needs from each member. */
export interface ChainableScheduler {
  readonly optimizer: SchedulableOptimizer;
  step(): void;
  getLastLr(): number[];
  stateDict(): SchedulerState;
  loadStateDict(state: SchedulerState): void;
}

/** Validates the optimizer a scheduler is built on. */
export function checkOptimizer(optimizer: unknown, where: string): SchedulableOptimizer {
  const groups = (optimizer as { paramGroups?: unknown } | null | undefined)?.paramGroups;
  if (!Array.isArray(groups) || groups.length === 0) {
    throw new ValueError(`${where}: invalid optimizer ${show(optimizer)}, expected an object with a non-empty paramGroups array`);
  }
  checkNumericLrs(groups, where);
  return optimizer as SchedulableOptimizer;
}

/**
 * Every group's lr must be a finite number. A schedule function given as the optimizer's lr is
 * refused: a scheduler class and a schedule function would both drive the same lr.
 */
export function checkNumericLrs(groups: readonly unknown[], where: string): void {
  groups.forEach((group: unknown, g) => {
    const lr = (group as { lr?: unknown } | null)?.lr;
    if (typeof lr === 'function') throw scheduledOption(where, g, 'lr');
    if (typeof lr !== 'number' || !Number.isFinite(lr)) {
      throw new ValueError(`${where}: invalid optimizer.paramGroups[${g}].lr ${show(lr)}, expected a finite number`);
    }
  });
}

function scheduledOption(where: string, g: number, label: string): ValueError {
  return new ValueError(
    `${where}: optimizer.paramGroups[${g}].${label} is a schedule function, expected a number: a scheduler class cannot drive ` +
    `an option that a schedule function already sets (use one or the other; schedule functions compose with joinSchedules and withWarmup)`,
  );
}

/** Throws on option names the constructor does not know (catches `T_max` for `TMax`, typos). */
export function checkOptionKeys(options: unknown, allowed: readonly string[], where: string, required = false): void {
  if (options === undefined && !required) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValueError(`${where}: invalid options ${show(options)}, expected an object`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new ValueError(`${where}: unknown option ${JSON.stringify(key)}, expected one of ${allowed.join(', ')}`);
    }
  }
}

/**
 * One value per group (torch's `_format_param`): a number is repeated, an array must have
 * one finite entry per group.
 */
export function perGroup(value: unknown, groupCount: number, name: string, where: string): number[] {
  if (Array.isArray(value)) {
    if (value.length !== groupCount) {
      throw new ValueError(`${where}: ${name} has ${value.length} values ${show(value)}, expected one per param group (${groupCount})`);
    }
    return value.map((v, g) => finite(v, `${name}[${g}]`, where));
  }
  return new Array<number>(groupCount).fill(finite(value, name, where));
}

/** Checks a finite number and names the constructor in the message. */
export function finite(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValueError(`${where}: invalid ${name} ${show(value)}, expected a finite number`);
  }
  return value;
}

export function positiveInteger(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ValueError(`${where}: invalid ${name} ${show(value)}, expected a positive integer`);
  }
  return value;
}

export function lastEpochOption(value: unknown, where: string): number {
  if (value === undefined) return -1;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -1) {
    throw new ValueError(`${where}: invalid lastEpoch ${show(value)}, expected an integer >= -1`);
  }
  return value;
}

/** Python's `%` (the result takes the sign of the divisor). */
export function pyMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/** Deep copy of plain data through JSON (non-finite numbers become null). */
export function plainCopy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Keys never written to or read from a state dict. */
const NOT_STATE = new Set(['optimizer', 'lrLambdas']);

/**
 * torch's `LRScheduler`. Subclasses implement `computeLr()` (torch's chainable `get_lr`) and,
 * where torch has one, `closedFormLr()` (used by `step(epoch)`), and call `initialStep()` at the
 * end of their constructor.
 */
export abstract class LRScheduler implements ChainableScheduler {
  readonly optimizer: SchedulableOptimizer;
  /** The index of the last step taken (-1 before the initial step). */
  lastEpoch: number;
  /** Each group's `initialLr`. */
  baseLrs: number[];
  /** Calls to `step()` so far, the initial one included (torch's `_step_count`). */
  stepCount = 0;
  protected lastLr: number[] = [];

  protected constructor(optimizer: unknown, lastEpoch: unknown, where: string) {
    this.optimizer = checkOptimizer(optimizer, where);
    const last = lastEpochOption(lastEpoch, where);
    const groups = this.optimizer.paramGroups;
    if (last === -1) {
      for (const group of groups) if (group.initialLr === undefined) group.initialLr = group.lr;
    } else {
      groups.forEach((group, g) => {
        if (typeof group.initialLr !== 'number') {
          throw new ValueError(`${where}: paramGroups[${g}].initialLr is ${show(group.initialLr)} when resuming with lastEpoch ${last}, expected a number (set by the scheduler that started the run)`);
        }
      });
    }
    this.baseLrs = groups.map((group) => group.initialLr as number);
    this.lastEpoch = last;
  }

  /** torch's `_initial_step`: resets the step count and steps once. */
  initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** The chainable form: new lrs from the groups' current lrs and `lastEpoch`. */
  protected abstract computeLr(): number[];

  /** The closed form used by `step(epoch)`; `null` where torch has none. */
  protected closedFormLr(): number[] | null {
    return null;
  }

  /** Advances one step, or jumps to `epoch` (closed form where the scheduler has one). */
  step(epoch?: number): void {
    checkNumericLrs(this.optimizer.paramGroups, `${this.constructor.name}.step`);
    this.stepCount += 1;
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch += 1;
      values = this.computeLr();
    } else {
      this.lastEpoch = checkEpoch(epoch, this.constructor.name);
      values = this.closedFormLr() ?? this.computeLr();
    }
    this.applyLr(values);
  }

  protected applyLr(values: number[]): void {
    const groups = this.optimizer.paramGroups;
    values.forEach((lr, g) => {
      groups[g]!.lr = lr;
    });
    this.lastLr = groups.map((group) => group.lr);
  }

  /** The lrs set by the last step, one per group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** Everything but the optimizer and functions, as plain JSON data. */
  stateDict(): SchedulerState {
    const state: SchedulerState = {};
    for (const [key, value] of Object.entries(this)) {
      if (NOT_STATE.has(key) || typeof value === 'function') continue;
      state[key] = plainCopy(value);
    }
    return state;
  }

  /** Restores what `stateDict()` returned (keys this scheduler does not have are refused). */
  loadStateDict(state: SchedulerState): void {
    if (state === null || typeof state !== 'object' || Array.isArray(state)) {
      throw new ValueError(`${this.constructor.name}.loadStateDict: invalid state ${show(state)}, expected an object from stateDict()`);
    }
    const own = this as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(state)) {
      if (NOT_STATE.has(key)) continue;
      if (!(key in own) || typeof own[key] === 'function') {
        throw new ValueError(`${this.constructor.name}.loadStateDict: unknown key ${JSON.stringify(key)}, expected keys of ${this.constructor.name}.stateDict()`);
      }
      own[key] = plainCopy(value);
    }
  }
}

export function checkEpoch(epoch: unknown, where: string): number {
  if (typeof epoch !== 'number' || !Number.isFinite(epoch) || epoch < 0) {
    throw new ValueError(`${where}.step: invalid epoch ${show(epoch)}, expected a finite number >= 0`);
  }
  return epoch;
}

/**
 * Where a scheduler that cycles momentum writes it: `betas[0]` when the optimizer has betas
 * (Adam family), else `momentum`. Throws if the groups have neither.
 */
export function momentumKey(optimizer: SchedulableOptimizer, where: string): 'momentum' | 'betas' {
  const defaults = optimizer.defaults as Record<string, unknown> | undefined;
  const first = optimizer.paramGroups[0]!;
  const key = (defaults && 'betas' in defaults) || Array.isArray(first.betas) ? 'betas'
    : (defaults && 'momentum' in defaults) || typeof first.momentum === 'number' ? 'momentum' : null;
  if (key !== null) {
    optimizer.paramGroups.forEach((group, g) => {
      const value: unknown = key === 'betas' ? group.betas?.[0] : group.momentum;
      if (typeof value === 'function') throw scheduledOption(where, g, key === 'betas' ? 'betas[0]' : 'momentum');
    });
    return key;
  }
  throw new ValueError(`${where}: cycleMomentum is true but the optimizer's groups have neither momentum nor betas, expected an optimizer with momentum (or pass cycleMomentum: false)`);
}

export function setMomentum(group: SchedulableGroup, key: 'momentum' | 'betas', value: number): void {
  if (key === 'betas') group.betas = [value, ...(group.betas ?? [0, 0.999]).slice(1)];
  else group.momentum = value;
}

export function getMomentum(group: SchedulableGroup, key: 'momentum' | 'betas'): number {
  return key === 'betas' ? (group.betas?.[0] as number) : (group.momentum as number);
}

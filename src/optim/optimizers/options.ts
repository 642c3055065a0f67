/**
 * Hyperparameter checks with torch's rules and messages (plus what was expected):
 * "Invalid learning rate: -1, expected lr >= 0".
 *
 * Each rule is also what a schedule's values are checked against when it is evaluated
 * (see `hyper.ts`): options that may be schedules take `scheduled = true` here, which accepts
 * a function `(step) => value` and leaves its values to be checked at each step.
 */
import { ValueError, show } from '../../core/errors.js';

/** A rule for one numeric option: torch's name for it, the test, and what is expected. */
export interface OptionRule {
  /** Torch's wording in "Invalid <what>: value" ('learning rate', 'momentum value'). */
  what: string;
  /** What a valid value is, in descent's names ('lr >= 0'). */
  expected: string;
  ok(value: number): boolean;
}

function fail(where: string, what: string, value: unknown, expected: string): never {
  throw new ValueError(`${where}: Invalid ${what}: ${show(value)}, expected ${expected}`);
}

const nonNegative = (v: number): boolean => v >= 0 && v !== Infinity;

export const LR: OptionRule = { what: 'learning rate', expected: 'lr >= 0', ok: nonNegative };
export const EPS: OptionRule = { what: 'epsilon value', expected: 'eps >= 0', ok: nonNegative };
export const WEIGHT_DECAY: OptionRule = { what: 'weight_decay value', expected: 'weightDecay >= 0', ok: nonNegative };
export const MOMENTUM: OptionRule = { what: 'momentum value', expected: 'momentum >= 0', ok: nonNegative };
export const BETA: OptionRule = { what: 'beta parameter', expected: '0 <= beta < 1', ok: (v) => v >= 0 && v < 1 };

/** `name >= 0` (finite), reported with torch's name: "Invalid lr_decay value". */
export function nonNegativeRule(name: string, torchName: string): OptionRule {
  return { what: `${torchName} value`, expected: `${name} >= 0`, ok: nonNegative };
}

/** Any finite number. */
export function finiteRule(name: string): OptionRule {
  return { what: `${name} value`, expected: 'a finite number', ok: Number.isFinite };
}

/** True when `value` is a number `rule` accepts. */
export function satisfies(rule: OptionRule, value: unknown): value is number {
  return typeof value === 'number' && rule.ok(value);
}

/** Checks an option: a number `rule` accepts, or (when `scheduled`) a schedule function. */
export function checkOption(where: string, rule: OptionRule, value: unknown, scheduled = false): void {
  if (scheduled && typeof value === 'function') return;
  if (!satisfies(rule, value)) fail(where, rule.what, value, scheduled ? `${rule.expected} or a schedule (step) => value` : rule.expected);
}

export function checkLr(where: string, lr: unknown, scheduled = false): void {
  checkOption(where, LR, lr, scheduled);
}

export function checkEps(where: string, eps: unknown, scheduled = false): void {
  checkOption(where, EPS, eps, scheduled);
}

export function checkWeightDecay(where: string, wd: unknown, scheduled = false): void {
  checkOption(where, WEIGHT_DECAY, wd, scheduled);
}

export function checkMomentum(where: string, m: unknown, scheduled = false): void {
  checkOption(where, MOMENTUM, m, scheduled);
}

export function checkNonNegativeOption(where: string, name: string, torchName: string, v: unknown, scheduled = false): void {
  checkOption(where, nonNegativeRule(name, torchName), v, scheduled);
}

export function checkFiniteOption(where: string, name: string, v: unknown, scheduled = false): void {
  checkOption(where, finiteRule(name), v, scheduled);
}

/** Two betas; with `scheduled`, either entry may be a schedule function. */
export function checkBetas(where: string, betas: unknown, scheduled = false): void {
  if (!Array.isArray(betas) || betas.length !== 2) fail(where, 'betas', betas, scheduled ? 'two numbers or schedules [beta1, beta2]' : 'two numbers [beta1, beta2]');
  betas.forEach((b, i) => {
    if (scheduled && typeof b === 'function') return;
    if (!satisfies(BETA, b)) fail(where, `beta parameter at index ${i}`, b, BETA.expected);
  });
}

export function checkBool(where: string, name: string, v: unknown): void {
  if (typeof v !== 'boolean') fail(where, name, v, 'true or false');
}

export function checkLrRequired(where: string, lr: unknown, scheduled = false): void {
  if (lr === undefined) throw new ValueError(`${where}: lr is required (torch 1.13's SGD has no default learning rate), expected a number >= 0${scheduled ? ' or a schedule (step) => lr' : ''}`);
  checkLr(where, lr, scheduled);
}

/**
 * Refuses a schedule function for an option that takes numbers only, saying why
 * (`reason`: "Rprop's lr is only the initial step size").
 */
export function checkNotScheduled(where: string, name: string, value: unknown, reason: string): void {
  if (typeof value === 'function') throw new ValueError(`${where}: ${name} is a function, expected a number: ${reason}`);
}

/** Reads a group option for transforms (`() => group.x`); kept here to name the pattern. */
export type Getter<T> = () => T;

/**
 * Hyperparameter checks with torch's rules and messages (plus what was expected):
 * "Invalid learning rate: -1, expected lr >= 0".
 */
import { ValueError, show } from '../../core/errors.js';

function fail(where: string, what: string, value: unknown, expected: string): never {
  throw new ValueError(`${where}: Invalid ${what}: ${show(value)}, expected ${expected}`);
}

function num(value: unknown): value is number {
  return typeof value === 'number' && !Number.isNaN(value);
}

export function checkLr(where: string, lr: unknown): void {
  if (!num(lr) || !(lr >= 0) || lr === Infinity) fail(where, 'learning rate', lr, 'lr >= 0');
}

export function checkEps(where: string, eps: unknown): void {
  if (!num(eps) || !(eps >= 0) || eps === Infinity) fail(where, 'epsilon value', eps, 'eps >= 0');
}

export function checkWeightDecay(where: string, wd: unknown): void {
  if (!num(wd) || !(wd >= 0) || wd === Infinity) fail(where, 'weight_decay value', wd, 'weightDecay >= 0');
}

export function checkMomentum(where: string, m: unknown): void {
  if (!num(m) || !(m >= 0) || m === Infinity) fail(where, 'momentum value', m, 'momentum >= 0');
}

export function checkNonNegativeOption(where: string, name: string, torchName: string, v: unknown): void {
  if (!num(v) || !(v >= 0) || v === Infinity) fail(where, `${torchName} value`, v, `${name} >= 0`);
}

export function checkFiniteOption(where: string, name: string, v: unknown): void {
  if (!num(v) || !Number.isFinite(v)) fail(where, `${name} value`, v, 'a finite number');
}

export function checkBetas(where: string, betas: unknown): void {
  if (!Array.isArray(betas) || betas.length !== 2) fail(where, 'betas', betas, 'two numbers [beta1, beta2]');
  betas.forEach((b, i) => {
    if (!num(b) || !(b >= 0 && b < 1)) fail(where, `beta parameter at index ${i}`, b, '0 <= beta < 1');
  });
}

export function checkBool(where: string, name: string, v: unknown): void {
  if (typeof v !== 'boolean') fail(where, name, v, 'true or false');
}

export function checkLrRequired(where: string, lr: unknown): void {
  if (lr === undefined) throw new ValueError(`${where}: lr is required (torch 1.13's SGD has no default learning rate), expected a number >= 0`);
  checkLr(where, lr);
}

/** Reads a group option for transforms (`() => group.x`); kept here to name the pattern. */
export type Getter<T> = () => T;

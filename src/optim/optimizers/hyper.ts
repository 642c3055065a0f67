/**
 * Scheduled options of the torch-shaped optimizers. A group option that may be a schedule
 * (`lr`, `momentum`, `betas[0]`, ...) is read through an evaluator `(t) => value`:
 *
 *   const opt = new SGD([w], { lr: (t) => 0.1 / (1 + t), momentum: 0.9 });
 *
 * `t` is the transforms' convention: the 0-based index of the update being computed for the
 * parameter (the number of updates it received before this one; torch's per-parameter
 * `step` before its increment). A number is returned as it is; a function's value is checked
 * with the option's rule each time it is evaluated ("SGD: lr schedule returned -0.1 at step 3
 * (group 0), expected lr >= 0"). An evaluator remembers its last (function, t, value), so a
 * schedule runs once per step and group in the usual case where every parameter of the group
 * has the same step count; schedules are expected to be pure functions of t.
 */
import type { Schedule } from '../../core/schedule.js';
import { ValueError, show } from '../../core/errors.js';
import type { OptionRule } from './options.js';

/** A hyperparameter given to a torch-shaped optimizer: a number or a schedule `(t) => value`. */
export type Hyper = number | Schedule;

/** One option that may be a schedule. */
export interface HyperSpec<G> {
  /** The option as messages and state dicts name it: 'lr', 'betas[0]'. */
  label: string;
  read(group: G): unknown;
  rule: OptionRule;
}

/** A group's evaluators, by label: `(t) => value` at the 0-based update index t. */
export type HyperValues = Readonly<Record<string, (t: number) => number>>;

/** Builds the evaluators of `group`; `where()` names the optimizer and group for messages. */
export function hyperValues<G>(specs: readonly HyperSpec<G>[], group: G, where: () => { name: string; group: number }): HyperValues {
  const out: Record<string, (t: number) => number> = {};
  for (const spec of specs) out[spec.label] = evaluator(spec, group, where);
  return Object.freeze(out);
}

function evaluator<G>(spec: HyperSpec<G>, group: G, where: () => { name: string; group: number }): (t: number) => number {
  let lastFn: unknown = null;
  let lastT = -1;
  let lastValue = 0;
  return (t: number): number => {
    const v = spec.read(group);
    if (typeof v !== 'function') return v as number;
    if (v === lastFn && t === lastT) return lastValue;
    const x: unknown = (v as Schedule)(t);
    if (typeof x !== 'number' || !spec.rule.ok(x)) {
      const w = where();
      throw new ValueError(`${w.name}: ${spec.label} schedule returned ${show(x)} at step ${t} (group ${w.group}), expected ${spec.rule.expected}`);
    }
    lastFn = v;
    lastT = t;
    lastValue = x;
    return x;
  };
}

/** Whether any of `specs` reads a function from `group`. */
export function hasSchedule<G>(specs: readonly HyperSpec<G>[], group: G): boolean {
  for (const spec of specs) if (typeof spec.read(group) === 'function') return true;
  return false;
}

/** The common specs: `lr`, `weightDecay`, `eps` and the two betas, read from the group. */
export function optionSpec<G>(key: string, rule: OptionRule): HyperSpec<G> {
  return { label: key, read: (g) => (g as Record<string, unknown>)[key], rule };
}

export function betaSpecs<G>(rule: OptionRule): HyperSpec<G>[] {
  return [0, 1].map((i) => ({ label: `betas[${i}]`, read: (g: G) => ((g as Record<string, unknown>).betas as unknown[])[i], rule }));
}

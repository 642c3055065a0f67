/**
 * The optimizer grammar of `descent compare --optimizers`:
 *
 *   list    := spec (',' spec)*
 *   spec    := name (':' option)*                      e.g.  sgd:momentum=0.9:nesterov=true
 *   option  := key '=' value
 *   value   := number | true | false | null | list of numbers joined by '/' (betas=0.9/0.99)
 *              | a word (lineSearchFn=strong_wolfe)
 *
 * Names are the lab's optimizer names (`labOptimizerNames()`); keys are the optimizer's option
 * names, torch's camelCased (`weightDecay`, `betas`, ...), plus `lr`, which fixes the learning
 * rate (that configuration is then not tuned). A spec's label is its canonical text.
 */
import { ValueError, show } from '../core/errors.js';

export type SpecValue = number | boolean | null | string | number[];

export interface OptimizerSpec {
  /** The lab optimizer name (`adam`, `momentum`, ...). */
  name: string;
  /** Options as written (without `lr`). */
  options: Record<string, SpecValue>;
  /** A fixed learning rate (`lr=`), or null to tune it. */
  lr: number | null;
  /** The canonical text, used as the configuration's label. */
  label: string;
}

function parseValue(text: string, where: string): SpecValue {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (text.includes('/')) {
    const parts = text.split('/').map((p) => Number(p));
    if (parts.some((p, i) => text.split('/')[i]!.trim() === '' || !Number.isFinite(p))) {
      throw new ValueError(`${where}: invalid list value ${show(text)}, expected numbers joined by '/', e.g. betas=0.9/0.999`);
    }
    return parts;
  }
  const n = Number(text);
  if (text.trim() !== '' && Number.isFinite(n)) return n;
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(text)) return text;
  throw new ValueError(`${where}: invalid value ${show(text)}, expected a number, true, false, null, numbers joined by '/' or a word`);
}

function formatValue(v: SpecValue): string {
  return Array.isArray(v) ? v.join('/') : String(v);
}

/**
 * Parses one spec. `validNames` lists the optimizers; `validOptions(name)` the keys each takes
 * (both go into the error messages).
 */
export function parseOptimizerSpec(text: string, validNames: readonly string[], validOptions: (name: string) => readonly string[]): OptimizerSpec {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new ValueError(`invalid optimizer spec ${show(text)}, expected name[:key=value...] with name one of: ${validNames.join(', ')}`);
  }
  const [rawName, ...rawOptions] = text.trim().split(':');
  const name = rawName!.trim();
  if (!validNames.includes(name)) {
    throw new ValueError(`unknown optimizer ${show(name)} in ${show(text)}, expected one of: ${validNames.join(', ')}`);
  }
  const allowed = validOptions(name);
  const options: Record<string, SpecValue> = {};
  let lr: number | null = null;
  for (const raw of rawOptions) {
    const where = `optimizer spec ${show(text)}`;
    const eq = raw.indexOf('=');
    if (eq <= 0 || eq === raw.length - 1) {
      throw new ValueError(`${where}: malformed option ${show(raw)}, expected key=value with key one of: lr, ${allowed.join(', ')}`);
    }
    const key = raw.slice(0, eq).trim();
    const value = parseValue(raw.slice(eq + 1).trim(), `${where}, option ${key}`);
    if (key === 'lr') {
      if (typeof value !== 'number' || !(value > 0)) throw new ValueError(`${where}: invalid lr ${show(value)}, expected a number > 0`);
      lr = value;
      continue;
    }
    if (!allowed.includes(key)) {
      throw new ValueError(`${where}: unknown option ${show(key)} for ${name}, expected one of: lr, ${allowed.join(', ')}`);
    }
    if (key in options) throw new ValueError(`${where}: option ${show(key)} given twice, expected each option once`);
    options[key] = value;
  }
  const parts = [name, ...Object.entries(options).map(([k, v]) => `${k}=${formatValue(v)}`)];
  if (lr !== null) parts.push(`lr=${lr}`);
  return { name, options, lr, label: parts.join(':') };
}

/** Parses a comma-separated list of specs; duplicate labels are refused. */
export function parseOptimizerList(text: string, validNames: readonly string[], validOptions: (name: string) => readonly string[]): OptimizerSpec[] {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new ValueError(`invalid optimizer list ${show(text)}, expected comma-separated specs with names from: ${validNames.join(', ')}`);
  }
  const specs = text.split(',').map((s) => parseOptimizerSpec(s, validNames, validOptions));
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.label)) throw new ValueError(`optimizer ${show(s.label)} listed twice, expected each configuration once`);
    seen.add(s.label);
  }
  return specs;
}

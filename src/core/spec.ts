/**
 * The `name:key=value:...` grammar used on the command line for optimizers and schedules:
 *   adam:betas=0.9/0.99     step:stepSize=3:gamma=0.5     onecycle:maxLr=0.01
 * Keys are camelCase (snake_case is converted); values are numbers, true/false, identifiers
 * (`lineSearchFn=strong_wolfe`, `mode=triangular2`), or lists written a/b/c.
 */
import { ValueError, show } from './errors.js';

export interface Spec {
  name: string;
  options: Record<string, unknown>;
}

export function camelCaseKey(key: string): string {
  return key.replace(/_([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

function parseValue(text: string, where: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text.includes('/')) return text.split('/').map((part) => parseValue(part, where));
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(text) && !/^(Infinity|NaN)$/.test(text)) return text;
  const v = Number(text);
  if (text.trim() === '' || Number.isNaN(v)) throw new ValueError(`${where}: invalid value ${show(text)}, expected a number, true/false, a name, or a/b`);
  return v;
}

/**
 * Parses `text`; `kind` names what is parsed in messages ('optimizer', 'schedule'),
 * `validNames` the accepted names, and `validKeys(name)` the accepted option keys.
 */
export function parseSpec(text: string, kind: string, validNames: readonly string[], validKeys: (name: string) => readonly string[]): Spec {
  if (typeof text !== 'string' || text.trim() === '') throw new ValueError(`invalid ${kind} ${show(text)}, expected one of ${validNames.join(', ')}, optionally followed by :key=value`);
  const [rawName, ...parts] = text.trim().split(':');
  const name = rawName!.toLowerCase();
  if (!validNames.includes(name)) throw new ValueError(`unknown ${kind} ${show(rawName)}, expected one of ${validNames.join(', ')}`);
  const keys = validKeys(name);
  const options: Record<string, unknown> = {};
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new ValueError(`${kind} ${name}: malformed option ${show(part)}, expected key=value (valid keys: ${keys.join(', ')})`);
    const key = camelCaseKey(part.slice(0, eq));
    if (!keys.includes(key)) throw new ValueError(`${kind} ${name}: unknown option ${show(part.slice(0, eq))}, expected one of ${keys.join(', ')}`);
    options[key] = parseValue(part.slice(eq + 1), `${kind} ${name} option ${key}`);
  }
  return { name, options };
}

/** `name:key=value...`, the inverse of parseSpec. */
export function formatSpec(spec: Spec): string {
  const parts = Object.entries(spec.options).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('/') : String(v)}`);
  return [spec.name, ...parts].join(':');
}

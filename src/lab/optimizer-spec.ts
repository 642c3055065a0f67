/**
 * Optimizer configurations for `descent compare --optimizers`, in the project's one
 * `name:key=value:...` grammar (src/core/spec.ts):
 *
 *   list    := spec (',' spec)*
 *   spec    := name (':' key '=' value)*         sgd:momentum=0.9:nesterov=true
 *   value   := number | true | false | numbers joined by '/'   (betas=0.9/0.99)
 *
 * Keys are the optimizer's option names (torch's, camelCased; snake_case is converted), plus
 * `lr`, which fixes the learning rate (that configuration is then not tuned). A configuration's
 * label is its canonical text.
 */
import { ValueError, show } from '../core/errors.js';
import { formatSpec, parseSpec } from '../core/spec.js';

export type LabSpecValue = unknown;

export interface LabOptimizerSpec {
  /** The lab optimizer name (`adam`, `momentum`, ...). */
  name: string;
  /** Options as written (without `lr`). */
  options: Record<string, LabSpecValue>;
  /** A fixed learning rate (`lr=`), or null to tune it. */
  lr: number | null;
  /** The canonical text, used as the configuration's label. */
  label: string;
}

/**
 * Parses one configuration. `validNames` lists the optimizers; `validOptions(name)` the keys
 * each takes besides `lr` (both go into the error messages).
 */
export function parseLabOptimizerSpec(text: string, validNames: readonly string[], validOptions: (name: string) => readonly string[]): LabOptimizerSpec {
  const spec = parseSpec(text, 'optimizer', validNames, (name) => ['lr', ...validOptions(name)]);
  const { lr, ...options } = spec.options;
  if (lr !== undefined && (typeof lr !== 'number' || !(lr > 0) || !Number.isFinite(lr))) {
    throw new ValueError(`optimizer ${show(text)}: invalid lr ${show(lr)}, expected a number > 0`);
  }
  const label = formatSpec({ name: spec.name, options: lr === undefined ? options : { ...options, lr } });
  return { name: spec.name, options, lr: lr === undefined ? null : (lr as number), label };
}

/** Parses a comma-separated list of configurations; a configuration listed twice is refused. */
export function parseLabOptimizerList(text: string, validNames: readonly string[], validOptions: (name: string) => readonly string[]): LabOptimizerSpec[] {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new ValueError(`invalid optimizer list ${show(text)}, expected comma-separated specs with names from: ${validNames.join(', ')}`);
  }
  const specs = text.split(',').map((s) => parseLabOptimizerSpec(s, validNames, validOptions));
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.label)) throw new ValueError(`optimizer ${show(s.label)} listed twice, expected each configuration once`);
    seen.add(s.label);
  }
  return specs;
}

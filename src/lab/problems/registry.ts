/** The registry of lab problems, looked up by name (analytic, online, then data problems). */
import { ValueError, show } from '../../core/errors.js';
import type { LabProblem } from '../problem.js';
import { quadraticProblems } from './quadratic.js';
import { reddiOnlineProblem, reddiStochasticProblem } from './reddi.js';
import { twoDimensionalProblems } from './two-d.js';
import { moonsNetProblem, spiralNetProblem } from './classification-2d.js';
import { sparseLogregProblem } from './sparse-logreg.js';
import { fashionProblems } from './fashion.js';

export const problemRegistry: ReadonlyMap<string, LabProblem> = new Map(
  [
    ...twoDimensionalProblems, ...quadraticProblems, reddiOnlineProblem(), reddiStochasticProblem(),
    spiralNetProblem(), moonsNetProblem(), sparseLogregProblem(), ...fashionProblems,
  ].map((p) => [p.name, p]),
);

export function problemNames(): string[] {
  return [...problemRegistry.keys()];
}

export function getProblem(name: string): LabProblem {
  const p = typeof name === 'string' ? problemRegistry.get(name.trim()) : undefined;
  if (!p) throw new ValueError(`unknown problem ${show(name)}, expected one of: ${problemNames().join(', ')}`);
  return p;
}

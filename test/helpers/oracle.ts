/**
 * Reading the PyTorch 1.13 reference fixtures (test/fixtures/torch, copied from
 * ../shared/oracle; FORMAT.md there explains them) and the comparison metric they define.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'torch');

export interface OracleTensor {
  shape: number[];
  data: number[];
}

export interface OracleCase {
  id: string;
  kind: string;
  description: string;
  tolerance: { metric: 'scaled_rel'; f64: number; f32: number | null };
  torch_quirk?: string;
  [key: string]: any;
}

export interface OracleFile {
  family: string;
  num_cases: number;
  cases: OracleCase[];
}

const cache = new Map<string, OracleFile>();

/** Loads `<family>.json` (e.g. 'adam', 'lr_scheduler', 'clip_grad'). */
export function loadOracle(family: string): OracleFile {
  let file = cache.get(family);
  if (!file) {
    file = JSON.parse(readFileSync(join(FIXTURES, `${family}.json`), 'utf8')) as OracleFile;
    if (file.cases.length !== file.num_cases) throw new Error(`${family}.json: ${file.cases.length} cases, header says ${file.num_cases}`);
    cache.set(family, file);
  }
  return file;
}

export function toF64(t: OracleTensor): Float64Array {
  return Float64Array.from(t.data);
}

export function toF32(t: OracleTensor): Float32Array {
  return Float32Array.from(t.data);
}

/**
 * FORMAT.md's `scaled_rel`: max_i |x_i - e_i| / max(|e_i|, 1e-2 * max_j |e_j|, 1e-300).
 * Returns Infinity if any computed value is NaN or the lengths differ.
 */
export function scaledRel(expected: ArrayLike<number>, actual: ArrayLike<number>): number {
  if (expected.length !== actual.length) return Infinity;
  let s = 0;
  for (let i = 0; i < expected.length; i++) s = Math.max(s, Math.abs(expected[i]!));
  let err = 0;
  for (let i = 0; i < expected.length; i++) {
    const x = actual[i]!;
    if (Number.isNaN(x)) return Infinity;
    const e = expected[i]!;
    err = Math.max(err, Math.abs(x - e) / Math.max(Math.abs(e), 1e-2 * s, 1e-300));
  }
  return err;
}

/** Plain relative error of a lone scalar. */
export function relErr(expected: number, actual: number): number {
  if (Number.isNaN(actual)) return Infinity;
  if (expected === actual) return 0;
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
}

/** Throws with a readable message when scaledRel(expected, actual) > tol. */
export function assertScaledRel(expected: ArrayLike<number>, actual: ArrayLike<number>, tol: number, what: string): void {
  const err = scaledRel(expected, actual);
  if (!(err <= tol)) {
    throw new Error(`${what}: scaled_rel error ${err.toExponential(3)} > tolerance ${tol} (expected ${Array.from(expected).slice(0, 4)}..., got ${Array.from(actual).slice(0, 4)}...)`);
  }
}

/** camelCase of a torch snake_case name: 'exp_avg_sq' -> 'expAvgSq', 'T_max' -> 'TMax'. */
export function camel(name: string): string {
  return name.replace(/_([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

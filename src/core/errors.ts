/**
 * Errors. Every message names the bad value and what was expected, e.g.
 * "matmul: shapes [2, 3] and [4, 5] do not match: expected a.shape[1] == b.shape[0]".
 */
export class DescentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DescentError';
  }
}

/** Shapes that cannot be combined (matmul, broadcasting, reshape, ...). */
export class ShapeError extends DescentError {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

/** A value outside its valid range (a hyperparameter, a label, a non-finite gradient, ...). */
export class ValueError extends DescentError {
  constructor(message: string) {
    super(message);
    this.name = 'ValueError';
  }
}

/** Malformed data on disk: a wrong magic number, a truncated file, a checkpoint of another model. */
export class DataError extends DescentError {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}

/** Formats a value for an error message: shapes as [2, 3], numbers as they are, others as JSON. */
export function show(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Small dense linear algebra for Newton steps on n × n row-major Float64Array matrices:
 * Cholesky (for symmetric positive definite systems), LU with partial pivoting (any
 * non-singular system) and the cyclic Jacobi eigendecomposition of a symmetric matrix
 * (for |H| and for singular systems). O(n³) time, O(n²) memory each.
 */

/**
 * Cholesky factor A = L Lᵀ, written into `L` (lower triangle, upper zeroed).
 * Returns false when A is not (numerically) positive definite.
 */
export function cholesky(A: Float64Array, n: number, L: Float64Array): boolean {
  L.fill(0);
  for (let j = 0; j < n; j++) {
    let diag = A[j * n + j]!;
    for (let k = 0; k < j; k++) diag -= L[j * n + k]! * L[j * n + k]!;
    if (!(diag > 0)) return false;
    const ljj = Math.sqrt(diag);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = A[i * n + j]!;
      for (let k = 0; k < j; k++) s -= L[i * n + k]! * L[j * n + k]!;
      L[i * n + j] = s / ljj;
    }
  }
  return true;
}

/** Solves L Lᵀ x = b given the Cholesky factor; `out` may be `b`. */
export function choleskySolve(L: Float64Array, n: number, b: Float64Array, out: Float64Array): Float64Array {
  if (out !== b) out.set(b);
  for (let i = 0; i < n; i++) {
    let s = out[i]!;
    for (let k = 0; k < i; k++) s -= L[i * n + k]! * out[k]!;
    out[i] = s / L[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = out[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * out[k]!;
    out[i] = s / L[i * n + i]!;
  }
  return out;
}

/**
 * Solves A x = b by LU with partial pivoting, using `work` (n × n) as scratch.
 * Returns false when a pivot is below 1e-14 × the largest entry of A (singular).
 */
export function luSolve(A: Float64Array, n: number, b: Float64Array, out: Float64Array, work: Float64Array): boolean {
  work.set(A.subarray(0, n * n));
  if (out !== b) out.set(b);
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(work[i]!));
  const tiny = 1e-14 * scale;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(work[i * n + k]!) > Math.abs(work[p * n + k]!)) p = i;
    const pivot = work[p * n + k]!;
    if (!(Math.abs(pivot) > tiny)) return false;
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = work[k * n + j]!;
        work[k * n + j] = work[p * n + j]!;
        work[p * n + j] = t;
      }
      const t = out[k]!;
      out[k] = out[p]!;
      out[p] = t;
    }
    for (let i = k + 1; i < n; i++) {
      const m = work[i * n + k]! / pivot;
      if (m === 0) continue;
      for (let j = k + 1; j < n; j++) work[i * n + j] = work[i * n + j]! - m * work[k * n + j]!;
      out[i] = out[i]! - m * out[k]!;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = out[i]!;
    for (let j = i + 1; j < n; j++) s -= work[i * n + j]! * out[j]!;
    out[i] = s / work[i * n + i]!;
  }
  return true;
}

/**
 * Eigendecomposition A = V diag(values) Vᵀ of a symmetric A by cyclic Jacobi rotations.
 * `vectors` receives V row-major (column j is the eigenvector of values[j]). A is not modified.
 */
export function symmetricEigen(A: Float64Array, n: number, values: Float64Array, vectors: Float64Array, maxSweeps = 100): void {
  const a = A.slice(0, n * n);
  vectors.fill(0);
  for (let i = 0; i < n; i++) vectors[i * n + i] = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const v = a[i * n + j]! * a[i * n + j]!;
        total += v;
        if (i !== j) off += v;
      }
    }
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const app = a[p * n + p]!;
        const aqq = a[q * n + q]!;
        // Rotation angle that zeroes a[p][q]: t = tan θ, the smaller root of t² + 2θ' t − 1 = 0.
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = vectors[k * n + p]!;
          const vkq = vectors[k * n + q]!;
          vectors[k * n + p] = c * vkp - s * vkq;
          vectors[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  for (let i = 0; i < n; i++) values[i] = a[i * n + i]!;
}

/**
 * x = V diag(scale(λ)) Vᵀ b: applies a function of a symmetric matrix given its
 * eigendecomposition (`scale` maps an eigenvalue to the factor for its direction).
 */
export function eigenApply(values: Float64Array, vectors: Float64Array, n: number, scale: (lambda: number) => number, b: Float64Array, out: Float64Array): Float64Array {
  const coef = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += vectors[i * n + j]! * b[i]!;
    coef[j] = s * scale(values[j]!);
  }
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += vectors[i * n + j]! * coef[j]!;
    out[i] = s;
  }
  return out;
}

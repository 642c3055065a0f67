// Elementwise float32 kernels: the ops of the reference backend whose float32 results a single
// IEEE float32 operation reproduces exactly (the reference computes in float64 and rounds once,
// which for +, -, *, /, sqrt of float32 operands gives the correctly rounded float32 result).
// The caller (wasm/elementwise.ts) sends only those ops and scalar parameters that are float32
// values; everything else stays on the reference backend.
//
// Pointers are byte addresses; strides and counts are in elements.

// Unary op codes (must match wasm/elementwise.ts).
export const U_NEG: i32 = 0;
export const U_ABS: i32 = 1;
export const U_SQUARE: i32 = 2;
export const U_SQRT: i32 = 3;
export const U_RECIPROCAL: i32 = 4;
export const U_RELU: i32 = 5;
export const U_STEP_GT: i32 = 6;
export const U_SCALE: i32 = 7;
export const U_ADD_SCALAR: i32 = 8;

// Binary op codes.
export const B_ADD: i32 = 0;
export const B_SUB: i32 = 1;
export const B_MUL: i32 = 2;
export const B_DIV: i32 = 3;

// @ts-ignore: decorator
@inline
function unaryVec(op: i32, v: v128, p: v128): v128 {
  switch (op) {
    case U_NEG: return f32x4.neg(v);
    case U_ABS: return f32x4.abs(v);
    case U_SQUARE: return f32x4.mul(v, v);
    case U_SQRT: return f32x4.sqrt(v);
    case U_RECIPROCAL: return f32x4.div(f32x4.splat(1), v);
    case U_RELU: {
      // v > 0 or NaN keeps v, else +0.
      const keep = v128.or(f32x4.gt(v, f32x4.splat(0)), f32x4.ne(v, v));
      return v128.and(v, keep);
    }
    case U_STEP_GT: return v128.and(f32x4.gt(v, p), f32x4.splat(1));
    case U_SCALE: return f32x4.mul(p, v);
    case U_ADD_SCALAR: return f32x4.add(v, p);
  }
  return v;
}

// @ts-ignore: decorator
@inline
function unaryOne(op: i32, v: f32, p: f32): f32 {
  switch (op) {
    case U_NEG: return -v;
    case U_ABS: return abs<f32>(v);
    case U_SQUARE: return v * v;
    case U_SQRT: return sqrt<f32>(v);
    case U_RECIPROCAL: return <f32>1 / v;
    case U_RELU: return v > 0 || v != v ? v : 0;
    case U_STEP_GT: return v > p ? 1 : 0;
    case U_SCALE: return p * v;
    case U_ADD_SCALAR: return v + p;
  }
  return v;
}

// @ts-ignore: decorator
@inline
function unaryLoop(op: i32, n: i32, x: usize, out: usize, p: f32): void {
  const vp = f32x4.splat(p);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, unaryVec(op, v128.load(x + o), vp));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, unaryOne(op, load<f32>(x + o), p));
  }
}

// out[i] = f(x[i]; p) for i < n (x and out may be the same). One loop per op (the op is a
// constant inside each, so the switch folds away).
export function unary32(op: i32, n: i32, x: usize, out: usize, p: f32): void {
  switch (op) {
    case U_NEG: unaryLoop(U_NEG, n, x, out, p); break;
    case U_ABS: unaryLoop(U_ABS, n, x, out, p); break;
    case U_SQUARE: unaryLoop(U_SQUARE, n, x, out, p); break;
    case U_SQRT: unaryLoop(U_SQRT, n, x, out, p); break;
    case U_RECIPROCAL: unaryLoop(U_RECIPROCAL, n, x, out, p); break;
    case U_RELU: unaryLoop(U_RELU, n, x, out, p); break;
    case U_STEP_GT: unaryLoop(U_STEP_GT, n, x, out, p); break;
    case U_SCALE: unaryLoop(U_SCALE, n, x, out, p); break;
    case U_ADD_SCALAR: unaryLoop(U_ADD_SCALAR, n, x, out, p); break;
  }
}

// @ts-ignore: decorator
@inline
function binaryVec(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case B_ADD: return f32x4.add(a, b);
    case B_SUB: return f32x4.sub(a, b);
    case B_MUL: return f32x4.mul(a, b);
    case B_DIV: return f32x4.div(a, b);
  }
  return a;
}

// @ts-ignore: decorator
@inline
function binaryOne(op: i32, a: f32, b: f32): f32 {
  switch (op) {
    case B_ADD: return a + b;
    case B_SUB: return a - b;
    case B_MUL: return a * b;
    case B_DIV: return a / b;
  }
  return a;
}

// One row: out[j] = a[j * sa] ∘ b[j * sb] for j < n, with sa, sb each 0 or 1.
// @ts-ignore: decorator
@inline
function binaryRow(op: i32, n: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize): void {
  let j = 0;
  if (sa == 1 && sb == 1) {
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      v128.store(out + o, binaryVec(op, v128.load(a + o), v128.load(b + o)));
    }
  } else if (sa == 1) {
    const vb = v128.load32_splat(b);
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      v128.store(out + o, binaryVec(op, v128.load(a + o), vb));
    }
  } else if (sb == 1) {
    const va = v128.load32_splat(a);
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      v128.store(out + o, binaryVec(op, va, v128.load(b + o)));
    }
  }
  for (; j < n; j++) {
    store<f32>(out + (<usize>j << 2), binaryOne(op, load<f32>(a + (<usize>(j * sa) << 2)), load<f32>(b + (<usize>(j * sb) << 2))));
  }
}

// @ts-ignore: decorator
@inline
function binaryLoop(op: i32, rows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize): void {
  for (let r = 0; r < rows; r++) {
    const rr = <usize>r;
    binaryRow(op, cols, a + ((rr * <usize>aRow) << 2), aCol, b + ((rr * <usize>bRow) << 2), bCol, out + ((rr * <usize>cols) << 2));
  }
}

// out[r, j] = a[r * aRow + j * aCol] ∘ b[r * bRow + j * bCol] over rows × cols (out contiguous),
// with aCol and bCol each 0 or 1.
export function binary32(op: i32, rows: i32, cols: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize): void {
  switch (op) {
    case B_ADD: binaryLoop(B_ADD, rows, cols, a, aRow, aCol, b, bRow, bCol, out); break;
    case B_SUB: binaryLoop(B_SUB, rows, cols, a, aRow, aCol, b, bRow, bCol, out); break;
    case B_MUL: binaryLoop(B_MUL, rows, cols, a, aRow, aCol, b, bRow, bCol, out); break;
    case B_DIV: binaryLoop(B_DIV, rows, cols, a, aRow, aCol, b, bRow, bCol, out); break;
  }
}

// x viewed as [outer, size, inner]: out[o, i] = Σ_s x[o, s, i], summed in float64 in order of s
// (as the reference does), then rounded to float32.
export function sumAxis32(outer: i32, size: i32, inner: i32, x: usize, out: usize, acc: usize): void {
  for (let o = 0; o < outer; o++) {
    const base = x + ((<usize>o * <usize>size * <usize>inner) << 2);
    const ob = out + ((<usize>o * <usize>inner) << 2);
    if (inner == 1) {
      let s: f64 = 0;
      for (let k = 0; k < size; k++) s += <f64>load<f32>(base + (<usize>k << 2));
      store<f32>(ob, <f32>s);
      continue;
    }
    // Blocks of up to 512 columns, accumulated in float64 pairs in `acc` (4 KiB).
    for (let i0 = 0; i0 < inner; i0 += 512) {
      const w = inner - i0 < 512 ? inner - i0 : 512;
      memory.fill(acc, 0, <usize>w << 3);
      for (let k = 0; k < size; k++) {
        const row = base + ((<usize>k * <usize>inner + <usize>i0) << 2);
        let i = 0;
        for (; i + 4 <= w; i += 4) {
          const v = v128.load(row + (<usize>i << 2));
          const q = acc + (<usize>i << 3);
          v128.store(q, f64x2.add(v128.load(q), f64x2.promote_low_f32x4(v)));
          v128.store(q, f64x2.add(v128.load(q, 16), f64x2.promote_low_f32x4(f32x4.shuffle(v, v, 2, 3, 0, 1))), 16);
        }
        for (; i < w; i++) {
          const q = acc + (<usize>i << 3);
          store<f64>(q, load<f64>(q) + <f64>load<f32>(row + (<usize>i << 2)));
        }
      }
      const dst = ob + (<usize>i0 << 2);
      let i = 0;
      for (; i + 4 <= w; i += 4) {
        const q = acc + (<usize>i << 3);
        const lo = f32x4.demote_f64x2_zero(v128.load(q));
        const hi = f32x4.demote_f64x2_zero(v128.load(q, 16));
        v128.store(dst + (<usize>i << 2), f32x4.shuffle(lo, hi, 0, 1, 4, 5));
      }
      for (; i < w; i++) store<f32>(dst + (<usize>i << 2), <f32>load<f64>(acc + (<usize>i << 3)));
    }
  }
}

export const SUM_ACC_BYTES: i32 = 512 * 8;

// Contiguous copy of a strided 3-D view: out[i, j, k] = x[i*s0 + j*s1 + k*s2] (strides in elements).
export function copyStrided32(d0: i32, d1: i32, d2: i32, s0: i32, s1: i32, s2: i32, x: usize, out: usize): void {
  let o = out;
  const b0 = <usize>s0 << 2, b1 = <usize>s1 << 2, b2 = <usize>s2 << 2;
  for (let i = 0; i < d0; i++) {
    const xi = x + <usize>i * b0;
    for (let j = 0; j < d1; j++) {
      const xj = xi + <usize>j * b1;
      if (s2 == 1) {
        memory.copy(o, xj, <usize>d2 << 2);
      } else {
        for (let k = 0; k < d2; k++) store<f32>(o + (<usize>k << 2), load<f32>(xj + <usize>k * b2));
      }
      o += <usize>d2 << 2;
    }
  }
}

// Index of the first x[i], i < n, that is NaN or ±Infinity (all exponent bits set), or -1.
// Sixteen floats per test; the scalar loop finds the index within the block that failed.
export function firstNonFinite32(n: i32, x: usize): i32 {
  const mask = i32x4.splat(0x7f800000);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = x + (<usize>i << 2);
    const a = i32x4.eq(v128.and(v128.load(o), mask), mask);
    const b = i32x4.eq(v128.and(v128.load(o, 16), mask), mask);
    const c = i32x4.eq(v128.and(v128.load(o, 32), mask), mask);
    const d = i32x4.eq(v128.and(v128.load(o, 48), mask), mask);
    if (v128.any_true(v128.or(v128.or(a, b), v128.or(c, d)))) break;
  }
  for (; i < n; i++) {
    if ((load<i32>(x + (<usize>i << 2)) & 0x7f800000) == 0x7f800000) return i;
  }
  return -1;
}

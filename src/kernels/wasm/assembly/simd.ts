// Shared SIMD helpers for the AssemblyScript kernels.
//
// `madd(a, b, c)` = a * b + c on four f32 lanes. The relaxed build (compiled with
// `--enable relaxed-simd`) uses `f32x4.relaxed_madd`, a fused multiply-add where the hardware
// has one; the baseline build multiplies and adds (two roundings). Both agree within float32
// rounding. ASC_FEATURE_RELAXED_SIMD is a compile-time constant, so only one branch is emitted.

// @ts-ignore: decorator
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

// @ts-ignore: decorator
@inline
export function min32(a: i32, b: i32): i32 {
  return a < b ? a : b;
}

// Fused optimizer steps over flat float32 buffers, one pass over memory per step, following
// the single-tensor formulas of torch.optim 1.13 operation by operation (each torch op rounds to
// float32; scalars arrive already rounded to float32 by the caller, computed in float64 there).
//
// Every kernel processes 16 floats per iteration, unrolled by hand into four independent vectors
// (the sqrt and divide latencies are long; binaryen does not unroll loops). The remainder (< 16) is copied into
// `tmp` (TAIL_BYTES bytes, five 16-float rows), stepped there, and copied back.
// Pointers are byte addresses; a pointer for a buffer the variant does not use may be 0.

export const TAIL_BYTES: i32 = 5 * 64;

// Flags shared by the kernels.
export const MAXIMIZE: i32 = 1;
export const AMSGRAD: i32 = 2; // adam
export const DECOUPLED: i32 = 4; // adam: AdamW weight decay
export const NESTEROV: i32 = 2; // sgd
export const FIRST: i32 = 4; // sgd: the momentum buffer starts as the gradient
export const MOMENTUM: i32 = 8; // sgd, rmsprop: a momentum buffer exists
export const CENTERED: i32 = 2; // rmsprop

// @ts-ignore: decorator
@inline
function tailIn(rem: i32, tmp: usize, a: usize, b: usize, c: usize, d: usize, e: usize): void {
  memory.fill(tmp, 0, TAIL_BYTES);
  const bytes = <usize>rem << 2;
  if (a) memory.copy(tmp, a, bytes);
  if (b) memory.copy(tmp + 64, b, bytes);
  if (c) memory.copy(tmp + 128, c, bytes);
  if (d) memory.copy(tmp + 192, d, bytes);
  if (e) memory.copy(tmp + 256, e, bytes);
}

// @ts-ignore: decorator
@inline
function tailOut(rem: i32, tmp: usize, a: usize, b: usize, c: usize, d: usize, e: usize): void {
  const bytes = <usize>rem << 2;
  if (a) memory.copy(a, tmp, bytes);
  if (b) memory.copy(b, tmp + 64, bytes);
  if (c) memory.copy(c, tmp + 128, bytes);
  if (d) memory.copy(d, tmp + 192, bytes);
  if (e) memory.copy(e, tmp + 256, bytes);
}

// @ts-ignore: decorator
@inline
function nz(ptr: usize, add: usize): usize {
  return ptr ? ptr + add : 0;
}

// ---------------------------------------------------------------- Adam / AdamW / AMSGrad
// g = maximize ? -g : g;  AdamW: p = p * decay;  Adam: g = g + wd * p
// m = m * b1 + omb1 * g;  v = v * b2 + (omb2 * g) * g;  vmax = max(vmax, v) (amsgrad)
// p = p + negStep * (m / (sqrt(v or vmax) / bc2sqrt + eps))

// @ts-ignore: decorator
@inline
function adamVec(
  p: usize, g: usize, m: usize, v: usize, vm: usize, flags: i32,
  b1: v128, omb1: v128, b2: v128, omb2: v128, wd: v128, decay: v128, eps: v128, negStep: v128, bc2: v128, hasWd: bool,
): void {
  let gv = v128.load(g);
  let pv = v128.load(p);
  if (flags & MAXIMIZE) gv = f32x4.neg(gv);
  if (hasWd) {
    if (flags & DECOUPLED) pv = f32x4.mul(pv, decay);
    else gv = f32x4.add(gv, f32x4.mul(wd, pv));
  }
  const mv = f32x4.add(f32x4.mul(v128.load(m), b1), f32x4.mul(omb1, gv));
  let vv = f32x4.add(f32x4.mul(v128.load(v), b2), f32x4.mul(f32x4.mul(omb2, gv), gv));
  v128.store(m, mv);
  v128.store(v, vv);
  if (flags & AMSGRAD) {
    vv = f32x4.max(v128.load(vm), vv);
    v128.store(vm, vv);
  }
  const denom = f32x4.add(f32x4.div(f32x4.sqrt(vv), bc2), eps);
  v128.store(p, f32x4.add(pv, f32x4.mul(negStep, f32x4.div(mv, denom))));
}

export function adam(
  n: i32, p: usize, g: usize, m: usize, v: usize, vmax: usize, flags: i32,
  beta1: f32, oneMinusBeta1: f32, beta2: f32, oneMinusBeta2: f32, weightDecay: f32, decay: f32,
  eps: f32, negStepSize: f32, biasCorrection2Sqrt: f32, tmp: usize,
): void {
  const b1 = f32x4.splat(beta1), omb1 = f32x4.splat(oneMinusBeta1);
  const b2 = f32x4.splat(beta2), omb2 = f32x4.splat(oneMinusBeta2);
  const wd = f32x4.splat(weightDecay), dc = f32x4.splat(decay), ep = f32x4.splat(eps);
  const ns = f32x4.splat(negStepSize), bc = f32x4.splat(biasCorrection2Sqrt);
  const hasWd = weightDecay != 0;
  const vm = (flags & AMSGRAD) ? vmax : 0;
  const n16 = n & ~15;
  for (let i = 0; i < n16; i += 16) {
    const o = <usize>i << 2;
    adamVec(p + o, g + o, m + o, v + o, nz(vm, o), flags, b1, omb1, b2, omb2, wd, dc, ep, ns, bc, hasWd);
    adamVec(p + o + 16, g + o + 16, m + o + 16, v + o + 16, nz(vm, o + 16), flags, b1, omb1, b2, omb2, wd, dc, ep, ns, bc, hasWd);
    adamVec(p + o + 32, g + o + 32, m + o + 32, v + o + 32, nz(vm, o + 32), flags, b1, omb1, b2, omb2, wd, dc, ep, ns, bc, hasWd);
    adamVec(p + o + 48, g + o + 48, m + o + 48, v + o + 48, nz(vm, o + 48), flags, b1, omb1, b2, omb2, wd, dc, ep, ns, bc, hasWd);
  }
  const rem = n - n16;
  if (rem == 0) return;
  const o = <usize>n16 << 2;
  tailIn(rem, tmp, p + o, g + o, m + o, v + o, nz(vm, o));
  for (let u: usize = 0; u < 64; u += 16) {
    adamVec(tmp + u, tmp + 64 + u, tmp + 128 + u, tmp + 192 + u, vm ? tmp + 256 + u : 0, flags, b1, omb1, b2, omb2, wd, dc, ep, ns, bc, hasWd);
  }
  tailOut(rem, tmp, p + o, 0, m + o, v + o, nz(vm, o));
}

// ---------------------------------------------------------------- SGD
// g = maximize ? -g : g;  g = g + wd * p
// momentum: buf = first ? g : buf * mu + omd * g;  d = nesterov ? g + mu * buf : buf
// p = p + negLr * d

// @ts-ignore: decorator
@inline
function sgdVec(p: usize, g: usize, buf: usize, flags: i32, mu: v128, omd: v128, wd: v128, negLr: v128, hasWd: bool): void {
  let gv = v128.load(g);
  const pv = v128.load(p);
  if (flags & MAXIMIZE) gv = f32x4.neg(gv);
  if (hasWd) gv = f32x4.add(gv, f32x4.mul(wd, pv));
  let d = gv;
  if (flags & MOMENTUM) {
    const bv = (flags & FIRST) ? gv : f32x4.add(f32x4.mul(v128.load(buf), mu), f32x4.mul(omd, gv));
    v128.store(buf, bv);
    d = (flags & NESTEROV) ? f32x4.add(gv, f32x4.mul(mu, bv)) : bv;
  }
  v128.store(p, f32x4.add(pv, f32x4.mul(negLr, d)));
}

export function sgd(
  n: i32, p: usize, g: usize, buf: usize, flags: i32,
  momentum: f32, oneMinusDampening: f32, weightDecay: f32, negLr: f32, tmp: usize,
): void {
  const mu = f32x4.splat(momentum), omd = f32x4.splat(oneMinusDampening);
  const wd = f32x4.splat(weightDecay), nl = f32x4.splat(negLr);
  const hasWd = weightDecay != 0;
  const b = (flags & MOMENTUM) ? buf : 0;
  const n16 = n & ~15;
  for (let i = 0; i < n16; i += 16) {
    const o = <usize>i << 2;
    sgdVec(p + o, g + o, nz(b, o), flags, mu, omd, wd, nl, hasWd);
    sgdVec(p + o + 16, g + o + 16, nz(b, o + 16), flags, mu, omd, wd, nl, hasWd);
    sgdVec(p + o + 32, g + o + 32, nz(b, o + 32), flags, mu, omd, wd, nl, hasWd);
    sgdVec(p + o + 48, g + o + 48, nz(b, o + 48), flags, mu, omd, wd, nl, hasWd);
  }
  const rem = n - n16;
  if (rem == 0) return;
  const o = <usize>n16 << 2;
  tailIn(rem, tmp, p + o, g + o, nz(b, o), 0, 0);
  for (let u: usize = 0; u < 64; u += 16) sgdVec(tmp + u, tmp + 64 + u, b ? tmp + 128 + u : 0, flags, mu, omd, wd, nl, hasWd);
  tailOut(rem, tmp, p + o, 0, nz(b, o), 0, 0);
}

// ---------------------------------------------------------------- Adagrad
// g = maximize ? -g : g;  g = g + wd * p;  sum = sum + g * g;  p = p + negClr * (g / (sqrt(sum) + eps))

// @ts-ignore: decorator
@inline
function adagradVec(p: usize, g: usize, s: usize, flags: i32, wd: v128, eps: v128, negClr: v128, hasWd: bool): void {
  let gv = v128.load(g);
  const pv = v128.load(p);
  if (flags & MAXIMIZE) gv = f32x4.neg(gv);
  if (hasWd) gv = f32x4.add(gv, f32x4.mul(wd, pv));
  const sv = f32x4.add(v128.load(s), f32x4.mul(gv, gv));
  v128.store(s, sv);
  v128.store(p, f32x4.add(pv, f32x4.mul(negClr, f32x4.div(gv, f32x4.add(f32x4.sqrt(sv), eps)))));
}

export function adagrad(n: i32, p: usize, g: usize, sum: usize, flags: i32, weightDecay: f32, eps: f32, negClr: f32, tmp: usize): void {
  const wd = f32x4.splat(weightDecay), ep = f32x4.splat(eps), nc = f32x4.splat(negClr);
  const hasWd = weightDecay != 0;
  const n16 = n & ~15;
  for (let i = 0; i < n16; i += 16) {
    const o = <usize>i << 2;
    adagradVec(p + o, g + o, sum + o, flags, wd, ep, nc, hasWd);
    adagradVec(p + o + 16, g + o + 16, sum + o + 16, flags, wd, ep, nc, hasWd);
    adagradVec(p + o + 32, g + o + 32, sum + o + 32, flags, wd, ep, nc, hasWd);
    adagradVec(p + o + 48, g + o + 48, sum + o + 48, flags, wd, ep, nc, hasWd);
  }
  const rem = n - n16;
  if (rem == 0) return;
  const o = <usize>n16 << 2;
  tailIn(rem, tmp, p + o, g + o, sum + o, 0, 0);
  for (let u: usize = 0; u < 64; u += 16) adagradVec(tmp + u, tmp + 64 + u, tmp + 128 + u, flags, wd, ep, nc, hasWd);
  tailOut(rem, tmp, p + o, 0, sum + o, 0, 0);
}

// ---------------------------------------------------------------- RMSprop
// g = maximize ? -g : g;  g = g + wd * p;  sq = sq * alpha + (oma * g) * g
// centered: ga = ga * alpha + oma * g;  avg = sqrt(sq + (-1 * ga) * ga) + eps;  else avg = sqrt(sq) + eps
// momentum: buf = buf * mu + g / avg;  p = p + negLr * buf;  else p = p + negLr * (g / avg)

// @ts-ignore: decorator
@inline
function rmspropVec(
  p: usize, g: usize, sq: usize, ga: usize, buf: usize, flags: i32,
  al: v128, oma: v128, wd: v128, eps: v128, mu: v128, negLr: v128, hasWd: bool,
): void {
  let gv = v128.load(g);
  const pv = v128.load(p);
  if (flags & MAXIMIZE) gv = f32x4.neg(gv);
  if (hasWd) gv = f32x4.add(gv, f32x4.mul(wd, pv));
  const sv = f32x4.add(f32x4.mul(v128.load(sq), al), f32x4.mul(f32x4.mul(oma, gv), gv));
  v128.store(sq, sv);
  let avg: v128;
  if (flags & CENTERED) {
    const gav = f32x4.add(f32x4.mul(v128.load(ga), al), f32x4.mul(oma, gv));
    v128.store(ga, gav);
    avg = f32x4.add(f32x4.sqrt(f32x4.sub(sv, f32x4.mul(gav, gav))), eps);
  } else {
    avg = f32x4.add(f32x4.sqrt(sv), eps);
  }
  if (flags & MOMENTUM) {
    const bv = f32x4.add(f32x4.mul(v128.load(buf), mu), f32x4.div(gv, avg));
    v128.store(buf, bv);
    v128.store(p, f32x4.add(pv, f32x4.mul(negLr, bv)));
  } else {
    v128.store(p, f32x4.add(pv, f32x4.mul(negLr, f32x4.div(gv, avg))));
  }
}

export function rmsprop(
  n: i32, p: usize, g: usize, squareAvg: usize, gradAvg: usize, buf: usize, flags: i32,
  alpha: f32, oneMinusAlpha: f32, weightDecay: f32, eps: f32, momentum: f32, negLr: f32, tmp: usize,
): void {
  const al = f32x4.splat(alpha), oma = f32x4.splat(oneMinusAlpha), wd = f32x4.splat(weightDecay);
  const ep = f32x4.splat(eps), mu = f32x4.splat(momentum), nl = f32x4.splat(negLr);
  const hasWd = weightDecay != 0;
  const ga = (flags & CENTERED) ? gradAvg : 0;
  const b = (flags & MOMENTUM) ? buf : 0;
  const n16 = n & ~15;
  for (let i = 0; i < n16; i += 16) {
    const o = <usize>i << 2;
    rmspropVec(p + o, g + o, squareAvg + o, nz(ga, o), nz(b, o), flags, al, oma, wd, ep, mu, nl, hasWd);
    rmspropVec(p + o + 16, g + o + 16, squareAvg + o + 16, nz(ga, o + 16), nz(b, o + 16), flags, al, oma, wd, ep, mu, nl, hasWd);
    rmspropVec(p + o + 32, g + o + 32, squareAvg + o + 32, nz(ga, o + 32), nz(b, o + 32), flags, al, oma, wd, ep, mu, nl, hasWd);
    rmspropVec(p + o + 48, g + o + 48, squareAvg + o + 48, nz(ga, o + 48), nz(b, o + 48), flags, al, oma, wd, ep, mu, nl, hasWd);
  }
  const rem = n - n16;
  if (rem == 0) return;
  const o = <usize>n16 << 2;
  tailIn(rem, tmp, p + o, g + o, squareAvg + o, nz(ga, o), nz(b, o));
  for (let u: usize = 0; u < 64; u += 16) {
    rmspropVec(tmp + u, tmp + 64 + u, tmp + 128 + u, ga ? tmp + 192 + u : 0, b ? tmp + 256 + u : 0, flags, al, oma, wd, ep, mu, nl, hasWd);
  }
  tailOut(rem, tmp, p + o, 0, squareAvg + o, nz(ga, o), nz(b, o));
}

// ---------------------------------------------------------------- Adadelta
// g = maximize ? -g : g;  g = g + wd * p;  sq = sq * rho + (omr * g) * g
// delta = sqrt(acc + eps) / sqrt(sq + eps) * g;  acc = acc * rho + (omr * delta) * delta;  p = p + negLr * delta

// @ts-ignore: decorator
@inline
function adadeltaVec(p: usize, g: usize, sq: usize, acc: usize, flags: i32, rho: v128, omr: v128, wd: v128, eps: v128, negLr: v128, hasWd: bool): void {
  let gv = v128.load(g);
  const pv = v128.load(p);
  if (flags & MAXIMIZE) gv = f32x4.neg(gv);
  if (hasWd) gv = f32x4.add(gv, f32x4.mul(wd, pv));
  const sv = f32x4.add(f32x4.mul(v128.load(sq), rho), f32x4.mul(f32x4.mul(omr, gv), gv));
  v128.store(sq, sv);
  const av = v128.load(acc);
  const delta = f32x4.mul(f32x4.div(f32x4.sqrt(f32x4.add(av, eps)), f32x4.sqrt(f32x4.add(sv, eps))), gv);
  v128.store(acc, f32x4.add(f32x4.mul(av, rho), f32x4.mul(f32x4.mul(omr, delta), delta)));
  v128.store(p, f32x4.add(pv, f32x4.mul(negLr, delta)));
}

export function adadelta(n: i32, p: usize, g: usize, squareAvg: usize, accDelta: usize, flags: i32, rho: f32, oneMinusRho: f32, weightDecay: f32, eps: f32, negLr: f32, tmp: usize): void {
  const r = f32x4.splat(rho), omr = f32x4.splat(oneMinusRho), wd = f32x4.splat(weightDecay);
  const ep = f32x4.splat(eps), nl = f32x4.splat(negLr);
  const hasWd = weightDecay != 0;
  const n16 = n & ~15;
  for (let i = 0; i < n16; i += 16) {
    const o = <usize>i << 2;
    adadeltaVec(p + o, g + o, squareAvg + o, accDelta + o, flags, r, omr, wd, ep, nl, hasWd);
    adadeltaVec(p + o + 16, g + o + 16, squareAvg + o + 16, accDelta + o + 16, flags, r, omr, wd, ep, nl, hasWd);
    adadeltaVec(p + o + 32, g + o + 32, squareAvg + o + 32, accDelta + o + 32, flags, r, omr, wd, ep, nl, hasWd);
    adadeltaVec(p + o + 48, g + o + 48, squareAvg + o + 48, accDelta + o + 48, flags, r, omr, wd, ep, nl, hasWd);
  }
  const rem = n - n16;
  if (rem == 0) return;
  const o = <usize>n16 << 2;
  tailIn(rem, tmp, p + o, g + o, squareAvg + o, accDelta + o, 0);
  for (let u: usize = 0; u < 64; u += 16) adadeltaVec(tmp + u, tmp + 64 + u, tmp + 128 + u, tmp + 192 + u, flags, r, omr, wd, ep, nl, hasWd);
  tailOut(rem, tmp, p + o, 0, squareAvg + o, accDelta + o, 0);
}

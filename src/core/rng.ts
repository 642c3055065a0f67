/**
 * Seeded random numbers. One seed fixes a whole run: components take their own stream
 * with `rng.split('init')`, `rng.split('data')`, ... so adding draws in one component
 * never shifts another's numbers.
 *
 * Generator: xoshiro128** (Blackman & Vigna, 2018), 128 bits of state, seeded through
 * splitmix32 so nearby seeds give unrelated streams. Doubles take two 32-bit outputs
 * (53 random bits). Normals use the Box–Muller transform (both values are used).
 * The state is plain data: `getState()`/`setState()` save and restore it exactly.
 */
import { ValueError, show } from './errors.js';

export interface RngState {
  s: [number, number, number, number];
  /** The second Box–Muller value, if one is pending. */
  spare: number | null;
}

function splitmix32(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a hash of a string, for naming sub-streams. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Throws unless `seed` is a valid generator seed (an integer in [0, 2^53)); `where` names the caller. */
export function checkSeed(seed: unknown, where: string): number {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > Number.MAX_SAFE_INTEGER) {
    throw new ValueError(`${where}: invalid seed ${show(seed)}, expected an integer in [0, 2^53)`);
  }
  return seed;
}

export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;

  constructor(seed: number = 0) {
    checkSeed(seed, 'Rng');
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    const mix = splitmix32(lo ^ Math.imul(hi, 0x9e3779b1));
    this.s0 = mix();
    this.s1 = mix() ^ hi;
    this.s2 = mix();
    this.s3 = mix();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  random(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform in [low, high). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.random();
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new ValueError(`Rng.int: invalid n ${show(n)}, expected a positive integer`);
    return Math.floor(this.random() * n);
  }

  /** Normal with the given mean and standard deviation (Box–Muller). */
  normal(mean = 0, std = 1): number {
    let z: number;
    if (this.spare !== null) {
      z = this.spare;
      this.spare = null;
    } else {
      let u = 0;
      while (u === 0) u = this.random();
      const v = this.random();
      const r = Math.sqrt(-2 * Math.log(u));
      z = r * Math.cos(2 * Math.PI * v);
      this.spare = r * Math.sin(2 * Math.PI * v);
    }
    return mean + std * z;
  }

  /** Normal truncated to [mean - 2 std, mean + 2 std]: values beyond are redrawn (as TensorFlow and DeepOBS do). */
  truncatedNormal(mean = 0, std = 1): number {
    for (;;) {
      const z = this.normal();
      if (z >= -2 && z <= 2) return mean + std * z;
    }
  }

  /** Fills `out` with uniform values in [low, high). */
  fillUniform<T extends Float32Array | Float64Array>(out: T, low = 0, high = 1): T {
    for (let i = 0; i < out.length; i++) out[i] = this.uniform(low, high);
    return out;
  }

  fillNormal<T extends Float32Array | Float64Array>(out: T, mean = 0, std = 1): T {
    for (let i = 0; i < out.length; i++) out[i] = this.normal(mean, std);
    return out;
  }

  fillTruncatedNormal<T extends Float32Array | Float64Array>(out: T, mean = 0, std = 1): T {
    for (let i = 0; i < out.length; i++) out[i] = this.truncatedNormal(mean, std);
    return out;
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    if (!Number.isInteger(n) || n < 0) throw new ValueError(`Rng.permutation: invalid n ${show(n)}, expected an integer >= 0`);
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }

  /**
   * An independent generator derived from this one's current state and `key`.
   * Does not advance this generator: `rng.split('a')` is the same stream every time.
   */
  split(key: string | number): Rng {
    const h = typeof key === 'number' ? splitmix32(key)() : hashString(key);
    const child = Object.create(Rng.prototype) as Rng;
    const mix = splitmix32(h ^ this.s0 ^ rotl(this.s1, 13) ^ rotl(this.s2, 7) ^ this.s3);
    child.s0 = mix();
    child.s1 = mix();
    child.s2 = mix();
    child.s3 = mix();
    if ((child.s0 | child.s1 | child.s2 | child.s3) === 0) child.s0 = 1;
    child.spare = null;
    return child;
  }

  getState(): RngState {
    return { s: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0], spare: this.spare };
  }

  setState(state: RngState): this {
    const ok =
      state !== null && typeof state === 'object' && Array.isArray(state.s) && state.s.length === 4 &&
      state.s.every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffffffff) &&
      (state.spare === null || typeof state.spare === 'number');
    if (!ok) throw new ValueError(`Rng.setState: invalid state ${show(state)}, expected {s: [4 uint32], spare: number | null}`);
    [this.s0, this.s1, this.s2, this.s3] = state.s.map((x) => x | 0) as [number, number, number, number];
    this.spare = state.spare;
    return this;
  }

  static fromState(state: RngState): Rng {
    return new Rng(0).setState(state);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

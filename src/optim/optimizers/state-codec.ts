/**
 * Lossless JSON encoding of optimizer state: typed arrays become
 * `{ dtype, shape, base64 }` (the little-endian bytes), numbers and null stay as they are.
 */
import type { FloatArray } from '../../core/dtype.js';
import { DataError, show } from '../../core/errors.js';

export interface EncodedArray {
  dtype: 'float32' | 'float64';
  shape: number[];
  base64: string;
}

export type StateValue = number | null | FloatArray;
export type EncodedStateValue = number | null | EncodedArray;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 3 * 4096;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(bytes.length, start + CHUNK);
    let s = '';
    for (let i = start; i < end; i += 3) {
      const a = bytes[i]!;
      const b = i + 1 < end ? bytes[i + 1]! : 0;
      const c = i + 2 < end ? bytes[i + 2]! : 0;
      s += ALPHABET[a >> 2]! + ALPHABET[((a & 3) << 4) | (b >> 4)]!;
      s += i + 1 < end ? ALPHABET[((b & 15) << 2) | (c >> 6)]! : '=';
      s += i + 2 < end ? ALPHABET[c & 63]! : '=';
    }
    parts.push(s);
  }
  return parts.join('');
}

function fromBase64(text: string, where: string): Uint8Array {
  if (text.length % 4 !== 0) throw new DataError(`${where}: base64 length ${text.length} is not a multiple of 4`);
  let pad = 0;
  if (text.endsWith('==')) pad = 2;
  else if (text.endsWith('=')) pad = 1;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const q = [0, 0, 0, 0];
    for (let k = 0; k < 4; k++) {
      const ch = text.charCodeAt(i + k);
      if (ch === 61 && i + k >= text.length - pad) { q[k] = 0; continue; }
      const v = ch < 128 ? LOOKUP[ch]! : -1;
      if (v < 0) throw new DataError(`${where}: invalid base64 character ${show(text[i + k])} at ${i + k}`);
      q[k] = v;
    }
    const n = (q[0]! << 18) | (q[1]! << 12) | (q[2]! << 6) | q[3]!;
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

function swapBytes(bytes: Uint8Array, width: number): void {
  for (let i = 0; i < bytes.length; i += width) {
    for (let a = i, b = i + width - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}

export function encodeArray(array: FloatArray, shape: readonly number[]): EncodedArray {
  const dtype = array instanceof Float64Array ? 'float64' : 'float32';
  const bytes = new Uint8Array(array.buffer.slice(array.byteOffset, array.byteOffset + array.byteLength));
  if (!LITTLE_ENDIAN) swapBytes(bytes, array.BYTES_PER_ELEMENT);
  return { dtype, shape: [...shape], base64: toBase64(bytes) };
}

export function isEncodedArray(value: unknown): value is EncodedArray {
  return value !== null && typeof value === 'object' && 'dtype' in value && 'base64' in value && 'shape' in value;
}

export function decodeArray(value: unknown, where: string): FloatArray {
  if (!isEncodedArray(value) || typeof value.base64 !== 'string' || !Array.isArray(value.shape)) {
    throw new DataError(`${where}: invalid encoded array ${show(value)}, expected {dtype, shape, base64}`);
  }
  if (value.dtype !== 'float32' && value.dtype !== 'float64') {
    throw new DataError(`${where}: invalid dtype ${show(value.dtype)}, expected 'float32' or 'float64'`);
  }
  const bytes = fromBase64(value.base64, where);
  const width = value.dtype === 'float64' ? 8 : 4;
  if (bytes.length % width !== 0) throw new DataError(`${where}: ${bytes.length} bytes is not a whole number of ${value.dtype} values`);
  const count = value.shape.reduce((a: number, b: unknown) => a * (b as number), 1);
  if (count * width !== bytes.length) {
    throw new DataError(`${where}: shape ${show(value.shape)} needs ${count} values but the data holds ${bytes.length / width}`);
  }
  if (!LITTLE_ENDIAN) swapBytes(bytes, width);
  return value.dtype === 'float64' ? new Float64Array(bytes.buffer) : new Float32Array(bytes.buffer);
}

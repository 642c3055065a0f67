/**
 * The IDX file format of the MNIST family (LeCun et al.), raw or gzip-compressed.
 *
 *   bytes 0-1   0x00 0x00
 *   byte  2     data type: 0x08 ubyte, 0x09 sbyte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64
 *   byte  3     number of dimensions d
 *   4d bytes    the dimensions, big-endian uint32 each
 *   then        product(dims) values, big-endian, row-major
 *
 * Gzip is recognized by its magic bytes (0x1f 0x8b), not by the file name.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DataError, ValueError, show } from '../core/errors.js';

export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

export interface IdxArray {
  shape: number[];
  type: IdxType;
  data: IdxData;
}

interface TypeInfo {
  code: number;
  type: IdxType;
  bytes: number;
}

const TYPES: readonly TypeInfo[] = [
  { code: 0x08, type: 'uint8', bytes: 1 },
  { code: 0x09, type: 'int8', bytes: 1 },
  { code: 0x0b, type: 'int16', bytes: 2 },
  { code: 0x0c, type: 'int32', bytes: 4 },
  { code: 0x0d, type: 'float32', bytes: 4 },
  { code: 0x0e, type: 'float64', bytes: 8 },
];

const hex = (b: number) => `0x${b.toString(16).padStart(2, '0')}`;

/** Reads an IDX file (raw or .gz). Errors are DataErrors naming `path` and the problem. */
export function readIdx(path: string): IdxArray {
  if (typeof path !== 'string' || path === '') throw new ValueError(`readIdx: invalid path ${show(path)}, expected a file path`);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new DataError(`${path}: cannot read IDX file: ${(e as Error).message}`);
  }
  return parseIdx(bytes, path);
}

/** Gunzips `bytes` when they start with the gzip magic; otherwise returns them unchanged. */
export function maybeGunzip(bytes: Uint8Array, name: string): Uint8Array {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const truncated = err.code === 'Z_BUF_ERROR' || /unexpected end/i.test(err.message);
    throw new DataError(
      `${name}: ${truncated ? 'truncated' : 'corrupt'} gzip data (${err.message}); ` +
        `the file is damaged, download or install it again`,
    );
  }
}

/** Parses IDX bytes (raw or gzip). `name` is used in error messages. */
export function parseIdx(input: Uint8Array, name = '<idx>'): IdxArray {
  if (!(input instanceof Uint8Array)) throw new ValueError(`parseIdx: invalid input ${show(input)}, expected a Uint8Array`);
  const bytes = maybeGunzip(input, name);
  const owned = bytes !== input; // a fresh gunzip output may be viewed instead of copied
  if (bytes.length < 4) throw new DataError(`${name}: truncated IDX file: expected at least a 4-byte header, got ${bytes.length} bytes`);
  const magic = (bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!;
  const info = TYPES.find((t) => t.code === bytes[2]);
  if (bytes[0] !== 0 || bytes[1] !== 0 || info === undefined || bytes[3] === 0) {
    throw new DataError(
      `${name}: wrong IDX magic number 0x${(magic >>> 0).toString(16).padStart(8, '0')}: expected 0x0000TTDD ` +
        `with data type TT in {${TYPES.map((t) => hex(t.code)).join(', ')}} and DD >= 1 dimensions ` +
        `(e.g. 0x00000801 for labels, 0x00000803 for images)`,
    );
  }
  const ndims = bytes[3]!;
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new DataError(`${name}: truncated IDX file: expected a ${headerBytes}-byte header for ${ndims} dimensions, got ${bytes.length} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let d = 0; d < ndims; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    shape.push(size);
    count *= size;
  }
  const expected = headerBytes + count * info.bytes;
  if (bytes.length < expected) {
    throw new DataError(`${name}: truncated IDX file: expected ${expected} bytes for shape ${show(shape)} of ${info.type}, got ${bytes.length}`);
  }
  if (bytes.length > expected) {
    throw new DataError(`${name}: IDX file too long: expected ${expected} bytes for shape ${show(shape)} of ${info.type}, got ${bytes.length}`);
  }
  return { shape, type: info.type, data: decode(view, headerBytes, count, info, owned) };
}

function decode(view: DataView, offset: number, count: number, info: TypeInfo, owned: boolean): IdxData {
  const start = view.byteOffset + offset;
  switch (info.type) {
    case 'uint8':
      return owned ? new Uint8Array(view.buffer, start, count) : new Uint8Array(view.buffer.slice(start, start + count));
    case 'int8':
      return owned ? new Int8Array(view.buffer, start, count) : new Int8Array(view.buffer.slice(start, start + count));
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

function typeOfData(data: IdxData): TypeInfo {
  const type: IdxType | undefined =
    data instanceof Uint8Array ? 'uint8' : data instanceof Int8Array ? 'int8' : data instanceof Int16Array ? 'int16' :
    data instanceof Int32Array ? 'int32' : data instanceof Float32Array ? 'float32' : data instanceof Float64Array ? 'float64' : undefined;
  const info = TYPES.find((t) => t.type === type);
  if (info === undefined) throw new ValueError(`encodeIdx: invalid data ${show(data)}, expected a Uint8Array, Int8Array, Int16Array, Int32Array, Float32Array or Float64Array`);
  return info;
}

/** Encodes an array as IDX bytes (gzip-compressed when `gzip`). The inverse of `parseIdx`. */
export function encodeIdx(array: { shape: number[]; data: IdxData }, gzip = false): Uint8Array {
  const { shape, data } = array;
  const info = typeOfData(data);
  if (!Array.isArray(shape) || shape.length < 1 || shape.length > 255 || !shape.every((d) => Number.isInteger(d) && d >= 0 && d <= 0xffffffff)) {
    throw new ValueError(`encodeIdx: invalid shape ${show(shape)}, expected 1 to 255 non-negative uint32 dimensions`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new ValueError(`encodeIdx: shape ${show(shape)} holds ${count} values, but data has ${data.length}`);
  const headerBytes = 4 + 4 * shape.length;
  const out = new Uint8Array(headerBytes + count * info.bytes);
  const view = new DataView(out.buffer);
  out[2] = info.code;
  out[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < count; i++) {
    const p = headerBytes + i * info.bytes;
    const v = data[i]!;
    switch (info.type) {
      case 'uint8': view.setUint8(p, v); break;
      case 'int8': view.setInt8(p, v); break;
      case 'int16': view.setInt16(p, v, false); break;
      case 'int32': view.setInt32(p, v, false); break;
      case 'float32': view.setFloat32(p, v, false); break;
      case 'float64': view.setFloat64(p, v, false); break;
    }
  }
  return gzip ? new Uint8Array(gzipSync(out)) : out;
}

/** Writes an IDX file; gzip-compressed when `path` ends in `.gz`. */
export function writeIdx(path: string, array: { shape: number[]; data: IdxData }): void {
  if (typeof path !== 'string' || path === '') throw new ValueError(`writeIdx: invalid path ${show(path)}, expected a file path`);
  writeFileSync(path, encodeIdx(array, path.endsWith('.gz')));
}

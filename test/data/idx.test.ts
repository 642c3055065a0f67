import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataError } from '../../src/core/errors.js';
import { readIdx, writeIdx, encodeIdx, parseIdx } from '../../src/data/idx.js';

let dir = '';
before(() => { dir = mkdtempSync(join(tmpdir(), 'descent-idx-')); });
after(() => { rmSync(dir, { recursive: true, force: true }); });

const images = { shape: [3, 2, 4], data: Uint8Array.from({ length: 24 }, (_, i) => (i * 37) % 256) };

describe('IDX round trip', () => {
  for (const name of ['images.idx', 'images.idx.gz']) {
    test(`ubyte ${name}`, () => {
      const path = join(dir, name);
      writeIdx(path, images);
      const back = readIdx(path);
      assert.deepEqual(back.shape, [3, 2, 4]);
      assert.equal(back.type, 'uint8');
      assert.ok(back.data instanceof Uint8Array);
      assert.deepEqual(Array.from(back.data), Array.from(images.data));
    });
  }

  test('the header is the documented big-endian layout', () => {
    const bytes = encodeIdx({ shape: [2, 260], data: new Uint8Array(520) });
    assert.deepEqual(Array.from(bytes.subarray(0, 12)), [0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 1, 4]);
    assert.equal(bytes.length, 12 + 520);
  });

  test('multi-byte types are big-endian and survive a round trip', () => {
    const cases = [
      new Int8Array([-128, -1, 0, 127]),
      new Int16Array([-32768, -2, 1, 32767]),
      new Int32Array([-2147483648, -3, 5, 2147483647]),
      new Float32Array([-1.5, 0, 3.25, 1e30]),
      new Float64Array([-Math.PI, 0, Math.E, 1e300]),
    ];
    for (const data of cases) {
      for (const gz of [false, true]) {
        const back = parseIdx(encodeIdx({ shape: [2, 2], data }, gz), 'mem');
        assert.equal(back.data.constructor, data.constructor);
        assert.deepEqual(Array.from(back.data), Array.from(data));
      }
    }
    const int16 = encodeIdx({ shape: [1], data: new Int16Array([0x0102]) });
    assert.deepEqual(Array.from(int16.subarray(8)), [0x01, 0x02]);
  });
});

describe('IDX bad data', () => {
  const write = (name: string, bytes: Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  const good = () => encodeIdx(images);

  test('wrong magic number names the file, the expected and the found magic', () => {
    const bytes = good();
    bytes[2] = 0x42;
    const path = write('bad-magic.idx', bytes);
    assert.throws(() => readIdx(path), (e: Error) => {
      assert.ok(e instanceof DataError);
      assert.match(e.message, /bad-magic\.idx/);
      assert.match(e.message, /wrong IDX magic number 0x00004203/);
      assert.match(e.message, /expected 0x0000TTDD/);
      return true;
    });
    const other = good();
    other[0] = 1;
    assert.throws(() => parseIdx(other, 'x.idx'), /x\.idx: wrong IDX magic number 0x01000803/);
  });

  test('truncated raw file says how many bytes were expected and found', () => {
    const bytes = good();
    const path = write('short.idx', bytes.subarray(0, bytes.length - 5));
    assert.throws(() => readIdx(path), (e: Error) => {
      assert.ok(e instanceof DataError);
      assert.match(e.message, /short\.idx: truncated IDX file: expected 40 bytes .*got 35/);
      return true;
    });
    assert.throws(() => parseIdx(bytes.subarray(0, 10), 'hdr'), /hdr: truncated IDX file: expected a 16-byte header for 3 dimensions, got 10 bytes/);
    assert.throws(() => parseIdx(bytes.subarray(0, 2), 'tiny'), /tiny: truncated IDX file/);
  });

  test('extra trailing bytes are reported', () => {
    const bytes = new Uint8Array(good().length + 3);
    bytes.set(good());
    assert.throws(() => parseIdx(bytes, 'long.idx'), /long\.idx: IDX file too long: expected 40 bytes .*got 43/);
  });

  test('truncated gzip', () => {
    const gz = gzipSync(good());
    const path = write('short.idx.gz', gz.subarray(0, gz.length - 12));
    assert.throws(() => readIdx(path), (e: Error) => {
      assert.ok(e instanceof DataError);
      assert.match(e.message, /short\.idx\.gz: truncated gzip data/);
      return true;
    });
  });

  test('corrupt gzip', () => {
    const gz = new Uint8Array(gzipSync(good()));
    gz[gz.length - 6] ^= 0xff; // inside the CRC32 trailer
    const path = write('corrupt.idx.gz', gz);
    assert.throws(() => readIdx(path), (e: Error) => {
      assert.ok(e instanceof DataError);
      assert.match(e.message, /corrupt\.idx\.gz: corrupt gzip data/);
      return true;
    });
    const garbage = new Uint8Array(gzipSync(good()));
    for (let i = 10; i < 20; i++) garbage[i] = 0xff;
    assert.throws(() => parseIdx(garbage, 'garbage.gz'), (e: Error) => e instanceof DataError && /garbage\.gz: (corrupt|truncated) gzip data/.test(e.message));
  });

  test('a missing file is a DataError naming it', () => {
    const path = join(dir, 'nope.idx');
    assert.throws(() => readIdx(path), (e: Error) => e instanceof DataError && e.message.includes('nope.idx'));
  });

  test('invalid arguments', () => {
    assert.throws(() => readIdx(''), /readIdx: invalid path ""/);
    assert.throws(() => encodeIdx({ shape: [2, 3], data: new Uint8Array(5) }), /shape \[2, 3\] holds 6 values, but data has 5/);
    assert.throws(() => encodeIdx({ shape: [], data: new Uint8Array(0) }), /invalid shape \[\]/);
  });
});

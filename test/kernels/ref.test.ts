import { wasmAvailable } from '../../src/kernels/wasm/index.js';
/** The kernel suite against the reference backend, and backend selection. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { refBackend } from '../../src/kernels/ref/index.js';
import { getBackend, registerBackend, registeredBackends, setBackend } from '../../src/kernels/registry.js';
import { ValueError } from '../../src/core/errors.js';
import { kernelSuite } from './suite.js';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

kernelSuite(refBackend);

describe('backend selection', () => {
  test('wasm is the default where it loads, ref otherwise; both are registered', () => {
    assert.ok(registeredBackends().includes('ref'));
    assert.ok(registeredBackends().includes('wasm'));
    if (!process.env.DESCENT_BACKEND) assert.equal(getBackend().name, wasmAvailable() ? 'wasm' : 'ref');
  });

  test('a partial backend gets the reference kernels for what it lacks', () => {
    let calls = 0;
    registerBackend('counting', () => ({
      name: 'counting',
      gemm: (...args: Parameters<typeof refBackend.gemm>) => { calls++; refBackend.gemm(...args); },
    }));
    try {
      const be = setBackend('counting');
      assert.equal(be.name, 'counting');
      assert.equal(be.sumAxis, refBackend.sumAxis);
      const c = new Float64Array(1);
      be.gemm(false, false, 1, 1, 1, 1, new Float64Array([2]), 0, 1, new Float64Array([3]), 0, 1, 0, c, 0, 1);
      assert.equal(c[0], 6);
      assert.equal(calls, 1);
    } finally {
      setBackend(refBackend);
    }
    assert.equal(getBackend(), refBackend);
  });

  test('errors name the bad value', () => {
    assert.throws(() => setBackend('nope'), (e: Error) => e instanceof ValueError && /unknown backend "nope", expected one of "ref"/.test(e.message));
    assert.throws(() => registerBackend('Bad Name', () => refBackend), /invalid name "Bad Name"/);
    assert.throws(() => setBackend({} as never), /expected an object with at least a gemm method/);
  });

  test('DESCENT_BACKEND selects the backend by name, and an unknown name is an error', () => {
    const registry = fileURLToPath(new URL('../../src/kernels/registry.ts', import.meta.url));
    const script = `import { getBackend } from ${JSON.stringify(registry)}; try { console.log(getBackend().name); } catch (e) { console.log(e.message); }`;
    const run = (value: string) => execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, DESCENT_BACKEND: value }, encoding: 'utf8',
    }).trim();
    assert.equal(run('ref'), 'ref');
    assert.match(run('nope'), /unknown backend "nope", expected one of "ref"/);
  });

  test('kernels validate counts, offsets and spans', () => {
    const x = new Float64Array(4);
    assert.throws(() => refBackend.unary('exp', 5, x, 0, x, 0, 0, 0), /unary: x of length 4 is too short for 5 elements at offset 0/);
    assert.throws(() => refBackend.unary('exp', -1, x, 0, x, 0, 0, 0), /unary: invalid n -1/);
    assert.throws(() => refBackend.binary('add', 2, [2, 3], x, 0, [3, 1], x, 0, [0, 1], new Float64Array(6), 0), /binary: a of length 4 is too short for 6 elements/);
    assert.throws(() => refBackend.sumAxis(2, 3, 1, x, 0, x, 0), /sumAxis: x of length 4 is too short/);
    assert.throws(() => refBackend.gather(2, x, 0, new Int32Array(1), 0, x, 0), /gather: index of length 1/);
    const g = { n: 1, c: 1, h: 2, w: 2, kh: 2, kw: 2, sh: 1, sw: 1, ph: 0, pw: 0, oh: 2, ow: 1 };
    assert.throws(() => refBackend.im2col(g, x, 0, x, 0), /im2col: inconsistent geometry/);
  });

  test('gemm validates its arguments', () => {
    const a = new Float64Array(4);
    assert.throws(() => refBackend.gemm(false, false, 2, 2, 2, 1, a, 1, 2, a, 0, 2, 0, new Float64Array(4), 0, 2), /a of length 4 is too short/);
    assert.throws(() => refBackend.gemm(false, false, -1, 2, 2, 1, a, 0, 2, a, 0, 2, 0, a, 0, 2), /invalid m -1/);
  });
});

/**
 * Every case of the PyTorch 1.13 fixtures replays: float64 within 1e-10 (scaled_rel),
 * float32 within the case's tolerance.f32, final state from stateDict() within 1e-10,
 * losses of function cases; and save -> JSON -> load -> continue is bit-identical. The float32
 * cases run on both backends: 'ref' (plain TypeScript) and 'wasm' (whose fused float32 Adam,
 * AdamW and SGD steps replace the JS loops).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertScaledRel, camel, loadOracle, relErr, type OracleCase } from '../helpers/oracle.js';
import { decodeArray } from '../../src/optim/optimizers/index.js';
import { getBackend, setBackend, wasmAvailable, type Backend } from '../../src/kernels/index.js';
import { makeOptimizer, makeParams, replay, runSteps, type Dtype } from './replay.js';
import { fixtureObjective } from './objectives.js';

const FAMILIES = ['sgd', 'adagrad', 'adadelta', 'rmsprop', 'adam', 'adamw', 'adamax', 'nadam', 'radam', 'asgd', 'rprop'];

type BackendName = 'ref' | 'wasm';
const BACKENDS: readonly BackendName[] = ['ref', 'wasm'];
const SKIP: Record<BackendName, string | false> = { ref: false, wasm: wasmAvailable() ? false : 'WebAssembly SIMD unavailable' };

// Each backend is made once (the WASM one starts worker threads); the previous one comes back after.
let previous: Backend;
const backends = new Map<BackendName, Backend>();
before(() => {
  previous = getBackend();
  backends.set('ref', setBackend('ref'));
  if (!SKIP.wasm) backends.set('wasm', previous.name === 'wasm' ? previous : setBackend('wasm'));
  setBackend(previous);
});
after(() => setBackend(previous));

/** Runs `fn` with backend `name` selected, then restores the one selected before. */
function onBackend(name: BackendName, fn: () => void): void {
  const prev = getBackend();
  setBackend(backends.get(name)!);
  try {
    assert.equal(getBackend().name, name);
    fn();
  } finally {
    setBackend(prev);
  }
}

function checkTrajectory(c: OracleCase, dtype: Dtype, tol: number, fastPath = true): void {
  const run = replay(c, dtype, fastPath);
  c.params_after_step.forEach((step: { data: number[] }[], t: number) => {
    step.forEach((e, i) => assertScaledRel(e.data, run.trajectory[t]![i]!, tol, `${c.id} ${dtype} step ${t + 1} param ${i}`));
  });
  if (c.kind === 'function') assertScaledRel(c.losses, run.losses, tol, `${c.id} ${dtype} losses`);
  if (dtype === 'float64') checkFinalState(c, run.optimizer.stateDict());
}

function checkFinalState(c: OracleCase, sd: ReturnType<ReturnType<typeof makeOptimizer>['stateDict']>): void {
  const json = JSON.parse(JSON.stringify(sd));
  // stateDict numbers parameters through the groups in order; the fixture by params_init order.
  const order: number[] = (c as any).constructor.param_groups.flatMap((g: { params: number[] }) => g.params);
  c.final_state.forEach((expected: Record<string, any>, i: number) => {
    const got = json.state[String(order.indexOf(i))];
    const keys = Object.keys(expected);
    if (keys.length === 0) {
      assert.equal(got, undefined, `${c.id}: parameter ${i} should have no state`);
      return;
    }
    assert.ok(got, `${c.id}: parameter ${i} has no state`);
    assert.deepEqual(Object.keys(got).sort(), keys.map(camel).sort(), `${c.id}: state keys of parameter ${i}`);
    for (const k of keys) {
      const e = expected[k];
      const v = got[camel(k)];
      const what = `${c.id} final_state[${i}].${k}`;
      if (e === null) assert.equal(v, null, what);
      else if (typeof e === 'number') {
        if (k === 'step') assert.equal(v, e, what);
        else assert.ok(relErr(e, v) <= 1e-10, `${what}: expected ${e}, got ${v}`);
      } else {
        const arr = decodeArray(v, what);
        assert.ok(arr instanceof Float64Array, `${what} dtype`);
        assertScaledRel(e.data, arr, 1e-10, what);
      }
    }
  });
}

/** Save halfway, JSON round trip, load into a fresh optimizer on copied params, continue. */
function checkResume(c: OracleCase, dtype: Dtype): void {
  const full = replay(c, dtype);
  const half = Math.floor(c.num_steps / 2);
  const params = makeParams(c, dtype);
  const first = makeOptimizer(c, params);
  runSteps(c, params, first, 0, half, dtype);
  const saved = JSON.parse(JSON.stringify(first.stateDict()));
  const params2 = makeParams(c, dtype);
  params2.forEach((p, i) => p.data.set(params[i]!.data));
  const second = makeOptimizer(c, params2);
  second.loadStateDict(saved);
  runSteps(c, params2, second, half, c.num_steps, dtype);
  params2.forEach((p, i) => assert.deepEqual(Array.from(p.data), Array.from(full.params[i]!.data), `${c.id} ${dtype} resumed param ${i}`));
  assert.deepEqual(JSON.parse(JSON.stringify(second.stateDict())), JSON.parse(JSON.stringify(full.optimizer.stateDict())), `${c.id} ${dtype} resumed state`);
}

/** The test's own gradient code agrees with torch autograd at the start point. */
function checkInitialGrads(c: OracleCase): void {
  const params = makeParams(c, 'float64');
  fixtureObjective(c.function)(params);
  c.initial_grads.forEach((e: { data: number[] }, i: number) => assertScaledRel(e.data, params[i]!.grad!, 1e-12, `${c.id} initial_grads[${i}]`));
}

for (const family of FAMILIES) {
  describe(`torch 1.13 oracle: ${family}`, () => {
    for (const c of loadOracle(family).cases) {
      if (c.kind === 'function') test(`${c.id} objective gradient matches torch autograd`, () => checkInitialGrads(c));
      test(`${c.id} float64`, () => checkTrajectory(c, 'float64', c.tolerance.f64));
      for (const b of BACKENDS) {
        if (c.tolerance.f32 !== null) test(`${c.id} float32 on ${b}`, { skip: SKIP[b] }, () => onBackend(b, () => checkTrajectory(c, 'float32', c.tolerance.f32!)));
      }
      if (['sgd', 'adam', 'adamw'].includes(family)) test(`${c.id} float64, transform chain (fused path off)`, () => checkTrajectory(c, 'float64', c.tolerance.f64, false));
      test(`${c.id} float64 save/load/continue is bit-identical`, () => checkResume(c, 'float64'));
      for (const b of BACKENDS) {
        test(`${c.id} float32 save/load/continue is bit-identical on ${b}`, { skip: SKIP[b] }, () => onBackend(b, () => checkResume(c, 'float32')));
      }
    }
  });
}

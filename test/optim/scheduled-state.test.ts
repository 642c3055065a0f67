/**
 * State dicts of optimizers with schedules as options: JSON-serializable (a schedule is
 * recorded as `{ schedule: true }`), and a resumed run (the same schedules given to the new
 * optimizer) continues bit for bit.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Adam, SGD, isScheduleMarker, type OptimizerStateDict } from '../../src/optim/optimizers/index.js';

const GRADS = [[0.3, -1.2, 0.05], [-0.7, 0.4, 2.5], [0.1, 0.1, -0.9], [1.5, -0.2, 0.0], [0.2, 0.9, -0.4]];
const fresh = () => ({ data: Float64Array.of(0.5, -1.5, 2), grad: null as Float64Array | null });
const lr = (t: number) => 0.1 / (1 + t);
const beta1 = (t: number) => 0.8 + 0.02 * t;

type Make = (ps: any[]) => SGD | Adam;
const CASES: Array<[string, Make]> = [
  ['SGD lr and momentum schedules', (ps) => new SGD(ps, { lr, momentum: (t) => Math.min(0.9, 0.3 * t), weightDecay: 0.01 })],
  ['Adam lr and betas[0] schedules', (ps) => new Adam(ps, { lr, betas: [beta1, 0.999], weightDecay: (t) => 0.01 * t })],
];

function stepAll(opt: SGD | Adam, p: ReturnType<typeof fresh>, grads: number[][]): void {
  for (const g of grads) {
    p.grad = Float64Array.from(g);
    opt.step();
  }
}

describe('stateDict with schedules', () => {
  test('schedules become { schedule: true }; the dict survives JSON unchanged', () => {
    const opt = new Adam([{ params: [fresh()] }, { params: [fresh()], lr: 0.5 }], { lr, betas: [beta1, 0.999] });
    const sd = opt.stateDict();
    assert.deepEqual(sd.paramGroups[0]!.lr, { schedule: true });
    assert.equal(sd.paramGroups[1]!.lr, 0.5);
    assert.deepEqual(sd.paramGroups[0]!.betas, [{ schedule: true }, 0.999]);
    assert.ok(isScheduleMarker(sd.paramGroups[0]!.lr) && !isScheduleMarker(0.5));
    assert.deepEqual(JSON.parse(JSON.stringify(sd)), sd);
  });
  test('SGD keeps `step` in its state only when its group has a schedule (torch has none)', () => {
    const a = fresh();
    const b = fresh();
    const opt = new SGD([{ params: [a], lr }, { params: [b], lr: 0.1 }], { momentum: 0.9 });
    a.grad = Float64Array.of(1, 1, 1);
    b.grad = Float64Array.of(1, 1, 1);
    opt.step();
    opt.step();
    const sd = opt.stateDict();
    assert.deepEqual(Object.keys(sd.state['0']!).sort(), ['momentumBuffer', 'step']);
    assert.equal(sd.state['0']!.step, 2);
    assert.deepEqual(Object.keys(sd.state['1']!), ['momentumBuffer']);
  });
  for (const [name, make] of CASES) {
    test(`${name}: save -> JSON -> load into an optimizer with the same schedules -> continue is identical`, () => {
      const full = fresh();
      const o1 = make([full]);
      stepAll(o1, full, GRADS);
      const half = fresh();
      const o2 = make([half]);
      stepAll(o2, half, GRADS.slice(0, 2));
      const saved = JSON.stringify(o2.stateDict());
      const resumed = { data: Float64Array.from(half.data), grad: null as Float64Array | null };
      const o3 = make([resumed]);
      const live = o3.paramGroups[0]!.lr;
      o3.loadStateDict(JSON.parse(saved));
      assert.equal(o3.paramGroups[0]!.lr, live, 'the live schedule is kept');
      stepAll(o3, resumed, GRADS.slice(2));
      assert.deepEqual(Array.from(resumed.data), Array.from(full.data));
      assert.deepEqual(JSON.parse(JSON.stringify(o3.stateDict())), JSON.parse(JSON.stringify(o1.stateDict())));
    });
  }
  test('a saved schedule needs a function in the optimizer it loads into; nothing changes on refusal', () => {
    const src = new Adam([fresh()], { lr, betas: [beta1, 0.999] });
    const sd = JSON.parse(JSON.stringify(src.stateDict())) as OptimizerStateDict;
    const constant = new Adam([fresh()], { lr: 0.1 });
    const before = JSON.stringify(constant.stateDict());
    assert.throws(() => constant.loadStateDict(sd), /Adam\.loadStateDict: group 0 lr was a schedule when saved \(\{schedule: true\}\) but is 0\.1 here, expected a schedule function/);
    const onlyLr = new Adam([fresh()], { lr });
    assert.throws(() => onlyLr.loadStateDict(sd), /group 0 betas\[0\] was a schedule when saved \(\{schedule: true\}\) but is 0\.9 here/);
    assert.equal(JSON.stringify(constant.stateDict()), before);
    assert.equal(onlyLr.paramGroups[0]!.lr, lr, 'a failed load keeps the options');
  });
  test('a saved number does not replace a live schedule; other saved options are restored', () => {
    const src = new Adam([fresh()], { lr: 0.1, eps: 1e-6 });
    const dst = new Adam([fresh()], { lr });
    dst.loadStateDict(JSON.parse(JSON.stringify(src.stateDict())));
    assert.equal(dst.paramGroups[0]!.lr, lr);
    assert.equal(dst.paramGroups[0]!.eps, 1e-6);
  });
});

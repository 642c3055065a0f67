import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createProgress, formatMetric } from '../../src/train/progress.js';

/** A stream that records what is written to it, a terminal or not. */
function sink(isTTY: boolean): Writable & { isTTY: boolean; columns: number; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { chunks.push(String(chunk)); done(); } });
  return Object.assign(stream, { isTTY, columns: 160, text: () => chunks.join('') });
}

test('on a terminal the bar shows ETA and the metrics it is given', () => {
  const out = sink(true);
  const bar = createProgress({ total: 4, label: 'epoch 1', enabled: true, stream: out });
  bar.update(2, { loss: 0.25, 'test acc (last eval)': '84.30%' });
  bar.stop();
  assert.match(out.text(), /epoch 1 \[.*\] 50% \| 2\/4 \| ETA \S+ \| loss 0\.2500 \| test acc \(last eval\) 84\.30%/);
});

test('the bar is quiet when the stream is not a terminal', () => {
  const out = sink(false);
  const bar = createProgress({ total: 4, stream: out });
  bar.update(2, { loss: 0.25 });
  bar.stop();
  assert.equal(out.text(), '');
});

test('metrics are formatted with 4 decimals, or exponents when tiny or huge', () => {
  assert.equal(formatMetric(0.123456), '0.1235');
  assert.equal(formatMetric(1e-5), '1.000e-5');
  assert.equal(formatMetric(Number.NaN), 'NaN');
});

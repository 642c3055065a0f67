/** The report's tables (HTML and terminal) and plots, on small comparisons. */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ComparisonResults, getProblem, renderComparisonTable, runComparison, seedSpread } from '../../src/lab/index.js';
import { renderHtmlReport } from '../../src/lab/report/html.js';
import { medianWithFailures } from '../../src/lab/stats.js';
import { formatNumber } from '../../src/lab/report/format.js';
import { CONTOUR_LEVELS, pathsSpec, renderSvg, vegaSpecOf } from '../../src/lab/report/charts.js';
import * as vega from 'vega';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'descent-lab-report-'));
  dirs.push(d);
  return d;
}
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The text of the cells of the HTML table row of `optimizer` in the section of `problem`. */
function htmlRow(html: string, problem: string, optimizer: string): string[] {
  const section = html.slice(html.indexOf(`<section id="${problem}">`));
  const row = section.match(new RegExp(`<tr><td>${optimizer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</td>(.*?)</tr>`));
  assert.ok(row, `a row for ${optimizer} in ${problem}`);
  return [optimizer, ...row[1]!.split('</td><td>').map((c) => c.replace(/<[^>]+>/g, '').trim())];
}

/** The cells of the terminal table's line for problem × optimizer. */
function terminalRow(text: string, problem: string, optimizer: string): string[] {
  const line = text.split('\n').find((l) => l.startsWith(`${problem} `) && l.split(/\s+/)[1] === optimizer);
  assert.ok(line, `a line for ${problem} ${optimizer}`);
  return line.split(/\s{2,}/);
}

/** Sets a row's seeds that reached the target (the others missed), as the summary computes it. */
function setReached(results: ComparisonResults, optimizer: string, steps: Array<number | null>): void {
  const row = results.summary.rows.find((r) => r.optimizer === optimizer)!;
  const reached = steps.filter((s): s is number => s !== null);
  Object.assign(row, { seeds: steps.length, reached: reached.length, stepsToTarget: seedSpread(reached), medianStepsToTarget: medianWithFailures(steps) });
}

describe('steps to target in the tables', () => {
  test('the HTML table and the terminal table both give the median with misses as ∞ (not the median of the seeds that reached it)', async () => {
    const { results } = await runComparison({ problems: 'booth', optimizers: 'gd:lr=0.01,adam:lr=0.1', seeds: 3, budget: 50, workers: 1, out: tempDir() });
    setReached(results, 'gd:lr=0.01', [40, 60, null]); // median over all seeds: 60 (the reached seeds' median would be 50)
    setReached(results, 'adam:lr=0.1', [40, null, null]); // median ∞ (the reached seed alone: 40)
    const html = await renderHtmlReport(results);
    const gd = htmlRow(html, 'booth', 'gd:lr=0.01');
    assert.equal(gd[3], '2/3');
    assert.equal(gd[4], '60 [40, ∞]');
    const adam = htmlRow(html, 'booth', 'adam:lr=0.1');
    assert.equal(adam[3], '1/3');
    assert.equal(adam[4], '∞ [40, ∞]');
    const text = renderComparisonTable(results);
    assert.equal(terminalRow(text, 'booth', 'gd:lr=0.01')[5], '60');
    assert.equal(terminalRow(text, 'booth', 'adam:lr=0.1')[5], '∞');
  });
});

describe('epochs to target', () => {
  test('data problems report epochs to the target (steps / the configuration\'s steps per epoch) in results.json, the HTML table and the terminal table', async () => {
    const { results } = await runComparison({ problems: 'booth,moons-net', optimizers: 'adam:lr=0.03,gd:lr=1,sgd1:lr=0.3', seeds: 2, workers: 1, out: tempDir() });
    const moons = results.problems.find((p) => p.name === 'moons-net')!;
    assert.equal(moons.trainSize, 200);
    assert.equal(moons.stepsPerEpoch, 7); // ⌈200 / 32⌉ mini-batches
    assert.equal(results.problems.find((p) => p.name === 'booth')!.stepsPerEpoch, null);
    const row = (problem: string, optimizer: string) => results.summary.rows.find((r) => r.problem === problem && r.optimizer === optimizer)!;
    const adam = row('moons-net', 'adam:lr=0.03');
    const gd = row('moons-net', 'gd:lr=1');
    assert.equal(adam.stepsPerEpoch, 7);
    assert.equal(gd.stepsPerEpoch, 1, 'a full-batch step is an epoch');
    assert.equal(row('moons-net', 'sgd1:lr=0.3').stepsPerEpoch, 200, 'a one-example step is 1/200 of an epoch');
    for (const r of [adam, gd]) {
      assert.ok(r.medianStepsToTarget !== null, `${r.optimizer} reaches the target`);
      assert.equal(r.medianEpochsToTarget, r.medianStepsToTarget! / r.stepsPerEpoch!);
    }
    assert.equal(row('booth', 'adam:lr=0.03').medianEpochsToTarget, null);
    assert.equal(row('booth', 'adam:lr=0.03').stepsPerEpoch, null);

    const html = await renderHtmlReport(results);
    const section = html.slice(html.indexOf('<section id="moons-net">'));
    assert.match(section, /<th>epochs to target: median \[min, max\]<\/th>/);
    const cells = htmlRow(html, 'moons-net', 'adam:lr=0.03');
    assert.equal(cells[5]!.split(' ')[0], formatNumber(adam.medianEpochsToTarget, 4));
    assert.ok(!html.slice(html.indexOf('<section id="booth">'), html.indexOf('<section id="moons-net">')).includes('epochs to target'), 'no epochs for an analytic problem');

    assert.match(html, /A step is one update: of <code>sgd1<\/code> \(stochastic gradient descent\) one training example/, 'the report says what a step of sgd1 is');

    const text = renderComparisonTable(results);
    assert.match(text.split('\n')[0]!, /steps to target {2}epochs/);
    assert.equal(terminalRow(text, 'moons-net', 'adam:lr=0.03')[6], formatNumber(adam.medianEpochsToTarget));
    assert.equal(terminalRow(text, 'moons-net', 'gd:lr=1')[6], formatNumber(gd.medianStepsToTarget));
  });
});

describe('paths over contour plots', () => {
  /** Even-odd test of a point against every ring of a GeoJSON MultiPolygon (pixel coordinates). */
  function inside(geometry: { coordinates: number[][][][] }, [px, py]: [number, number]): boolean {
    let odd = false;
    for (const polygon of geometry.coordinates) {
      for (const ring of polygon) {
        for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
          const [xi, yi] = ring[i]!;
          const [xj, yj] = ring[j]!;
          if ((yi! > py) !== (yj! > py) && px < ((xj! - xi!) * (py - yi!)) / (yj! - yi!) + xi!) odd = !odd;
        }
      }
    }
    return odd;
  }

  test('the 2-D landscapes are contour lines from vega\'s isocontour transform, under the paths, in the plot\'s coordinates', async () => {
    const plane = getProblem('booth').plane!; // minimum 0 at (1, 3), window [−6, 6]²
    const chart = pathsSpec('booth', plane, [{ optimizer: 'gd', path: [[-4, -4], [0, 1], [1, 3]] }], ['gd']);
    const spec = vegaSpecOf(chart) as { data: Array<{ name: string; transform?: Array<{ type: string }> }>; marks: Array<{ name?: string; type: string }> };
    assert.ok(spec.data.some((d) => d.transform?.some((t) => t.type === 'isocontour')), 'an isocontour transform');
    assert.equal(spec.marks[0]!.name, 'contours', 'the contours are drawn first, under the paths');

    const svg = await renderSvg(chart);
    const group = svg.slice(svg.indexOf('<g class="mark-shape role-mark contours"'));
    assert.ok(group.length < svg.length, 'a group of contour shapes');
    const contourPaths = group.slice(0, group.indexOf('</g>')).match(/<path /g) ?? [];
    assert.equal(contourPaths.length, CONTOUR_LEVELS, 'one filled contour (with its line) per level');
    assert.ok(!svg.includes('mark-rect'), 'no grid of shaded cells');

    // The lowest level above the minimum encloses everything but a neighbourhood of the minimum.
    const view = new vega.View(vega.parse(spec as vega.Spec), { renderer: 'none' });
    await view.runAsync();
    const contours = view.data('contour_data') as Array<{ contour: { value: number; coordinates: number[][][][] } }>;
    view.finalize();
    assert.equal(contours.length, CONTOUR_LEVELS);
    const pixel = (x: number, y: number): [number, number] => [((x - plane.x[0]) / (plane.x[1] - plane.x[0])) * 360, ((plane.y[1] - y) / (plane.y[1] - plane.y[0])) * 320];
    const first = contours.find((c) => c.contour.value > 0)!;
    assert.equal(inside(first.contour, pixel(1, 3)), false, 'the minimum (1, 3) is below the first level');
    assert.equal(inside(first.contour, pixel(-5.5, -5.5)), true, 'the corner (−5.5, −5.5) is above it');
    assert.equal(inside(first.contour, pixel(3, 1)), true, '(3, 1), the minimum mirrored, is above it (the y axis is not flipped)');
  });
});

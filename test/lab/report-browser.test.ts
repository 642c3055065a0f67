/**
 * The report opens in headless Chromium (Debian's `chromium`, driven by playwright-core) without
 * console errors, and its plots are visible: every SVG has a non-zero box and drawn marks.
 * Skipped, with the reason, when /usr/bin/chromium is missing.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { runComparison } from '../../src/lab/index.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const dir = mkdtempSync(join(tmpdir(), 'descent-report-browser-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the report opens in headless Chromium without errors, with visible plots', { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} not found (apt-get install chromium)`, timeout: 120_000 }, async () => {
  // A small report: a 2-D problem (paths over contour plots), a data problem (test accuracy curves), two optimizers.
  const { files } = await runComparison({ problems: 'booth,moons-net', optimizers: 'gd,adam', grid: 3, seeds: 2, budget: 40, workers: 1, out: dir });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    await page.goto(pathToFileURL(files.html).href, { waitUntil: 'load' });

    const svgs = await page.$$eval('svg', (nodes) => nodes.map((svg) => {
      const box = svg.getBoundingClientRect();
      const marks = [...svg.querySelectorAll('path')].filter((p) => (p.getAttribute('d') ?? '').length > 10).length;
      return { width: box.width, height: box.height, marks };
    }));
    // The profile; booth: curves, lr sensitivity, two path plots; moons-net: train-eval loss, test loss,
    // test accuracy, lr sensitivity (plus a to-target chart where a run reached the target).
    assert.ok(svgs.length >= 9, `expected at least 9 plots, found ${svgs.length}`);
    svgs.forEach((s, i) => {
      assert.ok(s.width > 50 && s.height > 50, `plot ${i} has a ${s.width}×${s.height} box`);
      assert.ok(s.marks > 0, `plot ${i} draws no marks`);
    });
    const title = await page.title();
    assert.match(title, /descent compare/);

    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    const png = readFileSync(shot);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
    assert.ok(statSync(shot).size > 50_000, `the screenshot is ${statSync(shot).size} bytes, expected a full page of plots`);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

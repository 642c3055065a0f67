import { readFileSync } from 'node:fs';
import * as charts from '../../../src/lab/report/charts.js';
import { renderHtmlReport } from '../../../src/lab/report/html.js';
const r = JSON.parse(readFileSync('/tmp/lab/report/results.json', 'utf8'));
const t0 = performance.now();
await renderHtmlReport(r);
console.log('html', performance.now() - t0);
const orig = charts.renderSvg;

import { runComparison, renderTerminalTable } from '../../../src/lab/index.js';
const t0 = performance.now();
const o = await runComparison({ out: '/tmp/lab/report', workers: Number(process.argv[2] ?? 1) }, {});
console.log(renderTerminalTable(o.results));
console.log('computed', o.computed, 'reused', o.reused, 'ms', performance.now() - t0);

import * as vl from 'vega-lite';
import * as vega from 'vega';
const spec: vl.TopLevelSpec = { $schema: 'https://vega.github.io/schema/vega-lite/v5.json', data: { values: [{ a: 1, b: 2 }, { a: 2, b: 5 }] }, mark: 'line', encoding: { x: { field: 'a', type: 'quantitative' }, y: { field: 'b', type: 'quantitative', scale: { type: 'log' } } } };
const t0 = performance.now();
const compiled = vl.compile(spec).spec;
const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
const svg = await view.toSVG();
console.log(svg.slice(0, 200), svg.length, performance.now() - t0);
view.finalize();

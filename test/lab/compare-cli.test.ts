import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Command } from 'commander';
import { registerCompare } from '../../src/cli/compare.js';
import { runComparison, type ComparisonResults } from '../../src/lab/index.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'descent-lab-'));
  dirs.push(d);
  return d;
}
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function cli(args: string[]): Promise<string> {
  let text = '';
  const stdout = new Writable({ write(chunk, _enc, done) { text += String(chunk); done(); } });
  const program = new Command().exitOverride();
  registerCompare(program, { stdout, stderr: stdout });
  await program.parseAsync(['node', 'descent', 'compare', ...args]);
  return text;
}

describe('descent compare (CLI function)', () => {
  const out = tempDir();
  let first = '';

  // The quick suite's analytic problems (the whole suite, with its data problems, takes minutes:
  // bench/compare-quick.ts times it; test/lab/data-problems.test.ts runs the data problems).
  const analytic = 'rosenbrock,rosenbrock-scaled,beale,booth,himmelblau,rastrigin,ackley,saddle,monkey-saddle,quadratic-k100,quadratic-rotated-k100,reddi';

  test("the quick suite's analytic problems run end to end and write index.html, results.json, results.csv", async () => {
    first = await cli(['--out', out, '--workers', '2', '--problems', analytic]);
    assert.match(first, /(\d+) trials run, 0 reused \(2 workers\)/);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    assert.ok((html.match(/<svg/g) ?? []).length >= 12 * 3, 'curves, lr sensitivity, paths, profile as inline SVG');
    assert.ok(!/<script/i.test(html), 'no scripts');
    assert.ok(!/(src|href)="https?:/i.test(html), 'no external resources');
    for (const p of analytic.split(',')) assert.ok(html.includes(`id="${p}"`), p);

    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ComparisonResults;
    assert.equal(results.schema, 'descent-compare/1');
    assert.equal(results.config.suite, 'quick');
    assert.equal(results.config.lrGrid.length, 13);
    const phases = new Set(results.trials.map((t) => t.phase));
    assert.deepEqual([...phases].sort(), ['default', 'final', 'tune']);
    for (const t of results.trials) {
      for (const k of ['problem', 'optimizer', 'options', 'lr', 'seed', 'phase', 'curve', 'reachedTargetAt', 'wallMs', 'diverged'] as const) assert.ok(k in t, `trial field ${k}`);
      assert.equal(typeof t.diverged, 'boolean');
      assert.ok(Array.isArray(t.curve) && t.curve.length >= 1);
    }
    const rows = results.summary.rows;
    assert.equal(rows.length, results.config.problems.length * results.config.optimizers.length);
    assert.ok(results.summary.profile.optimizers.every((o) => results.summary.profile.scores[o]! >= 0 && results.summary.profile.scores[o]! <= 1));
    // Adam's tuned runs on the κ = 100 quadratic reach the target on every seed.
    const adam = rows.find((r) => r.problem === 'quadratic-k100' && r.optimizer === 'adam')!;
    assert.equal(adam.reached, 3);
    // Newton is not run on the online Reddi problem, and says why.
    assert.match(rows.find((r) => r.problem === 'reddi' && r.optimizer === 'newton')!.skipped!, /deterministic/);

    const csv = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n');
    assert.equal(csv[0], 'problem,optimizer,phase,lr,seed,budget,steps,final,reachedTargetAt,wallMsToTarget,evaluationsToTarget,evaluations,wallMs,diverged,divergedReason');
    assert.equal(csv.length, results.trials.length + 1);
    assert.match(first, /score \(performance profile/);
  });

  test('--resume on a finished directory recomputes nothing', async () => {
    const before = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ComparisonResults;
    const again = await cli(['--out', out, '--workers', '2', '--resume', '--problems', analytic]);
    assert.match(again, new RegExp(`0 trials run, ${before.trials.length} reused`));
    const after = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ComparisonResults;
    assert.deepEqual(after.trials, before.trials);
  });

  test('--list shows the problems, the optimizers with their options, and the suites', async () => {
    const text = await cli(['--list']);
    for (const word of ['rosenbrock', 'quadratic-rotated-k1000', 'reddi-stochastic', 'adam ', 'betas, eps, weightDecay, amsgrad', 'quick', 'standard', 'full']) {
      assert.ok(text.includes(word), word);
    }
  });

  test('--resume refuses a results.json that is not a descent-compare/1 file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'results.json'), JSON.stringify({ schema: 'other/2', trials: [] }));
    await assert.rejects(cli(['--out', dir, '--resume', '--problems', 'booth']), /schema "other\/2", expected 'descent-compare\/1'/);
  });

  test('bad configurations are refused with what is valid', async () => {
    await assert.rejects(cli(['--out', tempDir(), '--problems', 'nope']), /unknown problem "nope", expected one of: rosenbrock/);
    await assert.rejects(cli(['--out', tempDir(), '--optimizers', 'adam:betas']), /malformed option "betas", expected key=value \(valid keys: lr, betas/);
    await assert.rejects(cli(['--out', tempDir(), '--budget', '0']), /invalid budget "0", expected a positive integer/);
  });
});

describe('resume after an interruption', () => {
  test('trials in the journal are kept, only the missing ones run, and the results are the same', async () => {
    const out = tempDir();
    const input = { problems: 'booth,saddle', optimizers: 'gd,adam', grid: 4, seeds: 2, budget: 100, workers: 1, out };
    const full = await runComparison(input);
    const strip = (r: ComparisonResults) => r.trials.map(({ wallMs, wallMsToTarget, ...rest }) => rest);
    rmSync(join(out, 'results.json'));
    const lines = readFileSync(full.files.journal, 'utf8').trim().split('\n');
    const kept = Math.floor(lines.length / 2);
    writeFileSync(full.files.journal, `${lines.slice(0, kept).join('\n')}\n{"problem":"booth","optim`); // cut mid-line
    const resumed = await runComparison({ ...input, resume: true });
    assert.equal(resumed.reused, kept);
    assert.equal(resumed.computed, full.computed - kept);
    assert.deepEqual(strip(resumed.results), strip(full.results));
    assert.ok(existsSync(join(out, 'index.html')));
  });
});

describe('worker threads', () => {
  test('trials give the same numbers in worker threads as in the main thread', async () => {
    const input = { problems: 'beale,quadratic-deep', optimizers: 'momentum,adam', grid: 3, seeds: 2, budget: 60 };
    const one = await runComparison({ ...input, workers: 1, out: tempDir() });
    const two = await runComparison({ ...input, workers: 2, out: tempDir() });
    const strip = (r: ComparisonResults) => r.trials.map(({ wallMs, wallMsToTarget, ...rest }) => rest);
    assert.equal(two.config.workers, 2);
    assert.deepEqual(strip(two.results), strip(one.results));
  });
});

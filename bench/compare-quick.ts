/**
 * Times the README's main-job command, `descent compare` (the quick suite, the default optimizers,
 * every core), end to end: tuning, final and default runs, and the report files.
 *
 *   node --import tsx bench/compare-quick.ts [--table] [descent compare flags...]
 *
 * It runs the `compare` command itself (src/cli/compare.ts, the code behind `descent compare`,
 * with its worker threads) in this process, so that `process.cpuUsage()` counts the CPU time of
 * every worker. Flags after the script's own go to `descent compare` unchanged (`--workers 2`;
 * `--problems ...` times a part of the suite, and the JSON line says so). Without `--out` the
 * report goes to a temporary directory, removed at the end. `--table` also prints the command's
 * summary table.
 *
 * Prints one line of text, then one JSON object: {"bench": "compare-quick", "wallS", "cpuUserS",
 * "cpuSystemS", "trialsRun", "trialsReused", "trialsShared", "workers", "cores", "load1Before",
 * "load1After", "fashionMnist", "args", "node", "cpu"}. The load average is there because the
 * figure is only as quiet as the machine: on a shared machine the wall time says more about the
 * other jobs than about descent; the CPU time much less so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Command } from 'commander';
import { registerCompare } from '../src/cli/compare.js';
import { findFashionMnist } from '../src/data/fashion-mnist.js';

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  console.log('usage: node --import tsx bench/compare-quick.ts [--table] [descent compare flags, e.g. --workers 2]');
  process.exit(0);
}
const table = argv.includes('--table');
const args = argv.filter((a) => a !== '--table');
if (args.includes('--quiet') || args.includes('--list') || args.includes('--resume')) {
  console.error('compare-quick: --quiet, --list and --resume are not timed runs of the suite; leave them out');
  process.exit(2);
}
const given = args.some((a) => a === '--out' || a.startsWith('--out='));
const out = given ? null : mkdtempSync(join(tmpdir(), 'descent-compare-quick-'));
const compareArgs = out === null ? args : [...args, '--out', out];

function minutes(seconds: number): string {
  const m = Math.floor(seconds / 60);
  return m > 0 ? `${m} min ${Math.round(seconds - 60 * m)} s` : `${seconds.toFixed(1)} s`;
}

let text = '';
const stdout = new Writable({
  write(chunk, _encoding, done) {
    text += String(chunk);
    done();
  },
});
const program = new Command().exitOverride();
registerCompare(program, { stdout, stderr: process.stderr });

const load1Before = loadavg()[0]!;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
try {
  await program.parseAsync(['node', 'descent', 'compare', ...compareArgs]);
} finally {
  if (out !== null) rmSync(out, { recursive: true, force: true });
}
const wallS = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const load1After = loadavg()[0]!;

// "N trials run, M reused, K shared between phases (W workers)."
const counts = text.match(/(\d+) trials run, (\d+) reused(?:, (\d+) shared between phases)? \((\d+) workers?\)/);
if (!counts) throw new Error(`compare-quick: no trial counts in the command's output:\n${text}`);
const [, run, reused, shared, workers] = counts;
if (table) process.stdout.write(text);

const result = {
  bench: 'compare-quick',
  wallS: Number(wallS.toFixed(1)),
  cpuUserS: Number((cpu.user / 1e6).toFixed(1)),
  cpuSystemS: Number((cpu.system / 1e6).toFixed(1)),
  trialsRun: Number(run),
  trialsReused: Number(reused),
  trialsShared: Number(shared ?? 0),
  workers: Number(workers),
  cores: availableParallelism(),
  load1Before: Number(load1Before.toFixed(2)),
  load1After: Number(load1After.toFixed(2)),
  fashionMnist: findFashionMnist() !== null,
  args,
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
};
const what = args.length ? `descent compare ${args.join(' ')}` : 'descent compare (the quick suite, default optimizers)';
console.log(
  `${what}: ${minutes(result.wallS)} wall, ${minutes(result.cpuUserS)} CPU (user; system ${result.cpuSystemS} s); ` +
    `${result.trialsRun} trials run, ${result.trialsShared} shared between phases; ${result.workers} workers on ${result.cores} cores; ` +
    `load average ${result.load1Before} before, ${result.load1After} after; Fashion-MNIST ${result.fashionMnist ? 'installed' : 'not installed (fmnist-mlp not run)'}`,
);
console.log(JSON.stringify(result));

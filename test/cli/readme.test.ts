// The README's quick start, run as written (it imports 'descent', i.e. the built dist/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');

test('the README quick start runs', { skip: existsSync(join(root, 'dist', 'index.js')) ? false : 'dist/ not built (npm run build)' }, () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'the README has a ts code block');
  const file = join(root, '.readme-quickstart.tmp.mts');
  writeFileSync(file, `${block[1]}\nconsole.log('quick start ran');\n`);
  try {
    const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /quick start ran/);
  } finally {
    rmSync(file, { force: true });
  }
});

// `npx descent compare`, the README's main job, runs the package's bin: from a clean clone that
// is the built dist/cli/main.js, which must be executable (npm ci links nothing for the package
// itself, and tsc writes files without the execute bit: `npm run build` sets it).
test('the built `descent` command is executable and answers --help', { skip: existsSync(join(root, 'dist', 'cli', 'main.js')) ? false : 'dist/ not built (npm run build)' }, () => {
  const r = spawnSync('npx', ['descent', 'compare', '--help'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  assert.match(r.stdout, /Usage: descent compare/);
});

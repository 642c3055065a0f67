#!/usr/bin/env node
/** The `descent` command. */
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { registerTrain } from './train.js';
import { registerLrFind } from './lr-find.js';
import { registerCompare } from './compare.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command();
program
  .name('descent')
  .description('Optimization algorithms that train neural networks: train, compare, and see why.')
  .version(pkg.version);
registerCompare(program);
registerTrain(program);
registerLrFind(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(`descent: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

import { Command } from 'commander';
import { registerCompare } from '../../../src/cli/compare.js';
const program = new Command();
registerCompare(program);
await program.parseAsync(['node', 'descent', 'compare', ...process.argv.slice(2)]);

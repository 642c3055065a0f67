// Compiles the AssemblyScript kernels (src/kernels/wasm/assembly/*.entry.ts) to dist/wasm/NAME.wasm
// (baseline SIMD) and dist/wasm/NAME-relaxed.wasm (relaxed SIMD). The TS loader reads them at run
// time from new URL('../../../dist/wasm/NAME.wasm', import.meta.url), which resolves to the same
// file from src/kernels/wasm/ (tests under tsx) and from dist/kernels/wasm/ (the built package).
// Memory is imported and shared (maximum 4 GiB) so worker threads can share it.
import { readdirSync, existsSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'src/kernels/wasm/assembly');
const outDir = join(root, 'dist/wasm');
const asc = join(root, 'node_modules/assemblyscript/bin/asc.js');
const entries = existsSync(srcDir) ? readdirSync(srcDir).filter((f) => f.endsWith('.entry.ts')) : [];
const common = [
  '-O3', '--runtime', 'stub', '--noAssert', '--use', 'abort=',
  '--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', '65536',
];
const variants = [
  { suffix: '', features: 'simd,threads' },
  { suffix: '-relaxed', features: 'simd,threads,relaxed-simd' },
];
if (entries.length > 0) mkdirSync(outDir, { recursive: true });
for (const entry of entries) {
  for (const { suffix, features } of variants) {
    const out = join(outDir, entry.replace(/\.entry\.ts$/, `${suffix}.wasm`));
    execFileSync(process.execPath, [asc, join(srcDir, entry), '-o', out, '--enable', features, ...common], { stdio: 'inherit' });
    console.log(`build-wasm: ${entry} -> ${out}`);
  }
}

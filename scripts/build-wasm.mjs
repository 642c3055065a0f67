// Compiles the AssemblyScript kernels (src/kernels/wasm/assembly/*.ts) to dist/kernels/wasm/*.wasm
// and src/kernels/wasm/generated/*.wasm.ts is not used: the .wasm files are loaded at run time.
// Nothing to do while there are no kernels.
import { readdirSync, existsSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'src/kernels/wasm/assembly');
const entries = existsSync(srcDir) ? readdirSync(srcDir).filter((f) => f.endsWith('.entry.ts')) : [];
for (const entry of entries) {
  const outDir = join(root, 'dist/kernels/wasm');
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, entry.replace(/\.entry\.ts$/, '.wasm'));
  execFileSync(process.execPath, [join(root, 'node_modules/assemblyscript/bin/asc.js'), join(srcDir, entry), '-o', out, '-O3', '--runtime', 'stub', '--enable', 'simd', '--noAssert'], { stdio: 'inherit' });
}

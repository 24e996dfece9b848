/**
 * Transpiles the bench apps, the peer and the examples they reuse to JavaScript
 * (esbuild, one file per source, no bundling), so that every app is synthesized
 * the same way: `node app.js`, with no TypeScript compiler in the process.
 * `cdk-compliant-backup` resolves, as in the examples, to the compiled lib/
 * through the package's own `exports`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildSync } from 'esbuild';
import { COMPILED_DIR, ROOT } from './paths';

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Compiles once per process; returns the path of the compiled `relative` source (e.g. `bench/apps/empty.ts`). */
let compiled = false;
export function compiledApp(relative: string): string {
  if (!compiled) {
    if (!fs.existsSync(path.join(ROOT, 'lib', 'index.js'))) {
      throw new Error('lib/index.js is missing: compile the library first (npx projen compile), as `npm run bench` does');
    }
    fs.rmSync(COMPILED_DIR, { recursive: true, force: true });
    buildSync({
      entryPoints: [
        ...tsFiles(path.join(ROOT, 'bench', 'apps')),
        ...tsFiles(path.join(ROOT, 'bench', 'peer')),
        ...tsFiles(path.join(ROOT, 'examples')),
      ],
      outdir: COMPILED_DIR,
      outbase: ROOT,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      logLevel: 'warning',
    });
    compiled = true;
  }
  return path.join(COMPILED_DIR, relative.replace(/\.ts$/, '.js'));
}

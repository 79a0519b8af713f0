/**
 * Benchmarks measure the engine as installed: compiled by tsc into dist/, not run from source
 * through tsx. tsx's transform wraps every function it defines in a `__name` call (a property
 * definition each time a closure is made) and maps stack traces through source maps, which cost
 * the engine's hot paths several per cent that an installed application does not pay.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Compiles src/ into dist/ (what `npm start` and the installed CLIs run). */
export function buildDist(): void {
  const tsc = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const built = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (built.status !== 0) throw new Error(`tsc failed (${built.status ?? built.signal})`);
}

/**
 * The compiled form of the source module `srcModule` (relative to src/, as 'db/database.js'),
 * loaded by URL; the caller types it as the source module (`as typeof import(...)`).
 */
export function importBuilt(srcModule: string): Promise<unknown> {
  return import(pathToFileURL(join(PROJECT_ROOT, 'dist', 'src', srcModule)).href);
}

/**
 * Where the read-only team folder (TCK, datasets, bench) is: QUIVER_SHARED_DIR if set, else the
 * `shared` folder beside this checkout, else /work/shared (a clone made elsewhere on this machine).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

function findSharedDir(): string {
  const candidates = [process.env.QUIVER_SHARED_DIR, resolve(import.meta.dirname, '../../shared'),
    '/work/shared'].filter((c): c is string => typeof c === 'string' && c.length > 0);
  return candidates.find((c) => existsSync(resolve(c, 'DESIGN.md'))) ?? candidates[0]!;
}

export const SHARED_DIR = findSharedDir();

/**
 * The operator's path with the command-line tools: `quiver-admin set-initial-password` before
 * the first start, then quiver-shell against the running server loads the movies graph piped
 * through stdin, and counts it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/quiver-process.js';
import { useQuiverServer } from '../helpers/server-fixture.js';
import { SHARED_DIR } from '../shared-dir.js';

const fixture = useQuiverServer({ password: 'movies-admin', initialPasswordBy: 'quiver-admin' });
const MOVIES = path.join(SHARED_DIR, 'datasets', 'movies.cypher');

function shell(stdin: string) {
  const { server } = fixture();
  return runCli('quiver-shell', ['-a', server.boltUrl, '-u', 'neo4j', '-p', server.password],
    { stdin });
}

describe('quiver-shell', () => {
  it('loads movies.cypher from stdin; the graph then has 171 nodes', async () => {
    const load = await shell(fs.readFileSync(MOVIES, 'utf8'));
    expect(load.stderr).toBe('');
    expect(load.code).toBe(0);
    const count = await shell(
      'MATCH (n) RETURN count(n);\nMATCH ()-[r]->() RETURN count(r) AS rels;\n');
    expect(count.code).toBe(0);
    expect(count.stdout).toBe('count(n)\n171\nrels\n253\n');
  });

  it('prints the error to stderr and exits non-zero on a failing statement', async () => {
    const result = await shell('RETURN 1 +;\n');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Invalid input/);
  });
});

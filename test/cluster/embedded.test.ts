import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/index.js';
import { freePort } from '../helpers/quiver-process.js';

/** Retries a write until some member has become leader (bounded). */
async function writeOnLeader(dbs: Database[], query: string): Promise<string> {
  for (let attempt = 0; attempt < 200; attempt++) {
    for (const db of dbs) {
      if (!db.core.replicator.canWrite()) continue;
      return (await db.run(query)).bookmark;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no leader within 10 s');
}

describe('embedded cluster members', () => {
  const home = mkdtempSync(join(tmpdir(), 'quiver-embedded-'));
  const dbs: Database[] = [];
  afterAll(async () => {
    await Promise.all(dbs.map((db) => db.close()));
    rmSync(home, { recursive: true, force: true });
  });

  it('form a cluster in one process and replicate a write to every member', async () => {
    const ports = await Promise.all(Array.from({ length: 6 }, freePort));
    const discovery = [0, 1, 2].map((i) => `127.0.0.1:${ports[i]}`);
    for (let i = 0; i < 3; i++) {
      dbs.push(await Database.open(join(home, `m${i}`), { cluster: {
        discoveryAddress: discovery[i]!, raftAddress: `127.0.0.1:${ports[i + 3]}`,
        initialMembers: discovery, electionTimeoutMs: 300,
      } }));
    }
    const bookmark = await writeOnLeader(dbs, "CREATE (:City {name: 'Malmö'})");
    expect(dbs.filter((db) => db.core.replicator.canWrite())).toHaveLength(1);
    for (const db of dbs) {
      const tx = await db.begin({ mode: 'READ', bookmarks: [bookmark] });
      expect(tx.run('MATCH (c:City) RETURN c.name').next()).toEqual(['Malmö']);
      await tx.rollback();
    }
    const follower = dbs.find((db) => !db.core.replicator.canWrite())!;
    await expect(follower.run('CREATE ()')).rejects.toMatchObject({
      code: 'Neo.ClientError.Cluster.NotALeader' });
  });
});

/**
 * Online backup of a running cluster (issue 7): `quiver-admin backup` from a follower core and
 * from a read replica while a client writes through `neo4j://`, then an incremental backup of
 * the core, each restored into a standalone server that starts, holds the writes and takes new
 * ones. The cluster has been through a failover first, so the backed-up log carries terms past
 * the first: a standalone server must continue such a log without going back in term.
 */
import neo4j, { type Driver } from 'neo4j-driver';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, newHome, removeHomes } from '../../admin/admin-helpers.js';
import { startServing } from '../../admin/backup-process.js';
import {
  CLUSTER_PASSWORD, CLUSTER_USER, ProcessCluster, TEST_ELECTION_TIMEOUT_MS, waitFor,
  type Member,
} from '../../helpers/cluster.js';

/** Sequential writes of `(:W {i})`; `acked` holds every i whose commit returned. */
function startWriter(driver: Driver): { acked: number[]; stop(): Promise<void> } {
  const acked: number[] = [];
  let running = true;
  const loop = (async () => {
    for (let i = 0; running && i < 100_000; i += 1) {
      await driver.executeQuery('CREATE (:W {i: $i})', { i: neo4j.int(i) });
      acked.push(i);
    }
  })();
  return { acked, stop: async () => { running = false; await loop; } };
}

async function writesIn(boltUrl: string): Promise<number[]> {
  const driver = neo4j.driver(boltUrl, neo4j.auth.basic(CLUSTER_USER, CLUSTER_PASSWORD));
  try {
    const { records } = await driver.executeQuery('MATCH (w:W) RETURN w.i AS i ORDER BY i', {},
      { routing: neo4j.routing.READ });
    return records.map((r) => (r.get('i') as { toNumber(): number }).toNumber());
  } finally {
    await driver.close();
  }
}

/** Restores `backup` into a new standalone home, starts it, checks it and writes to it. */
async function restoreAndServe(backup: string): Promise<{ writes: number[]; after: number }> {
  const home = newHome('quiver-cluster-restore-');
  const restored = await admin('restore', `--from=${backup}`, '--database=neo4j', '--home', home);
  expect(restored).toMatchObject({ code: 0, stderr: '' });
  const server = await startServing(home, 'unused-initial-password');
  const driver = neo4j.driver(server.boltUrl, neo4j.auth.basic(CLUSTER_USER, CLUSTER_PASSWORD));
  try {
    const writes = await writesIn(server.boltUrl);
    await driver.executeQuery('CREATE (:After)');
    const { records } = await driver.executeQuery('MATCH (a:After) RETURN count(a) AS c');
    return { writes, after: (records[0]?.get('c') as { toNumber(): number }).toNumber() };
  } finally {
    await driver.close();
    await server.stop();
  }
}

describe('online backup of a running cluster', () => {
  let cluster: ProcessCluster;
  let backupDir: string;

  beforeAll(async () => {
    cluster = await ProcessCluster.start({ cores: 3, readReplicas: 1,
      electionTimeoutMs: TEST_ELECTION_TIMEOUT_MS });
    const replica = cluster.members[3] as Member;
    await cluster.startMember(replica);
    // A failover, so that the log the backups copy holds a term past the first.
    const first = await cluster.waitForLeader();
    await cluster.stop(first);
    await cluster.waitForLeader();
    await cluster.startMember(first);
    backupDir = newHome('quiver-cluster-backups-');
  }, 120_000);

  afterAll(async () => {
    await cluster?.stopAll();
    removeHomes();
  });

  it('backs up a follower and a replica while a client writes; each restores and serves',
    async () => {
      const leader = await cluster.waitForLeader();
      const follower = cluster.members.slice(0, 3).find((m) => m !== leader) as Member;
      const replica = cluster.members[3] as Member;
      const writer = startWriter(cluster.routing(leader));
      await waitFor('some writes', async () => (writer.acked.length >= 50 ? true : null),
        30_000);
      const backup = (member: Member, name: string): ReturnType<typeof admin> => admin('backup',
        `--from=127.0.0.1:${member.ports.backup}`, `--backup-dir=${backupDir}`, `--name=${name}`);
      const ackedBeforeCore = writer.acked.length;
      // A follower backs up what it has applied, which may trail what the leader acknowledged
      // (on a busy machine by more than the time the backup takes to start).
      await waitFor('the follower to apply the writes acknowledged so far', async () =>
        ((await writesIn(`bolt://${follower.boltAddress}`)).length >= ackedBeforeCore
          ? true : null), 30_000);
      const core = await backup(follower, 'core');
      const fromReplica = await backup(replica, 'replica');
      await writer.stop();
      expect(core).toMatchObject({ code: 0 });
      expect(core.stdout.endsWith('Backup complete.\n')).toBe(true);
      expect(fromReplica).toMatchObject({ code: 0 });
      expect(fromReplica.stdout.endsWith('Backup complete.\n')).toBe(true);

      // The replica's backup is whatever prefix it had applied: sequential writes, no gap.
      const replicaCopy = await restoreAndServe(path.join(backupDir, 'replica'));
      expect(replicaCopy.writes).toEqual([...replicaCopy.writes.keys()]);
      expect(replicaCopy.after).toBe(1);

      // Every write the follower had applied before its backup began is in it; run again, the
      // backup is incremental and then holds every acknowledged write.
      const coreCopy = await restoreAndServe(path.join(backupDir, 'core'));
      expect(coreCopy.writes).toEqual([...coreCopy.writes.keys()]);
      expect(coreCopy.writes.length).toBeGreaterThanOrEqual(ackedBeforeCore);
      await waitFor('the follower to apply the last write', async () =>
        ((await writesIn(`bolt://${follower.boltAddress}`)).length >= writer.acked.length
          ? true : null), 30_000);
      const level = await backup(follower, 'core');
      expect(level).toMatchObject({ code: 0 });
      expect(level.stdout).toMatch(/^Previous backup found, trying incremental backup\.\n/);
      const levelCopy = await restoreAndServe(path.join(backupDir, 'core'));
      expect(levelCopy.writes).toEqual(writer.acked);
      expect(levelCopy.after).toBe(1);
    }, 240_000);
});

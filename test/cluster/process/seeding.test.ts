/**
 * Seeding a cluster from a backup (issue 7) and cores refusing to form with a different store
 * (issue 5): a standalone server gets a graph and is backed up with `quiver-admin backup`; the
 * three homes of a real-process cluster are restored from that backup while stopped and started
 * again. They form a cluster that holds the data and takes new writes; restored instead from two
 * different backups, they refuse to form and say why.
 */
import neo4j from 'neo4j-driver';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideFormation } from '../../../src/cluster/formation.js';
import type { MemberAdvert, StoreFingerprint } from '../../../src/cluster/discovery.js';
import { admin, newHome, removeHomes } from '../../admin/admin-helpers.js';
import { startServing } from '../../admin/backup-process.js';
import {
  CLUSTER_PASSWORD, CLUSTER_USER, ProcessCluster, TEST_ELECTION_TIMEOUT_MS, waitFor,
  type Member,
} from '../../helpers/cluster.js';

const SEED_NODES = 100;

/** Stops every member, restores `backups[i]` into member i, starts them all again. */
async function reseed(cluster: ProcessCluster, backups: readonly string[]): Promise<number[]> {
  await Promise.all(cluster.members.map((m) => cluster.stop(m)));
  for (const [i, member] of cluster.members.entries()) {
    const restored = await admin('restore', `--from=${backups[i] ?? ''}`, '--database=neo4j',
      '--force', '--home', member.home);
    expect(restored).toMatchObject({ code: 0, stderr: '' });
  }
  const offsets = cluster.members.map((m) => cluster.log(m).length);
  await Promise.all(cluster.members.map((m) => cluster.startMember(m)));
  return offsets;
}

async function countOn(cluster: ProcessCluster, member: Member, label: string): Promise<number> {
  const result = await cluster.direct(member).executeQuery(
    `MATCH (n:${label}) RETURN count(n) AS c`, {},
    { routing: neo4j.routing.READ, bookmarkManager: null });
  return (result.records[0]?.get('c') as { toNumber(): number }).toNumber();
}

describe('seeding a cluster from one backup', () => {
  let cluster: ProcessCluster;
  let backupDir: string;

  beforeAll(async () => {
    const source = await startServing(newHome(), CLUSTER_PASSWORD);
    backupDir = newHome('quiver-seed-backups-');
    const driver = neo4j.driver(source.boltUrl, neo4j.auth.basic(CLUSTER_USER, CLUSTER_PASSWORD));
    try {
      await driver.executeQuery(
        'UNWIND range(1, $n) AS i CREATE (:Seed {i: i})-[:NEXT]->(:Tail {i: i})',
        { n: neo4j.int(SEED_NODES / 2) });
      const backup = (name: string): Promise<unknown> => admin('backup',
        `--from=${source.backupAddress}`, `--backup-dir=${backupDir}`, `--name=${name}`);
      expect(await backup('nightly')).toMatchObject({ code: 0, stderr: '' });
      await driver.executeQuery('CREATE (:Extra)');
      expect(await backup('later')).toMatchObject({ code: 0, stderr: '' });
    } finally {
      await driver.close();
      await source.stop();
    }
    cluster = await ProcessCluster.start({ cores: 3, electionTimeoutMs: TEST_ELECTION_TIMEOUT_MS });
  }, 90_000);

  afterAll(async () => {
    await cluster?.stopAll();
    removeHomes();
  });

  it('forms from three cores restored from the backup, holding its data and new writes',
    async () => {
      const nightly = path.join(backupDir, 'nightly');
      const offsets = await reseed(cluster, [nightly, nightly, nightly]);
      await cluster.waitForLeader(30_000);
      const logs = cluster.members.map((m, i) => cluster.log(m).slice(offsets[i]));
      expect(logs.filter((l) => l.includes('This instance bootstrapped the cluster.')))
        .toHaveLength(1);
      expect(logs.filter((l) => /Seeding the cluster from this member's store at index \d+/
        .test(l))).toHaveLength(1);
      expect(logs.join('')).not.toContain('Refusing to form');
      for (const member of cluster.members) {
        expect(await countOn(cluster, member, 'Seed')).toBe(SEED_NODES / 2);
        expect(await countOn(cluster, member, 'Tail')).toBe(SEED_NODES / 2);
        expect(await countOn(cluster, member, 'Extra')).toBe(0);
      }
      await cluster.routing(cluster.members[2]!).executeQuery('CREATE (:AfterSeeding)');
      for (const member of cluster.members) {
        await waitFor(`the new write on ${member.name}`, async () =>
          (await countOn(cluster, member, 'AfterSeeding') === 1 ? true : null), 10_000);
      }
    }, 90_000);

  it('does not form when one core was restored from a different backup, and says why',
    async () => {
      const nightly = path.join(backupDir, 'nightly');
      const later = path.join(backupDir, 'later');
      const offsets = await reseed(cluster, [nightly, nightly, later]);
      const since = (i: number): string => cluster.log(cluster.members[i]!).slice(offsets[i]);
      await waitFor('every core to refuse the different store', async () =>
        ([0, 1, 2].every((i) => since(i).includes('Refusing to form')) ? true : null), 20_000);
      const odd = since(2);
      expect(odd).toMatch(new RegExp('Refusing to form or join a cluster with core member \\S+: ' +
        'its store is at index (\\d+) \\(term \\d+\\) of store \\S+, checksum [0-9a-f]{8}, ' +
        "this one's is at index (\\d+)"));
      const [, theirs, ours] = /its store is at index (\d+).*this one's is at index (\d+)/
        .exec(odd) ?? [];
      expect(Number(ours)).toBe(Number(theirs) + 1);
      for (const i of [0, 1, 2]) {
        expect(since(i)).not.toContain('This instance bootstrapped the cluster.');
        expect(since(i)).not.toContain('Bound to cluster with id');
      }
    }, 90_000);
});

describe('decideFormation with stores', () => {
  const store = (lastIndex: number, storeId = 's1'): StoreFingerprint =>
    ({ storeId, lastIndex, lastTerm: 1, checksum: lastIndex * 7 });
  const core = (memberId: string, extra: Partial<MemberAdvert> = {}): MemberAdvert => ({
    memberId, clusterId: null, mode: 'CORE', discoveryAddress: `${memberId}:5000`,
    raftAddress: `${memberId}:7000`, boltAddress: `${memberId}:7687`,
    httpAddress: `${memberId}:7474`, groups: [], role: 'FOLLOWER', leaderId: null, term: 0,
    appliedIndex: 0, ...extra,
  });

  it('bootstraps with the cores whose stores equal its own and names the others', () => {
    const alive = [core('a', { store: store(5) }), core('b', { store: store(5) }),
      core('c', { store: store(6) }), core('d')];
    const decision = decideFormation({ selfId: 'a', mode: 'CORE', alive,
      formationCoreCountMin: 2 });
    expect(decision).toMatchObject({ action: 'bootstrap', voters: ['a', 'b'] });
    expect(decision.action === 'bootstrap' && decision.refused.map((r) => r.memberId))
      .toEqual(['c', 'd']);
  });

  it('waits when too few cores hold an equal store', () => {
    const alive = [core('a', { store: store(5) }), core('b', { store: store(6) })];
    expect(decideFormation({ selfId: 'a', mode: 'CORE', alive, formationCoreCountMin: 2 }))
      .toMatchObject({ action: 'wait', coresSeen: 1, refused: [{ memberId: 'b' }] });
  });

  it('joins a cluster seeded from an equal store, not one seeded from another', () => {
    const seeded = core('a', { clusterId: 'k1', store: store(5) });
    expect(decideFormation({ selfId: 'b', mode: 'CORE', formationCoreCountMin: 2,
      alive: [seeded, core('b', { store: store(5) })] }))
      .toEqual({ action: 'join', clusterId: 'k1' });
    const refused = decideFormation({ selfId: 'b', mode: 'CORE', formationCoreCountMin: 2,
      alive: [seeded, core('b', { store: store(9, 's2') })] });
    expect(refused).toMatchObject({ action: 'wait', refused: [{ memberId: 'a' }] });
    expect(decideFormation({ selfId: 'b', mode: 'CORE', formationCoreCountMin: 2,
      alive: [seeded, core('b')] })).toEqual({ action: 'join', clusterId: 'k1' });
  });
});

/**
 * Read replicas in real processes with the official driver: 3 cores and read replicas that pull
 * every 10 s, stream, or start late. Bookmarks make a lagging replica wait for a client's own
 * write; a replica killed and restarted loses nothing; writers never notice a replica's death;
 * a replica started after 10,000 transactions and log compaction catches up by snapshot.
 */
import neo4j, { type Driver, type Integer } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countLabel, writeForBookmarks } from '../../helpers/bookmarked-sessions.js';
import {
  CLUSTER_PASSWORD, CLUSTER_USER, ProcessCluster, TEST_ELECTION_TIMEOUT_MS, waitFor, type Member,
} from '../../helpers/cluster.js';

const PULL_INTERVAL_MS = 10_000;
const BOOKMARK_TIMEOUT_MS = 3000;
const SNAPSHOT_THRESHOLD_ENTRIES = 2000;
const LATE_TRANSACTIONS = 10_000;
/** Concurrent writers: the leader's group commit makes many sessions much faster than one. */
const WRITERS = 48;

/** replica-1 pulls every 10 s, replica-2 streams, replica-3 pulls every second (started late). */
const REPLICA_SETTINGS: readonly (readonly string[])[] = [
  [`causal_clustering.pull_interval=${PULL_INTERVAL_MS}ms`,
    'causal_clustering.server_groups=slow,east'],
  ['causal_clustering.pull_interval=0',
    `dbms.transaction.bookmark_ready_timeout=${BOOKMARK_TIMEOUT_MS}ms`],
  ['causal_clustering.pull_interval=1s'],
];



async function distinctIds(driver: Driver, bookmarks: string[]): Promise<number> {
  const session = driver.session({ bookmarks, defaultAccessMode: neo4j.session.READ });
  try {
    const result = await session.run('MATCH (n:Late) RETURN count(DISTINCT n.id) AS n');
    return (result.records[0]?.get('n') as Integer).toNumber();
  } finally {
    await session.close();
  }
}

/** Writes ids [0, total), one transaction each, from WRITERS sessions; returns all bookmarks. */
async function writeMany(driver: Driver, total: number): Promise<string[]> {
  const parts = await Promise.all(Array.from({ length: WRITERS }, async (_, w) => {
    const session = driver.session();
    try {
      for (let id = w; id < total; id += WRITERS) {
        await session.executeWrite((tx) =>
          tx.run('CREATE (:Late {id: $id})', { id: neo4j.int(id) }));
      }
      return session.lastBookmarks();
    } finally {
      await session.close();
    }
  }));
  return parts.flat();
}

describe('read replicas', () => {
  let cluster: ProcessCluster;
  let leader: Member;
  let slow: Member;
  let streaming: Member;

  beforeAll(async () => {
    cluster = await ProcessCluster.start({ cores: 3, readReplicas: 3,
      electionTimeoutMs: TEST_ELECTION_TIMEOUT_MS,
      snapshotThresholdEntries: SNAPSHOT_THRESHOLD_ENTRIES, startTimeoutMs: 90_000,
      replicaSettings: (i) => REPLICA_SETTINGS[i] ?? [] });
    leader = await cluster.waitForLeader();
    const [first, second] = cluster.members.filter((m) => m.name.startsWith('replica'));
    if (first === undefined || second === undefined) throw new Error('replicas missing');
    slow = first;
    streaming = second;
    await Promise.all([cluster.startMember(slow), cluster.startMember(streaming)]);
    // Both replicas have joined once they serve a write made before they started.
    const bookmarks = await writeForBookmarks(cluster.routing(leader), 'CREATE (:Joined)');
    await Promise.all([slow, streaming].map((m) =>
      waitFor(`${m.name} to join`, async () =>
        (await countLabel(cluster.direct(m), 'Joined', bookmarks)) === 1 ? true : null, 30_000)));
  }, 240_000);

  afterAll(async () => {
    await cluster?.stopAll();
  });

  it('shows replicas with their groups and lag in the overview', async () => {
    // Members advertise their progress every discovery round (300 ms).
    const replicas = await waitFor('replicas to advertise what they applied', async () => {
      const result = await cluster.direct(leader).executeQuery(
        'CALL dbms.cluster.overview() YIELD id, role, groups, lastAppliedIndex, ' +
        'lagBehindLeader RETURN *', {}, { bookmarkManager: null });
      const rows = result.records.filter((r) => r.get('role') === 'READ_REPLICA');
      const applied = rows.map((r) => (r.get('lastAppliedIndex') as Integer).toNumber());
      return rows.length === 2 && applied.every((n) => n > 0) ? rows : null;
    }, 10_000);
    expect(replicas.map((r) => r.get('groups') as string[])).toContainEqual(['slow', 'east']);
    for (const r of replicas) {
      expect((r.get('lagBehindLeader') as Integer).toNumber()).toBeGreaterThanOrEqual(0);
    }
  });

  it('reports lag on the status endpoint and in /metrics', async () => {
    const auth = `Basic ${Buffer.from(`${CLUSTER_USER}:${CLUSTER_PASSWORD}`).toString('base64')}`;
    const base = `http://localhost:${streaming.ports.http}`;
    const status = await (await fetch(`${base}/db/manage/server/read-replica/status`,
      { headers: { authorization: auth } })).json() as Record<string, unknown>;
    expect(status).toMatchObject({ core: false });
    expect(status['lastAppliedRaftIndex']).toEqual(expect.any(Number));
    expect(status['lastCommittedRaftIndex']).toEqual(expect.any(Number));
    expect(status['lagBehindLeader']).toEqual(expect.any(Number));
    const metrics = await (await fetch(`http://localhost:${leader.ports.http}/metrics`,
      { headers: { authorization: auth } })).text();
    expect(metrics).toMatch(
      /quiver_cluster_member_lag_entries\{member="[^"]+",role="READ_REPLICA"\}/);
    expect(metrics).toMatch(
      /quiver_cluster_member_last_applied_index\{member="[^"]+",role="LEADER"\}/);
  });

  it('makes a session with the writer\'s bookmarks wait for a replica\'s next pull', async () => {
    const routing = cluster.routing(leader);
    // Seeing this write means the slow replica has just pulled; its next pull is 10 s away.
    const marker = await writeForBookmarks(routing, 'CREATE (:PullMarker)');
    await waitFor('the slow replica to pull', async () =>
      (await countLabel(cluster.direct(slow), 'PullMarker')) === 1 ? true : null, 15_000);
    // Past the end of that pull (a pull lasts at most 2 s).
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const bookmarks = await writeForBookmarks(routing, 'CREATE (:Causal)');
    expect(await countLabel(cluster.direct(slow), 'Causal')).toBe(0);
    const started = Date.now();
    expect(await countLabel(cluster.direct(slow), 'Causal', bookmarks)).toBe(1);
    expect(Date.now() - started).toBeGreaterThan(1000);
    expect(marker.length).toBeGreaterThan(0);
  }, 30_000);

  it('fails a transaction whose bookmark is never reached with BookmarkTimeout', async () => {
    const [bookmark = ''] = await writeForBookmarks(cluster.routing(leader), 'CREATE (:Probe)');
    const unreachable = bookmark.replace(/:\d+$/, ':999999999');
    const session = cluster.direct(streaming).session({ bookmarks: [unreachable],
      defaultAccessMode: neo4j.session.READ });
    try {
      await expect(session.run('RETURN 1')).rejects.toMatchObject({
        code: 'Neo.TransientError.Transaction.BookmarkTimeout' });
    } finally {
      await session.close();
    }
  }, 20_000);

  it('keeps writers going while a replica is killed, and the restarted replica loses nothing',
    async () => {
      const routing = cluster.routing(leader);
      const before = await writeForBookmarks(routing, 'UNWIND range(1, 50) AS i CREATE (:Kept {i: i})');
      expect(await countLabel(cluster.direct(streaming), 'Kept', before)).toBe(50);
      await cluster.signal(streaming, 'SIGKILL');
      let bookmarks: string[] = [];
      for (let i = 0; i < 20; i += 1) {
        bookmarks = await writeForBookmarks(routing, 'CREATE (:WhileDown {i: $i})', { i: neo4j.int(i) });
      }
      await cluster.startMember(streaming);
      const driver = cluster.direct(streaming);
      await waitFor('the restarted replica to serve what it had and what it missed', async () =>
        (await countLabel(driver, 'Kept')) === 50 &&
        (await countLabel(driver, 'WhileDown', bookmarks)) === 20 ? true : null, 60_000);
    }, 180_000);

  it('catches up by snapshot when started after 10,000 transactions and compaction',
    async () => {
      const late = cluster.members.find((m) => m.name === 'replica-3');
      if (late === undefined) throw new Error('replica-3 missing');
      const bookmarks = await writeMany(cluster.routing(leader), LATE_TRANSACTIONS);
      await cluster.waitForLog(leader, /log compacted/);
      await cluster.startMember(late);
      await cluster.waitForLog(late, /Installing a snapshot at index/, 30_000);
      // A driver retry whose first attempt did commit writes an id twice; the replica must
      // hold exactly what the leader holds, every id included.
      const onLeader = await countLabel(cluster.direct(leader), 'Late', bookmarks);
      expect(await countLabel(cluster.direct(late), 'Late', bookmarks)).toBe(onLeader);
      expect(await distinctIds(cluster.direct(late), bookmarks)).toBe(LATE_TRANSACTIONS);
    }, 420_000);
});

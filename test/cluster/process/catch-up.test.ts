/**
 * Members that were not there for part of the log: a core stopped while the others commit past
 * the snapshot threshold catches up from the leader's snapshot after its restart, and a fourth
 * core started later (listed in discovery) joins as a voter and then holds all the data.
 */
import neo4j, { type Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ProcessCluster, TEST_ELECTION_TIMEOUT_MS, waitFor, type Member,
} from '../../helpers/cluster.js';

const SNAPSHOT_THRESHOLD_ENTRIES = 20;
/**
 * Transactions committed while a core is down: each is one entry, and there must be more than
 * the leader pipelines to a silent follower (256 Appends in flight, which the transport may
 * still deliver after a restart), so that the core's next entry is compacted away for sure.
 */
const ITEMS_WHILE_DOWN = 400;
const WRITERS = 8;

/** Writes ids [from, to), one transaction each, from one session; returns its bookmarks. */
async function writeSerially(driver: Driver, from: number, to: number): Promise<string[]> {
  const session = driver.session();
  try {
    for (let id = from; id < to; id += 1) {
      await session.executeWrite((tx) =>
        tx.run('CREATE (:Item {id: $id})', { id: neo4j.int(id) }));
    }
  } finally {
    await session.close();
  }
  return session.lastBookmarks();
}

/** Writes ids [from, to) from WRITERS sessions at once; returns every session's bookmarks. */
async function writeItems(driver: Driver, from: number, to: number): Promise<string[]> {
  const share = Math.ceil((to - from) / WRITERS);
  const parts = await Promise.all(Array.from({ length: WRITERS }, (_, i) =>
    writeSerially(driver, Math.min(to, from + i * share), Math.min(to, from + (i + 1) * share))));
  return parts.flat();
}

async function itemCount(driver: Driver, bookmarks: string[]): Promise<number> {
  const session = driver.session({ bookmarks, defaultAccessMode: neo4j.session.READ });
  try {
    const result = await session.run('MATCH (i:Item) RETURN count(DISTINCT i.id) AS n');
    return (result.records[0]?.get('n') as { toNumber(): number }).toNumber();
  } finally {
    await session.close();
  }
}

describe('members catching up with a cluster that moved on', () => {
  let cluster: ProcessCluster;
  let leader: Member;
  let written = 0;

  beforeAll(async () => {
    cluster = await ProcessCluster.start({ cores: 3, spareCores: 1,
      electionTimeoutMs: TEST_ELECTION_TIMEOUT_MS,
      snapshotThresholdEntries: SNAPSHOT_THRESHOLD_ENTRIES });
    leader = await cluster.waitForLeader();
  });

  afterAll(async () => {
    await cluster?.stopAll();
  });

  it('brings a restarted core up to date from a snapshot of the leader', async () => {
    const stopped = cluster.live().find((m) => m !== leader)!;
    await writeItems(cluster.direct(leader), 0, 5);
    written = 5;
    await cluster.stop(stopped);
    const bookmarks = await writeItems(cluster.direct(leader), written,
      written + ITEMS_WHILE_DOWN);
    written += ITEMS_WHILE_DOWN;
    await cluster.waitForLog(leader, /Snapshot taken at index \d+; log compacted\./);
    await cluster.startMember(stopped);
    await cluster.waitForLog(stopped, /Installing a snapshot at index \d+ from the leader\./);
    expect(await itemCount(cluster.direct(stopped), bookmarks)).toBe(written);
  });

  it('lets a fourth core join while quorum holds, as a voter with all the data', async () => {
    const fourth = cluster.members[3]!;
    await cluster.startMember(fourth);
    await waitFor('the leader to list four voting members', async () => {
      const rows = await cluster.overview(leader);
      const roles = rows.map((r) => r.role).sort();
      return roles.join() === 'FOLLOWER,FOLLOWER,FOLLOWER,LEADER' ? rows : null;
    }, 20_000);
    const bookmarks = await writeItems(cluster.routing(fourth), written, written + 1);
    written += 1;
    expect(await itemCount(cluster.direct(fourth), bookmarks)).toBe(written);
    const overview = await cluster.overview(fourth);
    expect(overview.find((r) => r.boltAddress === fourth.boltAddress)?.role).toBe('FOLLOWER');
  });
});

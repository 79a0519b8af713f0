/**
 * Losing cores: SIGKILL of the leader hands leadership to another core while a routing client
 * keeps writing, two of three down leaves no writer but a readable survivor, and one restart
 * brings a leader back. Nothing acknowledged is lost on the way (invariant 1).
 */
import neo4j, { type Driver, type Neo4jError } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ProcessCluster, TEST_ELECTION_TIMEOUT_MS, type Member,
} from '../../helpers/cluster.js';

/** Driver codes for "no writer right now": the driver gave up finding one, or lost it. */
const NO_WRITER_CODES = ['ServiceUnavailable', 'SessionExpired'];

/** MERGE keeps a retried transaction whose first commit was acknowledged but lost idempotent. */
async function writeMarker(driver: Driver, id: number): Promise<string[]> {
  const session = driver.session();
  try {
    await session.executeWrite((tx) => tx.run('MERGE (:Marker {id: $id})', { id: neo4j.int(id) }));
  } finally {
    await session.close();
  }
  return session.lastBookmarks();
}

async function markerIds(driver: Driver, bookmarks: string[] = []): Promise<number[]> {
  const session = driver.session({ bookmarks, defaultAccessMode: neo4j.session.READ });
  try {
    const result = await session.run('MATCH (m:Marker) RETURN m.id AS id ORDER BY id');
    return result.records.map((r) => (r.get('id') as { toNumber(): number }).toNumber());
  } finally {
    await session.close();
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

describe('a three-core cluster losing members', () => {
  let cluster: ProcessCluster;
  let firstLeader: Member;
  let secondLeader: Member;
  let survivor: Member;
  let acknowledged = 0;

  beforeAll(async () => {
    cluster = await ProcessCluster.start({ cores: 3, electionTimeoutMs: TEST_ELECTION_TIMEOUT_MS });
    firstLeader = await cluster.waitForLeader();
  });

  afterAll(async () => {
    await cluster?.stopAll();
  });

  it('elects another leader after SIGKILL of the leader while writes continue', async () => {
    const seed = cluster.members.find((m) => m !== firstLeader)!;
    const driver = cluster.routing(seed);
    for (; acknowledged < 20; acknowledged += 1) await writeMarker(driver, acknowledged);
    await cluster.signal(firstLeader, 'SIGKILL');
    for (; acknowledged < 40; acknowledged += 1) await writeMarker(driver, acknowledged);
    secondLeader = await cluster.waitForLeader();
    expect(secondLeader).not.toBe(firstLeader);
    expect(await markerIds(cluster.direct(secondLeader))).toEqual(range(0, acknowledged));
  });

  it('has no writer with two of three cores down, and the survivor still serves reads',
    async () => {
      survivor = cluster.live().find((m) => m !== secondLeader)!;
      const bookmarks = await writeMarker(cluster.direct(secondLeader), acknowledged);
      acknowledged += 1;
      // Read once with the bookmark so the survivor has applied everything before the kill.
      expect(await markerIds(cluster.direct(survivor), bookmarks)).toEqual(range(0, acknowledged));
      await cluster.signal(secondLeader, 'SIGKILL');

      const routed = cluster.routing(survivor, { maxTransactionRetryTime: 2000 });
      const failure = await writeMarker(routed, -1).then(() => null, (e: Neo4jError) => e);
      expect(NO_WRITER_CODES).toContain(failure?.code);
      await expect(cluster.direct(survivor).executeQuery('CREATE (:Refused)')).rejects
        .toMatchObject({ code: 'Neo.ClientError.Cluster.NotALeader' });
      expect(await markerIds(cluster.direct(survivor))).toEqual(range(0, acknowledged));
    });

  it('restores a leader when one core restarts, with every acknowledged write', async () => {
    await cluster.startMember(firstLeader);
    const leader = await cluster.waitForLeader();
    expect([firstLeader, survivor]).toContain(leader);
    const bookmarks = await writeMarker(cluster.routing(survivor), acknowledged);
    acknowledged += 1;
    for (const member of cluster.live()) {
      expect(await markerIds(cluster.direct(member), bookmarks)).toEqual(range(0, acknowledged));
    }
  });

  it('replaces a paused (SIGSTOP) leader, which follows the new one when it resumes', async () => {
    await cluster.startMember(secondLeader);
    const paused = await cluster.waitForLeader();
    await cluster.signal(paused, 'SIGSTOP');
    const replacement = await cluster.waitForLeader();
    expect(replacement).not.toBe(paused);
    const driver = cluster.routing(cluster.live()[0]!);
    let bookmarks: string[] = [];
    for (const end = acknowledged + 5; acknowledged < end; acknowledged += 1) {
      bookmarks = await writeMarker(driver, acknowledged);
    }
    await cluster.signal(paused, 'SIGCONT');
    expect(await cluster.waitForLeader()).toBe(replacement);
    await expect(cluster.direct(paused).executeQuery('CREATE (:Refused)')).rejects
      .toMatchObject({ code: 'Neo.ClientError.Cluster.NotALeader' });
    expect(await markerIds(cluster.direct(paused), bookmarks)).toEqual(range(0, acknowledged));
  });
});

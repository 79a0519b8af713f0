/**
 * Neo4j HA's arbiter in real processes: two data-bearing cores and an arbiter (dbms.mode=ARBITER)
 * that votes and keeps the log but no graph. Either data core may die and the other, with the
 * arbiter's vote, keeps a majority: it leads, takes writes and has every committed one.
 */
import neo4j, { type Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ProcessCluster, TEST_ELECTION_TIMEOUT_MS, type Member,
} from '../../helpers/cluster.js';

async function write(driver: Driver, from: number, to: number): Promise<string[]> {
  const session = driver.session();
  try {
    for (let i = from; i < to; i += 1) {
      await session.executeWrite((tx) => tx.run('CREATE (:Vote {i: $i})', { i: neo4j.int(i) }));
    }
    return session.lastBookmarks();
  } finally {
    await session.close();
  }
}

async function votes(driver: Driver, bookmarks: string[] = []): Promise<number> {
  const session = driver.session({ bookmarks, defaultAccessMode: neo4j.session.READ });
  try {
    const result = await session.run('MATCH (v:Vote) RETURN count(v) AS n');
    return (result.records[0]?.get('n') as { toNumber(): number }).toNumber();
  } finally {
    await session.close();
  }
}

describe('an arbiter beside two data-bearing cores', () => {
  let cluster: ProcessCluster;
  let arbiter: Member;

  beforeAll(async () => {
    cluster = await ProcessCluster.start({ cores: 3, arbiters: [2],
      electionTimeoutMs: TEST_ELECTION_TIMEOUT_MS, startTimeoutMs: 90_000 });
    const third = cluster.members[2];
    if (third === undefined) throw new Error('arbiter missing');
    arbiter = third;
  }, 180_000);

  afterAll(async () => {
    await cluster?.stopAll();
  });

  it('shows as ARBITER, is never routed to, and keeps the log without the graph', async () => {
    const leader = await cluster.waitForLeader();
    expect(leader).not.toBe(arbiter);
    const bookmarks = await write(cluster.routing(leader), 0, 10);
    const overview = await cluster.direct(leader).executeQuery(
      'CALL dbms.cluster.overview() YIELD addresses, role, lastAppliedIndex RETURN *', {},
      { bookmarkManager: null });
    const row = overview.records.find((r) =>
      (r.get('addresses') as string[]).includes(`bolt://${arbiter.boltAddress}`));
    expect(row?.get('role')).toBe('ARBITER');
    const table = await cluster.direct(leader).executeQuery(
      'CALL dbms.routing.getRoutingTable({}, null)', {}, { bookmarkManager: null });
    const servers = table.records[0]?.get('servers') as { addresses: string[] }[];
    expect(servers.flatMap((s) => s.addresses)).not.toContain(arbiter.boltAddress);
    // The arbiter has applied every entry (its bookmark wait passes) yet holds no node.
    expect(await votes(cluster.direct(arbiter), bookmarks)).toBe(0);
  }, 60_000);

  it('lets the surviving data core lead and keep every write when the leader dies', async () => {
    const leader = await cluster.waitForLeader();
    const before = await write(cluster.routing(leader), 100, 120);
    await cluster.signal(leader, 'SIGKILL');
    const next = await cluster.waitForLeader(30_000);
    expect(next).not.toBe(arbiter);
    expect(next).not.toBe(leader);
    const after = await write(cluster.direct(next), 200, 210);
    expect(await votes(cluster.direct(next), [...before, ...after])).toBe(40);
  }, 90_000);
});

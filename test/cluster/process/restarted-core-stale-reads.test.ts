/**
 * Regression (chaos: bank workload, kill nemesis, seed 21): a core restarted after SIGKILL
 * re-applies its log only up to the commit index it last saved, which lags, and misses what was
 * committed while it was down; yet routing tables listed it as a reader at once, so routed
 * reads saw a stale or empty graph. A restarted core must route but stay out of the readers
 * until it has applied what a leader of the current term had committed, and until then refuse
 * reads without bookmarks itself (a router that has not yet heard of its restart may still
 * send it some) with a transient error, so that drivers retry them elsewhere.
 */
import neo4j from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GiveUp, ProcessCluster, TEST_ELECTION_TIMEOUT_MS, waitFor, type Member,
} from '../../helpers/cluster.js';

const ITEMS_BEFORE_KILL = 20;
const ITEMS_WHILE_DOWN = 60;
const CATCH_UP_WAIT_MS = 30_000;

interface RoutingTable {
  readonly readers: string[];
  readonly routers: string[];
}

async function routingTable(cluster: ProcessCluster, member: Member): Promise<RoutingTable> {
  const result = await cluster.direct(member)
    .executeQuery('CALL dbms.routing.getRoutingTable({})', {}, { bookmarkManager: null });
  const servers = result.records[0]?.get('servers') as { role: string; addresses: string[] }[];
  const of = (role: string) => [...servers.find((s) => s.role === role)?.addresses ?? []].sort();
  return { readers: of('READ'), routers: of('ROUTE') };
}

/** What a routed read without bookmarks would see on this member. */
async function itemCount(cluster: ProcessCluster, member: Member): Promise<number> {
  const session = cluster.direct(member).session({ defaultAccessMode: neo4j.session.READ });
  try {
    const result = await session.run('MATCH (i:Item) RETURN count(i) AS n');
    return (result.records[0]?.get('n') as { toNumber(): number }).toNumber();
  } finally {
    await session.close();
  }
}

/** A refused read saw nothing (null); any other failure is rethrown. */
function refusedRead(error: unknown): null {
  if ((error as { code?: string }).code === 'Neo.TransientError.General.DatabaseUnavailable') {
    return null;
  }
  throw error;
}

async function writeItems(cluster: ProcessCluster, leader: Member, from: number, to: number):
  Promise<void> {
  const session = cluster.direct(leader).session();
  try {
    for (let id = from; id < to; id += 1) {
      await session.run('CREATE (:Item {id: $id})', { id: neo4j.int(id) });
    }
  } finally {
    await session.close();
  }
}

describe('a restarted core and routed reads', () => {
  let cluster: ProcessCluster;

  beforeAll(async () => {
    cluster = await ProcessCluster.start({ cores: 3, electionTimeoutMs: TEST_ELECTION_TIMEOUT_MS });
  });

  afterAll(async () => {
    await cluster?.stopAll();
  });

  it('is not a reader until it has applied what the leader committed', async () => {
    const leader = await cluster.waitForLeader();
    const [restarted, other] = cluster.live().filter((m) => m !== leader) as [Member, Member];
    await writeItems(cluster, leader, 0, ITEMS_BEFORE_KILL);
    await cluster.signal(restarted, 'SIGKILL');
    await writeItems(cluster, leader, ITEMS_BEFORE_KILL, ITEMS_BEFORE_KILL + ITEMS_WHILE_DOWN);
    const written = ITEMS_BEFORE_KILL + ITEMS_WHILE_DOWN;
    // With the others paused no leader can tell the restarted core what it missed.
    await cluster.signal(leader, 'SIGSTOP');
    await cluster.signal(other, 'SIGSTOP');
    await cluster.startMember(restarted);
    await expect(itemCount(cluster, restarted)).rejects.toMatchObject(
      { code: 'Neo.TransientError.General.DatabaseUnavailable' });
    const whileAlone = await routingTable(cluster, restarted);
    expect(whileAlone.routers).toContain(restarted.boltAddress);
    expect(whileAlone.readers).not.toContain(restarted.boltAddress);

    await cluster.signal(leader, 'SIGCONT');
    await cluster.signal(other, 'SIGCONT');
    // Every read it answers, once some router lists it as a reader, holds every item.
    await waitFor('the restarted core among the readers of every core', async () => {
      const live = cluster.live();
      const tables = await Promise.all(live.map((m) => routingTable(cluster, m)));
      const listing = live.filter((_, i) => tables[i]?.readers.includes(restarted.boltAddress));
      const listed = listing.length;
      const seen = listed > 0 ? await itemCount(cluster, restarted).catch(refusedRead) : written;
      if (seen !== null && seen !== written) {
        throw new GiveUp(`a reader again, holding ${seen} of ${written} items, in the tables ` +
          `of ${listing.map((m) => m.name).join(', ')}`);
      }
      return listed === tables.length ? true : null;
    }, CATCH_UP_WAIT_MS);
    expect(await itemCount(cluster, restarted)).toBe(written);
    expect(cluster.log(restarted)).toMatch(/Caught up with the leader at index \d+; serving reads\./);
  });
});

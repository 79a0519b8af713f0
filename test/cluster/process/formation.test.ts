/**
 * Three real `quiver console` processes form a cluster and serve it through the official
 * driver: one leader, data written through it readable on every core, writes refused on
 * followers over bolt:// and routed to the leader over neo4j://.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import neo4j, { type Neo4jError } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ProcessCluster, TEST_ELECTION_TIMEOUT_MS, waitFor, type Member,
} from '../../helpers/cluster.js';
import { SHARED_DIR } from '../../shared-dir.js';

const NOT_A_LEADER_MESSAGE = 'No write operations are allowed directly on this database. ' +
  'Writes must pass through the leader. The role of this server is: FOLLOWER';

/** The script holds schema statements and one large CREATE, each ended by `;` at a line end. */
async function movieStatements(): Promise<string[]> {
  const text = await readFile(join(SHARED_DIR, 'datasets', 'movies.cypher'), 'utf8');
  return text.split(/;\s*\n/).map((s) => s.trim()).filter((s) => s.length > 0);
}

describe('a cluster of three core processes', () => {
  let cluster: ProcessCluster;
  let leader: Member;
  let followers: Member[];

  beforeAll(async () => {
    cluster = await ProcessCluster.start({ cores: 3, electionTimeoutMs: TEST_ELECTION_TIMEOUT_MS });
    leader = await cluster.waitForLeader();
    followers = cluster.members.filter((m) => m !== leader);
  });

  afterAll(async () => {
    await cluster?.stopAll();
  });

  async function countOnLeader(label: string): Promise<number> {
    const result = await cluster.direct(leader)
      .executeQuery(`MATCH (n:${label}) RETURN count(n) AS c`);
    return (result.records[0]?.get('c') as { toNumber(): number }).toNumber();
  }

  it('is bootstrapped by one member and bound to one cluster id by all', () => {
    const logs = cluster.members.map((m) => cluster.log(m));
    const bootstrappers = logs.filter((l) => l.includes('This instance bootstrapped the cluster.'));
    expect(bootstrappers).toHaveLength(1);
    const ids = logs.map((l) => /Bound to cluster with id (\S+)/.exec(l)?.[1]);
    expect(ids[0]).toMatch(/\S+/);
    expect(new Set(ids).size).toBe(1);
    expect(cluster.log(leader)).toContain('Leader is now this member');
  });

  it('shows one LEADER and two FOLLOWERs in every member\'s overview', async () => {
    for (const member of cluster.members) {
      const roles = await waitFor(`three voting members seen by ${member.name}`, async () => {
        const rows = await cluster.overview(member);
        const sorted = rows.map((r) => `${r.boltAddress} ${r.role}`).sort();
        return sorted.length === 3 && sorted.every((r) => /(LEADER|FOLLOWER)$/.test(r))
          ? rows : null;
      }, 10_000);
      expect(roles.filter((r) => r.role === 'LEADER').map((r) => r.boltAddress))
        .toEqual([leader.boltAddress]);
      expect(roles.filter((r) => r.role === 'FOLLOWER').map((r) => r.boltAddress).sort())
        .toEqual(followers.map((m) => m.boltAddress).sort());
    }
  });

  it('publishes the leader as writer and every core as router', async () => {
    // Polled: on a busy machine a follower may briefly lose sight of the leader, and a
    // follower joins the readers once it has applied what the leader had committed.
    const byRole = await waitFor('a routing table with a writer and both readers', async () => {
      const result = await cluster.direct(followers[0]!)
        .executeQuery('CALL dbms.routing.getRoutingTable({})', {}, { bookmarkManager: null });
      const servers = result.records[0]?.get('servers') as { role: string; addresses: string[] }[];
      const table = new Map(servers.map((s) => [s.role, [...s.addresses].sort()]));
      const complete = (table.get('WRITE') ?? []).length > 0 &&
        (table.get('READ') ?? []).length === followers.length;
      return complete ? table : null;
    }, 10_000);
    expect(byRole.get('WRITE')).toEqual([leader.boltAddress]);
    expect(byRole.get('ROUTE')).toEqual(cluster.members.map((m) => m.boltAddress).sort());
    expect(byRole.get('READ')).toEqual(followers.map((m) => m.boltAddress).sort());
  });

  it('serves the movie graph written through the leader from every core', async () => {
    const session = cluster.direct(leader).session();
    try {
      for (const statement of await movieStatements()) await session.run(statement);
    } finally {
      await session.close();
    }
    const bookmarks = session.lastBookmarks();
    for (const member of cluster.members) {
      const reader = cluster.direct(member).session({ bookmarks,
        defaultAccessMode: neo4j.session.READ });
      try {
        const nodes = await reader.run('MATCH (n) RETURN count(n) AS count');
        const rels = await reader.run('MATCH ()-[r]->() RETURN count(r) AS count');
        expect([member.name, nodes.records[0]?.get('count').toNumber()])
          .toEqual([member.name, 171]);
        expect(rels.records[0]?.get('count').toNumber()).toBe(253);
      } finally {
        await reader.close();
      }
    }
  });

  it('refuses a bolt:// write on a follower with Neo4j\'s NotALeader error', async () => {
    for (const follower of followers) {
      const write = cluster.direct(follower).executeQuery('CREATE (:Refused)');
      await expect(write).rejects.toMatchObject({
        code: 'Neo.ClientError.Cluster.NotALeader', message: NOT_A_LEADER_MESSAGE,
      } satisfies Partial<Neo4jError>);
    }
    expect(await countOnLeader('Refused')).toBe(0);
  });

  it('routes neo4j:// writes through any core to the leader', async () => {
    for (const member of cluster.members) {
      const driver = cluster.routing(member);
      const session = driver.session();
      try {
        const result = await session.executeWrite((tx) =>
          tx.run('CREATE (w:Routed {via: $via}) RETURN w.via AS via', { via: member.name }));
        expect(result.records[0]?.get('via')).toBe(member.name);
        expect(result.summary.server.address).toBe(leader.boltAddress);
      } finally {
        await session.close();
      }
    }
    expect(await countOnLeader('Routed')).toBe(3);
  });
});

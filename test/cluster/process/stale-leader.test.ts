/**
 * A leader that accepted writes it could not commit (its followers were gone) and was then
 * replaced must fail those writes as soon as it learns of the newer term, not hold the
 * clients for the whole replication timeout (20 s), and must not report them committed.
 */
import { performance } from 'node:perf_hooks';
import type { Neo4jError } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ProcessCluster, TEST_ELECTION_TIMEOUT_MS, type Member,
} from '../../helpers/cluster.js';

/** Well below the 20 s replication timeout, well above a failover on a busy machine. */
const SETTLE_AFTER_RESUME_MS_MAX = 8000;

describe('a deposed leader with writes in flight', () => {
  let cluster: ProcessCluster;
  let leader: Member;

  beforeAll(async () => {
    cluster = await ProcessCluster.start({ cores: 3, electionTimeoutMs: TEST_ELECTION_TIMEOUT_MS });
    leader = await cluster.waitForLeader();
    await cluster.direct(leader).executeQuery('CREATE (:Before)');
  });

  afterAll(async () => {
    await cluster?.stopAll();
  });

  it('fails every uncommitted write promptly once a new leader took over', async () => {
    const followers = cluster.members.filter((m) => m !== leader);
    // SIGSTOP takes effect at once, so the writes below reach the leader long before its
    // check-quorum (an election timeout) notices that nobody answers; neither can commit.
    await Promise.all(followers.map((f) => cluster.signal(f, 'SIGSTOP')));
    const pending = [1, 2].map(async (n) => {
      const session = cluster.direct(leader).session();
      try {
        await session.run('CREATE (:Orphan {n: $n})', { n });
        return null;
      } catch (thrown) {
        return { error: thrown as Neo4jError, atMs: performance.now() };
      } finally {
        await session.close();
      }
    });
    // Paused, the old leader cannot hand its queued entries to the restarted followers; killed,
    // the followers drop the entries still unread in their sockets.
    await cluster.signal(leader, 'SIGSTOP');
    await Promise.all(followers.map((f) => cluster.signal(f, 'SIGKILL')));
    await Promise.all(followers.map((f) => cluster.startMember(f)));
    const successor = await cluster.waitForLeader();
    expect(followers).toContain(successor);
    const resumedAt = performance.now();
    await cluster.signal(leader, 'SIGCONT');

    const outcomes = await Promise.all(pending);
    for (const outcome of outcomes) {
      expect(outcome?.error.code).toBe('Neo.TransientError.Cluster.ReplicationFailure');
      expect((outcome?.atMs ?? Infinity) - resumedAt).toBeLessThan(SETTLE_AFTER_RESUME_MS_MAX);
    }
    const orphans = await cluster.direct(successor)
      .executeQuery('MATCH (o:Orphan) RETURN count(o) AS c');
    expect(orphans.records[0]?.get('c').toNumber()).toBe(0);
  });
});

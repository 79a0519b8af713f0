/**
 * Read replicas' upstreams in real processes with the official driver (decision 0026):
 * 3 cores and 4 replicas. A is a streaming Raft learner in server group east with
 * ha.tx_push_factor=0; B (typically-connect-to-random-read-replica, every 5 s), C
 * (connect-randomly-to-server-group, group east) and D (connect-to-random-core-server) pull
 * over catchup, C and D every 10 s. B and C pull from A, D from a core; bookmarks make reads
 * on B wait; the cores' push factor (1) wakes D at once while C waits for its interval;
 * killing A makes B and C choose another upstream and keep up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countLabel, writeForBookmarks } from '../../helpers/bookmarked-sessions.js';
import {
  ProcessCluster, TEST_ELECTION_TIMEOUT_MS, waitFor, type Member,
} from '../../helpers/cluster.js';

const PULL = 'causal_clustering.pull_interval=10s';
/** B pulls more often: its test only needs a pull far enough away to be waited for. */
const PULL_B = 'causal_clustering.pull_interval=5s';
const STRATEGY = 'causal_clustering.upstream_selection_strategy';
const REPLICA_SETTINGS: readonly (readonly string[])[] = [
  ['causal_clustering.pull_interval=0', 'causal_clustering.server_groups=east',
    'ha.tx_push_factor=0'],
  [PULL_B, `${STRATEGY}=typically-connect-to-random-read-replica`],
  [PULL, `${STRATEGY}=connect-randomly-to-server-group`, 'causal_clustering.server_groups=east'],
  [PULL, `${STRATEGY}=connect-to-random-core-server`],
];



/** Milliseconds until `member` holds one node labelled `label` (polled every 50 ms). */
async function msUntilSeen(cluster: ProcessCluster, member: Member, label: string,
  startedMs: number): Promise<number> {
  await waitFor(`${member.name} to see ${label}`, async () =>
    (await countLabel(cluster.direct(member), label)) === 1 ? true : null, 30_000);
  return Date.now() - startedMs;
}

describe('read replica upstreams', () => {
  let cluster: ProcessCluster;
  let leader: Member;
  let a: Member;
  let b: Member;
  let c: Member;
  let d: Member;
  const ids = new Map<string, string>();

  /** Resolves once the member's log, after `offset` characters, matches `pattern`. */
  const logAfter = (member: Member, offset: number, pattern: RegExp, timeoutMs = 20_000) =>
    waitFor(`${pattern.source} in ${member.name}'s log`, async () =>
      (pattern.test(cluster.log(member).slice(offset)) ? true : null), timeoutMs);
  const id = (member: Member): string => ids.get(member.boltAddress) ?? '?';

  beforeAll(async () => {
    cluster = await ProcessCluster.start({ cores: 3, readReplicas: 4,
      electionTimeoutMs: TEST_ELECTION_TIMEOUT_MS, startTimeoutMs: 90_000,
      replicaSettings: (i) => REPLICA_SETTINGS[i] ?? [] });
    leader = await cluster.waitForLeader();
    const replicas = cluster.members.filter((m) => m.name.startsWith('replica'));
    [a, b, c, d] = replicas as [Member, Member, Member, Member];
    // A first, so that it is the only replica the others can choose when they start.
    await cluster.startMember(a);
    const joined = await writeForBookmarks(cluster.routing(leader), 'CREATE (:Joined)');
    await waitFor('A to join', async () =>
      (await countLabel(cluster.direct(a), 'Joined', joined)) === 1 ? true : null, 30_000);
    // Then B, while A is the only replica it can choose; C and D (replicas B could also
    // choose) start once B has chosen: a choice stands until its upstream fails.
    await cluster.startMember(b);
    await learnIds(5);
    await logAfter(b, 0, new RegExp(`Pulling committed transactions from read replica ${id(a)} ` +
      '.*by typically-connect-to-random-read-replica'));
    await Promise.all([c, d].map((m) => cluster.startMember(m)));
    await learnIds(7);
  }, 240_000);

  /** Member ids by bolt address, once the overview lists `count` members. */
  async function learnIds(count: number): Promise<void> {
    const rows = await waitFor(`${count} members in the overview`, async () => {
      const overview = await cluster.overview(leader);
      return overview.length === count ? overview : null;
    }, 20_000);
    for (const row of rows) ids.set(row.boltAddress, row.id);
  }

  afterAll(async () => {
    await cluster?.stopAll();
  });

  it('lets B pull from replica A, which says it serves B', async () => {
    await logAfter(a, 0, new RegExp(`Serving committed transactions to read replica ${id(b)}`));
    // Still A: C and D, started since, did not make B move.
    expect(cluster.log(b)).not.toMatch(/Stopped pulling from/);
    const bookmarks = await writeForBookmarks(cluster.routing(leader), 'CREATE (:ThroughA)');
    expect(await countLabel(cluster.direct(b), 'ThroughA', bookmarks)).toBe(1);
    // The overview names each replica's upstream; a learner's is the leader.
    const upstreams = await waitFor('B\'s upstream in the overview', async () => {
      const { records } = await cluster.direct(leader).executeQuery(
        'CALL dbms.cluster.overview() YIELD id, role, upstream RETURN id, role, upstream', {},
        { bookmarkManager: null });
      const byId = new Map(records.map((r) => [String(r.get('id')), r.get('upstream') as unknown]));
      return byId.get(id(b)) === id(a) ? byId : null;
    }, 20_000);
    expect(upstreams.get(id(leader))).toBeNull();
  }, 60_000);

  it('lets C pull from a replica of its server group, and D from a core', async () => {
    await logAfter(c, 0, new RegExp(`Pulling committed transactions from read replica ${id(a)} ` +
      '.*by connect-randomly-to-server-group'));
    await logAfter(a, 0, new RegExp(`Serving committed transactions to read replica ${id(c)}`));
    await logAfter(d, 0,
      /Pulling committed transactions from core member \S+ .*by connect-to-random-core-server/);
  }, 60_000);

  it('makes a read with the writer\'s bookmarks wait on a replica that pulls from a replica',
    async () => {
      const routing = cluster.routing(leader);
      // B sees this write only by pulling (A pushes to nobody): B has just pulled then.
      await writeForBookmarks(routing, 'CREATE (:PulledMarker)');
      await msUntilSeen(cluster, b, 'PulledMarker', Date.now());
      const bookmarks = await writeForBookmarks(routing, 'CREATE (:CausalOnB)');
      expect(await countLabel(cluster.direct(b), 'CausalOnB')).toBe(0);
      const started = Date.now();
      expect(await countLabel(cluster.direct(b), 'CausalOnB', bookmarks)).toBe(1);
      expect(Date.now() - started).toBeGreaterThan(1000);
    }, 60_000);

  it('sees a write sooner on a replica whose upstream pushes (tx_push_factor)', async () => {
    const routing = cluster.routing(leader);
    // C has just pulled from A once it sees this; its next pull is about 10 s away.
    await writeForBookmarks(routing, 'CREATE (:PushMarker)');
    await msUntilSeen(cluster, c, 'PushMarker', Date.now());
    const started = Date.now();
    await writeForBookmarks(routing, 'CREATE (:Pushed)');
    const [pushedMs, pulledMs] = await Promise.all([msUntilSeen(cluster, d, 'Pushed', started),
      msUntilSeen(cluster, c, 'Pushed', started)]);
    process.stdout.write(`tx_push_factor: a write reached D (upstream pushes, factor 1) in ` +
      `${pushedMs} ms and C (upstream factor 0, 10 s pulls) in ${pulledMs} ms; ratio ` +
      `${(pulledMs / Math.max(1, pushedMs)).toFixed(1)}\n`);
    // Pushed: well within the interval even on a loaded machine; pulled: the next pull.
    expect(pushedMs).toBeLessThan(5000);
    expect(pulledMs).toBeGreaterThan(2 * pushedMs);
  }, 60_000);

  it('makes B and C choose another upstream when A dies, and they keep up', async () => {
    const offsets = new Map([b, c].map((m) => [m, cluster.log(m).length]));
    await cluster.signal(a, 'SIGKILL');
    await logAfter(c, offsets.get(c) ?? 0, new RegExp(`Stopped pulling from ${id(a)}`));
    await logAfter(c, offsets.get(c) ?? 0, /Pulling committed transactions from core member/);
    await logAfter(b, offsets.get(b) ?? 0, new RegExp(`Stopped pulling from ${id(a)}`));
    // B may choose another replica (C or D) as long as its upstreams lead to a core.
    await logAfter(b, offsets.get(b) ?? 0, new RegExp('Pulling committed transactions from ' +
      `(core member|read replica) (?!${id(a)})`));
    const bookmarks = await writeForBookmarks(cluster.routing(leader),
      'UNWIND range(1, 20) AS i CREATE (:AfterA {i: i})');
    for (const m of [b, c]) {
      expect(await countLabel(cluster.direct(m), 'AfterA', bookmarks)).toBe(20);
    }
  }, 60_000);
});

/**
 * Read replicas: `npx tsx bench/replicas.ts` writes bench/results/replicas.json.
 *
 * One run starts 3 cores + 2 streaming read replicas (causal_clustering.pull_interval=0) and,
 * after it, a single server (a one-core cluster) on the same machine, and measures:
 * 1. replica apply throughput: writers (WRITERS sessions, closed loop, one CREATE a
 *    transaction) drive the leader at full speed for WRITE_SECONDS; the leader's commit rate and
 *    each replica's apply rate (its applied index from the status endpoint, sampled) over the
 *    same window, and the lag left when the writers stop and the time to drain it;
 * 2. streaming lag: LAG_SAMPLES sequential writes; after each, a read on a replica carrying the
 *    write's bookmark, which returns once the replica has applied it; lag = that read's time
 *    minus the median time of the same read without a bookmark (the round trip);
 * 3. read throughput of `MATCH (p:Person {id:$id}) RETURN p` with READ_CLIENTS closed-loop
 *    clients for READ_SECONDS, spread round-robin over all 5 members, against the same clients
 *    on the single server; the ratio is the cluster's over the single server's.
 * The machine has 2 cores shared by every process: all numbers are relative to that.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import neo4j, { type Driver } from 'neo4j-driver';
import {
  CLUSTER_PASSWORD, CLUSTER_USER, ProcessCluster, waitFor, type Member,
} from '../test/helpers/cluster.js';

const WRITERS = Number(process.env['REPLICA_BENCH_WRITERS'] ?? 32);
const WRITE_SECONDS = Number(process.env['REPLICA_BENCH_WRITE_SECONDS'] ?? 10);
const LAG_SAMPLES = Number(process.env['REPLICA_BENCH_LAG_SAMPLES'] ?? 200);
const READ_CLIENTS = Number(process.env['REPLICA_BENCH_READ_CLIENTS'] ?? 20);
const READ_SECONDS = Number(process.env['REPLICA_BENCH_READ_SECONDS'] ?? 10);
const PEOPLE = 2000;
const SAMPLE_EVERY_MS = 250;
const DRAIN_LIMIT_MS = 60_000;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const round = (n: number): number => Math.round(n * 100) / 100;

async function appliedIndex(member: Member): Promise<number> {
  const auth = Buffer.from(`${CLUSTER_USER}:${CLUSTER_PASSWORD}`).toString('base64');
  const response = await fetch(
    `http://localhost:${member.ports.http}/db/manage/server/causalclustering/status`,
    { headers: { authorization: `Basic ${auth}` } });
  const status = await response.json() as { lastAppliedRaftIndex?: unknown };
  return Number(status.lastAppliedRaftIndex);
}

/**
 * Closed-loop writers through a routing driver until the deadline. A failed write (a leader
 * change on a loaded machine) is counted and the writer goes on in a new session.
 */
async function writeFlat(driver: Driver, deadlineMs: number) {
  let committed = 0;
  let failed = 0;
  await Promise.all(Array.from({ length: WRITERS }, async () => {
    while (performance.now() < deadlineMs) {
      const session = driver.session();
      try {
        while (performance.now() < deadlineMs) {
          await session.run('CREATE (:Load {at: $at})', { at: performance.now() });
          committed += 1;
        }
      } catch {
        failed += 1;
      } finally {
        await session.close();
      }
    }
  }));
  return { committed, failed };
}

async function applyThroughput(cluster: ProcessCluster, leader: Member, replicas: Member[]) {
  const start = await Promise.all([leader, ...replicas].map(appliedIndex));
  const began = performance.now();
  const samples: number[][] = [];
  const sampler = setInterval(() => {
    void Promise.all(replicas.map(appliedIndex)).then((s) => samples.push(s), () => undefined);
  }, SAMPLE_EVERY_MS);
  const writes = await writeFlat(cluster.routing(leader), began + WRITE_SECONDS * 1000);
  clearInterval(sampler);
  const seconds = (performance.now() - began) / 1000;
  const end = await Promise.all([leader, ...replicas].map(appliedIndex));
  const leaderEnd = end[0] ?? 0;
  const drainStart = performance.now();
  await waitFor('replicas to drain', async () =>
    (await Promise.all(replicas.map(appliedIndex))).every((i) => i >= leaderEnd) ? true : null,
  DRAIN_LIMIT_MS);
  const drainMs = performance.now() - drainStart;
  return {
    writers: WRITERS, seconds: round(seconds), committedTransactions: writes.committed,
    failedWrites: writes.failed,
    leaderCommitsPerSecond: round(((end[0] ?? 0) - (start[0] ?? 0)) / seconds),
    replicaAppliesPerSecond: replicas.map((_, i) =>
      round(((end[i + 1] ?? 0) - (start[i + 1] ?? 0)) / seconds)),
    replicaLagAtStopEntries: replicas.map((_, i) => leaderEnd - (end[i + 1] ?? 0)),
    drainMs: round(drainMs),
    samples: samples.length,
  };
}

async function timedRead(driver: Driver, bookmarks: string[]): Promise<number> {
  const session = driver.session({ bookmarks, defaultAccessMode: neo4j.session.READ });
  const began = performance.now();
  try {
    await session.run('RETURN 1');
    return performance.now() - began;
  } finally {
    await session.close();
  }
}

async function streamingLag(cluster: ProcessCluster, leader: Member, replica: Member) {
  const writer = cluster.direct(leader).session();
  const reader = cluster.direct(replica);
  const baseline: number[] = [];
  const waited: number[] = [];
  try {
    for (let i = 0; i < LAG_SAMPLES; i += 1) {
      await writer.run('CREATE (:Lag {i: $i})', { i: neo4j.int(i) });
      waited.push(await timedRead(reader, writer.lastBookmarks()));
      baseline.push(await timedRead(reader, []));
    }
  } finally {
    await writer.close();
  }
  const rtt = percentile([...baseline].sort((a, b) => a - b), 50);
  const lags = waited.map((w) => Math.max(0, w - rtt)).sort((a, b) => a - b);
  return { samples: LAG_SAMPLES, readRoundTripP50Ms: round(rtt),
    lagP50Ms: round(percentile(lags, 50)), lagP99Ms: round(percentile(lags, 99)),
    lagMaxMs: round(lags[lags.length - 1] ?? NaN) };
}

async function loadPeople(driver: Driver): Promise<string[]> {
  const session = driver.session();
  try {
    await session.run('CREATE INDEX person_id IF NOT EXISTS FOR (p:Person) ON (p.id)');
    await session.run('UNWIND range(0, $n - 1) AS i CREATE (:Person {id: i, name: "p" + i})',
      { n: neo4j.int(PEOPLE) });
    return session.lastBookmarks();
  } finally {
    await session.close();
  }
}

/** READ_CLIENTS closed-loop readers, client i on drivers[i % drivers.length]. */
async function readThroughput(drivers: readonly Driver[], bookmarks: string[]) {
  const latencies: number[] = [];
  const began = performance.now();
  const deadline = began + READ_SECONDS * 1000;
  await Promise.all(Array.from({ length: READ_CLIENTS }, async (_, c) => {
    const driver = drivers[c % drivers.length];
    if (driver === undefined) return;
    const session = driver.session({ bookmarks, defaultAccessMode: neo4j.session.READ });
    try {
      for (let n = c; performance.now() < deadline; n += READ_CLIENTS) {
        const t = performance.now();
        await session.run('MATCH (p:Person {id: $id}) RETURN p', { id: neo4j.int(n % PEOPLE) });
        latencies.push(performance.now() - t);
      }
    } finally {
      await session.close();
    }
  }));
  const seconds = (performance.now() - began) / 1000;
  latencies.sort((a, b) => a - b);
  return { clients: READ_CLIENTS, seconds: round(seconds), reads: latencies.length,
    readsPerSecond: round(latencies.length / seconds), p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)) };
}

async function clusterPhase() {
  const cluster = await ProcessCluster.start({ cores: 3, readReplicas: 2, startTimeoutMs: 90_000,
    replicaSettings: () => ['causal_clustering.pull_interval=0'] });
  try {
    const leader = await cluster.waitForLeader(60_000);
    const replicas = cluster.members.filter((m) => m.name.startsWith('replica'));
    await Promise.all(replicas.map((m) => cluster.startMember(m)));
    const bookmarks = await loadPeople(cluster.direct(leader));
    for (const m of cluster.members) {
      await waitFor(`${m.name} to hold the people`, async () =>
        (await timedRead(cluster.direct(m), bookmarks)) >= 0 ? true : null, 60_000);
    }
    const [firstReplica] = replicas;
    if (firstReplica === undefined) throw new Error('no replica');
    const apply = await applyThroughput(cluster, leader, replicas);
    const lag = await streamingLag(cluster, leader, firstReplica);
    const reads = await readThroughput(cluster.members.map((m) => cluster.direct(m)), bookmarks);
    return { apply, lag, reads };
  } finally {
    await cluster.stopAll();
  }
}

async function singlePhase() {
  const single = await ProcessCluster.start({ cores: 1, startTimeoutMs: 90_000 });
  try {
    const leader = await single.waitForLeader(60_000);
    const bookmarks = await loadPeople(single.direct(leader));
    return await readThroughput([single.direct(leader)], bookmarks);
  } finally {
    await single.stopAll();
  }
}

const cluster = await clusterPhase();
await delay(1000);
const single = await singlePhase();
const results = {
  machine: { cpus: os.cpus().length, loadAverage1m: round(os.loadavg()[0] ?? 0),
    note: 'every process shares these CPUs; ratios compare runs made one after the other' },
  replicaApply: { ...cluster.apply,
    // Keeping up: each replica applied at least 90% of the leader's commit rate meanwhile.
    keepsUp: cluster.apply.replicaAppliesPerSecond.every((rate) =>
      rate >= 0.9 * cluster.apply.leaderCommitsPerSecond) },
  streamingLag: { ...cluster.lag, targetP99Ms: 50, meetsTarget: cluster.lag.lagP99Ms < 50 },
  readThroughput: {
    query: 'MATCH (p:Person {id:$id}) RETURN p',
    fiveMembers: cluster.reads, singleServer: single,
    ratio: round(cluster.reads.readsPerSecond / single.readsPerSecond), target: 2,
  },
};
console.log(JSON.stringify(results, null, 2));
await mkdir('bench/results', { recursive: true });
await writeFile('bench/results/replicas.json', `${JSON.stringify(results, null, 2)}\n`);

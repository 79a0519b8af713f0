/**
 * A 3-core QuiverDB cluster on loopback against the etcd anchor: `npx tsx bench/cluster.ts`.
 *
 * Three `quiver console` processes with default Raft settings (no timeout set) and the
 * official driver over neo4j:// (routing) measure, like /work/shared/bench/etcd does for etcd:
 * committed write transactions per second and p50/p99 latency at concurrency 1, 16 and 64
 * (closed loop on connections opened beforehand, 1 s warm-up then WRITE_SECONDS measured;
 * one auto-commit CREATE of a 16-byte key and a 100-byte value per transaction, one round trip
 * like etcd's put), and the write
 * unavailability window after SIGKILL of the leader (kill to the first acknowledged write sent
 * after it), over KILLS trials, each followed by a restart and catch-up of the killed member.
 * STOPS more trials freeze the leader with SIGSTOP instead: its connections stay open, as with
 * a hung or cut-off host, so nothing but the election timeout reveals it; the frozen member is
 * then killed and restarted like a killed one. Each trial also reads from the survivors' logs
 * when their transport reported the leader down and when a new leader took over.
 *
 * Then it runs the etcd anchor itself when etcd is installed (or reads ETCD_RESULT, a saved
 * last-run.json), else falls back to reference-etcd.json, prints both side by side with
 * ratios, and writes bench/results/cluster.json.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import neo4j, { type Driver, type Session } from 'neo4j-driver';
import { loadConfig } from '../src/config/load-config.js';
import { ProcessCluster, type Member } from '../test/helpers/cluster.js';
import { SHARED_DIR } from '../test/shared-dir.js';
import { buildDist } from './built-engine.js';

// tsx turns on source-mapped stack traces in this process, and the driver captures a stack
// trace for every Result: mapping them cost about 12% of the load client's CPU, which a
// plain JavaScript application does not pay, so the client's CPU per write would read high.
process.setSourceMapsEnabled(false);

const WRITE_SECONDS = Number(process.env['CLUSTER_BENCH_WRITE_SECONDS'] ?? 10);
const WARMUP_SECONDS = 1;
const LEVELS = [1, 16, 64] as const;
/** CLUSTER_BENCH_LEVELS=64 (comma-separated) measures only those levels, e.g. for profiling. */
const QUIVER_LEVELS = (process.env['CLUSTER_BENCH_LEVELS'] ?? LEVELS.join(','))
  .split(',').map(Number);
const KILLS = Number(process.env['CLUSTER_BENCH_KILLS'] ?? 5);
const STOPS = Number(process.env['CLUSTER_BENCH_STOPS'] ?? 3);
/**
 * A frozen leader never answers, so a write sent to it hangs rather than fails: in the SIGSTOP
 * trials each attempt is abandoned after this and a new one sent, as an application's own
 * timeout would; at most ABANDONED_ATTEMPTS_MAX hang at once.
 */
const STOP_ATTEMPT_TIMEOUT_MS = 250;
const ABANDONED_ATTEMPTS_MAX = 64;
/** Errors are grouped by this many first characters: enough to show a routing table's writers. */
const ERROR_GROUP_CHARS = 400;
/**
 * The SIGSTOP trials' driver gives up connecting to the frozen member after this (the test
 * helper's drivers wait 5 s, the driver's default is 30 s): the window should show the
 * cluster's failover, not mostly the driver's connect timeout.
 */
const STOP_CONNECTION_TIMEOUT_MS = 1000;
/** Writes run this long before each kill, as in the etcd anchor. */
const PRE_KILL_MS = 1500;
const FAILOVER_LIMIT_MS = 60_000;
const RETRY_PAUSE_MS = 10;
const SETTLE_MS = 1000;
const LEADER_WAIT_MS = 60_000;
const ETCD_RUN_TIMEOUT_MS = 300_000;
const VALUE = 'v'.repeat(100);
/** USER_HZ, the unit of the CPU times in Linux's /proc/<pid>/stat (100 on every architecture). */
const CLOCK_TICKS_PER_SECOND = 100;
const WRITE = 'CREATE (:KV {key: $key, value: $value})';

interface LevelResult {
  readonly concurrency: number;
  readonly ops: number;
  readonly errors: number;
  readonly seconds: number;
  readonly opsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly hostCpuBusyPct: number;
  readonly firstError: string | null;
  /** "Leader is now" lines the members logged during the level; 0 means one stable leader. */
  readonly leaderChanges: number;
  /**
   * CPU milliseconds per committed write, of this process (the official driver, which is the
   * load client) and of each member: where the 2 cores' time goes.
   */
  readonly cpuMsPerWrite: { readonly client: number; readonly members: Record<string, number>;
    /** The part of `members` spent in the kernel (socket writes, fdatasync): not our code. */
    readonly membersSystem: Record<string, number> };
}

type FailoverHow = 'SIGKILL' | 'SIGSTOP';

interface KillTrial {
  readonly trial: number;
  readonly how: FailoverHow;
  readonly killed: string;
  readonly newLeader: string;
  readonly unavailabilityMs: number;
  /**
   * From the survivors' logs, between the kill and the first ack: the first time a transport
   * reported the leader down (null if none did), and how many survivors were told.
   */
  readonly peerDownReportedMs: number | null;
  readonly survivorsTold: number;
  /** From the survivors' logs: one of them became leader. */
  readonly leaderElectedMs: number | null;
  readonly failedAttemptsAfterKill: number;
  readonly errorsAfterKill: Record<string, number>;
  readonly restartCatchUpMs: number;
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return Number((sorted[Math.max(0, index)] ?? 0).toFixed(3));
}

function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 0.5);
}

/** Busy and total jiffies of the whole machine, from the first line of /proc/stat. */
function hostCpu(): { busy: number; total: number } {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/)
    .slice(1).map(Number) ?? [];
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** Milliseconds of CPU the process `pid` has used, user and system; 0 once it is gone. */
function processCpuMs(pid: number | undefined): { user: number; system: number } {
  if (pid === undefined) return { user: 0, system: 0 };
  try {
    // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks.
    const after = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ms = 1000 / CLOCK_TICKS_PER_SECOND;
    return { user: Number(after[11]) * ms, system: Number(after[12]) * ms };
  } catch {
    return { user: 0, system: 0 };
  }
}

interface CpuSample {
  readonly clientMs: number;
  readonly membersMs: Record<string, { user: number; system: number }>;
}

function sampleCpu(cluster: ProcessCluster): CpuSample {
  const usage = process.cpuUsage();
  return { clientMs: (usage.user + usage.system) / 1000,
    membersMs: Object.fromEntries(cluster.members.filter((m) => m.child !== null)
      .map((m) => [m.name, processCpuMs(m.child?.pid)])) };
}

function cpuPerWrite(from: CpuSample, to: CpuSample, writes: number):
  LevelResult['cpuMsPerWrite'] {
  const per = (ms: number): number => Number((ms / Math.max(1, writes)).toFixed(3));
  const members = Object.entries(to.membersMs).map(([name, end]) => {
    const start = from.membersMs[name] ?? { user: 0, system: 0 };
    return { name, user: end.user - start.user, system: end.system - start.system };
  });
  return { client: per(to.clientMs - from.clientMs),
    members: Object.fromEntries(members.map((m) => [m.name, per(m.user + m.system)])),
    membersSystem: Object.fromEntries(members.map((m) => [m.name, per(m.system)])) };
}

function keyOf(prefix: string, n: number): string {
  return `${prefix}/${String(n).padStart(16 - prefix.length - 1, '0')}`;
}

/** Closed-loop workers, each on its own session, until the deadline. */
async function runWorkers(driver: Driver, concurrency: number, untilMs: number,
  prefix: string, record: (startedMs: number, outcome: number | Error) => void): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    const session = driver.session({ defaultAccessMode: neo4j.session.WRITE });
    try {
      while (performance.now() < untilMs) {
        const started = performance.now();
        next += 1;
        try {
          await session.run(WRITE, { key: keyOf(prefix, next), value: VALUE });
          record(started, performance.now() - started);
        } catch (thrown) {
          record(started, thrown instanceof Error ? thrown : new Error(String(thrown)));
          await delay(RETRY_PAUSE_MS);
        }
      }
    } finally {
      await session.close();
    }
  }));
}

function leaderAnnouncements(cluster: ProcessCluster): number {
  return cluster.members.reduce((sum, m) =>
    sum + (cluster.log(m).match(/Leader is now /g)?.length ?? 0), 0);
}

/**
 * Opens `concurrency` connections before the clock starts: a Bolt login verifies the password
 * with scrypt (slow on purpose), and etcd's figures do not count its client connecting either.
 */
async function warmConnections(driver: Driver, concurrency: number): Promise<void> {
  await Promise.all(Array.from({ length: concurrency }, async () => {
    const session = driver.session({ defaultAccessMode: neo4j.session.WRITE });
    try {
      await session.run('RETURN 1');
    } finally {
      await session.close();
    }
  }));
}

async function writeLevel(cluster: ProcessCluster, driver: Driver, concurrency: number):
  Promise<LevelResult> {
  await warmConnections(driver, concurrency);
  const announcedBefore = leaderAnnouncements(cluster);
  const measureFrom = performance.now() + WARMUP_SECONDS * 1000;
  const until = measureFrom + WRITE_SECONDS * 1000;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  let cpuAtStart = hostCpu();
  let processesAtStart = sampleCpu(cluster);
  let cpuArmed = false;
  await runWorkers(driver, concurrency, until, `c${concurrency}`, (started, outcome) => {
    if (!cpuArmed && started >= measureFrom) {
      cpuArmed = true;
      cpuAtStart = hostCpu();
      processesAtStart = sampleCpu(cluster);
    }
    if (started < measureFrom) return;
    if (typeof outcome === 'number') {
      latencies.push(outcome);
      return;
    }
    errors += 1;
    firstError ??= outcome.message.slice(0, 300);
  });
  const seconds = (performance.now() - measureFrom) / 1000;
  const cpuAtEnd = hostCpu();
  const processesAtEnd = sampleCpu(cluster);
  latencies.sort((a, b) => a - b);
  return {
    concurrency, ops: latencies.length, errors, seconds: Number(seconds.toFixed(3)),
    opsPerSecond: Math.round(latencies.length / seconds),
    p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99),
    hostCpuBusyPct: Number((100 * (cpuAtEnd.busy - cpuAtStart.busy) /
      Math.max(1, cpuAtEnd.total - cpuAtStart.total)).toFixed(1)),
    firstError, leaderChanges: leaderAnnouncements(cluster) - announcedBefore,
    cpuMsPerWrite: cpuPerWrite(processesAtStart, processesAtEnd, latencies.length),
  };
}

/** One write on a fresh session, so a broken connection never outlives its attempt. */
async function writeOnce(driver: Driver, key: string): Promise<string[]> {
  const session: Session = driver.session({ defaultAccessMode: neo4j.session.WRITE });
  try {
    await session.run(WRITE, { key, value: VALUE });
  } finally {
    await session.close();
  }
  return session.lastBookmarks();
}

interface Writer {
  /** performance.now() of the first acknowledged write that was sent at or after `fromMs`. */
  firstAckSentAfter(fromMs: number): number | null;
  failuresAfter(fromMs: number): number;
  /** Distinct error messages after `fromMs`, with how often each was seen. */
  errorsAfter(fromMs: number): Record<string, number>;
  bookmarks(): string[];
  stop(): Promise<void>;
  /** Settles once every abandoned attempt has (they fail when the frozen member is killed). */
  abandoned(): Promise<void>;
}

/**
 * Error messages grouped by their start, with digits masked: the driver's "Known routing table
 * is: RoutingTable[... expirationTime=..." embeds timestamps that would make a group each.
 */
function errorGroup(thrown: unknown): string {
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return message.replace(/\d+/g, '#').slice(0, ERROR_GROUP_CHARS);
}

/**
 * A concurrency-1 writer that retries every RETRY_PAUSE_MS while writes fail. With
 * `attemptTimeoutMs`, an attempt unanswered that long is abandoned (its outcome still counts
 * when it comes) and the next one sent.
 */
function startWriter(driver: Driver, prefix: string, attemptTimeoutMs?: number): Writer {
  const acks: { sentMs: number; ackMs: number }[] = [];
  const failures: { sentMs: number; message: string }[] = [];
  let bookmarks: string[] = [];
  let running = true;
  const inFlight = new Set<Promise<void>>();
  const attempt = async (n: number): Promise<void> => {
    const sentMs = performance.now();
    try {
      bookmarks = await writeOnce(driver, keyOf(prefix, n));
      acks.push({ sentMs, ackMs: performance.now() });
    } catch (thrown) {
      failures.push({ sentMs, message: errorGroup(thrown) });
      await delay(RETRY_PAUSE_MS);
    }
  };
  const loop = (async () => {
    for (let n = 0; running; n += 1) {
      const write = attempt(n);
      inFlight.add(write);
      void write.finally(() => inFlight.delete(write));
      await (attemptTimeoutMs === undefined ? write
        : Promise.race([write, delay(attemptTimeoutMs)]));
      while (running && inFlight.size >= ABANDONED_ATTEMPTS_MAX) await delay(RETRY_PAUSE_MS);
    }
  })();
  return {
    firstAckSentAfter: (fromMs) => acks.find((a) => a.sentMs >= fromMs)?.ackMs ?? null,
    failuresAfter: (fromMs) => failures.filter((f) => f.sentMs >= fromMs).length,
    errorsAfter: (fromMs) => {
      const counts: Record<string, number> = {};
      for (const f of failures.filter((x) => x.sentMs >= fromMs)) {
        counts[f.message] = (counts[f.message] ?? 0) + 1;
      }
      return counts;
    },
    bookmarks: () => bookmarks,
    stop: async () => {
      running = false;
      await loop;
    },
    abandoned: () => Promise.all(inFlight).then(() => undefined),
  };
}

async function waitUntil(what: string, probe: () => boolean, limitMs: number): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (!probe()) {
    if (performance.now() > deadline) throw new Error(`no ${what} within ${limitMs} ms`);
    await delay(RETRY_PAUSE_MS);
  }
}

/** Restarts a killed member and waits until it serves what was written while it was down. */
async function restartAndCatchUp(cluster: ProcessCluster, member: Member,
  bookmarks: string[]): Promise<number> {
  const started = performance.now();
  await cluster.startMember(member);
  await cluster.waitForLeader(LEADER_WAIT_MS);
  const session = cluster.direct(member).session({ bookmarks,
    defaultAccessMode: neo4j.session.READ });
  try {
    await session.run('RETURN 1');
  } finally {
    await session.close();
  }
  return Math.round(performance.now() - started);
}

/** Epoch ms of a member log line "2026-11-24 05:53:36.123+0000 INFO ...". */
const LOG_TIME = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3})\+0000 /;

interface LogWindow {
  readonly fromEpochMs: number;
  readonly untilEpochMs: number;
}

/** Epoch ms of the first line of the member's log that matches `pattern` within the window. */
function firstLogLine(cluster: ProcessCluster, member: Member, pattern: RegExp,
  window: LogWindow): number | null {
  let first: number | null = null;
  for (const line of cluster.log(member).split('\n')) {
    const time = LOG_TIME.exec(line);
    if (time === null || !pattern.test(line)) continue;
    const atMs = Date.parse(`${time[1]}T${time[2]}Z`);
    if (atMs < window.fromEpochMs || atMs > window.untilEpochMs) continue;
    if (first === null || atMs < first) first = atMs;
  }
  return first;
}

/** When, after the kill and before the first ack, the survivors noticed and replaced the leader. */
function survivorsSaw(cluster: ProcessCluster, survivors: readonly Member[], window: LogWindow) {
  const since = (times: (number | null)[]): number | null => {
    const seen = times.filter((t): t is number => t !== null);
    return seen.length === 0 ? null : Math.min(...seen) - window.fromEpochMs;
  };
  const told = survivors.map((m) => firstLogLine(cluster, m, /the peer looks down/, window));
  const elected = survivors.map((m) =>
    firstLogLine(cluster, m, /Leader is now this member/, window));
  return { peerDownReportedMs: since(told), survivorsTold: told.filter((t) => t !== null).length,
    leaderElectedMs: since(elected) };
}

/**
 * Kills (SIGKILL) or freezes (SIGSTOP) the leader under a concurrency-1 writer and measures the
 * time to the first acknowledged write sent after it; a frozen leader is killed afterwards.
 * Then the member is restarted and caught up.
 */
async function failoverTrial(cluster: ProcessCluster, trial: number, how: FailoverHow):
  Promise<KillTrial> {
  const leader = await cluster.waitForLeader(LEADER_WAIT_MS);
  // Seeded with a survivor: a driver whose seed dies falls back on nobody once the routers it
  // learned have failed, as etcd's client would with only the dead endpoint.
  const survivors = cluster.live().filter((m) => m !== leader);
  const frozen = how === 'SIGSTOP';
  const driver = cluster.routing(survivors[0]!,
    frozen ? { connectionTimeout: STOP_CONNECTION_TIMEOUT_MS } : {});
  const writer = startWriter(driver, `${frozen ? 's' : 'k'}${trial}`,
    frozen ? STOP_ATTEMPT_TIMEOUT_MS : undefined);
  await delay(PRE_KILL_MS);
  const killedAtEpochMs = Date.now();
  const killedAt = performance.now();
  await cluster.signal(leader, how);
  try {
    await waitUntil('acknowledged write after the kill',
      () => writer.firstAckSentAfter(killedAt) !== null, FAILOVER_LIMIT_MS);
  } catch (thrown) {
    console.error(`errors after the kill: ${JSON.stringify(writer.errorsAfter(killedAt))}`);
    throw thrown;
  } finally {
    await writer.stop();
    if (frozen) await cluster.signal(leader, 'SIGKILL');
    await writer.abandoned();
  }
  const unavailabilityMs = (writer.firstAckSentAfter(killedAt) ?? killedAt) - killedAt;
  const newLeader = await cluster.waitForLeader(LEADER_WAIT_MS);
  const restartCatchUpMs = await restartAndCatchUp(cluster, leader, writer.bookmarks());
  await delay(SETTLE_MS);
  // Read once the members have surely flushed their logs.
  const seen = survivorsSaw(cluster, survivors,
    { fromEpochMs: killedAtEpochMs, untilEpochMs: killedAtEpochMs + unavailabilityMs });
  return {
    trial, how, killed: leader.name, newLeader: newLeader.name,
    unavailabilityMs: Math.round(unavailabilityMs), ...seen,
    failedAttemptsAfterKill: writer.failuresAfter(killedAt),
    errorsAfterKill: writer.errorsAfter(killedAt), restartCatchUpMs,
  };
}

/** The Raft timings the member actually runs with, read through the server's own loader. */
function effectiveRaftSettings(member: Member) {
  const c = loadConfig({ home: member.home, env: {} }).cluster;
  return {
    electionTimeoutMsMin: c.electionTimeoutMsMin, electionTimeoutMsMax: c.electionTimeoutMsMax,
    heartbeatIntervalMs: c.heartbeatIntervalMs, preVote: c.preVoteEnabled,
    snapshotThresholdEntries: c.snapshotThresholdEntries };
}

async function benchQuiver() {
  const formingFrom = performance.now();
  const cluster = await ProcessCluster.start({ cores: 3,
    driverConfig: { maxConnectionPoolSize: 128 } });
  try {
    await cluster.waitForLeader(LEADER_WAIT_MS);
    const formationMs = Math.round(performance.now() - formingFrom);
    const driver = cluster.routing(cluster.members[0]!);
    const writes: LevelResult[] = [];
    for (const level of QUIVER_LEVELS) {
      writes.push(await writeLevel(cluster, driver, level));
      console.error(`quiver c=${level}: ${JSON.stringify(writes.at(-1))}`);
    }
    const trials: KillTrial[] = [];
    for (let trial = 1; trial <= KILLS; trial += 1) {
      trials.push(await failoverTrial(cluster, trial, 'SIGKILL'));
      console.error(`quiver kill ${trial}: ${JSON.stringify(trials.at(-1))}`);
    }
    const stops: KillTrial[] = [];
    for (let trial = 1; trial <= STOPS; trial += 1) {
      stops.push(await failoverTrial(cluster, trial, 'SIGSTOP'));
      console.error(`quiver stop ${trial}: ${JSON.stringify(stops.at(-1))}`);
    }
    return {
      settings: effectiveRaftSettings(cluster.members[0]!),
      transaction: 'auto-commit CREATE (:KV {key, value}) over neo4j://, one round trip',
      formationMs, writes,
      failover: { trials, unavailabilityMsMedian: median(trials.map((t) => t.unavailabilityMs)) },
      frozenLeaderFailover: { trials: stops, attemptTimeoutMs: STOP_ATTEMPT_TIMEOUT_MS,
        driverConnectionTimeoutMs: STOP_CONNECTION_TIMEOUT_MS,
        unavailabilityMsMedian: median(stops.map((t) => t.unavailabilityMs)) },
    };
  } finally {
    await cluster.stopAll();
  }
}

interface AnchorFigures {
  readonly source: string;
  readonly etcdVersion: string;
  readonly writes: { concurrency: number; opsPerSecond: number; p50Ms: number; p99Ms: number;
    hostCpuBusyPct: number; cpuMsPerWrite: EtcdCpuPerWrite | null }[];
  readonly failoverMs: number[];
  readonly failoverMsMedian: number;
}

/** The anchor's CPU per acknowledged put, from the cores each process used during a level. */
interface EtcdCpuPerWrite {
  readonly client: number;
  readonly leader: number;
  readonly followersTotal: number;
}

interface AnchorLevel {
  readonly concurrency?: number;
  readonly ops_per_s?: number;
  readonly cpu_cores?: { etcd_leader?: number; etcd_followers_total?: number;
    client_node?: number };
}

function etcdCpuPerWrite(json: unknown, concurrency: number): EtcdCpuPerWrite | null {
  const levels = (json as { writes?: AnchorLevel[] }).writes ?? [];
  const level = levels.find((w) => w.concurrency === concurrency);
  const cores = level?.cpu_cores;
  const rate = level?.ops_per_s ?? 0;
  if (cores === undefined || rate <= 0) return null;
  const per = (used: number | undefined): number => Number(((used ?? 0) * 1000 / rate).toFixed(3));
  return { client: per(cores.client_node), leader: per(cores.etcd_leader),
    followersTotal: per(cores.etcd_followers_total) };
}

/** The figures this comparison needs, from the anchor's flat `headline` and its `writes`. */
function anchorFigures(json: unknown, source: string): AnchorFigures {
  const headline = (json as { headline?: Record<string, unknown> }).headline;
  if (headline === undefined) throw new Error(`${source} has no headline`);
  const num = (key: string) => Number(headline[key]);
  return {
    source, etcdVersion: String(headline['etcd_version']),
    writes: LEVELS.map((c) => ({
      concurrency: c, opsPerSecond: num(`write_c${c}_ops_s`), p50Ms: num(`write_c${c}_p50_ms`),
      p99Ms: num(`write_c${c}_p99_ms`), hostCpuBusyPct: num(`write_c${c}_host_cpu_pct`),
      cpuMsPerWrite: etcdCpuPerWrite(json, c),
    })),
    failoverMs: (headline['failover_unavailability_ms'] as number[] | undefined) ?? [],
    failoverMsMedian: num('failover_unavailability_median_ms'),
  };
}

function onPath(program: string): boolean {
  return (process.env['PATH'] ?? '').split(path.delimiter)
    .some((dir) => dir !== '' && fs.existsSync(path.join(dir, program)));
}

/** Runs a copy of the anchor (shared/ is read-only); its last stdout line is the summary. */
function runEtcdAnchor(): Promise<unknown> {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'etcd-bench-'));
  fs.cpSync(path.join(SHARED_DIR, 'bench', 'etcd'), copy, { recursive: true });
  return new Promise((resolve, reject) => {
    execFile('bash', ['run.sh'], {
      cwd: copy, env: { ...process.env, NO_INSTALL: '1' }, timeout: ETCD_RUN_TIMEOUT_MS,
      maxBuffer: 64 * 1024 * 1024,
    }, (error, stdout) => {
      fs.rmSync(copy, { recursive: true, force: true });
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (error !== null && !last.startsWith('{')) reject(error);
      else resolve(JSON.parse(last) as unknown);
    });
  });
}

async function etcdAnchor(): Promise<AnchorFigures> {
  const saved = process.env['ETCD_RESULT'];
  if (saved !== undefined) {
    return anchorFigures(JSON.parse(fs.readFileSync(saved, 'utf8')), `saved run ${saved}`);
  }
  const reference = path.join(SHARED_DIR, 'bench', 'etcd', 'reference-etcd.json');
  const fallback = (why: string) => anchorFigures(JSON.parse(fs.readFileSync(reference, 'utf8')),
    `reference-etcd.json (${why})`);
  if (!onPath('etcd') || !onPath('etcdctl')) return fallback('etcd is not installed here');
  try {
    console.error('running the etcd anchor (about 70 s)...');
    return anchorFigures(await runEtcdAnchor(), 'etcd anchor run on this machine, just now');
  } catch (thrown) {
    return fallback(`the etcd run failed: ${thrown instanceof Error ? thrown.message : thrown}`);
  }
}

type Quiver = Awaited<ReturnType<typeof benchQuiver>>;

function ratio(ours: number, theirs: number): number {
  return theirs === 0 ? 0 : Number((ours / theirs).toFixed(3));
}

function comparison(quiver: Quiver, etcd: AnchorFigures) {
  const rows: { figure: string; quiver: number; etcd: number; ratio: number }[] = [];
  for (const ours of quiver.writes) {
    const theirs = etcd.writes.find((w) => w.concurrency === ours.concurrency);
    if (theirs === undefined) continue;
    const c = ours.concurrency;
    rows.push({ figure: `write c=${c} tx/s`, quiver: ours.opsPerSecond, etcd: theirs.opsPerSecond,
      ratio: ratio(ours.opsPerSecond, theirs.opsPerSecond) });
    rows.push({ figure: `write c=${c} p50 ms`, quiver: ours.p50Ms, etcd: theirs.p50Ms,
      ratio: ratio(ours.p50Ms, theirs.p50Ms) });
    rows.push({ figure: `write c=${c} p99 ms`, quiver: ours.p99Ms, etcd: theirs.p99Ms,
      ratio: ratio(ours.p99Ms, theirs.p99Ms) });
  }
  const failover = quiver.failover.unavailabilityMsMedian;
  rows.push({ figure: 'failover median ms', quiver: failover, etcd: etcd.failoverMsMedian,
    ratio: ratio(failover, etcd.failoverMsMedian) });
  return rows;
}

function printTable(rows: ReturnType<typeof comparison>): void {
  console.log(`${'figure'.padEnd(22)}${'quiver'.padStart(12)}${'etcd'.padStart(12)}` +
    `${'quiver/etcd'.padStart(14)}`);
  for (const r of rows) {
    console.log(`${r.figure.padEnd(22)}${String(r.quiver).padStart(12)}` +
      `${String(r.etcd).padStart(12)}${String(r.ratio).padStart(14)}`);
  }
}

/**
 * Where each level's CPU went, and what the driver alone would need at etcd's rate: the load
 * client shares the machine's cores with the three members.
 */
function printCpuBudget(quiver: Quiver, etcd: AnchorFigures): void {
  const cores = os.cpus().length;
  for (const level of quiver.writes) {
    const system = level.cpuMsPerWrite.membersSystem;
    const members = Object.entries(level.cpuMsPerWrite.members)
      .map(([name, ms]) => `${name} ${ms} (system ${system[name] ?? 0})`).join(', ');
    const theirs = etcd.writes.find((w) => w.concurrency === level.concurrency);
    const clientCores = theirs === undefined ? null
      : (level.cpuMsPerWrite.client * theirs.opsPerSecond) / 1000;
    console.log(`c=${level.concurrency} CPU ms per write: driver ${level.cpuMsPerWrite.client}, ` +
      `${members}` + (clientCores === null ? '' : `; at etcd's ${theirs?.opsPerSecond} writes/s ` +
      `the driver alone would use ${clientCores.toFixed(2)} of ${cores} cores`));
    const etcdCpu = theirs?.cpuMsPerWrite;
    if (etcdCpu !== null && etcdCpu !== undefined) printEtcdCpu(level, etcdCpu, cores);
  }
}

/**
 * etcd's own split of a put's CPU, and the rate the cores would allow with our driver in front
 * of members as lean as etcd's: what separates the two clients, not the clusters.
 */
function printEtcdCpu(level: LevelResult, etcdCpu: EtcdCpuPerWrite, cores: number): void {
  const etcdMembers = etcdCpu.leader + etcdCpu.followersTotal;
  const ceiling = (cores * 1000) / (level.cpuMsPerWrite.client + etcdMembers);
  console.log(`c=${level.concurrency} etcd CPU ms per write: client ${etcdCpu.client}, ` +
    `leader ${etcdCpu.leader}, followers ${etcdCpu.followersTotal}; our driver in front of ` +
    `members as lean as etcd's would allow at most ${Math.round(ceiling)} writes/s`);
}

/** Other work on the machine skews every figure; the load average says how much there was. */
const loadAverage1mAtStart = os.loadavg()[0];
// Members run from dist/ when it is newer than src/ (test/helpers/cluster.ts): build it, so the
// figures are the installed server's, not tsx's.
buildDist();
const quiver = await benchQuiver();
const etcd = await etcdAnchor();
const rows = comparison(quiver, etcd);
const results = {
  machine: { cpus: os.cpus().length, node: process.version, loadAverage1mAtStart },
  quiver, etcd, comparison: rows,
  notes: [
    'etcd: 1 s election timeout, 100 ms heartbeats; QuiverDB: its defaults, in quiver.settings.',
    'Both run 3 members and the load client on the same 2 cores: CPU-bound, not disk-bound.',
  ],
};
await mkdir('bench/results', { recursive: true });
await writeFile('bench/results/cluster.json', `${JSON.stringify(results, null, 2)}\n`);
printTable(rows);
const frozen = quiver.frozenLeaderFailover;
console.log(`frozen leader (SIGSTOP, no etcd figure): failover median ` +
  `${frozen.unavailabilityMsMedian} ms over ${frozen.trials.length} trials`);
printCpuBudget(quiver, etcd);
console.log(`etcd figures: ${etcd.source}`);

/**
 * Real-process Raft clusters for tests and benchmarks. Each member is a `quiver console`
 * process with its own home under one temp directory, free ports, the neo4j password set by
 * `quiver-admin set-initial-password`, and a quiver.conf of Neo4j 3.5 causal_clustering
 * settings (the shape `quiver cluster up` writes) whose discovery list names every member,
 * spares included. Members run from dist/ (bin/quiver.js) when dist/ is at least as new as
 * src/, else from source through tsx, so a forgotten `npm run build` never tests stale code.
 *
 * Every process started here is tracked by pid and stopped by stopAll(); a process-exit hook
 * SIGKILLs whatever is left if the test runner itself goes away first.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import neo4j, { type Config, type Driver } from 'neo4j-driver';
import { isolatedEnv, stablePorts } from './quiver-process.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI_ENTRY = fileURLToPath(new URL('./cli-entry.ts', import.meta.url));
const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
const POLL_INTERVAL_MS = 100;
const LOG_TAIL_CHARS = 4000;
const CONNECTION_TIMEOUT_MS = 5000;
/** Neo4j's 3.5 default; the raft config file needs a value whenever it is written. */
const REPLICATION_TIMEOUT_MS = 20_000;

/**
 * Election timeout for tests: failover within one or two seconds, yet above the 300-700 ms
 * event-loop stalls measured in members on a busy 2-core machine, which a shorter timeout
 * turns into needless elections (and flaky tests).
 */
export const TEST_ELECTION_TIMEOUT_MS = 1000;

export const CLUSTER_USER = 'neo4j';
export const CLUSTER_PASSWORD = 'cluster-secret';

export interface ProcessClusterOptions {
  /** Members started by start(). */
  readonly cores: number;
  /** Further members whose addresses are in every discovery list, started later by the test. */
  readonly spareCores?: number;
  /** causal_clustering.leader_election_timeout; omitted keeps the server's default. */
  readonly electionTimeoutMs?: number;
  /**
   * Snapshot (and compact the log) every this many applied entries: Memgraph's
   * log_size_snapshot_threshold in a --raft_config_file, the only way to set it; the file sets
   * every Raft timing at once, so this needs electionTimeoutMs.
   */
  readonly snapshotThresholdEntries?: number;
  /** Driver settings for every driver this cluster opens. */
  readonly driverConfig?: Config;
  /**
   * READ_REPLICA members (named replica-1, ...) after the cores and spares, whose discovery
   * lists name the cores; the test starts them with startMember().
   */
  readonly readReplicas?: number;
  /** Extra quiver.conf lines for the read replica at this 0-based index. */
  readonly replicaSettings?: (replicaIndex: number) => readonly string[];
  /** 0-based indexes of cores that run as dbms.mode=ARBITER (a vote and a log, no graph). */
  readonly arbiters?: readonly number[];
  /** How long startMember() waits for "Started."; a loaded machine needs more than 30 s. */
  readonly startTimeoutMs?: number;
}

export interface MemberPorts {
  readonly bolt: number;
  readonly http: number;
  readonly discovery: number;
  readonly transaction: number;
  readonly raft: number;
  readonly backup: number;
}

export interface Member {
  readonly name: string;
  readonly home: string;
  readonly ports: MemberPorts;
  /** Memgraph-style flags after `console --home DIR`. */
  readonly flags: readonly string[];
  /** host:port as the member advertises it in routing tables and the overview. */
  readonly boltAddress: string;
  child: ChildProcess | null;
  paused: boolean;
}

export interface OverviewRow {
  readonly id: string;
  readonly role: string;
  readonly boltAddress: string;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

function newestMtimeMs(dir: string, suffix: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(suffix)) continue;
    newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** True when every compiled file is newer than every source file. */
function distIsFresh(): boolean {
  const dist = path.join(REPO_ROOT, 'dist', 'src');
  if (!fs.existsSync(path.join(dist, 'cli', 'quiver.js'))) return false;
  // tsc rewrites every output on each build, so one output's time is the build's time.
  const builtAtMs = fs.statSync(path.join(dist, 'cli', 'quiver.js')).mtimeMs;
  return newestMtimeMs(path.join(REPO_ROOT, 'src'), '.ts') <= builtAtMs;
}

let runnerArgsCache: ((program: string) => string[]) | null = null;

/** node arguments that run `program` (quiver, quiver-admin) from dist/ or from source. */
export function programArgs(program: 'quiver' | 'quiver-admin'): string[] {
  runnerArgsCache ??= distIsFresh()
    ? (p) => [path.join(REPO_ROOT, 'bin', `${p}.js`)]
    : (p) => ['--import', 'tsx', CLI_ENTRY, p];
  return runnerArgsCache(program);
}

async function portLayout(count: number): Promise<MemberPorts[]> {
  const ports = await stablePorts(count * 6);
  return Array.from({ length: count }, (_, i) => {
    const [bolt = 0, http = 0, discovery = 0, transaction = 0, raft = 0, backup = 0] =
      ports.slice(i * 6, i * 6 + 6);
    return { bolt, http, discovery, transaction, raft, backup };
  });
}

/** quiver.conf for one core of a cluster whose every member (spares too) is in discovery. */
function coreConf(ports: MemberPorts, all: readonly MemberPorts[],
  options: ProcessClusterOptions): string {
  const lines = [
    'dbms.mode=CORE',
    `causal_clustering.initial_discovery_members=${
      all.map((p) => `localhost:${p.discovery}`).join(',')}`,
    `causal_clustering.minimum_core_cluster_size_at_formation=${options.cores}`,
    `causal_clustering.minimum_core_cluster_size_at_runtime=${Math.min(options.cores, 3)}`,
    `causal_clustering.discovery_listen_address=:${ports.discovery}`,
    `causal_clustering.transaction_listen_address=:${ports.transaction}`,
    `causal_clustering.raft_listen_address=:${ports.raft}`,
    `dbms.connector.bolt.listen_address=:${ports.bolt}`,
    `dbms.connector.http.listen_address=:${ports.http}`,
    `dbms.backup.listen_address=:${ports.backup}`,
  ];
  if (options.electionTimeoutMs !== undefined) {
    lines.push(`causal_clustering.leader_election_timeout=${options.electionTimeoutMs}ms`);
  }
  return `${lines.join('\n')}\n`;
}

/** quiver.conf for a read replica: a core's, in READ_REPLICA mode, plus the test's lines. */
function replicaConf(ports: MemberPorts, cores: readonly MemberPorts[],
  options: ProcessClusterOptions, replicaIndex: number): string {
  const extra = options.replicaSettings?.(replicaIndex) ?? [];
  return coreConf(ports, cores, options).replace('dbms.mode=CORE', 'dbms.mode=READ_REPLICA') +
    extra.map((line) => `${line}\n`).join('');
}

/** Writes conf/quiver.conf (and a raft config file when asked) and returns the flags. */
function writeMemberFiles(home: string, conf: string, options: ProcessClusterOptions): string[] {
  fs.mkdirSync(path.join(home, 'conf'), { recursive: true });
  fs.writeFileSync(path.join(home, 'conf', 'quiver.conf'), conf);
  const threshold = options.snapshotThresholdEntries;
  if (threshold === undefined) return [];
  const electionMs = options.electionTimeoutMs;
  if (electionMs === undefined) {
    throw new Error('snapshotThresholdEntries needs electionTimeoutMs: the raft config file ' +
      'sets every Raft timing at once');
  }
  const file = path.join(home, 'conf', 'raft.json');
  fs.writeFileSync(file, JSON.stringify({
    election_timeout_min: electionMs, election_timeout_max: 2 * electionMs,
    heartbeat_interval: Math.max(1, Math.floor(electionMs / 3)),
    replication_timeout: REPLICATION_TIMEOUT_MS, log_size_snapshot_threshold: threshold,
  }));
  return ['--raft_config_file', file];
}

/** Thrown by a waitFor probe when waiting longer cannot help (the process died). */
export class GiveUp extends Error {}

/**
 * Polls probe until it returns a value other than null. A probe that throws is polled again
 * (a member still starting refuses connections) unless it throws GiveUp; the last error
 * explains a timeout.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | null>,
  timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    try {
      const value = await probe();
      if (value !== null) return value;
    } catch (thrown) {
      if (thrown instanceof GiveUp) throw thrown;
      last = thrown instanceof Error ? thrown.message : String(thrown);
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${last}`);
    }
    await delay(POLL_INTERVAL_MS);
  }
}

function runAdmin(args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...programArgs('quiver-admin'), ...args], { cwd: REPO_ROOT },
      (error, _stdout, stderr) => {
        if (error) reject(new Error(`quiver-admin ${args[0]} failed: ${stderr}`));
        else resolve();
      });
  });
}


function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function readFrom(file: string, offset: number): string {
  try {
    return fs.readFileSync(file, 'utf8').slice(offset);
  } catch {
    return '';
  }
}

function withoutScheme(address: unknown): string {
  return typeof address === 'string' ? address.replace(/^bolt:\/\//, '') : '';
}

const PORT_LAYOUT_ATTEMPTS = 3;

export class ProcessCluster {
  private readonly directDrivers = new Map<string, Driver>();
  private readonly routingDrivers: Driver[] = [];
  /** Processes this cluster is stopping or killing on purpose. */
  private readonly ending = new WeakSet<ChildProcess>();
  private startTimeoutMs = START_TIMEOUT_MS;

  private constructor(
    readonly dir: string,
    readonly members: readonly Member[],
    private readonly driverConfig: Config,
  ) {}

  /** Writes every member's home, sets the neo4j password, starts the first `cores`. */
  static async start(options: ProcessClusterOptions): Promise<ProcessCluster> {
    // Free ports are found, released, then bound by the members: another process (a test file
    // running beside this one) can take one in between. Only that failure earns a new layout.
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await ProcessCluster.startOnce(options);
      } catch (thrown) {
        if (attempt >= PORT_LAYOUT_ATTEMPTS || !String(thrown).includes('EADDRINUSE')) throw thrown;
      }
    }
  }

  private static async startOnce(options: ProcessClusterOptions): Promise<ProcessCluster> {
    installExitHook();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quiver-cluster-'));
    const coreCount = options.cores + (options.spareCores ?? 0);
    const all = await portLayout(coreCount + (options.readReplicas ?? 0));
    const layout = all.slice(0, coreCount);
    const members = all.map((ports, i): Member => {
      const core = i < coreCount;
      const name = core ? `core-${i + 1}` : `replica-${i - coreCount + 1}`;
      const home = path.join(dir, name);
      const arbiter = options.arbiters?.includes(i) === true;
      const conf = !core ? replicaConf(ports, layout, options, i - coreCount)
        : coreConf(ports, layout, options).replace('dbms.mode=CORE',
          arbiter ? 'dbms.mode=ARBITER' : 'dbms.mode=CORE');
      const flags = writeMemberFiles(home, conf, options);
      return { name, home, ports, flags, boltAddress: `localhost:${ports.bolt}`,
        child: null, paused: false };
    });
    // A paused member accepts TCP connections but never answers; fail those attempts fast.
    const cluster = new ProcessCluster(dir, members,
      { connectionTimeout: CONNECTION_TIMEOUT_MS, ...options.driverConfig });
    cluster.startTimeoutMs = options.startTimeoutMs ?? START_TIMEOUT_MS;
    try {
      await Promise.all(members.map((m) => runAdmin(
        ['set-initial-password', CLUSTER_PASSWORD, '--home', m.home])));
      await Promise.all(members.slice(0, options.cores).map((m) => cluster.startMember(m)));
    } catch (thrown) {
      await cluster.stopAll();
      throw thrown;
    }
    return cluster;
  }

  /** Members whose process runs and is not paused. */
  live(): Member[] {
    return this.members.filter((m) => m.child !== null && !m.paused);
  }

  member(boltAddress: string): Member {
    const found = this.members.find((m) => m.boltAddress === boltAddress);
    if (found === undefined) throw new Error(`no member advertises ${boltAddress}`);
    return found;
  }

  logFile(member: Member): string {
    return path.join(member.home, 'logs', 'quiver.log');
  }

  /** The member's log (every run of it), plus anything it wrote to stderr. */
  log(member: Member): string {
    return readFrom(this.logFile(member), 0) + readFrom(path.join(member.home, 'stderr.log'), 0);
  }

  /** Starts `quiver console` for a member that is not running and waits for "Started.". */
  async startMember(member: Member): Promise<void> {
    if (member.child !== null) throw new Error(`${member.name} is already running`);
    const logOffset = readFrom(this.logFile(member), 0).length;
    const stderr = fs.openSync(path.join(member.home, 'stderr.log'), 'a');
    const child = spawn(process.execPath,
      [...programArgs('quiver'), 'console', '--home', member.home, ...member.flags],
      { cwd: REPO_ROOT, env: isolatedEnv(), stdio: ['ignore', 'ignore', stderr] });
    fs.closeSync(stderr);
    running.add(child);
    member.child = child;
    member.paused = false;
    child.once('exit', (code, signal) => {
      running.delete(child);
      if (member.child === child) member.child = null;
      // A member that dies on its own explains the failures that follow; say so at once.
      if (!this.ending.has(child)) {
        process.stderr.write(`${member.name} exited unexpectedly (code ${code}, signal ` +
          `${signal}):\n${this.logTail(member)}\n`);
      }
    });
    await waitFor(`${member.name} to start`, async () => {
      if (member.child !== child) {
        throw new GiveUp(`${member.name} exited before it started:\n${this.logTail(member)}`);
      }
      return readFrom(this.logFile(member), logOffset).includes('Started.') ? true : null;
    }, this.startTimeoutMs);
  }

  private logTail(member: Member): string {
    return this.log(member).slice(-LOG_TAIL_CHARS);
  }

  /**
   * Sends a signal to the member's pid. SIGKILL and SIGTERM resolve once the process is gone;
   * SIGSTOP leaves it paused (not live) until SIGCONT.
   */
  async signal(member: Member, signal: 'SIGKILL' | 'SIGTERM' | 'SIGSTOP' | 'SIGCONT'):
    Promise<void> {
    const child = member.child;
    if (child === null) throw new Error(`${member.name} is not running`);
    if (signal === 'SIGKILL' || signal === 'SIGTERM') this.ending.add(child);
    child.kill(signal);
    if (signal === 'SIGSTOP' || signal === 'SIGCONT') {
      member.paused = signal === 'SIGSTOP';
      return;
    }
    await exited(child);
  }

  /** SIGTERM (after SIGCONT if paused), then SIGKILL if it has not exited within a grace. */
  async stop(member: Member): Promise<void> {
    const child = member.child;
    if (child === null) return;
    this.ending.add(child);
    if (member.paused) child.kill('SIGCONT');
    member.paused = false;
    const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.kill('SIGTERM');
    await exited(child);
    clearTimeout(killer);
  }

  async restart(member: Member): Promise<void> {
    await this.stop(member);
    await this.startMember(member);
  }

  /** Closes every driver, stops every member this cluster started, removes the homes. */
  async stopAll(): Promise<void> {
    const drivers = [...this.directDrivers.values(), ...this.routingDrivers];
    this.directDrivers.clear();
    this.routingDrivers.length = 0;
    await Promise.all(drivers.map((d) => d.close()));
    await Promise.all(this.members.map((m) => this.stop(m)));
    // QUIVER_CLUSTER_KEEP=1 keeps the homes (logs, data) of a failing run for a look.
    if (process.env['QUIVER_CLUSTER_KEEP'] === '1') process.stderr.write(`kept ${this.dir}\n`);
    else fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** A bolt:// driver to exactly this member, kept for the cluster's lifetime. */
  direct(member: Member): Driver {
    let driver = this.directDrivers.get(member.name);
    if (driver === undefined) {
      driver = neo4j.driver(`bolt://${member.boltAddress}`,
        neo4j.auth.basic(CLUSTER_USER, CLUSTER_PASSWORD), this.driverConfig);
      this.directDrivers.set(member.name, driver);
    }
    return driver;
  }

  /** A new neo4j:// (routing) driver seeded with this member; stopAll() closes it. */
  routing(member: Member, config: Config = {}): Driver {
    const driver = neo4j.driver(`neo4j://${member.boltAddress}`,
      neo4j.auth.basic(CLUSTER_USER, CLUSTER_PASSWORD), { ...this.driverConfig, ...config });
    this.routingDrivers.push(driver);
    return driver;
  }

  /** `CALL dbms.cluster.overview()` as this member sees it. */
  async overview(member: Member): Promise<OverviewRow[]> {
    // No bookmarks: a member asked before it bound to the cluster hands out one under a
    // placeholder store id, which would poison the driver's later queries.
    const result = await this.direct(member).executeQuery('CALL dbms.cluster.overview()', {},
      { bookmarkManager: null });
    return result.records.map((r) => {
      const addresses: unknown = r.get('addresses');
      const first = Array.isArray(addresses) ? addresses[0] as unknown : undefined;
      return { id: String(r.get('id')), role: String(r.get('role')),
        boltAddress: withoutScheme(first) };
    });
  }

  /**
   * The leader every live member's overview agrees on, once it accepts writes: a new leader
   * refuses them until it has applied the entry of its own term.
   */
  async waitForLeader(timeoutMs = 20_000): Promise<Member> {
    return waitFor('one writable leader that every live member agrees on', async () => {
      const live = this.live();
      const views = await Promise.all(live.map((m) => this.overview(m)));
      const named = new Set(views.map((rows) => rows.filter((r) => r.role === 'LEADER')
        .map((r) => r.boltAddress).join(',')));
      if (named.size !== 1) return null;
      const [address = ''] = named;
      const leader = live.find((m) => m.boltAddress === address);
      return leader !== undefined && await this.acceptsWrites(leader) ? leader : null;
    }, timeoutMs);
  }

  /** Runs a write in a transaction that is rolled back, so it leaves no trace. */
  private async acceptsWrites(member: Member): Promise<boolean> {
    const session = this.direct(member).session();
    try {
      const tx = await session.beginTransaction();
      try {
        await tx.run('CREATE (:ClusterWriteProbe)');
        return true;
      } catch {
        return false;
      } finally {
        await tx.rollback().catch(() => undefined);
      }
    } finally {
      await session.close();
    }
  }

  /** Resolves once pattern appears in the member's log. */
  async waitForLog(member: Member, pattern: RegExp, timeoutMs = 20_000): Promise<void> {
    await waitFor(`${pattern.source} in the log of ${member.name}`,
      async () => (pattern.test(this.log(member)) ? true : null), timeoutMs);
  }
}

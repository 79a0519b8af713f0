/**
 * A cluster of real `quiver console` core processes on loopback for chaos runs, with a fault
 * proxy in front of every member's raft and discovery ports. Each member listens on its own
 * ports and advertises its proxies' ports, and the discovery seeds are the proxies, so every
 * byte between members crosses a proxy and LinkFaults decides its fate. Bolt and HTTP are not
 * proxied: clients always reach the member they ask for.
 *
 * Member ids are written into each home before the first start (the file a member keeps its id
 * in), so proxies can tell members apart from the id each connection announces.
 *
 * Read replicas (optional) join the same way, behind proxies of their own: they receive every
 * commit as Raft learners, serve reads and never vote, so the leader and quorum are the cores'.
 *
 * Every process is tracked by pid; stopAll() stops them all, and an exit hook SIGKILLs any left
 * over if the harness itself dies first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { programArgs } from '../helpers/cluster.js';
import { isolatedEnv, stablePorts } from '../helpers/quiver-process.js';
import { FaultProxy } from './fault-proxy.js';
import type { LinkFaults } from './link-faults.js';
import { newestSegment, writeTornRecord } from './log-tail.js';
import { DISK_BYTES, mountTmpfs, resizeTmpfs, unmount, usedBytes } from './tmpfs-disk.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Six members loading from source through tsx on a busy two-core machine took over 40 s. */
const START_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 5_000;
const POLL_INTERVAL_MS = 100;
const STATUS_TIMEOUT_MS = 1000;
const STATUS_PATH = '/db/manage/server/causalclustering/status';
const PORTS_PER_MEMBER = 8;

export interface ChaosClusterOptions {
  readonly cores: number;
  readonly replicas: number;
  readonly electionTimeoutMs: number;
  /** Replication timeout: how long a commit waits for a majority before failing. */
  readonly replicationTimeoutMs: number;
  /** Snapshot and compact the log every this many applied entries. */
  readonly snapshotThresholdEntries: number;
  readonly links: LinkFaults;
  readonly log: (line: string) => void;
  /** Keep the members' homes after stopAll (for a failing run). */
  readonly keepHomes: () => boolean;
  /** Put each member's data directory on its own tmpfs, for the disk-full nemesis. */
  readonly diskFaults: boolean;
  /**
   * Run members from this built copy of the repository (its bin/quiver.js) rather than this
   * one: a frozen build keeps a long run on one version while the working tree changes, and
   * restarts members faster than tsx. Null: this repository, as the test helpers run it.
   */
  readonly tree: string | null;
}

export interface ChaosPorts {
  readonly bolt: number; readonly http: number; readonly transaction: number;
  readonly backup: number; readonly raft: number; readonly discovery: number;
  readonly raftProxy: number; readonly discoveryProxy: number;
}

export type MemberMode = 'CORE' | 'READ_REPLICA';

export interface ChaosMember {
  readonly name: string;
  readonly mode: MemberMode;
  readonly memberId: string;
  readonly home: string;
  readonly ports: ChaosPorts;
  readonly boltAddress: string;
  child: ChildProcess | null;
  paused: boolean;
}

export interface MemberStatus {
  readonly memberId: string;
  /** The member id of the leader this member follows (its own when it leads). */
  readonly leader: string | null;
  readonly lastAppliedRaftIndex: number;
}

const spawned = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of spawned) child.kill('SIGKILL');
});

/** quiver.conf for one member; the discovery seeds are the cores' discovery proxies. */
function memberConf(member: ChaosMember, coreSeeds: readonly ChaosPorts[], cores: number):
  string {
  const local = (port: number): string => `127.0.0.1:${port}`;
  const ports = member.ports;
  return [
    `dbms.mode=${member.mode}`,
    `causal_clustering.initial_discovery_members=${coreSeeds.map((p) => local(p.discoveryProxy))}`,
    `causal_clustering.minimum_core_cluster_size_at_formation=${cores}`,
    `causal_clustering.minimum_core_cluster_size_at_runtime=${Math.min(cores, 3)}`,
    `causal_clustering.discovery_listen_address=${local(ports.discovery)}`,
    `causal_clustering.discovery_advertised_address=${local(ports.discoveryProxy)}`,
    `causal_clustering.raft_listen_address=${local(ports.raft)}`,
    `causal_clustering.raft_advertised_address=${local(ports.raftProxy)}`,
    `causal_clustering.transaction_listen_address=${local(ports.transaction)}`,
    `dbms.connector.bolt.listen_address=${local(ports.bolt)}`,
    `dbms.connector.bolt.advertised_address=${local(ports.bolt)}`,
    `dbms.connector.http.listen_address=${local(ports.http)}`,
    `dbms.connector.http.advertised_address=${local(ports.http)}`,
    `dbms.backup.listen_address=${local(ports.backup)}`,
    'dbms.routing.enabled=true',
    'dbms.security.auth_enabled=false',
    // A causal read waits this long for its bookmark before failing; keep it short.
    'dbms.transaction.bookmark_ready_timeout=5s',
    '',
  ].join('\n');
}

/** The Memgraph-style raft config file: the one place every Raft timing can be set. */
function raftConfig(options: ChaosClusterOptions): string {
  return JSON.stringify({
    election_timeout_min: options.electionTimeoutMs,
    election_timeout_max: 2 * options.electionTimeoutMs,
    heartbeat_interval: Math.max(1, Math.floor(options.electionTimeoutMs / 4)),
    replication_timeout: options.replicationTimeoutMs,
    log_size_snapshot_threshold: options.snapshotThresholdEntries,
  });
}

function writeHome(member: ChaosMember, conf: string, raft: string): void {
  fs.mkdirSync(path.join(member.home, 'conf'), { recursive: true });
  fs.writeFileSync(path.join(member.home, 'conf', 'quiver.conf'), conf);
  fs.writeFileSync(path.join(member.home, 'conf', 'raft.json'), raft);
  const clusterDir = path.join(member.home, 'data', 'databases', 'neo4j', 'cluster');
  fs.mkdirSync(clusterDir, { recursive: true });
  fs.writeFileSync(path.join(clusterDir, 'member-id'), `${member.memberId}\n`);
}

function dataDir(member: ChaosMember): string {
  return path.join(member.home, 'data');
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export class ChaosCluster {
  private readonly proxies: FaultProxy[] = [];
  /** Set when starting failed: the homes hold the logs that say why. */
  private startFailed = false;

  private constructor(readonly dir: string, readonly members: readonly ChaosMember[],
    readonly options: ChaosClusterOptions) {}

  /** Writes every home, starts every proxy and member, and waits for each to start. */
  static async start(options: ChaosClusterOptions): Promise<ChaosCluster> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quiver-chaos-'));
    const count = options.cores + options.replicas;
    const ports = await stablePorts(count * PORTS_PER_MEMBER);
    const members = Array.from({ length: count }, (_, i): ChaosMember => {
      const [bolt = 0, http = 0, transaction = 0, backup = 0, raft = 0, discovery = 0,
        raftProxy = 0, discoveryProxy = 0] = ports.slice(i * PORTS_PER_MEMBER);
      const core = i < options.cores;
      const name = core ? `core-${i + 1}` : `replica-${i + 1 - options.cores}`;
      return { name, mode: core ? 'CORE' : 'READ_REPLICA', memberId: `chaos-${name}`,
        home: path.join(dir, name), boltAddress: `127.0.0.1:${bolt}`, child: null, paused: false,
        ports: { bolt, http, transaction, backup, raft, discovery, raftProxy, discoveryProxy } };
    });
    const cluster = new ChaosCluster(dir, members, options);
    const coreSeeds = cluster.cores.map((m) => m.ports);
    try {
      for (const m of members) {
        if (options.diskFaults) mountTmpfs(dataDir(m));
        writeHome(m, memberConf(m, coreSeeds, options.cores), raftConfig(options));
      }
      await cluster.startProxies();
      await Promise.all(members.map((m) => cluster.startMember(m)));
    } catch (thrown) {
      cluster.startFailed = true;
      await cluster.stopAll();
      throw thrown;
    }
    return cluster;
  }

  get cores(): ChaosMember[] {
    return this.members.filter((m) => m.mode === 'CORE');
  }

  get replicas(): ChaosMember[] {
    return this.members.filter((m) => m.mode === 'READ_REPLICA');
  }

  private async startProxies(): Promise<void> {
    const byId = new Map(this.members.map((m) => [m.memberId, m.name]));
    for (const m of this.members) {
      for (const [listenPort, targetPort] of [[m.ports.raftProxy, m.ports.raft],
        [m.ports.discoveryProxy, m.ports.discovery]] as const) {
        const proxy = new FaultProxy({ destination: m.name, listenPort, targetPort,
          links: this.options.links, memberName: (id) => byId.get(id) ?? null });
        this.proxies.push(proxy);
        await proxy.start();
      }
    }
  }

  /** Frames lost to slow links and sent into partitions, over all proxies. */
  proxyTotals(): { lost: number; blackHoled: number } {
    return this.proxies.reduce((acc, p) => ({ lost: acc.lost + p.stats.lost,
      blackHoled: acc.blackHoled + p.stats.blackHoled }), { lost: 0, blackHoled: 0 });
  }

  consoleFile(member: ChaosMember): string {
    return path.join(member.home, 'console.log');
  }

  /** Starts a stopped member and resolves once it printed "Started." (or fails if it died). */
  async startMember(member: ChaosMember): Promise<void> {
    if (member.child !== null) throw new Error(`${member.name} is already running`);
    const consoleFile = this.consoleFile(member);
    const offset = fileSize(consoleFile);
    const out = fs.openSync(consoleFile, 'a');
    const tree = this.options.tree;
    const program = tree === null ? programArgs('quiver')
      : [path.join(tree, 'bin', 'quiver.js')];
    const child = spawn(process.execPath, [...program, 'console', '--home',
      member.home, '--raft_config_file', path.join(member.home, 'conf', 'raft.json')],
    { cwd: tree ?? REPO_ROOT, env: isolatedEnv(), stdio: ['ignore', out, out] });
    fs.closeSync(out);
    spawned.add(child);
    member.child = child;
    member.paused = false;
    child.once('exit', (code, signal) => {
      spawned.delete(child);
      if (member.child === child) member.child = null;
      this.options.log(`${member.name} (pid ${child.pid}) exited: ${signal ?? code}`);
    });
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (member.child !== child) throw new Error(`${member.name} exited while starting; ` +
        `see ${consoleFile}`);
      const text = fs.readFileSync(consoleFile, 'utf8').slice(offset);
      if (/\bStarted\.\n/.test(text)) break;
      if (Date.now() > deadline) throw new Error(`${member.name} did not start in time`);
      await delay(POLL_INTERVAL_MS);
    }
    this.options.log(`${member.name} started (pid ${child.pid})`);
  }

  /** SIGKILL, resolving once the process is gone. */
  async kill(member: ChaosMember): Promise<void> {
    const child = member.child;
    if (child === null) return;
    child.kill('SIGKILL');
    await exited(child);
  }

  pause(member: ChaosMember): void {
    if (member.child === null || member.paused) return;
    member.child.kill('SIGSTOP');
    member.paused = true;
  }

  resume(member: ChaosMember): void {
    if (member.child === null || !member.paused) return;
    member.child.kill('SIGCONT');
    member.paused = false;
  }

  /**
   * Leaves the start of a record that never finished (`partial`) after the last whole record
   * of the stopped member's newest log file, as a crash in the middle of an append does.
   */
  tearLog(member: ChaosMember, partial: Uint8Array): { file: string | null; offset: number } {
    if (member.child !== null) throw new Error(`${member.name} must be stopped to tear its log`);
    const file = newestSegment(member.home);
    return { file, offset: file === null ? 0 : writeTornRecord(file, partial) };
  }

  /** Leaves no free space on the member's data tmpfs: every further write fails (ENOSPC). */
  fillDisk(member: ChaosMember): number {
    const used = usedBytes(dataDir(member));
    resizeTmpfs(dataDir(member), used);
    return used;
  }

  freeDisk(member: ChaosMember): void {
    resizeTmpfs(dataDir(member), DISK_BYTES);
  }

  /** The member's view over HTTP, or null when it does not answer in time. */
  async status(member: ChaosMember): Promise<MemberStatus | null> {
    if (member.child === null || member.paused) return null;
    try {
      const response = await fetch(`http://127.0.0.1:${member.ports.http}${STATUS_PATH}`,
        { signal: AbortSignal.timeout(STATUS_TIMEOUT_MS) });
      if (!response.ok) return null;
      return await response.json() as MemberStatus;
    } catch {
      return null;
    }
  }

  /**
   * The core a majority of the cores name as leader, itself claiming to lead; null while there
   * is none (an election, a partition without a majority side). Replicas have no say: they
   * do not vote.
   */
  async leader(): Promise<ChaosMember | null> {
    const cores = this.cores;
    const statuses = await Promise.all(cores.map((m) => this.status(m)));
    const votes = new Map<string, number>();
    for (const s of statuses) {
      if (s?.leader) votes.set(s.leader, (votes.get(s.leader) ?? 0) + 1);
    }
    for (const [id, count] of votes) {
      const index = cores.findIndex((m) => m.memberId === id);
      if (count * 2 > cores.length && statuses[index]?.leader === id) {
        return cores[index] ?? null;
      }
    }
    return null;
  }

  /** Stops every member (SIGCONT first if paused, SIGKILL after a grace) and every proxy. */
  async stopAll(): Promise<void> {
    await Promise.all(this.members.map(async (m) => {
      const child = m.child;
      if (child === null) return;
      if (m.paused) child.kill('SIGCONT');
      m.paused = false;
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      child.kill('SIGTERM');
      await exited(child);
      clearTimeout(killer);
    }));
    await Promise.all(this.proxies.map((p) => p.close()));
    const keep = this.startFailed || this.options.keepHomes();
    for (const m of this.members) {
      if (!this.options.diskFaults) continue;
      // A tmpfs forgets everything when unmounted: copy what a failing run must keep.
      if (keep) fs.cpSync(dataDir(m), path.join(m.home, 'data-kept'), { recursive: true });
      unmount(dataDir(m));
    }
    if (keep) this.options.log(`kept ${this.dir}`);
    else fs.rmSync(this.dir, { recursive: true, force: true });
  }
}


/**
 * `quiver cluster up | down`: a local cluster for development and tests. One home per member
 * under DIR (core-1.., replica-1..), each with a quiver.conf in a fixed port layout, all started
 * as daemons at once (cores wait for each other to form), then polled over HTTP until one
 * member reports itself leader.
 *
 * Port layout for member i (1-based over cores, then replicas), chosen so every port of member
 * i is derivable from i and none collides with a default-port server on the same machine:
 *   Bolt 10687 + 1000 i, HTTP 10474 + 1000 i, discovery 5000 + 10 i, transaction 6000 + 10 i,
 *   raft 7000 + 10 i, backup 6362 + 10 i.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { QuiverConfig } from '../../config/quiver-config.js';
import { launchDaemon, stopProcess, type DaemonOptions } from './daemon.js';
import { readRunningPid, removePidFile } from './pid-file.js';
import { loadServerConfig } from './server-home.js';

export const CLUSTER_MEMBERS_MAX = 9;
const STATUS_PATH = '/db/manage/server/causalclustering/status';
const STATUS_REQUEST_TIMEOUT_MS = 2000;
const POLL_INTERVAL_MS = 250;
/** Local members answer within milliseconds; a short timeout keeps formation quick. */
const LOCAL_ELECTION_TIMEOUT = '2s';

export interface MemberPorts {
  readonly bolt: number; readonly http: number; readonly discovery: number;
  readonly transaction: number; readonly raft: number; readonly backup: number;
}

export interface ClusterMember {
  readonly name: string;
  readonly core: boolean;
  readonly home: string;
  readonly ports: MemberPorts;
}

export function memberPorts(index: number): MemberPorts {
  return {
    bolt: 10687 + 1000 * index, http: 10474 + 1000 * index, discovery: 5000 + 10 * index,
    transaction: 6000 + 10 * index, raft: 7000 + 10 * index, backup: 6362 + 10 * index,
  };
}

export function clusterLayout(args: { cores: number; replicas: number; dir: string }):
  ClusterMember[] {
  const members: ClusterMember[] = [];
  for (let i = 1; i <= args.cores + args.replicas; i += 1) {
    const core = i <= args.cores;
    const name = core ? `core-${i}` : `replica-${i - args.cores}`;
    members.push({ name, core, home: path.resolve(args.dir, name), ports: memberPorts(i) });
  }
  return members;
}

export function memberConf(member: ClusterMember, cores: readonly ClusterMember[]): string {
  const p = member.ports;
  const discovery = cores.map((core) => `localhost:${core.ports.discovery}`).join(',');
  return [
    `# Written by quiver cluster up for ${member.name}; rewritten on every run.`,
    `dbms.mode=${member.core ? 'CORE' : 'READ_REPLICA'}`,
    `causal_clustering.initial_discovery_members=${discovery}`,
    `causal_clustering.minimum_core_cluster_size_at_formation=${cores.length}`,
    `causal_clustering.minimum_core_cluster_size_at_runtime=${Math.min(cores.length, 3)}`,
    `causal_clustering.leader_election_timeout=${LOCAL_ELECTION_TIMEOUT}`,
    `causal_clustering.discovery_listen_address=:${p.discovery}`,
    `causal_clustering.transaction_listen_address=:${p.transaction}`,
    `causal_clustering.raft_listen_address=:${p.raft}`,
    `dbms.connector.bolt.listen_address=:${p.bolt}`,
    `dbms.connector.http.listen_address=:${p.http}`,
    `dbms.backup.listen_address=:${p.backup}`,
    // Client-side routing, as Neo4j's default: a bolt:// write to a follower gets NotALeader.
    // The launcher polls the status endpoint before anyone could have set a password.
    'dbms.security.causal_clustering_status_auth_enabled=false',
    '',
  ].join('\n');
}

export type MemberRole = 'LEADER' | 'FOLLOWER' | 'READ_REPLICA' | 'UNKNOWN';

export async function fetchRole(httpPort: number): Promise<MemberRole> {
  try {
    const response = await fetch(`http://localhost:${httpPort}${STATUS_PATH}`,
      { signal: AbortSignal.timeout(STATUS_REQUEST_TIMEOUT_MS) });
    if (!response.ok) return 'UNKNOWN';
    const status = await response.json() as { memberId?: unknown; leader?: unknown;
      core?: unknown };
    if (status.core === false) return 'READ_REPLICA';
    if (typeof status.memberId !== 'string') return 'UNKNOWN';
    return status.leader === status.memberId ? 'LEADER' : 'FOLLOWER';
  } catch {
    return 'UNKNOWN';
  }
}

export interface ClusterUpOptions extends DaemonOptions {
  readonly cores: number;
  readonly replicas: number;
  readonly dir: string;
  readonly leaderWaitMs: number;
}

async function startMember(member: ClusterMember, options: ClusterUpOptions):
  Promise<QuiverConfig | null> {
  const config = loadServerConfig({ ...options, home: member.home, argv: [] });
  if (config === null) return null;
  if (readRunningPid(config.directories.run) !== null) return config;
  const outcome = await launchDaemon(config, { ...options, home: member.home, argv: [] });
  if (outcome.kind === 'died') {
    options.stderr(`${member.name} did not start; see ${member.home}/logs/quiver.log\n`);
    return null;
  }
  return config;
}

async function waitForLeader(members: readonly ClusterMember[], waitMs: number):
  Promise<MemberRole[]> {
  let roles: MemberRole[] = [];
  for (let waitedMs = 0; waitedMs <= waitMs; waitedMs += POLL_INTERVAL_MS) {
    roles = await Promise.all(members.map((member) => fetchRole(member.ports.http)));
    if (roles.includes('LEADER')) return roles;
    await sleep(POLL_INTERVAL_MS);
  }
  return roles;
}

function describeMember(member: ClusterMember, role: MemberRole): string {
  const p = member.ports;
  return `${member.name.padEnd(11)} ${role.padEnd(13)} bolt://localhost:${p.bolt}  ` +
    `http://localhost:${p.http}  raft localhost:${p.raft}  home ${member.home}`;
}

function checkSizes(options: ClusterUpOptions): string | null {
  if (!Number.isInteger(options.cores) || options.cores < 1) return '--cores must be at least 1';
  if (!Number.isInteger(options.replicas) || options.replicas < 0) {
    return '--replicas must not be negative';
  }
  if (options.cores + options.replicas > CLUSTER_MEMBERS_MAX) {
    return `at most ${CLUSTER_MEMBERS_MAX} members fit the port layout`;
  }
  return null;
}

export async function clusterUp(options: ClusterUpOptions): Promise<number> {
  const problem = checkSizes(options);
  if (problem !== null) {
    options.stderr(`${problem}\n`);
    return 1;
  }
  const members = clusterLayout(options);
  const cores = members.filter((member) => member.core);
  for (const member of members) {
    fs.mkdirSync(path.join(member.home, 'conf'), { recursive: true });
    fs.writeFileSync(path.join(member.home, 'conf', 'quiver.conf'), memberConf(member, cores));
  }
  const configs = await Promise.all(members.map((member) => startMember(member, options)));
  if (configs.includes(null)) return 1;
  const roles = await waitForLeader(members, options.leaderWaitMs);
  members.forEach((member, i) => {
    options.stdout(`${describeMember(member, roles[i] ?? 'UNKNOWN')}\n`);
  });
  if (!roles.includes('LEADER')) {
    options.stderr(`No leader within ${Math.round(options.leaderWaitMs / 1000)} seconds.\n`);
    return 1;
  }
  return 0;
}

/** Member homes are the directories under DIR that hold a conf/quiver.conf. */
export function findMemberHomes(dir: string): string[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
  return entries.map((entry) => path.resolve(dir, entry))
    .filter((home) => fs.existsSync(path.join(home, 'conf', 'quiver.conf')));
}

export async function clusterDown(options: DaemonOptions & { dir: string }): Promise<number> {
  const results = await Promise.all(findMemberHomes(options.dir).map(async (home) => {
    const config = loadServerConfig({ ...options, home, argv: [] });
    const pid = config === null ? null : readRunningPid(config.directories.run);
    if (config === null || pid === null) return true;
    const stopped = await stopProcess(pid, options.shutdownTimeoutMs);
    if (stopped) removePidFile(config.directories.run, pid);
    options.stdout(`${path.basename(home)} ${stopped ? 'stopped' : 'failed to stop'}\n`);
    return stopped;
  }));
  return results.every(Boolean) ? 0 : 1;
}

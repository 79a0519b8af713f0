/**
 * The mutable state settings write into while the loader walks the file, the environment and the
 * flags in order of precedence, and the one step that turns it into a QuiverConfig: addresses
 * get their default host and port, directories become absolute, relations are checked.
 */
import path from 'node:path';
import { assert } from '../assert.js';
import { ConfigError } from './config-error.js';
import type {
  QuiverConfig, RaftLogPruneStrategy, RaftMember, ServerMode,
} from './quiver-config.js';
import {
  newSecurityDraft, resolveSecurity, type SecurityDraft,
} from './settings/security-settings.js';
import { resolveAddress, type PartialAddress, type SocketAddress } from './socket-address.js';

export type Endpoint =
  'bolt' | 'http' | 'https' | 'discovery' | 'transaction' | 'raft' | 'backup';

export const DEFAULT_PORTS: Readonly<Record<Endpoint, number>> = {
  bolt: 7687, http: 7474, https: 7473, discovery: 5000, transaction: 6000, raft: 7000,
  backup: 6362,
};

export type Directory = 'data' | 'logs' | 'import' | 'run' | 'certificates';

export interface ConfigDraft {
  mode: ServerMode | null;
  modeConstraint: 'PRIMARY' | 'SECONDARY' | 'NONE';
  serverId: number | null;
  defaultDatabase: string;
  directories: Record<Directory, string>;
  defaultListenHost: string;
  defaultAdvertisedHost: string;
  listen: Partial<Record<Endpoint, PartialAddress>>;
  advertised: Partial<Record<Endpoint, PartialAddress>>;
  enabled: { bolt: boolean; http: boolean; https: boolean; backup: boolean };
  security: SecurityDraft;
  initialMembers: SocketAddress[];
  raftMembers: RaftMember[];
  formationCoreCountMin: number;
  runtimeCoreCountMin: number;
  electionTimeoutMsMin: number;
  electionTimeoutMsMax: number;
  heartbeatIntervalMs: number;
  replicationTimeoutMs: number;
  snapshotThresholdEntries: number | null;
  preVoteEnabled: boolean;
  refuseToBeLeader: boolean;
  pullIntervalMs: number;
  upstreamStrategies: string[];
  serverGroups: string[];
  raftLogPruneStrategy: RaftLogPruneStrategy;
  raftLogRotationBytes: number;
  clusterName: string;
  txPushFactor: number;
  /** dbms.mode=ARBITER: a voting core that keeps the log but no graph. */
  arbiter: boolean;
  routing: {
    serverSideEnabled: boolean; ttlMs: number;
    readsOnFollowersEnabled: boolean; readsOnLeaderEnabled: boolean;
  };
  auth: { enabled: boolean; clusterStatusAuthEnabled: boolean; initialPassword: string | null };
  transactionTimeoutMs: number | null;
  bookmarkReadyTimeoutMs: number;
  memory: {
    heapInitialBytes: number | null; heapMaxBytes: number | null;
    transactionTotalBytesMax: number | null; transactionBytesMax: number | null;
  };
  /** server.config.strict_validation.enabled: false turns unknown settings into warnings. */
  strictValidation: boolean;
  warnings: string[];
}

/**
 * Shorter than Neo4j 3.5's 7 s, so a failed leader is replaced in about a second (etcd uses
 * 1 s); heartbeats go out at a third of it, as Neo4j does. See docs/decisions/0012.
 */
const ELECTION_TIMEOUT_MS_DEFAULT = 1000;

export function newDraft(): ConfigDraft {
  return {
    mode: null, modeConstraint: 'NONE', serverId: null, defaultDatabase: 'neo4j',
    directories: {
      data: 'data', logs: 'logs', import: 'import', run: 'run', certificates: 'certificates',
    },
    defaultListenHost: '127.0.0.1', defaultAdvertisedHost: 'localhost',
    listen: {}, advertised: {},
    enabled: { bolt: true, http: true, https: false, backup: true },
    security: newSecurityDraft(),
    initialMembers: [], raftMembers: [],
    formationCoreCountMin: 3, runtimeCoreCountMin: 3,
    ...electionTimeouts(ELECTION_TIMEOUT_MS_DEFAULT),
    replicationTimeoutMs: 20_000, snapshotThresholdEntries: 50_000,
    preVoteEnabled: true, refuseToBeLeader: false, pullIntervalMs: 1000,
    upstreamStrategies: ['default'], serverGroups: [],
    raftLogPruneStrategy: { kind: 'size', bytes: 1024 ** 3 }, raftLogRotationBytes: 250 * 1024 ** 2,
    clusterName: 'quiver.ha', txPushFactor: 1, arbiter: false,
    routing: {
      serverSideEnabled: false, ttlMs: 300_000,
      readsOnFollowersEnabled: true, readsOnLeaderEnabled: false,
    },
    auth: { enabled: true, clusterStatusAuthEnabled: true, initialPassword: null },
    transactionTimeoutMs: null, bookmarkReadyTimeoutMs: 30_000,
    memory: {
      heapInitialBytes: null, heapMaxBytes: null,
      transactionTotalBytesMax: null, transactionBytesMax: null,
    },
    strictValidation: true, warnings: [],
  };
}

/** Neo4j randomises the election timer between the timeout and twice it. */
export function electionTimeouts(timeoutMs: number): Pick<ConfigDraft,
  'electionTimeoutMsMin' | 'electionTimeoutMsMax' | 'heartbeatIntervalMs'> {
  return {
    electionTimeoutMsMin: timeoutMs,
    electionTimeoutMsMax: timeoutMs * 2,
    heartbeatIntervalMs: Math.max(1, Math.floor(timeoutMs / 3)),
  };
}

function resolveMode(draft: ConfigDraft): ServerMode {
  if (draft.mode !== null) return draft.mode;
  if (draft.modeConstraint === 'SECONDARY') return 'READ_REPLICA';
  const clustered = draft.initialMembers.length > 0 || draft.raftMembers.length > 0;
  return clustered ? 'CORE' : 'SINGLE';
}

function endpoint(draft: ConfigDraft, name: Endpoint) {
  const port = DEFAULT_PORTS[name];
  const listen = resolveAddress(draft.listen[name] ?? null,
    { host: draft.defaultListenHost, port });
  // An advertised address without a port takes the port actually listened on, as Neo4j does.
  const advertised = resolveAddress(draft.advertised[name] ?? null,
    { host: draft.defaultAdvertisedHost, port: listen.port });
  return { listen, advertised };
}

function checkRelations(draft: ConfigDraft): void {
  if (draft.electionTimeoutMsMax < draft.electionTimeoutMsMin) {
    throw new ConfigError('election_timeout_max must not be below election_timeout_min',
      'election_timeout_max', null);
  }
  if (draft.heartbeatIntervalMs >= draft.electionTimeoutMsMin) {
    throw new ConfigError('The heartbeat interval must be shorter than the election timeout, ' +
      'or followers start elections while the leader is healthy', 'heartbeat_interval', null);
  }
  if (draft.runtimeCoreCountMin > draft.formationCoreCountMin) {
    throw new ConfigError('causal_clustering.minimum_core_cluster_size_at_runtime must not ' +
      'exceed minimum_core_cluster_size_at_formation',
    'causal_clustering.minimum_core_cluster_size_at_runtime', null);
  }
}

export function resolveConfig(draft: ConfigDraft, home: string): QuiverConfig {
  assert(path.isAbsolute(home), 'home must be absolute before resolving directories');
  checkRelations(draft);
  const dir = (relative: string): string => path.resolve(home, relative);
  const cluster = {
    discovery: endpoint(draft, 'discovery'),
    transaction: endpoint(draft, 'transaction'),
    raft: endpoint(draft, 'raft'),
    initialMembers: draft.initialMembers, raftMembers: draft.raftMembers,
    formationCoreCountMin: draft.formationCoreCountMin,
    runtimeCoreCountMin: draft.runtimeCoreCountMin,
    electionTimeoutMsMin: draft.electionTimeoutMsMin,
    electionTimeoutMsMax: draft.electionTimeoutMsMax,
    heartbeatIntervalMs: draft.heartbeatIntervalMs,
    replicationTimeoutMs: draft.replicationTimeoutMs,
    snapshotThresholdEntries: draft.snapshotThresholdEntries,
    preVoteEnabled: draft.preVoteEnabled, refuseToBeLeader: draft.refuseToBeLeader,
    pullIntervalMs: draft.pullIntervalMs, upstreamStrategies: draft.upstreamStrategies,
    serverGroups: draft.serverGroups, raftLogPruneStrategy: draft.raftLogPruneStrategy,
    raftLogRotationBytes: draft.raftLogRotationBytes, clusterName: draft.clusterName,
    txPushFactor: draft.txPushFactor, arbiter: draft.arbiter,
  };
  return {
    mode: resolveMode(draft), serverId: draft.serverId, defaultDatabase: draft.defaultDatabase,
    directories: {
      home, conf: dir('conf'), data: dir(draft.directories.data), logs: dir(draft.directories.logs),
      import: dir(draft.directories.import), run: dir(draft.directories.run),
      certificates: dir(draft.directories.certificates),
    },
    bolt: { enabled: draft.enabled.bolt, ...endpoint(draft, 'bolt') },
    http: { enabled: draft.enabled.http, ...endpoint(draft, 'http') },
    https: { enabled: draft.enabled.https, ...endpoint(draft, 'https') },
    security: resolveSecurity(draft.security, home,
      dir(draft.directories.certificates)),
    backup: { enabled: draft.enabled.backup, listen: endpoint(draft, 'backup').listen },
    cluster, routing: { ...draft.routing }, auth: { ...draft.auth },
    transactionTimeoutMs: draft.transactionTimeoutMs,
    bookmarkReadyTimeoutMs: draft.bookmarkReadyTimeoutMs,
    memory: { ...draft.memory }, warnings: draft.warnings,
  };
}

/**
 * Causal clustering (3.5 `causal_clustering.*`, 5.x `dbms.cluster.*` / `db.cluster.*`), the
 * server mode and Neo4j HA's `ha.*`, all mapped onto one Raft cluster model.
 */
import { DEFAULT_PORTS, electionTimeouts, type ConfigDraft } from '../config-draft.js';
import { InvalidSettingValue } from '../config-error.js';
import type { RaftLogPruneStrategy, ServerMode } from '../quiver-config.js';
import { parseSocketAddress } from '../socket-address.js';
import {
  parseBoolean, parseByteSize, parseDurationMs, parseDurationWindowMs, parseEnum, parseInteger,
  parseList,
} from '../value-parsers.js';
import { ignoredSetting, setting, type Setting } from './define-setting.js';
import {
  parseUpstreamStrategy, UPSTREAM_STRATEGY_NAMES, type UpstreamStrategy,
} from '../../cluster/upstream-choice.js';

const INT_MAX = Number.MAX_SAFE_INTEGER;

function parseMode(raw: string): ServerMode | 'HA' | 'ARBITER' {
  return parseEnum(raw, ['SINGLE', 'HA', 'ARBITER', 'CORE', 'READ_REPLICA'] as const);
}

function parseMembers(raw: string) {
  return parseList(raw).map((item) => parseSocketAddress(item, DEFAULT_PORTS.discovery));
}

const COUNT_SUFFIX: Readonly<Record<string, number>> = { '': 1, k: 1e3, m: 1e6, g: 1e9 };

export function parsePruneStrategy(raw: string): RaftLogPruneStrategy {
  const text = raw.trim().toLowerCase();
  if (text === 'true' || text === 'keep_all') return { kind: 'keep_all' };
  if (text === 'false' || text === 'keep_none') return { kind: 'keep_none' };
  const match = /^(\S+)\s+(size|files|txs|entries|hours|days)$/.exec(text);
  if (match === null) {
    throw new InvalidSettingValue(`'${raw}' is not a prune strategy (e.g. '1g size', '100k txs')`);
  }
  const [, amount = '', kind = ''] = match;
  if (kind === 'size') return { kind, bytes: parseByteSize(amount) };
  const count = /^(\d+)([kmg]?)$/.exec(amount);
  if (count === null) throw new InvalidSettingValue(`'${amount}' is not a count`);
  const value = Number(count[1]) * (COUNT_SUFFIX[count[2] ?? ''] ?? 1);
  if (kind === 'hours' || kind === 'days') return { kind, count: value };
  return { kind: kind === 'files' ? 'files' : kind === 'txs' ? 'txs' : 'entries', count: value };
}

/** Neo4j's names (3.5 and 5.x), each mapped to its 3.5 name; see decision 0026. */
function parseUpstreamStrategies(raw: string): UpstreamStrategy[] {
  const names = parseList(raw);
  if (names.length === 0) return ['default'];
  return names.map((name) => {
    const strategy = parseUpstreamStrategy(name);
    if (strategy !== null) return strategy;
    if (name.trim().toLowerCase() === 'user-defined') {
      throw new InvalidSettingValue('the user-defined upstream strategy is not supported; use ' +
        'connect-randomly-to-server-group with causal_clustering.server_groups');
    }
    throw new InvalidSettingValue(`'${name}' is not an upstream strategy (one of ` +
      `${UPSTREAM_STRATEGY_NAMES.join(', ')})`);
  });
}

function onlyListDiscovery(raw: string): string {
  return parseEnum(raw, ['LIST'] as const);
}

function setElectionWindow(draft: ConfigDraft, window: { minMs: number; maxMs: number }): void {
  draft.electionTimeoutMsMin = window.minMs;
  draft.electionTimeoutMsMax = Math.max(window.maxMs, window.minMs + 1);
  draft.heartbeatIntervalMs = electionTimeouts(window.minMs).heartbeatIntervalMs;
}

const MODE_SETTINGS: readonly Setting[] = [
  setting(['dbms.mode', 'org.neo4j.server.database.mode'], parseMode, (draft, mode) => {
    // An HA cluster is a Raft cluster whose members accept writes anywhere (decision 0015).
    if (mode === 'HA') draft.routing.serverSideEnabled = true;
    // An arbiter is a voting core that keeps the log but no graph (decision 0021).
    draft.arbiter = mode === 'ARBITER';
    draft.mode = mode === 'HA' || mode === 'ARBITER' ? 'CORE' : mode;
  }),
  setting(['initial.server.mode_constraint', 'server.cluster.system_database_mode'],
    (raw) => parseEnum(raw, ['PRIMARY', 'SECONDARY', 'NONE'] as const), (draft, value) => {
      draft.modeConstraint = value;
    }),
  setting(['ha.server_id'], (raw) => parseInteger(raw, { min: 0, max: 65_535 }), (draft, id) => {
    draft.serverId = id;
  }),
  setting(['ha.cluster_name'], (raw) => raw.trim(), (draft, name) => {
    draft.clusterName = name;
  }),
  setting(['ha.tx_push_factor'], (raw) => parseInteger(raw, { min: 0, max: INT_MAX }),
    (draft, factor) => {
      draft.txPushFactor = factor;
    }),
  ignoredSetting(['ha.host.coordination', 'ha.host.data', 'ha.allow_init_cluster',
    'ha.tx_push_strategy', 'ha.pull_batch_size', 'ha.heartbeat_interval', 'ha.heartbeat_timeout',
    'ha.default_timeout', 'ha.join_timeout', 'ha.branched_data_policy'],
  'HA members are Raft members; use the causal_clustering.* settings'),
];

const FORMATION_SETTINGS: readonly Setting[] = [
  setting(['causal_clustering.initial_discovery_members', 'dbms.cluster.discovery.endpoints',
    'dbms.cluster.discovery.v2.endpoints', 'dbms.cluster.endpoints', 'ha.initial_hosts'],
  parseMembers, (draft, members) => {
    draft.initialMembers = members;
  }),
  setting(['causal_clustering.discovery_type', 'dbms.cluster.discovery.type',
    'dbms.cluster.discovery.resolver_type'], onlyListDiscovery, () => undefined),
  setting(['causal_clustering.minimum_core_cluster_size_at_formation',
    'dbms.cluster.minimum_initial_system_primaries_count',
    'causal_clustering.expected_core_cluster_size'],
  (raw) => parseInteger(raw, { min: 1, max: 99 }), (draft, count) => {
    draft.formationCoreCountMin = count;
  }),
  setting(['causal_clustering.minimum_core_cluster_size_at_runtime'],
    (raw) => parseInteger(raw, { min: 1, max: 99 }), (draft, count) => {
      draft.runtimeCoreCountMin = count;
    }),
  setting(['causal_clustering.leader_election_timeout'], parseDurationMs, (draft, timeoutMs) => {
    if (timeoutMs < 3) throw new InvalidSettingValue('the election timeout must be at least 3ms');
    Object.assign(draft, electionTimeouts(timeoutMs));
  }),
  setting(['dbms.cluster.raft.leader_failure_detection_window'], parseDurationWindowMs,
    setElectionWindow),
  ignoredSetting(['dbms.cluster.raft.election_failure_detection_window'],
    'a candidate retries after a new randomised election timeout'),
  setting(['causal_clustering.enable_pre_voting', 'causal_clustering.enable_prevoting'],
    parseBoolean, (draft, on) => {
      draft.preVoteEnabled = on;
    }),
  setting(['causal_clustering.refuse_to_be_leader', 'ha.slave_only'], parseBoolean,
    (draft, refuse) => {
      draft.refuseToBeLeader = refuse;
    }),
];

const REPLICATION_SETTINGS: readonly Setting[] = [
  setting(['causal_clustering.pull_interval', 'db.cluster.catchup.pull_interval',
    'ha.pull_interval'], parseDurationMs, (draft, intervalMs) => {
    draft.pullIntervalMs = intervalMs;
  }),
  setting(['causal_clustering.upstream_selection_strategy',
    'server.cluster.catchup.upstream_strategy'], parseUpstreamStrategies, (draft, strategies) => {
    draft.upstreamStrategies = strategies;
  }),
  ignoredSetting(['causal_clustering.connect-randomly-to-server-group',
    'causal_clustering.connect_randomly_to_server_group',
    'server.cluster.catchup.connect_randomly_to_server_group',
    'server.cluster.catchup.connect_randomly_to_server_tags'],
  'connect-randomly-to-server-group chooses among the replica\'s own ' +
    'causal_clustering.server_groups'),
  setting(['causal_clustering.server_groups', 'server.groups', 'initial.server.tags'], parseList,
    (draft, groups) => {
      draft.serverGroups = groups;
    }),
  setting(['causal_clustering.raft_log_prune_strategy', 'db.cluster.raft.log.prune_strategy'],
    parsePruneStrategy, (draft, strategy) => {
      draft.raftLogPruneStrategy = strategy;
    }),
  setting(['causal_clustering.raft_log_rotation_size', 'dbms.cluster.raft.log.rotation_size'],
    parseByteSize, (draft, bytes) => {
      draft.raftLogRotationBytes = bytes;
    }),
];

const ROUTING_SETTINGS: readonly Setting[] = [
  setting(['dbms.routing.enabled'], parseBoolean, (draft, on) => {
    draft.routing.serverSideEnabled = on;
  }),
  setting(['causal_clustering.cluster_routing_ttl', 'dbms.routing_ttl'], parseDurationMs,
    (draft, ttlMs) => {
      if (ttlMs < 1000) throw new InvalidSettingValue('the routing TTL must be at least 1s');
      draft.routing.ttlMs = ttlMs;
    }),
  setting(['causal_clustering.cluster_allow_reads_on_followers',
    'dbms.routing.reads_on_primaries_enabled'], parseBoolean, (draft, on) => {
    draft.routing.readsOnFollowersEnabled = on;
  }),
  setting(['causal_clustering.cluster_allow_reads_on_leader',
    'dbms.routing.reads_on_writers_enabled'], parseBoolean, (draft, on) => {
    draft.routing.readsOnLeaderEnabled = on;
  }),
];

export const CLUSTER_SETTINGS: readonly Setting[] = [
  ...MODE_SETTINGS, ...FORMATION_SETTINGS, ...REPLICATION_SETTINGS, ...ROUTING_SETTINGS,
];

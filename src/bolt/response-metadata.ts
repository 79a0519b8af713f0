import type { ResultSummary } from '../db/api.js';
import type { QuiverError } from '../errors/quiver-error.js';
import type { QueryStatistics } from '../graph/types.js';
import type { Value } from '../graph/values.js';
import type { RoutingTable } from './backend.js';
import type { VersionFeatures } from './versions/version-table.js';

/** Neo4j's summary counter names, in the order Neo4j lists them. */
const STATS_KEYS: readonly [keyof QueryStatistics, string][] = [
  ['nodesCreated', 'nodes-created'],
  ['nodesDeleted', 'nodes-deleted'],
  ['relationshipsCreated', 'relationships-created'],
  ['relationshipsDeleted', 'relationships-deleted'],
  ['propertiesSet', 'properties-set'],
  ['labelsAdded', 'labels-added'],
  ['labelsRemoved', 'labels-removed'],
  ['indexesAdded', 'indexes-added'],
  ['indexesRemoved', 'indexes-removed'],
  ['constraintsAdded', 'constraints-added'],
  ['constraintsRemoved', 'constraints-removed'],
];

/** Only non-zero counters appear, as Neo4j sends them; null when nothing changed. */
export function statsMetadata(summary: ResultSummary): Map<string, Value> | null {
  const stats = new Map<string, Value>();
  for (const [field, key] of STATS_KEYS) {
    const count = summary.statistics[field];
    if (count !== 0) stats.set(key, BigInt(count));
  }
  if (summary.containsUpdates) stats.set('contains-updates', true);
  return stats.size === 0 ? null : stats;
}

/**
 * Nesting kept when converting: a plan operator takes two levels (its map and its children
 * list), and LDBC's complex reads unfold into trees 24 operators deep.
 */
const PLAIN_DEPTH_MAX = 512;

/**
 * The engine describes plans and notifications as plain objects; Bolt wants maps. Integral
 * numbers become Integers (positions, counts), other numbers Floats.
 */
export function plainToValue(input: unknown, depth = 0): Value {
  if (depth > PLAIN_DEPTH_MAX) return null;
  if (input === null || input === undefined) return null;
  switch (typeof input) {
    case 'boolean': case 'bigint': case 'string': return input;
    case 'number': return Number.isInteger(input) ? BigInt(input) : input;
    default: break;
  }
  if (Array.isArray(input)) return input.map((item: unknown) => plainToValue(item, depth + 1));
  if (input instanceof Map) {
    const out = new Map<string, Value>();
    for (const [key, item] of input as Map<unknown, unknown>) {
      out.set(String(key), plainToValue(item, depth + 1));
    }
    return out;
  }
  if (typeof input === 'object') {
    const out = new Map<string, Value>();
    for (const [key, item] of Object.entries(input)) out.set(key, plainToValue(item, depth + 1));
    return out;
  }
  return null;
}

export interface SummaryContext {
  readonly summary: ResultSummary;
  readonly features: VersionFeatures;
  readonly database: string;
  readonly tLastMs: number;
  readonly bookmark: string | null;
}

/** The final SUCCESS of a PULL or DISCARD that exhausted its result. */
export function finalSummaryMetadata(context: SummaryContext): Map<string, Value> {
  const { summary, features } = context;
  const metadata = new Map<string, Value>();
  if (context.bookmark !== null) metadata.set('bookmark', context.bookmark);
  metadata.set('type', summary.queryType);
  metadata.set('t_last', BigInt(Math.max(0, Math.round(context.tLastMs))));
  if (features.streamIds) metadata.set('db', context.database);
  const stats = statsMetadata(summary);
  if (stats !== null) metadata.set('stats', stats);
  // From 5.6 drivers derive notifications from GQL statuses and polyfill them when absent.
  if (!features.statuses && summary.notifications.length > 0) {
    metadata.set('notifications', plainToValue(summary.notifications));
  }
  if (summary.plan !== null && summary.plan !== undefined) {
    // PROFILE's plan carries rows and hits: drivers read it from `profile`, EXPLAIN's from `plan`.
    const profiled = typeof summary.plan === 'object' && 'rows' in summary.plan;
    metadata.set(profiled ? 'profile' : 'plan', plainToValue(summary.plan));
  }
  return metadata;
}

const GQL_GENERAL_STATUS = '50N42';

function classification(code: string): string {
  if (code.startsWith('Neo.ClientError.')) return 'CLIENT_ERROR';
  if (code.startsWith('Neo.TransientError.')) return 'TRANSIENT_ERROR';
  return 'DATABASE_ERROR';
}

/** FAILURE metadata: `code` up to 5.6, GQL shape (with `neo4j_code`) from 5.7. */
export function failureMetadata(error: QuiverError, features: VersionFeatures): Map<string, Value> {
  const metadata = new Map<string, Value>([['code', error.code], ['message', error.message]]);
  if (!features.gqlErrors) return metadata;
  metadata.set('neo4j_code', error.code);
  metadata.set('gql_status', GQL_GENERAL_STATUS);
  metadata.set('description',
    `error: general processing exception - unexpected error. ${error.message}`);
  metadata.set('diagnostic_record', new Map<string, Value>([
    ['OPERATION', ''], ['OPERATION_CODE', '0'], ['CURRENT_SCHEMA', '/'],
    ['_classification', classification(error.code)],
  ]));
  return metadata;
}

/** ROUTE SUCCESS `{rt: {ttl, db, servers}}`; `db` is sent from 4.4 (includeDb). */
export function routingMetadata(table: RoutingTable, includeDb: boolean): Map<string, Value> {
  const rt = new Map<string, Value>([['ttl', BigInt(Math.max(0, Math.floor(table.ttlSeconds)))]]);
  if (includeDb) rt.set('db', table.db);
  rt.set('servers', table.servers.map((server) => new Map<string, Value>([
    ['addresses', [...server.addresses]],
    ['role', server.role],
  ])));
  return new Map([['rt', rt]]);
}

/**
 * Runs one statement inside a transaction and buffers its result, as both HTTP query APIs
 * answer with whole results rather than a stream.
 */
import type { ResultSummary, TransactionHandle } from '../db/api.js';
import { QuiverError } from '../errors/quiver-error.js';
import type { QueryStatistics } from '../graph/types.js';
import type { Value } from '../graph/values.js';
import type { Json } from './json-values.js';

/** The HTTP APIs buffer results; past this many rows a client must page or use Bolt. */
export const HTTP_RESULT_ROWS_MAX = 1_000_000;

export interface CollectedResult {
  readonly fields: readonly string[];
  readonly rows: readonly Value[][];
  readonly summary: ResultSummary;
}

export async function runAndCollect(handle: TransactionHandle, statement: string,
  params: ReadonlyMap<string, Value>): Promise<CollectedResult> {
  const result = await handle.run(statement, params);
  const rows: Value[][] = [];
  for (let row = result.next(); row !== null; row = result.next()) {
    if (rows.length >= HTTP_RESULT_ROWS_MAX) {
      throw new QuiverError('RequestInvalid', `The result has more than ${HTTP_RESULT_ROWS_MAX} ` +
        'rows, more than the HTTP API buffers; add a LIMIT or use Bolt');
    }
    rows.push(row);
  }
  return { fields: result.fields, rows, summary: result.summary() };
}

/** Query API counters (camelCase). */
export function queryApiCounters(summary: ResultSummary): Json {
  return { containsUpdates: summary.containsUpdates, ...statisticsRecord(summary.statistics),
    containsSystemUpdates: false, systemUpdates: 0 };
}

function statisticsRecord(stats: QueryStatistics): Record<string, number> {
  return {
    nodesCreated: stats.nodesCreated, nodesDeleted: stats.nodesDeleted,
    propertiesSet: stats.propertiesSet, relationshipsCreated: stats.relationshipsCreated,
    relationshipsDeleted: stats.relationshipsDeleted, labelsAdded: stats.labelsAdded,
    labelsRemoved: stats.labelsRemoved, indexesAdded: stats.indexesAdded,
    indexesRemoved: stats.indexesRemoved, constraintsAdded: stats.constraintsAdded,
    constraintsRemoved: stats.constraintsRemoved,
  };
}

/** Transactional endpoint stats (snake_case, `relationship_deleted` spelled as Neo4j does). */
export function transactionalStats(summary: ResultSummary): Json {
  const s = summary.statistics;
  return {
    contains_updates: summary.containsUpdates, nodes_created: s.nodesCreated,
    nodes_deleted: s.nodesDeleted, properties_set: s.propertiesSet,
    relationships_created: s.relationshipsCreated, relationship_deleted: s.relationshipsDeleted,
    labels_added: s.labelsAdded, labels_removed: s.labelsRemoved, indexes_added: s.indexesAdded,
    indexes_removed: s.indexesRemoved, constraints_added: s.constraintsAdded,
    constraints_removed: s.constraintsRemoved, contains_system_updates: false, system_updates: 0,
  };
}

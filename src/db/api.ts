/**
 * The transaction API every front end uses: the embedded library, the Bolt server and HTTP.
 * Implemented by src/db/database.ts. Results are pulled synchronously one record at a time, so a
 * protocol can stream with backpressure; commit is asynchronous because it waits for durability
 * (and, in a cluster, for a majority).
 */
import type { QueryStatistics } from '../graph/types.js';
import type { Value } from '../graph/values.js';

export type AccessMode = 'READ' | 'WRITE';
export type QueryType = 'r' | 'w' | 'rw' | 's';

export interface ResultSummary {
  readonly queryType: QueryType;
  readonly statistics: QueryStatistics;
  /** True when the statement wrote anything (Neo4j's `contains_updates`). */
  readonly containsUpdates: boolean;
  /** Plan tree for EXPLAIN / PROFILE, else null. */
  readonly plan: unknown;
  readonly notifications: readonly unknown[];
}

export interface StreamingResult {
  readonly fields: readonly string[];
  /** The next record, or null once the result is exhausted. Throws QuiverError on failure. */
  next(): Value[] | null;
  /** Available once next() has returned null. */
  summary(): ResultSummary;
}

export interface BeginOptions {
  readonly mode?: AccessMode;
  /** Wait until this member has applied these bookmarks before starting. */
  readonly bookmarks?: readonly string[];
  readonly timeoutMs?: number | null;
  readonly metadata?: ReadonlyMap<string, Value>;
  /** The authenticated user, for SHOW TRANSACTIONS and auth checks. */
  readonly user?: string;
}

export interface CommitResult {
  /** Names the database and the log position; chain it into the next transaction. */
  readonly bookmark: string;
}

export interface TransactionHandle {
  readonly id: string;
  /** Local transactions answer at once; one forwarded to the leader answers when it has. */
  run(query: string, params?: ReadonlyMap<string, Value>): StreamingResult | Promise<StreamingResult>;
  commit(): Promise<CommitResult>;
  rollback(): Promise<void>;
}

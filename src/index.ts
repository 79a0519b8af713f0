/** The embedded library: `import { Database } from 'quiverdb'`. */
export { Database } from './db/database.js';
export type { DatabaseOptions, QueryResult } from './db/database.js';
export type {
  AccessMode, BeginOptions, CommitResult, ResultSummary, StreamingResult, TransactionHandle,
} from './db/api.js';
export { QuiverError } from './errors/quiver-error.js';
export {
  CypherDate, DateTime, Duration, LocalDateTime, LocalTime, Node, Path, Point, Relationship, Time,
} from './graph/values.js';
export type { Value } from './graph/values.js';

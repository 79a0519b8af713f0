/**
 * What one execution of a query carries: the graph, parameters, procedures, the function
 * context, and the PROFILE counters. Rows are immutable maps from variable name to value;
 * names starting with HIDDEN_PREFIX are the executor's own (anonymous pattern parts).
 */
import { assert } from '../../assert.js';
import type { GraphReader, GraphWriter } from '../../graph/types.js';
import type { Value } from '../../graph/values.js';
import type { PathPattern, Query } from '../ast.js';
import type { FunctionContext } from '../functions/registry.js';
import type { ProcedureRegistry } from '../procedures.js';

export type Row = ReadonlyMap<string, Value>;

/** Cannot be typed in a query (not even quoted), so never collides with a user's name. */
export const HIDDEN_PREFIX = '\u0000';

export const EMPTY_ROW: Row = new Map();

export function isHidden(name: string): boolean {
  return name.startsWith(HIDDEN_PREFIX);
}

export function extendRow(row: Row, name: string, value: Value): Row {
  const next = new Map(row);
  next.set(name, value);
  return next;
}

export interface OperatorProfile {
  rows: number;
  dbHits: number;
}

/**
 * Pattern matching and subqueries as seen from expression evaluation; passed in so that the
 * evaluator does not import the operators that themselves evaluate expressions.
 */
export interface SubqueryRunner {
  matchPattern(pattern: PathPattern, row: Row, state: ExecState): Iterable<Row>;
  runQuery(query: Query, row: Row, state: ExecState): Iterable<Row>;
}

export interface ExecState {
  readonly subqueries: SubqueryRunner;
  readonly graph: GraphReader;
  /** null for a read-only transaction. */
  readonly writer: GraphWriter | null;
  readonly params: ReadonlyMap<string, Value>;
  readonly procedures: ProcedureRegistry;
  readonly functions: FunctionContext;
  readonly importDir: string | null;
  /** Non-null under PROFILE: rows produced per operator. */
  readonly profile: Map<object, OperatorProfile> | null;
  /** Per-execution memo (anchor choices and the like), keyed by plan objects. */
  readonly memo: Map<object, unknown>;
}

export function requireWriter(state: ExecState): GraphWriter {
  assert(state.writer !== null, 'write operator reached without a writer: writes are flagged');
  return state.writer;
}

/**
 * What one execution of a query carries: the graph, parameters, procedures, the function
 * context, and the PROFILE counters. Rows are immutable maps from variable name to value;
 * names starting with HIDDEN_PREFIX are the executor's own (anonymous pattern parts).
 */
import { assert } from '../../assert.js';
import type { GraphStatistics } from '../../graph/statistics.js';
import type { GraphReader, GraphWriter } from '../../graph/types.js';
import type { Value } from '../../graph/values.js';
import type { Expr, PathPattern, Query } from '../ast.js';
import type { FunctionContext } from '../functions/registry.js';
import type { ProcedureRegistry } from '../procedures.js';
import type { ChainSpec } from './pattern-spec.js';
import type { QueryGuard } from './query-guard.js';

export type Row = ReadonlyMap<string, Value>;

/** Cannot be typed in a query (not even quoted), so never collides with a user's name. */
export const HIDDEN_PREFIX = '\u0000';

export const EMPTY_ROW: Row = new Map();

export function isHidden(name: string): boolean {
  return name.startsWith(HIDDEN_PREFIX);
}

/** Beyond this many links a row is flattened into a Map, so a lookup stays short. */
const LINKS_MAX = 8;

/**
 * A row that adds (or replaces) one variable in another: matching extends rows once per
 * variable per candidate, and a link costs one small object where a copied Map costs one per
 * entry. Lookups walk at most LINKS_MAX links (an eighth of the variables in a row of more
 * than 64); iteration flattens once and remembers it.
 */
class LinkedRow implements ReadonlyMap<string, Value> {
  readonly size: number;
  readonly links: number;
  private flat: Map<string, Value> | null = null;

  constructor(private readonly parent: Row, private readonly name: string,
    private readonly value: Value) {
    this.size = parent.has(name) ? parent.size : parent.size + 1;
    this.links = parent instanceof LinkedRow ? parent.links + 1 : 1;
  }

  get(name: string): Value | undefined {
    if (this.name === name) return this.value;
    let row = this.parent;
    while (row instanceof LinkedRow) {
      if (row.name === name) return row.value;
      row = row.parent;
    }
    return row.get(name);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  private flatten(): Map<string, Value> {
    if (this.flat !== null) return this.flat;
    // The links are applied oldest first onto the nearest flat map below them, so a newer
    // value replaces an older one; no link below is flattened on the way, as each would keep
    // its own copy of the row.
    const links: LinkedRow[] = [];
    let below: Row = this;
    while (below instanceof LinkedRow && below.flat === null) {
      links.push(below);
      below = below.parent;
    }
    const flat = new Map(below instanceof LinkedRow ? below.flatten() : below);
    for (let k = links.length - 1; k >= 0; k--) {
      const link = links[k] as LinkedRow;
      flat.set(link.name, link.value);
    }
    this.flat = flat;
    return flat;
  }

  forEach(fn: (value: Value, key: string, map: ReadonlyMap<string, Value>) => void): void {
    this.flatten().forEach((value, key) => fn(value, key, this));
  }

  entries(): MapIterator<[string, Value]> {
    return this.flatten().entries();
  }

  keys(): MapIterator<string> {
    return this.flatten().keys();
  }

  values(): MapIterator<Value> {
    return this.flatten().values();
  }

  [Symbol.iterator](): MapIterator<[string, Value]> {
    return this.flatten().entries();
  }

  /** Every value held, newest link first, without flattening (a replaced one is seen too). */
  static visitValues(row: Row, visit: (value: Value) => void): void {
    let at = row;
    while (at instanceof LinkedRow) {
      visit(at.value);
      at = at.parent;
    }
    at.forEach((value) => visit(value));
  }
}

/** Visits the values of a row cheaply: for estimates, where a replaced value may count twice. */
export function visitRowValues(row: Row, visit: (value: Value) => void): void {
  LinkedRow.visitValues(row, visit);
}

export function extendRow(row: Row, name: string, value: Value): Row {
  // The bound on links grows with the row: a fixed one would copy a row of thousands of
  // variables (a generated CREATE of one long path) every few links, quadratic in its size.
  if (row instanceof LinkedRow && row.links >= Math.max(LINKS_MAX, row.size >> 3)) {
    const flat = new Map(row);
    flat.set(name, value);
    return flat;
  }
  return new LinkedRow(row, name, value);
}

export interface OperatorProfile {
  rows: number;
  dbHits: number;
  /**
   * A matching operator's breakdown per pattern chain (pattern-match.ts fills it): what each
   * step of the walk produced and read. Part of `dbHits` above, never in addition to it.
   */
  chains?: Map<ChainSpec, ChainProfile>;
}

/** Rows one step of a pattern walk produced and the store reads it made, for `owner`. */
export interface StepProfile {
  rows: number;
  dbHits: number;
  readonly owner: OperatorProfile;
}

/**
 * One chain's counters, by position in pattern order (left to right), however the chain was
 * walked: `nodes[i]` counts the chain started at node i (found, then checked), `rels[i]` the
 * expansion over relationship i, the node it reaches checked with it (for shortestPath,
 * `rels[0]` is the search and `nodes` its two ends).
 */
export interface ChainProfile {
  readonly nodes: readonly StepProfile[];
  readonly rels: readonly StepProfile[];
}

/**
 * PROFILE's cursor: the operator working now, and the step of its pattern walk working now
 * (store reads count against both; against the step only while its owner is current).
 */
export interface Profiling {
  current: OperatorProfile | null;
  step?: StepProfile | null;
}

/**
 * Pattern matching and subqueries as seen from expression evaluation; passed in so that the
 * evaluator does not import the operators that themselves evaluate expressions.
 */
export interface SubqueryRunner {
  /** `where`: a pattern comprehension's predicate, for index seeks; it is not applied. */
  matchPattern(pattern: PathPattern, row: Row, state: ExecState, where?: Expr | null):
    Iterable<Row>;
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
  /** Non-null under PROFILE: rows produced and store reads made per operator. */
  readonly profile: Map<object, OperatorProfile> | null;
  /** Under PROFILE, the operator whose work is running now: store reads count against it. */
  readonly profiling: Profiling;
  /**
   * Start every pattern at its first node and find it by label scan, never by index: the
   * reference the planner's choices are tested against.
   */
  readonly naivePlanning: boolean;
  /** Counts and sampled estimates the anchor choice costs patterns with. */
  readonly statistics: GraphStatistics;
  /** Deadline and memory budget: long loops tick it, operators that keep rows reserve. */
  readonly guard: QueryGuard;
  /** Per-execution memo (anchor choices and the like), keyed by plan objects. */
  readonly memo: Map<object, unknown>;
}

export function requireWriter(state: ExecState): GraphWriter {
  assert(state.writer !== null, 'write operator reached without a writer: writes are flagged');
  return state.writer;
}

/**
 * The Cypher entry points other layers call: prepareQuery (parse, check and plan; cached by
 * query text) and executeQuery (a lazy cursor over the result; work happens as it is pulled).
 */
import { QuiverError } from '../errors/quiver-error.js';
import { emptyStatistics, type GraphReader, type GraphWriter,
  type QueryStatistics } from '../graph/types.js';
import type { Value } from '../graph/values.js';
import type { Expr, Statement } from './ast.js';
import { materialize } from './exec/materialize.js';
import { statisticsOf, type StatisticsCache } from '../graph/statistics.js';
import { lookupProcedure } from './exec/operators/call.js';
import { matchChains } from './exec/pattern-match.js';
import { NO_HINTS, chainSpec, seekHints, type SeekHint } from './exec/pattern-spec.js';
import {
  QueryGuard, TransactionBudget, NO_LIMITS,
} from './exec/query-guard.js';
import { profiledGraph } from './exec/profiled-graph.js';
import {
  EMPTY_ROW, type ExecState, type OperatorProfile, type Row, type SubqueryRunner,
} from './exec/state.js';
import { parseStatement } from './parser/parser.js';
import { kindOf, type ValueKind } from './values/kind.js';
import { describePlan, type PlanDescription } from './plan-description.js';
import { Planner, subqueryPlans, type Plan } from './planner/planner.js';
import type { ProcedureRegistry } from './procedures.js';
import { assert } from '../assert.js';

export type { PlanDescription } from './plan-description.js';
export {
  MemoryPool, NO_LIMITS, TransactionBudget, type TransactionLimits,
} from './exec/query-guard.js';
export type QueryType = 'r' | 'w' | 'rw' | 's';

export interface PreparedQuery {
  readonly text: string;
  readonly queryType: QueryType;
  readonly isWrite: boolean;
  readonly explainOnly: boolean;
  readonly fields: readonly string[];
}

export interface ExecutionContext {
  graph: GraphReader | GraphWriter;
  params: ReadonlyMap<string, Value>;
  procedures: ProcedureRegistry;
  statementTimeMs: number;
  random(): number;
  importDir: string | null;
  /** The transaction's deadline and memory account; absent = no limits. */
  budget?: TransactionBudget;
  /** Plans without cost-based choices (see ExecState.naivePlanning); for tests. */
  naivePlanning?: boolean;
  /** The database's statistics, shared by its transactions; absent = sampled per statement. */
  statistics?: StatisticsCache;
}

export interface QuerySummary {
  queryType: QueryType;
  statistics: QueryStatistics;
  plan: PlanDescription | null;
  notifications: unknown[];
}

export interface QueryCursor {
  readonly fields: readonly string[];
  /** Next record (materialized values), or null when done. Lazy: work happens as you pull. */
  next(): Value[] | null;
  /** After next() returned null: statistics, and the plan for EXPLAIN/PROFILE. */
  summary(): QuerySummary;
}

class Prepared implements PreparedQuery {
  readonly queryType: QueryType;
  readonly isWrite: boolean;
  readonly explainOnly: boolean;

  constructor(readonly text: string, readonly statement: Statement, readonly plan: Plan,
    readonly parameters: readonly string[]) {
    this.isWrite = plan.writes;
    this.explainOnly = statement.mode === 'explain';
    this.queryType = plan.schema ? 's' : plan.writes ? (plan.fields.length > 0 ? 'rw' : 'w') : 'r';
  }

  get fields(): readonly string[] {
    return this.plan.fields;
  }
}

/** Distinct (query text, parameter types) pairs whose plans are kept. */
export const planCacheEntriesMax = 1000;
const planCache = new Map<string, Prepared>();
/**
 * The plan used last, with the parameter names and types it was asked for: a statement run in
 * a loop finds it without building its cache key, and it is already the most recently used.
 */
let newest: {
  readonly text: string; readonly names: readonly string[];
  readonly kinds: readonly ValueKind[]; readonly prepared: Prepared;
} | null = null;

/**
 * Drops every cached plan. Run when the schema changes (an index or constraint is created or
 * dropped), so that no plan outlives the schema it was made under.
 */
export function invalidatePlans(): void {
  planCache.clear();
  newest = null;
}

function parameterNames(node: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) parameterNames(item, out);
  } else if (node !== null && typeof node === 'object' && !(node instanceof Map)) {
    const record = node as Record<string, unknown>;
    if (record['kind'] === 'param' && typeof record['name'] === 'string') out.add(record['name']);
    for (const value of Object.values(record)) parameterNames(value, out);
  }
  return out;
}

/** The cache key: the text, and the type of each parameter given (a plan may depend on them). */
function planKey(text: string, params: ReadonlyMap<string, Value> | undefined): string {
  if (params === undefined || params.size === 0) return text;
  let key = text;
  for (const [name, value] of params) key += `\u0000${name}:${kindOf(value)}`;
  return key;
}

/** The newest plan when it was made for this text and parameters of these names and types. */
function newestFor(text: string, params: ReadonlyMap<string, Value> | undefined):
  Prepared | null {
  if (newest === null || newest.text !== text) return null;
  const { names, kinds } = newest;
  if ((params?.size ?? 0) !== kinds.length) return null;
  let i = 0;
  for (const [name, value] of params ?? []) {
    if (name !== names[i] || kindOf(value) !== kinds[i]) return null;
    i++;
  }
  return newest.prepared;
}

function remember(text: string, params: ReadonlyMap<string, Value> | undefined,
  prepared: Prepared): void {
  const names = params === undefined ? [] : [...params.keys()];
  const kinds = params === undefined ? [] : [...params.values()].map(kindOf);
  newest = { text, names, kinds, prepared };
}

/** Parses, checks and plans `text`, or returns the cached plan for it and these parameters. */
export function prepareQuery(text: string, params?: ReadonlyMap<string, Value>): PreparedQuery {
  const again = newestFor(text, params);
  if (again !== null) return again;
  const key = planKey(text, params);
  const cached = planCache.get(key);
  if (cached !== undefined) {
    // Re-insert to mark as most recently used.
    planCache.delete(key);
    planCache.set(key, cached);
    remember(text, params, cached);
    return cached;
  }
  const statement = parseStatement(text);
  const plan = new Planner(text).planStatement(statement);
  const prepared = new Prepared(text, statement, plan, [...parameterNames(statement.body,
    new Set())]);
  if (planCache.size >= planCacheEntriesMax) {
    const oldest = planCache.keys().next().value;
    if (oldest !== undefined) planCache.delete(oldest);
  }
  // A schema command changes what later plans may use: nothing planned before it is kept.
  if (plan.schema) {
    invalidatePlans();
  } else {
    planCache.set(key, prepared);
    remember(text, params, prepared);
  }
  return prepared;
}

function isWriter(graph: GraphReader | GraphWriter): graph is GraphWriter {
  return typeof (graph as Partial<GraphWriter>).createNode === 'function';
}

/** Seek hints of pattern comprehensions' predicates, derived once per predicate. */
const comprehensionHints = new WeakMap<Expr, SeekHint[]>();

function hintsOf(where: Expr | null): readonly SeekHint[] {
  if (where === null) return NO_HINTS;
  let hints = comprehensionHints.get(where);
  if (hints === undefined) {
    hints = seekHints(where);
    comprehensionHints.set(where, hints);
  }
  return hints;
}

const subqueries: SubqueryRunner = {
  matchPattern(pattern, row, state, where = null) {
    return matchChains([chainSpec(pattern)], hintsOf(where), row, state);
  },
  runQuery(query, row, state) {
    const op = subqueryPlans.get(query);
    assert(op !== undefined, 'subquery was not planned');
    return op.run(state, row);
  },
};

function statisticsSince(before: QueryStatistics, after: QueryStatistics): QueryStatistics {
  const out = emptyStatistics();
  for (const key of Object.keys(out) as (keyof QueryStatistics)[]) {
    out[key] = after[key] - before[key];
  }
  return out;
}

function checkParameters(names: readonly string[], given: ReadonlyMap<string, Value>): void {
  for (const name of names) {
    if (given.has(name)) continue;
    const missing = names.filter((n) => !given.has(n));
    throw new QuiverError('ParameterMissing', `Expected parameter(s): ${missing.join(', ')}`);
  }
}

export function executeQuery(q: PreparedQuery, ctx: ExecutionContext): QueryCursor {
  assert(q instanceof Prepared, 'executeQuery needs a query from prepareQuery');
  const writer = isWriter(ctx.graph) ? ctx.graph : null;
  if (q.isWrite && writer === null) {
    throw new QuiverError('AccessMode',
      'Writing in read access mode not allowed. Attempted write to internal graph 0 (neo4j)');
  }
  if (!q.explainOnly) checkParameters(q.parameters, ctx.params);
  const profiling: { current: OperatorProfile | null } = { current: null };
  const profile = q.statement.mode === 'profile' ? new Map<object, OperatorProfile>() : null;
  const graph = profile === null ? ctx.graph : profiledGraph(ctx.graph, profiling);
  const state: ExecState = {
    graph, writer, params: ctx.params, procedures: ctx.procedures,
    functions: { graph: ctx.graph, statementTimeMs: ctx.statementTimeMs, random: ctx.random },
    importDir: ctx.importDir, profile, profiling, naivePlanning: ctx.naivePlanning === true,
    memo: new Map(), subqueries, statistics: statisticsOf(ctx.graph, ctx.statistics),
    guard: new QueryGuard(ctx.budget ?? new TransactionBudget(NO_LIMITS)),
  };
  const fields = q.plan.procedureColumns === null ? q.plan.fields
    : lookupProcedure(state, q.plan.procedureColumns).outputs.map((o) => o.name);
  return new Cursor(q, state, fields, writer?.statistics ?? null);
}

class Cursor implements QueryCursor {
  private rows: Iterator<Row> | null = null;
  private done = false;
  private readonly statsBefore: QueryStatistics | null;

  constructor(private readonly q: Prepared, private readonly state: ExecState,
    readonly fields: readonly string[], statistics: QueryStatistics | null) {
    this.statsBefore = statistics === null ? null : { ...statistics };
    if (q.explainOnly) this.done = true;
  }

  next(): Value[] | null {
    if (this.done) return null;
    this.rows ??= this.q.plan.root.run(this.state, EMPTY_ROW)[Symbol.iterator]();
    let step = this.rows.next();
    // A query without RETURN yields no records: run it to the end for its effects.
    while (this.fields.length === 0 && step.done !== true) step = this.rows.next();
    if (step.done === true) {
      this.done = true;
      this.state.guard.releaseAll();
      return null;
    }
    const row = step.value;
    const record: Value[] = new Array<Value>(this.fields.length);
    for (let i = 0; i < record.length; i++) {
      record[i] = materialize(this.state.graph, row.get(this.fields[i] as string) ?? null);
    }
    return record;
  }

  summary(): QuerySummary {
    const writer = this.state.writer;
    const statistics = writer === null || this.statsBefore === null ? emptyStatistics()
      : statisticsSince(this.statsBefore, writer.statistics);
    const plan = this.q.statement.mode === 'run' ? null
      : describePlan(this.q.plan.root, this.fields, this.state);
    return { queryType: this.q.queryType, statistics, plan, notifications: [] };
  }
}

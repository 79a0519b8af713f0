/**
 * WITH / RETURN: projection, aggregation (grouping keys, DISTINCT inside aggregates), DISTINCT,
 * ORDER BY (Cypher's total order), SKIP and LIMIT.
 */
import { assert } from '../../../assert.js';
import { QuiverError } from '../../../errors/quiver-error.js';
import type { Value } from '../../../graph/values.js';
import type { Expr, FunctionCall } from '../../ast.js';
import { lookupAggregate, type Aggregator } from '../../functions/registry.js';
import { compareForOrder, valueKey } from '../../values/compare.js';
import { distinctKey } from '../../values/order.js';
import { typeName } from '../../values/type-names.js';
import { childExpressions } from '../../expr-walk.js';
import { evaluate } from '../evaluate.js';
import { estimateBytes, estimateRowBytes } from '../query-guard.js';
import { EMPTY_ROW, extendRow, isHidden, type ExecState, type Row } from '../state.js';
import { Operator } from './operator.js';

/** Estimated overhead of one group's bookkeeping and of one remembered key. */
const GROUP_BYTES = 128;
const KEY_BYTES = 40;

export interface ProjectItem {
  name: string;
  expr: Expr;
}

/** An aggregate call lifted out of a projection; `name` is the hidden column it fills. */
export interface AggregateSpec {
  name: string;
  call: FunctionCall | null; // null for count(*)
}

/** Sort keys are computed during projection into hidden columns, so they may use old names. */
export interface SortKey {
  name: string;
  expr: Expr;
  descending: boolean;
}

/** Expressions that bind variables of their own: which names they read is not simple. */
const SCOPING_KINDS: ReadonlySet<Expr['kind']> = new Set<Expr['kind']>(['listComp',
  'quantified', 'reduce', 'patternComp', 'pattern', 'subquery', 'mapProjection',
  'shortestPath']);

/** True when `expr` reads no variable but `names`. */
function readsOnly(expr: Expr, names: ReadonlySet<string>): boolean {
  if (SCOPING_KINDS.has(expr.kind)) return false;
  if (expr.kind === 'var') return names.has(expr.name);
  return childExpressions(expr).every((e) => readsOnly(e, names));
}

/**
 * `keysReadOutput`: the sort keys read only projected names, so they are evaluated on the
 * output alone; else on the output over the input row.
 */
function project(items: readonly ProjectItem[], star: boolean, keys: readonly SortKey[],
  keysReadOutput: boolean, row: Row, state: ExecState): Row {
  const out = new Map<string, Value>();
  if (star) for (const [name, value] of row) if (!isHidden(name)) out.set(name, value);
  for (const item of items) out.set(item.name, evaluate(item.expr, row, state));
  if (keys.length > 0) {
    let merged: Row = out;
    if (!keysReadOutput) {
      merged = row;
      for (const [name, value] of out) merged = extendRow(merged, name, value);
    }
    for (const key of keys) out.set(key.name, evaluate(key.expr, merged, state));
  }
  return out;
}

export class ProjectOp extends Operator {
  readonly name = 'Projection';

  constructor(source: Operator, readonly items: readonly ProjectItem[], readonly star: boolean,
    readonly sortKeys: readonly SortKey[]) {
    super(source);
    const names = new Set(items.map((i) => i.name));
    this.keysReadOutput = !star && sortKeys.every((k) => readsOnly(k.expr, names));
  }

  private readonly keysReadOutput: boolean;

  override details(): string {
    return this.items.map((i) => i.name).join(', ');
  }

  protected *produce(state: ExecState, arg: Row): Iterable<Row> {
    for (const row of this.input(state, arg)) {
      yield project(this.items, this.star, this.sortKeys, this.keysReadOutput, row, state);
    }
  }
}

interface Group {
  representative: Row;
  keyValues: Value[];
  aggregators: Aggregator[];
  seen: (Set<string | number> | null)[];
}

/** Aggregates that keep every value they are given, so hold memory in proportion to input. */
const KEEPS_VALUES = new Set(['collect', 'percentilecont', 'percentiledisc']);

/**
 * An aggregation's groups in the order first seen. A single string key is looked up as itself
 * in a map of its own (no encoding, no string built per row); other keys by their valueKey.
 */
class GroupTable {
  private readonly byString = new Map<string, Group>();
  private readonly byKey = new Map<string, Group>();
  readonly inOrder: Group[] = [];
  /** Where the key last looked up lives: add() files a new group under it. */
  private lastMap = this.byKey;
  lastKey = '';

  /** The group of `values`, or undefined (then add() it) when they are new. */
  find(values: Value[]): Group | undefined {
    const only = values.length === 1 ? values[0] : undefined;
    this.lastMap = typeof only === 'string' ? this.byString : this.byKey;
    this.lastKey = typeof only === 'string' ? only
      : valueKey(values.length === 1 ? (only ?? null) : values);
    return this.lastMap.get(this.lastKey);
  }

  /** Files `group` under the key find() last missed. */
  add(group: Group): void {
    assert(!this.lastMap.has(this.lastKey), 'GroupTable.add: the key has a group');
    this.lastMap.set(this.lastKey, group);
    this.inOrder.push(group);
  }
}

export class AggregateOp extends Operator {
  readonly name = 'EagerAggregation';
  private readonly keeps: readonly boolean[];

  constructor(source: Operator, readonly keys: readonly ProjectItem[],
    readonly aggregates: readonly AggregateSpec[], readonly outputs: readonly ProjectItem[],
    readonly sortKeys: readonly SortKey[]) {
    super(source);
    this.keeps = aggregates.map((a) => a.call !== null && KEEPS_VALUES.has(a.call.name));
  }

  override details(): string {
    return [...this.keys, ...this.outputs].map((i) => i.name).join(', ');
  }

  /** Without statistics on values, the square root of the input is the usual guess of groups. */
  override estimateRows(inputRows: number): number {
    return this.keys.length === 0 ? 1 : Math.max(1, Math.sqrt(inputRows));
  }

  protected *produce(state: ExecState, arg: Row): Iterable<Row> {
    const groups = new GroupTable();
    const keyCount = this.keys.length;
    // One array for every row's key values: a group that is new keeps a copy.
    const keyValues: Value[] = new Array<Value>(keyCount);
    for (const row of this.input(state, arg)) {
      for (let i = 0; i < keyCount; i++) {
        keyValues[i] = evaluate((this.keys[i] as ProjectItem).expr, row, state);
      }
      let group = groups.find(keyValues);
      if (group === undefined) {
        state.guard.reserve(estimateRowBytes(row) + 2 * groups.lastKey.length + GROUP_BYTES);
        group = this.newGroup(row, keyValues.slice(), state);
        groups.add(group);
      }
      this.accumulate(group, row, state);
    }
    if (groups.inOrder.length === 0 && this.keys.length === 0) {
      groups.inOrder.push(this.newGroup(arg, [], state));
    }
    for (const group of groups.inOrder) yield this.finish(group, state);
  }

  private newGroup(row: Row, keyValues: Value[], state: ExecState): Group {
    const aggregators = this.aggregates.map((spec) => {
      if (spec.call === null) return countStar();
      const def = lookupAggregate(spec.call.name);
      if (def === undefined) {
        throw new QuiverError('UnknownFunction', `Unknown function '${spec.call.displayName}'`);
      }
      return def.create(spec.call.args.slice(1).map((a) => evaluate(a, row, state)));
    });
    const seen = this.aggregates.map((spec) => (spec.call?.distinct === true
      ? new Set<string | number>() : null));
    return { representative: row, keyValues, aggregators, seen };
  }

  private accumulate(group: Group, row: Row, state: ExecState): void {
    for (let i = 0; i < this.aggregates.length; i++) {
      const spec = this.aggregates[i] as AggregateSpec;
      const aggregator = group.aggregators[i] as Aggregator;
      const argument = spec.call?.args[0];
      const value = argument === undefined ? null : evaluate(argument, row, state);
      const seen = group.seen[i];
      if (seen !== null && seen !== undefined) {
        if (value === null) continue;
        const key = distinctKey(value);
        if (seen.has(key)) continue;
        seen.add(key);
        state.guard.reserve(typeof key === 'number' ? KEY_BYTES : 2 * key.length + KEY_BYTES);
      }
      if (this.keeps[i] === true && value !== null) state.guard.reserve(estimateBytes(value));
      aggregator.add(value);
    }
  }

  private finish(group: Group, state: ExecState): Row {
    const row = new Map(group.representative);
    this.keys.forEach((k, i) => row.set(k.name, group.keyValues[i] ?? null));
    this.aggregates.forEach((spec, i) => row.set(spec.name,
      (group.aggregators[i] as Aggregator).result()));
    const out = new Map<string, Value>();
    this.keys.forEach((k, i) => out.set(k.name, group.keyValues[i] ?? null));
    for (const item of this.outputs) out.set(item.name, evaluate(item.expr, row, state));
    const merged = new Map([...row, ...out]);
    for (const key of this.sortKeys) out.set(key.name, evaluate(key.expr, merged, state));
    return out;
  }
}

/** Counts in a plain number (exact to 2^53 rows); a BigInt per increment would allocate. */
function countStar(): Aggregator {
  let count = 0;
  return { add: () => { count++; }, result: () => BigInt(count) };
}

export class DistinctOp extends Operator {
  readonly name = 'Distinct';

  constructor(source: Operator, readonly fields: readonly string[]) {
    super(source);
  }

  protected *produce(state: ExecState, arg: Row): Iterable<Row> {
    const seen = new Set<string>();
    for (const row of this.input(state, arg)) {
      const fields = this.fields.length > 0 ? this.fields
        : [...row.keys()].filter((name) => !isHidden(name));
      const key = valueKey(fields.map((f) => row.get(f) ?? null));
      if (seen.has(key)) continue;
      seen.add(key);
      state.guard.reserve(2 * key.length + KEY_BYTES);
      yield row;
    }
  }
}

export class SortOp extends Operator {
  readonly name = 'Sort';

  constructor(source: Operator, readonly keys: readonly SortKey[]) {
    super(source);
  }

  override details(): string {
    return this.keys.map((k) => `${k.descending ? 'DESC' : 'ASC'}`).join(', ');
  }

  protected *produce(state: ExecState, arg: Row): Iterable<Row> {
    const rows: Row[] = [];
    for (const row of this.input(state, arg)) {
      state.guard.reserve(estimateRowBytes(row));
      rows.push(row);
    }
    rows.sort((a, b) => {
      for (const key of this.keys) {
        const order = compareForOrder(a.get(key.name) ?? null, b.get(key.name) ?? null);
        if (order !== 0) return key.descending ? -order : order;
      }
      return 0;
    });
    yield* rows;
  }
}

function countArgument(expr: Expr, what: 'SKIP' | 'LIMIT', state: ExecState): number {
  const value = evaluate(expr, EMPTY_ROW, state);
  if (typeof value === 'bigint' && value >= 0n) {
    return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
  }
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  const shown = typeof value === 'bigint' || typeof value === 'number' ? String(value)
    : typeName(value);
  // Neo4j reports a bad SKIP / LIMIT as a syntax error even when it comes from a parameter.
  throw new QuiverError('SyntaxError',
    `Invalid input. '${shown}' is not a valid value. Must be a non-negative integer. (${what})`);
}

export class SkipOp extends Operator {
  readonly name = 'Skip';

  constructor(source: Operator, readonly count: Expr) {
    super(source);
  }

  protected *produce(state: ExecState, arg: Row): Iterable<Row> {
    let toSkip = countArgument(this.count, 'SKIP', state);
    for (const row of this.input(state, arg)) {
      if (toSkip > 0) {
        toSkip--;
        continue;
      }
      yield row;
    }
  }
}

export class LimitOp extends Operator {
  readonly name = 'Limit';

  /** drainInput: the input updates the graph, so every row is pulled for its side effects. */
  constructor(source: Operator, readonly count: Expr, readonly drainInput = false) {
    super(source);
  }

  protected *produce(state: ExecState, arg: Row): Iterable<Row> {
    let remaining = countArgument(this.count, 'LIMIT', state);
    if (remaining === 0 && !this.drainInput) return;
    for (const row of this.input(state, arg)) {
      if (remaining > 0) {
        remaining--;
        yield row;
      } else if (!this.drainInput) {
        return;
      }
    }
  }
}

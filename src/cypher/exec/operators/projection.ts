/**
 * WITH / RETURN: projection, DISTINCT, ORDER BY (Cypher's total order), SKIP and LIMIT; the
 * aggregation is in aggregation.ts.
 */
import { QuiverError } from '../../../errors/quiver-error.js';
import type { Value } from '../../../graph/values.js';
import type { Expr, FunctionCall } from '../../ast.js';
import { compareForOrder, valueKey } from '../../values/compare.js';
import { typeName } from '../../values/type-names.js';
import { evaluate } from '../evaluate.js';
import { variablesRead } from '../expression-reads.js';
import { estimateRowBytes } from '../query-guard.js';
import { EMPTY_ROW, extendRow, isHidden, type ExecState, type Row } from '../state.js';
import { Operator } from './operator.js';

/** Estimated cost of one remembered key. */
export const KEY_BYTES = 40;

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

/** True when `expr` reads no variable but `names`. */
function readsOnly(expr: Expr, names: ReadonlySet<string>): boolean {
  const read = variablesRead(expr);
  return read !== null && [...read].every((name) => names.has(name));
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

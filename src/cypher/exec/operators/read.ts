/**
 * Reading operators: pattern matching, filtering, UNWIND, OPTIONAL MATCH, subqueries and UNION.
 */
import { QuiverError } from '../../../errors/quiver-error.js';
import type { Value } from '../../../graph/values.js';
import type { Expr } from '../../ast.js';
import { valueKey } from '../../values/compare.js';
import { evaluate, isTrue } from '../evaluate.js';
import { lazyRange } from '../../functions/list-functions.js';
import { isRowList, matchChains } from '../pattern-match.js';
import type { ChainSpec, SeekHint } from '../pattern-spec.js';
import { extendRow, isHidden, type ExecState, type Row } from '../state.js';
import { Operator } from './operator.js';

/** The planner's guesses for EXPLAIN: a predicate keeps half, UNWIND makes ten of a row. */
const FILTER_SELECTIVITY = 0.5;
const UNWIND_ROWS = 10;

/** Estimated cost of one key remembered by UNION's duplicate check. */
const DISTINCT_KEY_BYTES = 40;

export class MatchOp extends Operator {
  /**
   * `boundBefore`: the variables the clauses before this MATCH bind (EXPLAIN costs the plan
   * with them known).
   */
  constructor(source: Operator, readonly chains: readonly ChainSpec[],
    readonly hints: readonly SeekHint[], readonly boundBefore: readonly string[] = []) {
    super(source);
  }

  get name(): string {
    return this.chains.some((c) => c.rels.length > 0) ? 'Expand(All)' : 'NodeScan';
  }

  override identifiers(): readonly string[] {
    return this.chains.flatMap((c) => [...c.nodes, ...c.rels].filter((p) => p.named)
      .map((p) => p.name));
  }

  protected *produce(state: ExecState, arg: Row): Iterable<Row> {
    for (const row of this.input(state, arg)) {
      const matched = matchChains(this.chains, this.hints, row, state);
      if (!isRowList(matched)) {
        yield* matched;
        continue;
      }
      // A load matches once per row: an index loop allocates no iterator.
      for (let i = 0; i < matched.length; i++) yield matched[i] as Row;
    }
  }
}

export class FilterOp extends Operator {
  readonly name = 'Filter';

  constructor(source: Operator, readonly predicate: Expr) {
    super(source);
  }

  override estimateRows(inputRows: number): number {
    return inputRows * FILTER_SELECTIVITY;
  }

  protected *produce(state: ExecState, arg: Row): Iterable<Row> {
    for (const row of this.input(state, arg)) {
      state.guard.tick();
      if (isTrue(this.predicate, row, state)) yield row;
    }
  }
}

export class UnwindOp extends Operator {
  readonly name = 'Unwind';

  constructor(source: Operator, readonly expr: Expr, readonly variable: string) {
    super(source);
  }

  override estimateRows(inputRows: number): number {
    return inputRows * UNWIND_ROWS;
  }

  override identifiers(): readonly string[] {
    return [this.variable];
  }

  protected *produce(state: ExecState, arg: Row): Iterable<Row> {
    for (const row of this.input(state, arg)) {
      const items = this.items(row, state);
      if (items === null) continue;
      for (const item of items) {
        state.guard.tick();
        yield extendRow(row, this.variable, item);
      }
    }
  }

  /** `UNWIND range(...)` counts instead of building the list: it may be millions long. */
  private items(row: Row, state: ExecState): Iterable<Value> | null {
    const e = this.expr;
    if (e.kind === 'call' && e.name === 'range' && !e.distinct &&
      (e.args.length === 2 || e.args.length === 3)) {
      return lazyRange(e.args.map((a) => evaluate(a, row, state)));
    }
    const value = evaluate(e, row, state);
    return value === null ? null : Array.isArray(value) ? value : [value];
  }
}

/** OPTIONAL MATCH: the inner plan per row, or the row with the new variables set to null. */
export class OptionalOp extends Operator {
  readonly name = 'Optional';

  constructor(source: Operator, readonly inner: Operator, readonly introduced: readonly string[]) {
    super(source);
  }

  override get children(): readonly Operator[] {
    return [this.source as Operator, this.inner];
  }

  protected *produce(state: ExecState, arg: Row): Iterable<Row> {
    for (const row of this.input(state, arg)) {
      let any = false;
      for (const matched of this.inner.run(state, row)) {
        any = true;
        yield matched;
      }
      if (any) continue;
      const padded = new Map(row);
      for (const name of this.introduced) if (!padded.has(name)) padded.set(name, null);
      yield padded;
    }
  }
}

/**
 * CALL { ... }: runs the subquery per row with the imported variables; a subquery that returns
 * rows multiplies the outer row by them, a unit subquery (no RETURN) passes the row through.
 */
export class SubqueryOp extends Operator {
  readonly name = 'Apply';

  constructor(source: Operator, readonly inner: Operator,
    readonly imported: readonly string[] | 'all',
    readonly returns: boolean) {
    super(source);
  }

  override get children(): readonly Operator[] {
    return [this.source as Operator, this.inner];
  }

  protected *produce(state: ExecState, arg: Row): Iterable<Row> {
    for (const row of this.input(state, arg)) {
      const innerArg = this.imported === 'all' ? row : pick(row, this.imported);
      if (!this.returns) {
        for (const _ of this.inner.run(state, innerArg)) { /* run to completion for effects */ }
        yield row;
        continue;
      }
      for (const result of this.inner.run(state, innerArg)) {
        const merged = new Map(row);
        for (const [name, value] of result) if (!isHidden(name)) merged.set(name, value);
        yield merged;
      }
    }
  }
}

function pick(row: Row, names: readonly string[]): Row {
  const out = new Map<string, Value>();
  for (const name of names) {
    const value = row.get(name);
    if (value === undefined) throw new QuiverError('SemanticError',
      `Variable \`${name}\` not defined`);
    out.set(name, value);
  }
  return out;
}

export class UnionOp extends Operator {
  readonly name: string;

  constructor(readonly parts: readonly Operator[], readonly all: boolean,
    readonly fields: readonly string[]) {
    super(null);
    this.name = all ? 'Union' : 'Distinct(Union)';
  }

  override get children(): readonly Operator[] {
    return this.parts;
  }

  protected *produce(state: ExecState, arg: Row): Iterable<Row> {
    const seen = new Set<string>();
    for (const part of this.parts) {
      for (const row of part.run(state, arg)) {
        if (!this.all) {
          const key = valueKey(this.fields.map((f) => row.get(f) ?? null));
          if (seen.has(key)) continue;
          seen.add(key);
          state.guard.reserve(2 * key.length + DISTINCT_KEY_BYTES);
        }
        yield row;
      }
    }
  }
}

/**
 * Pull-based operators. Each operator maps every row of its source to zero or more rows; the
 * leaf is Argument, which yields the row the operator tree was started with (the empty row at
 * top level, the outer row inside OPTIONAL MATCH, subqueries and FOREACH). Work happens only as
 * the consumer pulls, except in operators that must see all input first (aggregation, sort,
 * and every write: Cypher's clauses see the complete effect of the clause before).
 */
import type { ExecState, Row } from '../state.js';

export abstract class Operator {
  abstract readonly name: string;

  constructor(readonly source: Operator | null) {}

  /** Operators beside the source (the inner plan of OPTIONAL MATCH, a subquery, UNION parts). */
  get children(): readonly Operator[] {
    return this.source === null ? [] : [this.source];
  }

  /** What EXPLAIN prints in the Details column. */
  details(_state: ExecState): string {
    return '';
  }

  /** Rows this operator is expected to produce from `inputRows` input rows (EXPLAIN). */
  estimateRows(inputRows: number, _state: ExecState): number {
    return inputRows;
  }

  /** Variables this operator introduces, for the plan's identifiers. */
  identifiers(): readonly string[] {
    return [];
  }

  protected abstract produce(state: ExecState, arg: Row): Iterable<Row>;

  run(state: ExecState, arg: Row): Iterable<Row> {
    const rows = this.produce(state, arg);
    return state.profile === null ? rows : counted(this, rows, state);
  }

  protected input(state: ExecState, arg: Row): Iterable<Row> {
    return this.source === null ? [arg] : this.source.run(state, arg);
  }
}

/**
 * PROFILE: counts the rows `op` produces, and makes it the current operator while it works so
 * that the store reads it makes count against it, not against the operator pulling from it.
 */
function* counted(op: Operator, rows: Iterable<Row>, state: ExecState): Generator<Row> {
  const profile = state.profile;
  if (profile === null) return yield* rows;
  let entry = profile.get(op);
  if (entry === undefined) {
    entry = { rows: 0, dbHits: 0 };
    profile.set(op, entry);
  }
  const iterator = rows[Symbol.iterator]();
  const profiling = state.profiling;
  try {
    for (;;) {
      const caller = profiling.current;
      profiling.current = entry;
      let step: IteratorResult<Row>;
      try {
        step = iterator.next();
      } finally {
        profiling.current = caller;
      }
      if (step.done === true) return;
      entry.rows++;
      yield step.value;
    }
  } finally {
    // A consumer that stops early (LIMIT) closes the source too, as for-of would.
    iterator.return?.();
  }
}

/** The leaf: yields the row the tree was started with. */
export class Argument extends Operator {
  readonly name = 'Argument';

  constructor() {
    super(null);
  }

  protected produce(_state: ExecState, arg: Row): Iterable<Row> {
    return [arg];
  }
}

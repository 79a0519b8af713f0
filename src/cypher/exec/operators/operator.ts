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

function* counted(op: Operator, rows: Iterable<Row>, state: ExecState): Generator<Row> {
  const profile = state.profile;
  if (profile === null) return yield* rows;
  let entry = profile.get(op);
  if (entry === undefined) {
    entry = { rows: 0, dbHits: 0 };
    profile.set(op, entry);
  }
  for (const row of rows) {
    entry.rows++;
    yield row;
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

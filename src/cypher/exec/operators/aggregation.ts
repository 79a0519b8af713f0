/**
 * WITH / RETURN with aggregates: groups by the grouping keys (in the order first seen), each
 * group feeding its aggregators (DISTINCT inside an aggregate included).
 *
 * When the keys read one node or relationship variable and nothing else (`c.name`, `c`,
 * `c.x + 1`), every row of one entity belongs to one group: the keys are evaluated on the
 * entity's first row only, and later rows find the group by the entity's id, with no key
 * evaluated or hashed. Input from a MATCH of one chain of single hops (with a WHERE of property
 * comparisons, or none) is walked over ids (id-walk.ts) into aggregation-sink.ts, aggregate
 * arguments read by key id or from columns read ahead. Both give exactly the groups, order
 * and aggregator inputs of the row-at-a-time path (docs/decisions/0041-grouped-aggregation.md).
 * Keys are evaluated per row when the input writes: a row may then come after a change to the
 * entity it shares with an earlier one.
 */
import { assert } from '../../../assert.js';
import { QuiverError } from '../../../errors/quiver-error.js';
import { NodeRef, RelRef, type Value } from '../../../graph/values.js';
import { lookupAggregate, type Aggregator } from '../../functions/registry.js';
import { valueKey } from '../../values/compare.js';
import { distinctKey } from '../../values/order.js';
import { evaluate } from '../evaluate.js';
import { dependenceOf, type Dependence } from '../expression-reads.js';
import { walkIds } from '../id-walk.js';
import { estimateBytes, estimateRowBytes } from '../query-guard.js';
import type { ExecState, Row } from '../state.js';
import { walkSink } from './aggregation-sink.js';
import { Operator } from './operator.js';
import { KEY_BYTES, type AggregateSpec, type ProjectItem, type SortKey } from './projection.js';

/** Estimated overhead of one group's bookkeeping, and of remembering an entity's group. */
const GROUP_BYTES = 128;
const ENTITY_BYTES = 48;

export interface Group {
  /** Its place in GroupTable.inOrder; -1 until filed there. */
  ordinal: number;
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
    group.ordinal = this.inOrder.length;
    this.inOrder.push(group);
  }
}

/** Entity id (0 for keys that read nothing) -> the group of its rows. */
export type EntityGroups = Map<number, Group>;

/** One execution's groups, and the entities whose group is known. */
export class Grouping {
  readonly table = new GroupTable();
  readonly constant: EntityGroups = new Map();
  readonly byNode: EntityGroups = new Map();
  readonly byRel: EntityGroups = new Map();
  /** One array for every row's key values: a group that is new keeps a copy. */
  private readonly keyValues: Value[];

  constructor(private readonly op: AggregateOp, private readonly state: ExecState) {
    this.keyValues = new Array<Value>(op.keys.length);
  }

  ofRow(row: Row): Group {
    const dependence = this.op.dependence;
    if (dependence.kind === 'constant') return this.of(this.constant, 0, row);
    if (dependence.kind === 'variable') {
      const value = row.get(dependence.name);
      if (value instanceof NodeRef) return this.of(this.byNode, value.id, row);
      if (value instanceof RelRef) return this.of(this.byRel, value.id, row);
    }
    return this.lookup(row);
  }

  private of(entities: EntityGroups, id: number, row: Row): Group {
    return entities.get(id) ?? this.first(row, entities, id);
  }

  /** The group of `row`, the first row of entity `id` of `entities` (`constant`: id 0). */
  first(row: Row, entities: EntityGroups, id: number): Group {
    const group = this.lookup(row);
    this.state.guard.reserve(ENTITY_BYTES);
    entities.set(id, group);
    return group;
  }

  private lookup(row: Row): Group {
    const { keys } = this.op;
    const keyValues = this.keyValues;
    for (let i = 0; i < keys.length; i++) {
      keyValues[i] = evaluate((keys[i] as ProjectItem).expr, row, this.state);
    }
    let group = this.table.find(keyValues);
    if (group === undefined) {
      this.state.guard.reserve(estimateRowBytes(row) + 2 * this.table.lastKey.length +
        GROUP_BYTES);
      group = this.op.newGroup(row, keyValues.slice(), this.state);
      this.table.add(group);
    }
    return group;
  }
}

export class AggregateOp extends Operator {
  readonly name = 'EagerAggregation';
  private readonly keeps: readonly boolean[];
  /** What the grouping keys read: 'row' when each row's keys must be evaluated. */
  readonly dependence: Dependence;

  /** `inputWrites`: rows may come with the graph changed in between, so keys are per row. */
  constructor(source: Operator, readonly keys: readonly ProjectItem[],
    readonly aggregates: readonly AggregateSpec[], readonly outputs: readonly ProjectItem[],
    readonly sortKeys: readonly SortKey[], inputWrites: boolean) {
    super(source);
    this.keeps = aggregates.map((a) => a.call !== null && KEEPS_VALUES.has(a.call.name));
    this.dependence = inputWrites ? { kind: 'row' } : dependenceOf(keys.map((k) => k.expr));
  }

  override details(): string {
    return [...this.keys, ...this.outputs].map((i) => i.name).join(', ');
  }

  /** Without statistics on values, the square root of the input is the usual guess of groups. */
  override estimateRows(inputRows: number): number {
    return this.keys.length === 0 ? 1 : Math.max(1, Math.sqrt(inputRows));
  }

  protected *produce(state: ExecState, arg: Row): Iterable<Row> {
    const grouping = new Grouping(this, state);
    const sink = walkSink(this, grouping, state, arg);
    if (sink === null || !walkIds(this.source, state, arg, sink)) {
      for (const row of this.input(state, arg)) {
        this.accumulate(grouping.ofRow(row), row, state);
      }
    }
    const groups = grouping.table.inOrder;
    if (groups.length === 0 && this.keys.length === 0) groups.push(this.newGroup(arg, [], state));
    for (const group of groups) yield this.finish(group, state);
  }

  newGroup(row: Row, keyValues: Value[], state: ExecState): Group {
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
    return { ordinal: -1, representative: row, keyValues, aggregators, seen };
  }

  private accumulate(group: Group, row: Row, state: ExecState): void {
    for (let i = 0; i < this.aggregates.length; i++) {
      const argument = (this.aggregates[i] as AggregateSpec).call?.args[0];
      this.add(group, i, argument === undefined ? null : evaluate(argument, row, state), state);
    }
  }

  /** Gives `value` to aggregate `index` of `group`. */
  add(group: Group, index: number, value: Value, state: ExecState): void {
    const seen = group.seen[index];
    if (seen !== null && seen !== undefined) {
      if (value === null) return;
      const key = distinctKey(value);
      if (seen.has(key)) return;
      seen.add(key);
      state.guard.reserve(typeof key === 'number' ? KEY_BYTES : 2 * key.length + KEY_BYTES);
    }
    if (this.keeps[index] === true && value !== null) state.guard.reserve(estimateBytes(value));
    (group.aggregators[index] as Aggregator).add(value);
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

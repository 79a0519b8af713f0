/**
 * The end of an id walk (id-walk.ts) that feeds an aggregation (aggregation.ts): finds each
 * match's group by the entity its keys read, and gives every aggregate its argument read from
 * the match's ids, without a row. count(*), and count(x) and avg(x) of a property read ahead
 * into a column, are kept in typed arrays (column-aggregates.ts); every other aggregate gets
 * its values one by one, in the walk's order, as the row path would give them.
 */
import { assert } from '../../../assert.js';
import type { ReadView } from '../../../graph/read-view.js';
import { NumberKind } from '../../../graph/snapshot-codec.js';
import { NodeRef, RelRef, type Value } from '../../../graph/values.js';
import type { Expr } from '../../ast.js';
import { columnFor, type NodeColumns, type NumberColumn } from '../node-columns.js';
import type { Dependence } from '../expression-reads.js';
import { directView, matchRow, walkablePlan } from '../id-walk.js';
import { nodeIdAt, relIdAt, selectMatch, type MatchRun, type MatchSink } from '../match-run.js';
import type { ChainSpec } from '../pattern-spec.js';
import type { ExecState, Row } from '../state.js';
import type { AggregateOp, EntityGroups, Group, Grouping } from './aggregation.js';
import { columnAggregate, type ColumnAggregate } from './column-aggregates.js';

/** An aggregate's argument for each match of a run, into `into`; null for count(*). */
type ArgumentReads = ((run: MatchRun, into: Value[]) => void) | null;

/** Property `keyId` of node `id` as its column holds it, or from the view when it cannot. */
function columnValue(column: NumberColumn, id: number, view: ReadView): Value {
  const kind = column.kinds[id];
  if (kind === NumberKind.Absent) return null;
  if (kind === NumberKind.Float) return column.values[id] as number;
  if (kind === NumberKind.Integer) return BigInt(column.values[id] as number);
  return view.nodePropertyByKeyId(id, column.keyId);
}

/** A node property of the chain, read from one of `columns` when there is one. */
function propertyReads(node: number, key: string, view: ReadView,
  columns: readonly NodeColumns[]): ArgumentReads {
  const keyId = view.propertyKeyId(key);
  const column = columnFor(columns, node, keyId);
  if (column !== null) {
    return (run, into) => {
      for (let k = 0; k < run.count; k++) {
        into[k] = columnValue(column, nodeIdAt(run, node, k), view);
      }
    };
  }
  return (run, into) => {
    for (let k = 0; k < run.count; k++) {
      into[k] = keyId === undefined ? null
        : view.nodePropertyByKeyId(nodeIdAt(run, node, k), keyId);
    }
  };
}

/**
 * How to read `argument` from the ids of matches of `chain` without rows: a variable of the
 * chain, a node property of one (a pass over the run's nodes, whose reads then overlap), or a
 * literal; undefined for anything else.
 */
function argumentReads(argument: Expr | undefined, chain: ChainSpec, view: ReadView,
  columns: readonly NodeColumns[]): ArgumentReads | undefined {
  if (argument === undefined) return null;
  if (argument.kind === 'literal') {
    const value = argument.value;
    return (run, into) => {
      for (let k = 0; k < run.count; k++) into[k] = value;
    };
  }
  const target = argument.kind === 'prop' ? argument.target : argument;
  if (target.kind !== 'var') return undefined;
  const node = chain.nodes.findIndex((n) => n.name === target.name);
  const rel = chain.rels.findIndex((r) => r.name === target.name);
  if (argument.kind === 'var' && node >= 0) {
    return (run, into) => {
      for (let k = 0; k < run.count; k++) into[k] = new NodeRef(nodeIdAt(run, node, k));
    };
  }
  if (argument.kind === 'var' && rel >= 0) {
    return (run, into) => {
      for (let k = 0; k < run.count; k++) into[k] = new RelRef(relIdAt(run, rel, k));
    };
  }
  if (argument.kind !== 'prop' || node < 0) return undefined;
  return propertyReads(node, argument.key, view, columns);
}

/** Where the entity the keys read sits in a match; null when they read nothing. */
type EntityAt = { readonly ids: 'nodes' | 'rels'; readonly index: number } | null;

function entityAt(dependence: Dependence, chain: ChainSpec): EntityAt | undefined {
  if (dependence.kind === 'constant') return null;
  if (dependence.kind === 'row') return undefined;
  const name = dependence.name;
  const node = chain.nodes.findIndex((n) => n.name === name);
  if (node >= 0) return { ids: 'nodes', index: node };
  const rel = chain.rels.findIndex((r) => r.name === name);
  return rel >= 0 ? { ids: 'rels', index: rel } : undefined;
}

/**
 * Aggregates whose property arguments are worth reading ahead: their values are usually
 * numbers, which a column holds without boxing (count only asks whether there is one).
 */
const COLUMN_READERS: ReadonlySet<string> = new Set(['count', 'avg', 'sum']);

/** How each aggregate takes a run: typed (then no reads), or value by value. */
interface Takers {
  readonly typed: readonly (ColumnAggregate | null)[];
  readonly reads: readonly ArgumentReads[];
  /** The aggregates that are not typed, in order. */
  readonly generic: readonly number[];
}

/** Reads every match of a walk into the aggregation's groups. */
class WalkSink implements MatchSink {
  private readonly columns: NodeColumns[] = [];
  private takers: Takers | null = null;
  private readonly values: Value[][];
  /** Each match's group ordinal, for the typed aggregates. */
  private ordinals = new Int32Array(0);
  /** Groups of GroupTable.inOrder below this have their typed aggregates' results in place. */
  private groupsTyped = 0;
  /** Runs of one entity are common (a run varies one node, often not the grouped one). */
  private lastId = -1;
  private group: Group | undefined = undefined;
  /**
   * Node id -> its group's ordinal + 1 (0: not seen), made once the lookups by node number an
   * eighth of the node ids: an array read is cheaper than a Map's hash lookup, and the bound
   * keeps a short walk over a big store from paying for the array.
   */
  private nodeOrdinals: Int32Array | null = null;
  private lookups = 0;

  constructor(private readonly op: AggregateOp, private readonly grouping: Grouping,
    private readonly at: EntityAt, private readonly context: { readonly chain: ChainSpec;
      readonly view: ReadView; readonly state: ExecState }) {
    this.values = op.aggregates.map(() => []);
  }

  /** Properties of node `nodeIndex` that aggregates of numbers (or counts) read. */
  readonly columnKeys = (nodeIndex: number): readonly string[] => {
    const name = this.context.chain.nodes[nodeIndex]?.name;
    const keys: string[] = [];
    for (const spec of this.op.aggregates) {
      const argument = spec.call?.args[0];
      if (argument?.kind === 'prop' && argument.target.kind === 'var' &&
        argument.target.name === name && COLUMN_READERS.has(spec.call?.name ?? '')) {
        keys.push(argument.key);
      }
    }
    return keys;
  };

  readonly useColumns = (columns: NodeColumns): void => {
    this.columns.push(columns);
  };

  private takersNow(): Takers {
    const { chain, view } = this.context;
    const keyId = (key: string): number | undefined => view.propertyKeyId(key);
    const typed = this.op.aggregates.map((spec) =>
      columnAggregate(spec, chain, this.columns, keyId));
    const reads = this.op.aggregates.map((spec, i) => (typed[i] !== null ? null
      : argumentReads(spec.call?.args[0], chain, view, this.columns) ?? null));
    const generic = typed.flatMap((t, i) => (t === null ? [i] : []));
    assert(generic.every((i) => reads[i] !== null), 'an aggregate given values reads them');
    return { typed, reads, generic };
  }

  add(run: MatchRun): void {
    const { typed, reads, generic } = this.takers ??= this.takersNow();
    for (const i of generic) reads[i]?.(run, this.values[i] as Value[]);
    if (this.ordinals.length < run.count) this.ordinals = new Int32Array(run.others.length);
    const ordinals = this.ordinals;
    // Read once a run: groupOf may make the array part way, and later runs then use it.
    const dense = this.at === null ? null : this.nodeOrdinals;
    const at = this.at?.index ?? -1;
    const inOrder = this.grouping.table.inOrder;
    for (let k = 0; k < run.count; k++) {
      const known = dense === null ? 0 : dense[nodeIdAt(run, at, k)] as number;
      const ordinal = known > 0 ? known - 1 : this.groupOf(run, k, typed).ordinal;
      ordinals[k] = ordinal;
      if (generic.length === 0) continue;
      const group = inOrder[ordinal] as Group;
      for (const i of generic) {
        this.op.add(group, i, (this.values[i] as Value[])[k] ?? null, this.context.state);
      }
    }
    for (const aggregate of typed) aggregate?.addRun(run, ordinals);
  }

  /** The group of match `k`, made (its typed aggregates' results set) when it is new. */
  private groupOf(run: MatchRun, k: number, typed: readonly (ColumnAggregate | null)[]): Group {
    const at = this.at;
    const id = at === null ? 0 : at.ids === 'nodes' ? nodeIdAt(run, at.index, k)
      : relIdAt(run, at.index, k);
    const entities = this.entities();
    if (id !== this.lastId || this.group === undefined) {
      this.group = this.known(id, entities);
      this.lastId = id;
    }
    if (this.group !== undefined) return this.group;
    selectMatch(run, k);
    const group = this.grouping.first(matchRow(this.context.chain, run.nodes, run.rels),
      entities, id);
    if (this.nodeOrdinals !== null) this.nodeOrdinals[id] = group.ordinal + 1;
    const inOrder = this.grouping.table.inOrder;
    for (; this.groupsTyped < inOrder.length; this.groupsTyped++) {
      const made = inOrder[this.groupsTyped] as Group;
      typed.forEach((t, i) => {
        if (t !== null) made.aggregators[i] = t.resultOf(made.ordinal);
      });
    }
    this.group = group;
    return group;
  }

  /** The group of entity `id` when it has one. */
  private known(id: number, entities: EntityGroups): Group | undefined {
    const dense = this.nodeOrdinals ?? this.maybeDense(entities);
    if (dense === null) return entities.get(id);
    const ordinal = dense[id] ?? 0;
    return ordinal === 0 ? undefined : this.grouping.table.inOrder[ordinal - 1];
  }

  private maybeDense(entities: EntityGroups): Int32Array | null {
    const bound = this.context.view.nodeIdsBound();
    if (this.at?.ids !== 'nodes' || ++this.lookups < bound / 8) return null;
    // Without room for the array under the memory limits, the Map serves.
    this.lookups = -Infinity;
    if (!this.context.state.guard.reserveIfAllowed(bound * Int32Array.BYTES_PER_ELEMENT)) {
      return null;
    }
    const dense = new Int32Array(bound);
    for (const [id, group] of entities) dense[id] = group.ordinal + 1;
    this.nodeOrdinals = dense;
    return dense;
  }

  private entities(): EntityGroups {
    const at = this.at;
    return at === null ? this.grouping.constant
      : at.ids === 'nodes' ? this.grouping.byNode : this.grouping.byRel;
  }
}

/**
 * The sink an id walk of the aggregation's input feeds, or null when the input is not such a
 * walk or the keys or arguments need rows.
 */
export function walkSink(op: AggregateOp, grouping: Grouping, state: ExecState, arg: Row):
  MatchSink | null {
  const chain = walkablePlan(op.source)?.chain ?? null;
  const view = directView(state, arg);
  if (chain === null || view === null) return null;
  const at = entityAt(op.dependence, chain);
  if (at === undefined) return null;
  const readable = op.aggregates.every((spec) =>
    argumentReads(spec.call?.args[0], chain, view, []) !== undefined);
  return readable ? new WalkSink(op, grouping, at, { chain, view, state }) : null;
}

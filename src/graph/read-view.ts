/**
 * The graph as of one version. Every read walks to the newest version no newer than the view's,
 * so results never mix two commits. Must be closed so old versions can be reclaimed.
 */
import { assert } from '../assert.js';
import { PAIR_SLOTS, type NodeAdjacency } from './adjacency.js';
import { rangeAnswerable, type ValueRange } from './ordered-index.js';
import { propertyIndexKey, sameIndexKey, type IndexKey } from './property-codec.js';
import { NO_PROPS_AT } from './rel-columns.js';
import { NumberKind, type NumberRead } from './snapshot-codec.js';
import { entryIds, type IndexEntry } from './index-entry.js';
import type { GraphStore, NodeVersion, Props } from './store.js';
import type {
  Adjacent, ConstraintDescriptor, Direction, GraphReader, IndexDescriptor, NodeId, RelId,
} from './types.js';
import type { PropertyValue } from './values.js';

/** Relationships of one node gathered at a time (see ReadView.relationshipsOf). */
const ADJACENT_SLICE_MAX = 64;

/** Which list a slice is of, and so which end of each relationship is the other node. */
type AdjacencySide = 'out' | 'in' | 'in-skipping-loops';

/**
 * Slots [from, to) and then [tailFrom, tailTo) of `pairs`, a run of a node's (relationship,
 * type) pairs on one side (see adjacency.ts; spanOf), of which the types asked for count (any
 * when null).
 */
interface AdjacencySlice {
  readonly node: NodeId;
  readonly pairs: Int32Array;
  readonly from: number;
  readonly to: number;
  readonly tailFrom: number;
  readonly tailTo: number;
  readonly side: AdjacencySide;
  readonly wanted: Set<number> | null;
  /** The one wanted type, else ANY_TYPE or SEVERAL_TYPES (then `wanted` is asked). */
  readonly only: number;
}

/** Slots [from, to) of `pairs`: part of one node's list. */
interface PairRun {
  readonly pairs: Int32Array;
  readonly from: number;
  readonly to: number;
}

const NO_PAIRS = new Int32Array(0);
const ANY_TYPE = -1;
const SEVERAL_TYPES = -2;

/** A property index resolved for seeks (ReadView.seekTarget). */
interface SeekTarget {
  readonly label: string;
  readonly key: string;
  readonly name: string;
  readonly entries: ReadonlyMap<IndexKey, IndexEntry>;
  readonly labelId: number;
  readonly keyId: number;
}

/** One seek remembered by a ReadView: its arguments and its answer. */
interface SeekMemo {
  label: string | null;
  key: string;
  value: PropertyValue;
  found: readonly NodeId[] | null;
}

function emptySeekMemo(): SeekMemo {
  return { label: null, key: '', value: false, found: null };
}

function isSeekOf(memo: SeekMemo, label: string, key: string, value: PropertyValue): boolean {
  return memo.label === label && memo.value === value && memo.key === key;
}

export class ReadView implements GraphReader {
  private closed = false;
  private lastTypes: { readonly types: readonly string[]; readonly ids: Set<number> } | null = null;
  /**
   * The last small adjacency handed out: costing a walk and walking it ask for the same. In
   * fields rather than one object, as it changes once per node expanded.
   */
  private lastAdjacentNode = -1;
  private lastAdjacentDirection: Direction = 'out';
  private lastAdjacentTypes: readonly string[] | undefined = undefined;
  private lastAdjacentFound: readonly Adjacent[] = [];
  /** The last two seeks, the later first (see seekNodes); their objects are reused. */
  private seekRecent: SeekMemo = emptySeekMemo();
  private seekBefore: SeekMemo = emptySeekMemo();
  /** Where the last seek's (label, key) led; valid while the index keeps its map (seekTarget). */
  private seekTargetLast: SeekTarget | null = null;

  constructor(
    private readonly store: GraphStore,
    readonly version: number,
  ) {}

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.store.closeView(this.version);
  }

  node(id: NodeId): NodeVersion | null {
    let v = this.store.nodes[id];
    while (v && v.from > this.version) v = v.older ?? undefined;
    return v && !v.deleted ? v : null;
  }

  private liveNode(id: NodeId): NodeVersion {
    const n = this.node(id);
    assert(n !== null, 'ReadView: reading a node that is not visible');
    return n;
  }

  relVisible(id: RelId): boolean {
    return this.store.rels.visible(id, this.version);
  }

  relPropsMap(id: RelId): Props {
    const at = this.store.rels.propsAt[id] ?? NO_PROPS_AT;
    if (at !== NO_PROPS_AT) {
      return (this.store.rels.from[id] ?? Infinity) <= this.version
        ? this.store.relPropArena.map(at) : new Map();
    }
    let v = this.store.relPropVersions.get(id);
    while (v && v.from > this.version) v = v.older ?? undefined;
    return v?.props ?? new Map();
  }

  nodeExists(id: NodeId): boolean {
    return this.node(id) !== null;
  }

  nodeLabels(id: NodeId): readonly string[] {
    return this.liveNode(id).labels.map((l) => this.store.labels.name(l));
  }

  hasLabel(id: NodeId, label: string): boolean {
    const l = this.store.labels.lookup(label);
    return l !== undefined && (this.node(id)?.labels.includes(l) ?? false);
  }

  nodeProperty(id: NodeId, key: string): PropertyValue | null {
    const k = this.store.keys.lookup(key);
    return k === undefined ? null : (this.store.nodeProperty(this.liveNode(id), k) ?? null);
  }

  nodeProperties(id: NodeId): Map<string, PropertyValue> {
    return this.named(this.store.nodeProps(this.liveNode(id)));
  }

  named(props: Props): Map<string, PropertyValue> {
    const out = new Map<string, PropertyValue>();
    for (const [k, v] of props) out.set(this.store.keys.name(k), v);
    return out;
  }

  relExists(id: RelId): boolean {
    return this.relVisible(id);
  }

  relType(id: RelId): string {
    return this.store.types.name(this.store.rels.type[id] ?? -1);
  }

  relStart(id: RelId): NodeId {
    return this.store.rels.start[id] ?? -1;
  }

  relEnd(id: RelId): NodeId {
    return this.store.rels.end[id] ?? -1;
  }

  relProperty(id: RelId, key: string): PropertyValue | null {
    const k = this.store.keys.lookup(key);
    if (k === undefined) return null;
    const at = this.store.rels.propsAt[id] ?? NO_PROPS_AT;
    if (at !== NO_PROPS_AT && (this.store.rels.from[id] ?? Infinity) <= this.version) {
      return this.store.relPropArena.get(at, k) ?? null;
    }
    return this.relPropsMap(id).get(k) ?? null;
  }

  relProperties(id: RelId): Map<string, PropertyValue> {
    return this.named(this.relPropsMap(id));
  }

  *allNodes(): Iterable<NodeId> {
    const count = this.store.nodes.length;
    for (let id = 0; id < count; id++) if (this.node(id)) yield id;
  }

  *nodesByLabel(label: string): Iterable<NodeId> {
    const l = this.store.labels.lookup(label);
    const set = l === undefined ? undefined : this.store.labelNodes.get(l);
    if (!set || l === undefined) return;
    for (const id of set) if (this.node(id)?.labels.includes(l)) yield id;
  }

  *allRelationships(): Iterable<RelId> {
    const count = this.store.rels.count;
    for (let id = 0; id < count; id++) if (this.relVisible(id)) yield id;
  }

  *relationshipsOfTypes(types: readonly string[]): Iterable<RelId> {
    const wanted = this.typeIds(types);
    if (wanted === null || wanted.size === 0) return;
    const relTypes = this.store.rels.type;
    const { first, end } = this.store.rels.typesIdRange(wanted);
    for (let id = first; id < end; id++) {
      if (wanted.has(relTypes[id] as number) && this.relVisible(id)) yield id;
    }
  }

  /**
   * relationshipsOfTypes without a generator, for the id walk: `visit` gets each relationship
   * with its start and end, `wanted` being typeIds(types).
   */
  forEachRelationshipOfTypes(wanted: Set<number>,
    visit: (rel: RelId, start: NodeId, end: NodeId) => void): void {
    const only = onlyType(wanted);
    const rels = this.store.rels;
    const { type: relTypes, start, end, from } = rels;
    const version = this.version;
    // Without deletes in flight, visible is created by this version: one column read.
    const deletes = rels.deletedAt.size > 0;
    const range = rels.typesIdRange(wanted);
    for (let id = range.first; id < range.end; id++) {
      if (!typeWanted(relTypes[id] as number, only, wanted)) continue;
      if (deletes ? rels.visible(id, version) : (from[id] as number) <= version) {
        visit(id, start[id] as number, end[id] as number);
      }
    }
  }

  /**
   * Type ids of `types`, remembered for the last list asked about: an expansion asks with the
   * same list for every node it visits. A type interned after this view was opened is missing
   * from the answer, which is right: only relationships newer than the view can have it.
   */
  typeIds(types: readonly string[] | undefined): Set<number> | null {
    if (!types || types.length === 0) return null;
    if (this.lastTypes?.types === types) return this.lastTypes.ids;
    const ids = new Set<number>();
    for (const t of types) {
      const id = this.store.types.lookup(t);
      if (id !== undefined) ids.add(id);
    }
    this.lastTypes = { types, ids };
    return ids;
  }

  /**
   * A small adjacency comes back whole, as an array, which is cheaper to walk than a generator;
   * a hub's comes in slices, so a walk that stops early (a capped degree count, LIMIT) reads
   * little of it. A node's pairs carry their types, so an expansion by type filters one run read in
   * order. The applier writes only past the length a reader took, or writes a list anew
   * elsewhere (see adjacency.ts), so pairs taken here stay safe to read.
   */
  relationshipsOf(node: NodeId, direction: Direction, types?: readonly string[]):
    Iterable<Adjacent> {
    const wanted = this.typeIds(types);
    if (wanted && wanted.size === 0) return [];
    if (this.lastAdjacentNode === node && this.lastAdjacentDirection === direction &&
      this.lastAdjacentTypes === types) return this.lastAdjacentFound;
    const outs = direction === 'in' ? null : this.store.outRels;
    const ins = direction === 'out' ? null : this.store.inRels;
    const outLength = outs?.length(node) ?? 0;
    const inLength = ins?.length(node) ?? 0;
    // Both directions: a self-loop is in both lists and is reported once, from the out list.
    const inSide: AdjacencySide = direction === 'both' ? 'in-skipping-loops' : 'in';
    if (outLength + inLength > ADJACENT_SLICE_MAX) {
      return this.adjacentInSlices([sliceOf(node, outs, 'out', wanted),
        sliceOf(node, ins, inSide, wanted)]);
    }
    const found: Adjacent[] = [];
    if (outs !== null && outLength > 0) this.collectList(found, node, outs, 'out', wanted);
    if (ins !== null && inLength > 0) this.collectList(found, node, ins, inSide, wanted);
    this.lastAdjacentNode = node;
    this.lastAdjacentDirection = direction;
    this.lastAdjacentTypes = types;
    this.lastAdjacentFound = found;
    return found;
  }

  private *adjacentInSlices(parts: readonly AdjacencySlice[]): Generator<Adjacent> {
    const step = ADJACENT_SLICE_MAX * PAIR_SLOTS;
    for (const part of parts) {
      for (const [start, end] of [[part.from, part.to], [part.tailFrom, part.tailTo]] as const) {
        for (let from = start; from < end; from += step) {
          const found: Adjacent[] = [];
          this.collectAdjacent(found, part.node, part.side, part.wanted,
            { pairs: part.pairs, from, to: Math.min(end, from + step) });
          yield* found;
        }
      }
    }
  }

  /** Appends the visible relationships of the wanted types in `node`'s list on one side. */
  private collectList(found: Adjacent[], node: NodeId, adjacency: NodeAdjacency,
    side: AdjacencySide, wanted: Set<number> | null): void {
    const span = spanOf(adjacency, node, onlyType(wanted));
    const pairs = adjacency.pairs(node);
    const tailFrom = span[2] as number;
    const tailTo = span[3] as number;
    this.collectAdjacent(found, node, side, wanted,
      { pairs, from: span[0] as number, to: span[1] as number });
    if (tailFrom < tailTo) {
      this.collectAdjacent(found, node, side, wanted, { pairs, from: tailFrom, to: tailTo });
    }
  }

  /** Appends the visible relationships of the wanted types in pair slots [from, to) of a run. */
  private collectAdjacent(found: Adjacent[], node: NodeId, side: AdjacencySide,
    wanted: Set<number> | null, run: PairRun): void {
    const columns = this.store.rels;
    const only = onlyType(wanted);
    const { pairs, from, to } = run;
    const ends = side === 'out' ? columns.end : columns.start;
    for (let i = from; i < to; i += PAIR_SLOTS) {
      if (!typeWanted(pairs[i + 1] as number, only, wanted)) continue;
      const rel = pairs[i] as number;
      if (side === 'in-skipping-loops' && columns.start[rel] === node) continue;
      if (this.relVisible(rel)) found.push({ rel, other: ends[rel] ?? -1 });
    }
  }

  /** Counts without gathering: no object per relationship. */
  degree(node: NodeId, direction: Direction, types?: readonly string[]): number {
    const wanted = this.typeIds(types);
    if (wanted && wanted.size === 0) return 0;
    const outs = direction === 'in' ? null : this.store.outRels;
    const ins = direction === 'out' ? null : this.store.inRels;
    return this.visibleCount(sliceOf(node, outs, 'out', wanted)) +
      this.visibleCount(sliceOf(node, ins, direction === 'both' ? 'in-skipping-loops' : 'in',
        wanted));
  }

  private visibleCount(slice: AdjacencySlice): number {
    return this.countRange(slice, slice.from, slice.to) +
      this.countRange(slice, slice.tailFrom, slice.tailTo);
  }

  private countRange(slice: AdjacencySlice, from: number, to: number): number {
    const { node, pairs, wanted, only } = slice;
    const skipLoops = slice.side === 'in-skipping-loops';
    let n = 0;
    for (let i = from; i < to; i += PAIR_SLOTS) {
      if (!typeWanted(pairs[i + 1] as number, only, wanted)) continue;
      const rel = pairs[i] as number;
      if (skipLoops && this.store.rels.start[rel] === node) continue;
      if (this.relVisible(rel)) n++;
    }
    return n;
  }

  /**
   * The view never changes, so a seek with the arguments of one of the last two returns its
   * answer: the planner seeks once to cost a start point and again to start from it, and a
   * load seeks both ends of each row, one of which often repeats over many rows (the person a
   * batch of relationships was made around).
   */
  seekNodes(label: string, key: string, value: PropertyValue): Iterable<NodeId> | null {
    const recent = this.seekRecent;
    if (isSeekOf(recent, label, key, value)) return recent.found;
    const before = this.seekBefore;
    this.seekBefore = recent;
    this.seekRecent = before;
    if (isSeekOf(before, label, key, value)) return before.found;
    before.label = label;
    before.key = key;
    before.value = value;
    before.found = this.seekIndex(label, key, value);
    return before.found;
  }

  /**
   * The index over (label, key) with the label's and key's ids, null when there is none, and
   * undefined when the label or key was never used. Remembered for the next call: an index
   * dropped or built again has a new map, so a remembered one still in place is current.
   */
  private seekTarget(label: string, key: string): SeekTarget | null | undefined {
    const last = this.seekTargetLast;
    if (last !== null && last.label === label && last.key === key &&
      this.store.propertyIndexes.get(last.name) === last.entries) return last;
    const ix = this.store.schema.findNodeIndex(label, key);
    if (!ix) return null;
    const entries = this.store.propertyIndexes.get(ix.name);
    const labelId = this.store.labels.lookup(label);
    const keyId = this.store.keys.lookup(key);
    if (entries === undefined || labelId === undefined || keyId === undefined) return undefined;
    const target = { label, key, name: ix.name, entries, labelId, keyId };
    this.seekTargetLast = target;
    return target;
  }

  private seekIndex(label: string, key: string, value: PropertyValue): readonly NodeId[] | null {
    const target = this.seekTarget(label, key);
    if (target === null) return null;
    if (target === undefined) return [];
    const wanted = propertyIndexKey(value);
    const entry = target.entries.get(wanted);
    if (entry === undefined) return [];
    // A unique index holds one id per key: checked without an iterator.
    if (typeof entry === 'number') {
      return this.seekFits(entry, target, value, wanted) ? [entry] : [];
    }
    const out: NodeId[] = [];
    for (const id of entry) if (this.seekFits(id, target, value, wanted)) out.push(id);
    return out;
  }

  /**
   * The index may hold stale ids: recheck. A node whose properties are still those it was
   * created or loaded with (an arena offset, not a Map), under an id no node had before it,
   * was only ever indexed under its own value: its key needs no second look. Equal primitives
   * need no key to compare.
   */
  private seekFits(id: NodeId, target: SeekTarget, value: PropertyValue, wanted: IndexKey):
    boolean {
    const n = this.node(id);
    if (n === null || !n.labels.includes(target.labelId)) return false;
    if (typeof n.props === 'number' && !this.store.idEverDeleted(id)) return true;
    const v = this.store.nodeProperty(n, target.keyId);
    return v !== undefined && (v === value || sameIndexKey(propertyIndexKey(v), wanted));
  }

  /**
   * Candidates come from the ordered keys in range; a node is kept only under the key of its
   * visible value, which both drops stale ids and reports a node found under two keys (an old
   * value and a new one, both in range) once.
   */
  seekNodesInRange(label: string, key: string, range: ValueRange): Iterable<NodeId> | null {
    const ix = this.store.schema.findNodeIndex(label, key);
    const ordered = ix === undefined ? undefined : this.store.orderedIndex(ix.name);
    const entries = ix === undefined ? undefined : this.store.propertyIndexes.get(ix.name);
    if (!ordered || !entries || !rangeAnswerable(range)) return null;
    const l = this.store.labels.lookup(label);
    const k = this.store.keys.lookup(key);
    if (l === undefined || k === undefined) return [];
    const out: NodeId[] = [];
    for (const indexKey of ordered.keysIn(range)) {
      for (const id of entryIds(entries.get(indexKey))) {
        const n = this.node(id);
        const v = n === null ? undefined : this.store.nodeProperty(n, k);
        if (n && v !== undefined && n.labels.includes(l) &&
          sameIndexKey(propertyIndexKey(v), indexKey)) {
          out.push(id);
        }
      }
    }
    return out;
  }

  rangeFraction(label: string, key: string, range: ValueRange): number | null {
    const ix = this.store.schema.findNodeIndex(label, key);
    const ordered = ix === undefined ? undefined : this.store.orderedIndex(ix.name);
    if (!ordered || !rangeAnswerable(range)) return null;
    const total = ordered.size();
    return total === 0 ? 0 : ordered.countIn(range) / total;
  }

  hasNodeIndex(label: string, key: string): boolean {
    return this.store.schema.findNodeIndex(label, key) !== undefined;
  }

  nodeCount(): number {
    return this.store.liveNodeCount;
  }

  relationshipCount(): number {
    return this.store.liveRelCount;
  }

  labelCount(label: string): number {
    const l = this.store.labels.lookup(label);
    return l === undefined ? 0 : (this.store.labelNodes.get(l)?.size ?? 0);
  }

  labels(): readonly string[] {
    return this.store.labels.all();
  }

  relationshipTypes(): readonly string[] {
    return this.store.types.all();
  }

  propertyKeys(): readonly string[] {
    return this.store.keys.all();
  }

  indexes(): readonly IndexDescriptor[] {
    return this.store.schema.indexes();
  }

  constraints(): readonly ConstraintDescriptor[] {
    return this.store.schema.constraints();
  }

  // Reads by interned id, for fused operators (cypher/exec/id-walk.ts) that walk millions of
  // matches without a row, a reference or a name lookup each.

  /** The interned id of `label`; undefined when no node ever had it. */
  labelId(label: string): number | undefined {
    return this.store.labels.lookup(label);
  }

  /** The interned id of property key `key`; undefined when nothing ever had it. */
  propertyKeyId(key: string): number | undefined {
    return this.store.keys.lookup(key);
  }

  /**
   * Ids that had label `labelId` at some version, in nodesByLabel's order; stale ones included,
   * so check each with node(id).
   */
  nodeIdsOnceLabelled(labelId: number): Iterable<NodeId> {
    return this.store.labelNodes.get(labelId) ?? [];
  }

  /** Property `keyId` of visible node `id` (nodeProperty by key id). */
  nodePropertyByKeyId(id: NodeId, keyId: number): PropertyValue | null {
    return this.store.nodeProperty(this.liveNode(id), keyId) ?? null;
  }

  /**
   * Calls `visit` with each visible relationship of `node` that relationshipsOf(node, direction,
   * types) gives, in the same order, `wanted` being typeIds(types): no object per relationship.
   */
  forEachAdjacent(node: NodeId, direction: Direction, wanted: Set<number> | null,
    visit: (rel: RelId, other: NodeId) => void): void {
    if (wanted && wanted.size === 0) return;
    const only = onlyType(wanted);
    const columns = this.store.rels;
    if (direction !== 'in') {
      this.visitSide(this.store.outRels, node, only, wanted, columns.end, false, visit);
    }
    if (direction === 'out') return;
    // Both directions: a self-loop was given from the out list.
    this.visitSide(this.store.inRels, node, only, wanted, columns.start, direction === 'both',
      visit);
  }

  /**
   * forEachAdjacent over one side's list; `others` gives each relationship's far end, and
   * `skipLoops` passes over relationships that start at `node`.
   */
  private visitSide(adjacency: NodeAdjacency, node: NodeId, only: number,
    wanted: Set<number> | null, others: Int32Array, skipLoops: boolean,
    visit: (rel: RelId, other: NodeId) => void): void {
    const pairs = adjacency.pairs(node);
    // Copied out before any visit: a visit may expand another node, and spanOf reuses SPAN.
    const span = spanOf(adjacency, node, only);
    const tailFrom = span[2] as number;
    const tailTo = span[3] as number;
    // Arguments, not an object: this runs for every node an id walk expands.
    this.visitRange(node, pairs, span[0] as number, span[1] as number, only, wanted, others,
      skipLoops, visit);
    if (tailFrom < tailTo) {
      this.visitRange(node, pairs, tailFrom, tailTo, only, wanted, others, skipLoops, visit);
    }
  }

  /** visitSide over pair slots [from, to) of `node`'s list `pairs`. */
  private visitRange(node: NodeId, pairs: Int32Array, from: number, to: number, only: number,
    wanted: Set<number> | null, others: Int32Array, skipLoops: boolean,
    visit: (rel: RelId, other: NodeId) => void): void {
    const starts = this.store.rels.start;
    for (let i = from; i < to; i += PAIR_SLOTS) {
      if (!typeWanted(pairs[i + 1] as number, only, wanted)) continue;
      const rel = pairs[i] as number;
      if (skipLoops && starts[rel] === node) continue;
      if (this.relVisible(rel)) visit(rel, others[rel] ?? -1);
    }
  }

  /** One more than the highest node id ever stored: a bound for arrays indexed by node id. */
  nodeIdsBound(): number {
    return this.store.nodes.length;
  }

  /**
   * How many entries `node`'s adjacency holds on `direction`'s sides, of every type, stale ones
   * included: a bound on forEachAdjacent's visits that reads no relationship.
   */
  adjacentEntriesMax(node: NodeId, direction: Direction): number {
    const outs = direction === 'in' ? 0 : this.store.outRels.length(node);
    return outs + (direction === 'out' ? 0 : this.store.inRels.length(node));
  }

  /**
   * Property `keyId` of `node` (a version node(id) gave) into `out` as a plain number when it
   * is a float or an integer within 2^53, without the bigint versionPropertyByKeyId would make;
   * kind Other for any other value, Absent when missing.
   */
  versionNumberByKeyId(node: NodeVersion, keyId: number, out: NumberRead): void {
    const p = node.props;
    if (typeof p === 'number') {
      this.store.nodePropArena.readNumber(p, keyId, out);
      return;
    }
    const value = p.get(keyId);
    out.kind = NumberKind.Other;
    if (value === undefined) out.kind = NumberKind.Absent;
    else if (typeof value === 'number') {
      out.kind = NumberKind.Float;
      out.value = value;
    } else if (typeof value === 'bigint' && Number.isSafeInteger(Number(value))) {
      out.kind = NumberKind.Integer;
      out.value = Number(value);
    }
  }

  /**
   * Whether property `keyId` of `node` equals the well-formed string whose UTF-8 bytes are
   * `utf8`: compared encoded, no string made, when the node's properties are as created; null
   * when they were updated (then read the value).
   */
  versionTextEquals(node: NodeVersion, keyId: number, utf8: Uint8Array): boolean | null {
    const p = node.props;
    return typeof p === 'number' ? this.store.nodePropArena.textEquals(p, keyId, utf8) : null;
  }

  /** Property `keyId` of `node`, a version node(id) gave: no second walk to the version. */
  versionPropertyByKeyId(node: NodeVersion, keyId: number): PropertyValue | null {
    return this.store.nodeProperty(node, keyId) ?? null;
  }
}

/** All of `node`'s list in `adjacency` as a slice; an empty one when `adjacency` is null. */
function sliceOf(node: NodeId, adjacency: NodeAdjacency | null, side: AdjacencySide,
  wanted: Set<number> | null): AdjacencySlice {
  const only = onlyType(wanted);
  if (adjacency === null) {
    return { node, pairs: NO_PAIRS, from: 0, to: 0, tailFrom: 0, tailTo: 0, side, wanted, only };
  }
  const span = spanOf(adjacency, node, only);
  return { node, pairs: adjacency.pairs(node), from: span[0] as number, to: span[1] as number,
    tailFrom: span[2] as number, tailTo: span[3] as number, side, wanted, only };
}

/** spanOf's answer; read at once, as the next call writes it again. */
const SPAN = new Int32Array(4);

/**
 * The pair slots of `node`'s list on one side that can hold the wanted types, as [from, to,
 * tailFrom, tailTo] of pairs(node): with one type (`only` from onlyType), its segment of the
 * part grouped by type (adjacency.ts), found by binary search, then the pairs appended after
 * that part; otherwise the whole list and an empty tail. Every reader walks the same slots in
 * the same order, so they agree on the order of a node's relationships.
 */
function spanOf(adjacency: NodeAdjacency, node: NodeId, only: number): Int32Array {
  const first = adjacency.first(node);
  const end = first + adjacency.length(node) * PAIR_SLOTS;
  if (only < 0) {
    SPAN[0] = first;
    SPAN[1] = end;
    SPAN[2] = end;
    SPAN[3] = end;
    return SPAN;
  }
  const pairs = adjacency.pairs(node);
  const groupedEnd = first + adjacency.grouped(node) * PAIR_SLOTS;
  const segment = firstPairOfType(pairs, first, groupedEnd, only);
  SPAN[0] = segment;
  SPAN[1] = firstPairOfType(pairs, segment, groupedEnd, only + 1);
  SPAN[2] = groupedEnd;
  SPAN[3] = end;
  return SPAN;
}

/** The slot of the first pair in [from, to), ordered by type, whose type is `type` or more. */
function firstPairOfType(pairs: Int32Array, from: number, to: number, type: number): number {
  let low = 0;
  let high = (to - from) / PAIR_SLOTS;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((pairs[from + middle * PAIR_SLOTS + 1] as number) < type) low = middle + 1;
    else high = middle;
  }
  return from + low * PAIR_SLOTS;
}

/**
 * The Set that onlyType last answered for, with its size then and the answer: callers pass the
 * same few sets (typeIds keeps its last) for every node they expand, and taking a set's one
 * element makes an iterator.
 */
let onlyTypeOf: Set<number> | null = null;
let onlyTypeSize = 0;
let onlyTypeId = ANY_TYPE;

/** The one type id of `wanted`; ANY_TYPE when null, SEVERAL_TYPES when it holds more. */
function onlyType(wanted: Set<number> | null): number {
  if (wanted === null) return ANY_TYPE;
  if (wanted !== onlyTypeOf || wanted.size !== onlyTypeSize) {
    onlyTypeOf = wanted;
    onlyTypeSize = wanted.size;
    onlyTypeId = SEVERAL_TYPES;
    if (wanted.size === 1) for (const t of wanted) onlyTypeId = t;
  }
  return onlyTypeId;
}

/**
 * True when a pair's `type` is wanted, `only` and `wanted` being onlyType(wanted) and the set:
 * a comparison for one type, not a lookup.
 */
function typeWanted(type: number, only: number, wanted: Set<number> | null): boolean {
  if (only >= 0) return type === only;
  return only === ANY_TYPE || (wanted as Set<number>).has(type);
}

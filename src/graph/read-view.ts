/**
 * The graph as of one version. Every read walks to the newest version no newer than the view's,
 * so results never mix two commits. Must be closed so old versions can be reclaimed.
 */
import { assert } from '../assert.js';
import { nextOf, relsOf, typeOf, type NodeRels } from './adjacency.js';
import { rangeAnswerable, type ValueRange } from './ordered-index.js';
import { propertyIndexKey, sameIndexKey, type IndexKey } from './property-codec.js';
import { NO_PROPS_AT } from './rel-columns.js';
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

/** A node's relationships on one side, with the types asked for (any when null). */
interface AdjacencyPart {
  readonly node: NodeId;
  readonly slot: NodeRels | undefined;
  readonly side: AdjacencySide;
  readonly wanted: Set<number> | null;
}

/** A run of one type list; `side` is 'out' when absent. */
interface AdjacencySlice {
  readonly node: NodeId;
  readonly rels: readonly number[];
  readonly from: number;
  readonly to: number;
  readonly side?: AdjacencySide;
}

/** A property index resolved for seeks (ReadView.seekTarget). */
interface SeekTarget {
  readonly label: string;
  readonly key: string;
  readonly name: string;
  readonly entries: ReadonlyMap<IndexKey, IndexEntry>;
  readonly labelId: number;
  readonly keyId: number;
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
  /** The last seek's arguments and answer, in fields: a load seeks twice per row. */
  private lastSeekLabel: string | null = null;
  private lastSeekKey = '';
  private lastSeekValue: PropertyValue = false;
  private lastSeekFound: readonly NodeId[] | null = null;
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
   * little of it. Only the lists of the types asked for are read. Lists are only appended to or
   * replaced (see adjacency.ts), so a list taken here stays safe to read.
   */
  relationshipsOf(node: NodeId, direction: Direction, types?: readonly string[]):
    Iterable<Adjacent> {
    const wanted = this.typeIds(types);
    if (wanted && wanted.size === 0) return [];
    if (this.lastAdjacentNode === node && this.lastAdjacentDirection === direction &&
      this.lastAdjacentTypes === types) return this.lastAdjacentFound;
    const outs = direction === 'in' ? undefined : this.store.outRels[node];
    const ins = direction === 'out' ? undefined : this.store.inRels[node];
    // Both directions: a self-loop is in both lists and is reported once, from the out list.
    const inSide: AdjacencySide = direction === 'both' ? 'in-skipping-loops' : 'in';
    if (this.wantedSize(outs, wanted) + this.wantedSize(ins, wanted) > ADJACENT_SLICE_MAX) {
      return this.adjacentInSlices([{ node, slot: outs, side: 'out', wanted },
        { node, slot: ins, side: inSide, wanted }]);
    }
    const found: Adjacent[] = [];
    for (let list = outs ?? null; list !== null; list = nextOf(list)) {
      const rels = this.wantedRels(list, wanted);
      if (rels !== null) this.collectAdjacent(found, { node, rels, from: 0, to: rels.length });
    }
    for (let list = ins ?? null; list !== null; list = nextOf(list)) {
      const rels = this.wantedRels(list, wanted);
      if (rels !== null) {
        this.collectAdjacent(found, { node, rels, from: 0, to: rels.length, side: inSide });
      }
    }
    this.lastAdjacentNode = node;
    this.lastAdjacentDirection = direction;
    this.lastAdjacentTypes = types;
    this.lastAdjacentFound = found;
    return found;
  }

  /** The relationships of one type list when its type is wanted (any when null), else null. */
  private wantedRels(list: NodeRels, wanted: Set<number> | null): readonly number[] | null {
    if (wanted && !wanted.has(typeOf(list, this.store.rels.type))) return null;
    return relsOf(list);
  }

  /** How many entries the wanted lists of `slot` hold (stale ones included). */
  private wantedSize(slot: NodeRels | undefined, wanted: Set<number> | null): number {
    let n = 0;
    for (let list = slot ?? null; list !== null; list = nextOf(list)) {
      n += this.wantedRels(list, wanted)?.length ?? 0;
    }
    return n;
  }

  private *adjacentInSlices(parts: readonly AdjacencyPart[]): Generator<Adjacent> {
    for (const { node, slot, side, wanted } of parts) {
      for (let list = slot ?? null; list !== null; list = nextOf(list)) {
        const rels = this.wantedRels(list, wanted);
        for (let from = 0; rels !== null && from < rels.length; from += ADJACENT_SLICE_MAX) {
          const found: Adjacent[] = [];
          const to = Math.min(rels.length, from + ADJACENT_SLICE_MAX);
          this.collectAdjacent(found, { node, rels, from, to, side });
          yield* found;
        }
      }
    }
  }

  /** Appends the visible relationships of `slice`, a run of one wanted list. */
  private collectAdjacent(found: Adjacent[], slice: AdjacencySlice): void {
    const columns = this.store.rels;
    const { node, rels } = slice;
    const side = slice.side ?? 'out';
    const ends = side === 'out' ? columns.end : columns.start;
    for (let i = slice.from; i < slice.to; i++) {
      const rel = rels[i] as number;
      if (side === 'in-skipping-loops' && columns.start[rel] === node) continue;
      if (this.relVisible(rel)) found.push({ rel, other: ends[rel] ?? -1 });
    }
  }

  /** Counts without gathering: the lists of other types are not read at all. */
  degree(node: NodeId, direction: Direction, types?: readonly string[]): number {
    const wanted = this.typeIds(types);
    if (wanted && wanted.size === 0) return 0;
    const outs = direction === 'in' ? undefined : this.store.outRels[node];
    const ins = direction === 'out' ? undefined : this.store.inRels[node];
    return this.visibleCount(node, outs, false, wanted) +
      this.visibleCount(node, ins, direction === 'both', wanted);
  }

  private visibleCount(node: NodeId, slot: NodeRels | undefined, skipLoops: boolean,
    wanted: Set<number> | null): number {
    let n = 0;
    for (let list = slot ?? null; list !== null; list = nextOf(list)) {
      for (const rel of this.wantedRels(list, wanted) ?? []) {
        if (skipLoops && this.store.rels.start[rel] === node) continue;
        if (this.relVisible(rel)) n++;
      }
    }
    return n;
  }

  /**
   * The planner seeks once to cost a start point and again to start from it; the view never
   * changes, so the second seek with the same arguments returns the first one's answer.
   */
  seekNodes(label: string, key: string, value: PropertyValue): Iterable<NodeId> | null {
    if (this.lastSeekLabel === label && this.lastSeekValue === value &&
      this.lastSeekKey === key) return this.lastSeekFound;
    const found = this.seekIndex(label, key, value);
    this.lastSeekLabel = label;
    this.lastSeekKey = key;
    this.lastSeekValue = value;
    this.lastSeekFound = found;
    return found;
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

  /** The index may hold stale ids: recheck. Equal primitives need no key to compare. */
  private seekFits(id: NodeId, target: SeekTarget, value: PropertyValue, wanted: IndexKey):
    boolean {
    const n = this.node(id);
    if (n === null || !n.labels.includes(target.labelId)) return false;
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
    const columns = this.store.rels;
    if (direction !== 'in') {
      for (let list = this.store.outRels[node] ?? null; list !== null; list = nextOf(list)) {
        const rels = this.wantedRels(list, wanted) ?? [];
        for (let i = 0; i < rels.length; i++) {
          const rel = rels[i] as number;
          if (this.relVisible(rel)) visit(rel, columns.end[rel] ?? -1);
        }
      }
    }
    if (direction === 'out') return;
    for (let list = this.store.inRels[node] ?? null; list !== null; list = nextOf(list)) {
      const rels = this.wantedRels(list, wanted) ?? [];
      for (let i = 0; i < rels.length; i++) {
        const rel = rels[i] as number;
        // Both directions: a self-loop was given from the out list.
        if (direction === 'both' && columns.start[rel] === node) continue;
        if (this.relVisible(rel)) visit(rel, columns.start[rel] ?? -1);
      }
    }
  }
}

/**
 * A write transaction's private layer over a ReadView: reads see the view plus this
 * transaction's own changes; writes touch only this layer. Commit turns the layer into a
 * ChangeSet; rollback drops it. Nothing here touches the shared store.
 */
import { QuiverError } from '../errors/quiver-error.js';
import type { ChangeSet, SchemaChange } from './changeset.js';
import { ChangeSetWriter } from './changeset-writer.js';
import { validateConstraints } from './constraint-check.js';
import { CreatedRels } from './created-rels.js';
import { valueInRange, type ValueRange } from './ordered-index.js';
import { propertyIndexKey, sameIndexKey, type IndexKey } from './property-codec.js';
import { toPropertyValue } from './property-value.js';
import type { ReadView } from './read-view.js';
import { SchemaDraft } from './schema-draft.js';
import {
  emptyStatistics, type Adjacent, type ConstraintDescriptor, type Direction, type GraphWriter,
  type IndexDescriptor, type NodeId, type QueryStatistics, type RelId,
} from './types.js';
import type { PropertyValue, Value } from './values.js';

export interface NodeDraft {
  readonly created: boolean;
  readonly labels: Set<string>;
  readonly props: Map<string, PropertyValue>;
}

/** An existing relationship this transaction changed (created ones are in CreatedRels). */
interface RelDraft {
  readonly type: string;
  readonly start: NodeId;
  readonly end: NodeId;
  readonly props: Map<string, PropertyValue>;
}

/**
 * This transaction's nodes by value of one (label, key) pair, built the first time seekNodes is
 * asked about the pair and kept up to date from then on. Entries may be stale (a label removed,
 * a value changed again): seekNodes rechecks each candidate.
 */
interface DraftSeekIndex {
  readonly label: string;
  readonly key: string;
  readonly byValue: Map<IndexKey, Set<NodeId>>;
}

/**
 * What a commit is checked on against concurrent ones (db/commit-gate.ts): a node as its id, a
 * relationship as -1 - id, anything else (a unique value, the schema) as text. Numbers, so the
 * thousands of keys of a load are neither built nor hashed as strings.
 */
export type ConflictKey = number | string;

export function relConflictKey(id: RelId): number {
  return -1 - id;
}

export interface IdAllocator {
  nodeId(): NodeId;
  relId(): RelId;
}

export class WriteTx implements GraphWriter {
  statistics: QueryStatistics = emptyStatistics();
  /** null marks an entity deleted in this transaction. */
  readonly nodeDrafts = new Map<NodeId, NodeDraft | null>();
  /** Existing relationships changed (a draft) or deleted (null) in this transaction. */
  private readonly relDrafts = new Map<RelId, RelDraft | null>();
  private readonly createdRels = new CreatedRels();
  private readonly gainedLabel = new Map<string, Set<NodeId>>();
  private readonly draftSeeks: DraftSeekIndex[] = [];
  /**
   * Nodes the base view's seeks found, so known to exist in it. The view never changes, so a
   * node once found stays found; a created relationship's end check reads this bit instead of
   * the node's version, a cache miss per end on a large graph (a load seeks both ends first).
   */
  private readonly foundInBase = new NodeIdBits();
  private readonly schemaDraft: SchemaDraft;
  /** Entities this transaction changed; a concurrent commit to any of them is a conflict. */
  readonly exclusiveKeys = new Set<ConflictKey>();
  /** Entities that must merely survive until commit (endpoints of new relationships). */
  readonly sharedKeys = new Set<ConflictKey>();
  /** Records for layers above the graph (users, roles), committed with this transaction. */
  readonly systemRecords: unknown[] = [];

  constructor(
    readonly base: ReadView,
    private readonly ids: IdAllocator,
  ) {
    this.schemaDraft = new SchemaDraft(base);
  }

  get isEmpty(): boolean {
    return this.nodeDrafts.size === 0 && this.relDrafts.size === 0 &&
      this.createdRels.count === 0 && this.schemaDraft.isEmpty && this.systemRecords.length === 0;
  }

  // ---- reads -------------------------------------------------------------------------------

  private draft(id: NodeId): NodeDraft | null | undefined {
    return this.nodeDrafts.get(id);
  }

  nodeExists(id: NodeId): boolean {
    const d = this.draft(id);
    if (d !== undefined) return d !== null;
    return this.foundInBase.has(id) || this.base.nodeExists(id);
  }

  private liveDraftOrBase(id: NodeId): NodeDraft | null {
    const d = this.draft(id);
    if (d === null || (d === undefined && !this.base.nodeExists(id))) {
      throw nodeDeleted(id);
    }
    return d ?? null;
  }

  nodeLabels(id: NodeId): readonly string[] {
    const d = this.liveDraftOrBase(id);
    return d ? [...d.labels] : this.base.nodeLabels(id);
  }

  hasLabel(id: NodeId, label: string): boolean {
    const d = this.draft(id);
    if (d === null) return false;
    return d ? d.labels.has(label) : this.base.hasLabel(id, label);
  }

  nodeProperty(id: NodeId, key: string): PropertyValue | null {
    const d = this.liveDraftOrBase(id);
    return d ? (d.props.get(key) ?? null) : this.base.nodeProperty(id, key);
  }

  nodeProperties(id: NodeId): Map<string, PropertyValue> {
    const d = this.liveDraftOrBase(id);
    return d ? new Map(d.props) : this.base.nodeProperties(id);
  }

  /** This transaction's draft of an existing relationship, null if untouched; throws if gone. */
  private relDraft(id: RelId): RelDraft | null {
    const d = this.relDrafts.get(id);
    if (d === null || (d === undefined && !this.base.relExists(id))) throw relDeleted(id);
    return d ?? null;
  }

  /** The position of a relationship created here and still live; throws if deleted again. */
  private liveCreated(id: RelId): number {
    const i = this.createdRels.positionOf(id);
    if (i >= 0 && !this.createdRels.isLive(i)) throw relDeleted(id);
    return i;
  }

  relExists(id: RelId): boolean {
    const i = this.createdRels.positionOf(id);
    if (i >= 0) return this.createdRels.isLive(i);
    const d = this.relDrafts.get(id);
    return d === undefined ? this.base.relExists(id) : d !== null;
  }

  relType(id: RelId): string {
    const i = this.createdRels.positionOf(id);
    if (i >= 0) return this.createdRels.typeAt(i);
    return this.relDrafts.get(id)?.type ?? this.base.relType(id);
  }

  relStart(id: RelId): NodeId {
    const i = this.createdRels.positionOf(id);
    if (i >= 0) return this.createdRels.startAt(i);
    return this.relDrafts.get(id)?.start ?? this.base.relStart(id);
  }

  relEnd(id: RelId): NodeId {
    const i = this.createdRels.positionOf(id);
    if (i >= 0) return this.createdRels.endAt(i);
    return this.relDrafts.get(id)?.end ?? this.base.relEnd(id);
  }

  relProperty(id: RelId, key: string): PropertyValue | null {
    const i = this.liveCreated(id);
    if (i >= 0) return this.createdRels.propsAt(i)?.get(key) ?? null;
    const d = this.relDraft(id);
    return d ? (d.props.get(key) ?? null) : this.base.relProperty(id, key);
  }

  relProperties(id: RelId): Map<string, PropertyValue> {
    const i = this.liveCreated(id);
    if (i >= 0) return new Map(this.createdRels.propsAt(i) ?? []);
    const d = this.relDraft(id);
    return d ? new Map(d.props) : this.base.relProperties(id);
  }

  *allNodes(): Iterable<NodeId> {
    for (const id of this.base.allNodes()) if (this.draft(id) !== null) yield id;
    for (const [id, d] of [...this.nodeDrafts]) if (d?.created) yield id;
  }

  *nodesByLabel(label: string): Iterable<NodeId> {
    for (const id of this.base.nodesByLabel(label)) {
      const d = this.draft(id);
      if (d === undefined || (d !== null && d.labels.has(label))) yield id;
    }
    for (const id of [...(this.gainedLabel.get(label) ?? [])]) {
      if (!this.base.hasLabel(id, label) && this.draft(id)?.labels.has(label)) yield id;
    }
  }

  *allRelationships(): Iterable<RelId> {
    for (const id of this.base.allRelationships()) if (this.relDrafts.get(id) !== null) yield id;
    yield* [...this.createdRels.liveIds()];
  }

  /** The base's, less those deleted here, then those created here, as allRelationships. */
  *relationshipsOfTypes(types: readonly string[]): Iterable<RelId> {
    for (const id of this.base.relationshipsOfTypes(types)) {
      if (this.relDrafts.get(id) !== null) yield id;
    }
    for (const id of [...this.createdRels.liveIds()]) {
      if (types.includes(this.relType(id))) yield id;
    }
  }

  *relationshipsOf(node: NodeId, direction: Direction, types?: readonly string[]):
    Iterable<Adjacent> {
    for (const a of this.base.relationshipsOf(node, direction, types)) {
      if (this.relDrafts.get(a.rel) !== null) yield a;
    }
    const created = this.createdRels;
    if (created.count === 0) return;
    if (direction !== 'in') yield* created.adjacent(node, 'out', types, false);
    if (direction !== 'out') yield* created.adjacent(node, 'in', types, direction === 'both');
  }

  degree(node: NodeId, direction: Direction, types?: readonly string[]): number {
    let n = 0;
    for (const _ of this.relationshipsOf(node, direction, types)) n++;
    return n;
  }

  seekNodes(label: string, key: string, value: PropertyValue): Iterable<NodeId> | null {
    const fromBase = this.base.seekNodes(label, key, value);
    // No node written yet, so none the view found changed and none of ours can match: the
    // view's answer stands, without a copy or a key (a load seeks twice per row).
    if (fromBase === null) return null;
    if (Array.isArray(fromBase)) this.foundInBase.addAll(fromBase as readonly NodeId[]);
    if (this.nodeDrafts.size === 0) return fromBase;
    return this.seekWithDrafts(fromBase, label, key, value);
  }

  /**
   * seekNodes once this transaction has written a node. A method of its own: its closure
   * would otherwise make every seek, the load's too, allocate a context.
   */
  private seekWithDrafts(fromBase: Iterable<NodeId>, label: string, key: string,
    value: PropertyValue): NodeId[] {
    const wanted = propertyIndexKey(value);
    const matches = (d: NodeDraft): boolean => {
      const v = d.props.get(key);
      return d.labels.has(label) && v !== undefined && sameIndexKey(propertyIndexKey(v), wanted);
    };
    const out: NodeId[] = [];
    for (const id of fromBase) {
      const d = this.draft(id);
      if (d === undefined || (d !== null && matches(d))) out.push(id);
    }
    const candidates = this.draftSeekIndex(label, key).byValue.get(wanted);
    for (const id of candidates ?? []) {
      const d = this.draft(id);
      if (d && matches(d) && !out.includes(id)) out.push(id);
    }
    return out;
  }

  /** Without it, a seek scans every draft: checking n new unique values would cost n². */
  private draftSeekIndex(label: string, key: string): DraftSeekIndex {
    const known = this.draftSeeks.find((ix) => ix.label === label && ix.key === key);
    if (known) return known;
    const ix: DraftSeekIndex = { label, key, byValue: new Map() };
    this.draftSeeks.push(ix);
    for (const [id, d] of this.nodeDrafts) if (d) indexDraft(ix, id, d);
    return ix;
  }

  /** Keeps the seek indexes current after a draft gained a label or a property value. */
  private reindexDraft(id: NodeId, d: NodeDraft): void {
    for (const ix of this.draftSeeks) indexDraft(ix, id, d);
  }

  /**
   * The view's matches that this transaction left alone or still matching, then this
   * transaction's own nodes that match: drafts are few next to the index, so they are scanned.
   */
  seekNodesInRange(label: string, key: string, range: ValueRange): Iterable<NodeId> | null {
    const fromBase = this.base.seekNodesInRange(label, key, range);
    if (fromBase === null) return null;
    const matches = (d: NodeDraft): boolean => {
      const v = d.props.get(key);
      return d.labels.has(label) && v !== undefined && valueInRange(v, range);
    };
    const out: NodeId[] = [];
    for (const id of fromBase) {
      if (this.draft(id) === undefined) out.push(id);
    }
    for (const [id, d] of this.nodeDrafts) if (d && matches(d)) out.push(id);
    return out;
  }

  rangeFraction(label: string, key: string, range: ValueRange): number | null {
    return this.base.rangeFraction(label, key, range);
  }

  hasNodeIndex(label: string, key: string): boolean {
    return this.base.hasNodeIndex(label, key);
  }

  nodeCount(): number {
    return this.base.nodeCount() + this.statistics.nodesCreated - this.statistics.nodesDeleted;
  }

  relationshipCount(): number {
    return this.base.relationshipCount() + this.statistics.relationshipsCreated -
      this.statistics.relationshipsDeleted;
  }

  labelCount(label: string): number {
    return this.base.labelCount(label) + (this.gainedLabel.get(label)?.size ?? 0);
  }

  labels(): readonly string[] {
    return union(this.base.labels(), [...this.gainedLabel.keys()]);
  }

  relationshipTypes(): readonly string[] {
    return union(this.base.relationshipTypes(), [...this.createdRels.liveTypes()]);
  }

  propertyKeys(): readonly string[] {
    const mine = [...this.nodeDrafts.values(), ...this.relDrafts.values()]
      .flatMap((d) => (d ? [...d.props.keys()] : []));
    return union(this.base.propertyKeys(), [...mine, ...this.createdRels.liveKeys()]);
  }

  indexes(): readonly IndexDescriptor[] {
    return this.schemaDraft.indexes();
  }

  constraints(): readonly ConstraintDescriptor[] {
    return this.schemaDraft.constraints();
  }

  // ---- writes ------------------------------------------------------------------------------

  /** Copy-on-first-write of an existing node into this transaction's layer. */
  private writableNode(id: NodeId): NodeDraft {
    const d = this.draft(id);
    if (d) return d;
    if (d === null || !this.base.nodeExists(id)) {
      throw nodeDeleted(id);
    }
    const copy: NodeDraft = { created: false, labels: new Set(this.base.nodeLabels(id)),
      props: this.base.nodeProperties(id) };
    this.nodeDrafts.set(id, copy);
    this.exclusiveKeys.add(id);
    return copy;
  }

  private writableRel(id: RelId): RelDraft {
    const d = this.relDrafts.get(id);
    if (d) return d;
    if (d === null || !this.base.relExists(id)) throw relDeleted(id);
    const copy: RelDraft = { type: this.base.relType(id),
      start: this.base.relStart(id), end: this.base.relEnd(id),
      props: this.base.relProperties(id) };
    this.relDrafts.set(id, copy);
    this.exclusiveKeys.add(relConflictKey(id));
    return copy;
  }

  private propsFrom(properties: ReadonlyMap<string, Value>): Map<string, PropertyValue> {
    const props = new Map<string, PropertyValue>();
    for (const [k, v] of properties) {
      const p = toPropertyValue(v);
      if (p !== null) props.set(k, p);
    }
    this.statistics.propertiesSet += props.size;
    return props;
  }

  /** As propsFrom, but null rather than an empty map: a created relationship often has none. */
  private relPropsFrom(properties: ReadonlyMap<string, Value>): Map<string, PropertyValue> | null {
    if (properties.size === 0) return null;
    const props = this.propsFrom(properties);
    return props.size === 0 ? null : props;
  }

  createNode(labels: readonly string[], properties: ReadonlyMap<string, Value>): NodeId {
    const props = this.propsFrom(properties);
    const id = this.ids.nodeId();
    const labelSet = new Set(labels);
    const draft: NodeDraft = { created: true, labels: labelSet, props };
    this.nodeDrafts.set(id, draft);
    this.reindexDraft(id, draft);
    for (const l of labelSet) this.noteLabel(l, id);
    this.statistics.nodesCreated++;
    this.statistics.labelsAdded += labelSet.size;
    return id;
  }

  private noteLabel(label: string, id: NodeId): void {
    let set = this.gainedLabel.get(label);
    if (!set) this.gainedLabel.set(label, (set = new Set()));
    set.add(id);
  }

  createRelationship(args: { type: string; start: NodeId; end: NodeId;
    properties: ReadonlyMap<string, Value> }): RelId {
    // The ends' shared conflict keys are added at commit (addSharedKeysOfEnds).
    this.requireEnd(args.start);
    this.requireEnd(args.end);
    const props = this.relPropsFrom(args.properties);
    const id = this.ids.relId();
    this.createdRels.add({ id, type: args.type, start: args.start, end: args.end, props });
    this.statistics.relationshipsCreated++;
    return id;
  }

  private requireEnd(node: NodeId): void {
    if (!this.nodeExists(node)) {
      throw new QuiverError('EntityNotFound',
        `Failed to create relationship, node ${node} has been deleted in this transaction`);
    }
  }

  deleteNode(id: NodeId): void {
    if (this.draft(id) === null) return;
    const d = this.writableNode(id);
    this.nodeDrafts.set(id, null);
    if (!d.created) this.exclusiveKeys.add(id);
    this.statistics.nodesDeleted++;
  }

  detachDeleteNode(id: NodeId): void {
    if (this.draft(id) === null) return;
    for (const { rel } of [...this.relationshipsOf(id, 'both')]) this.deleteRelationship(rel);
    this.deleteNode(id);
  }

  deleteRelationship(id: RelId): void {
    const i = this.createdRels.positionOf(id);
    if (i >= 0) {
      if (!this.createdRels.isLive(i)) return;
      this.createdRels.delete(i);
      this.statistics.relationshipsDeleted++;
      return;
    }
    if (this.relDrafts.get(id) === null) return;
    this.writableRel(id);
    this.relDrafts.set(id, null);
    this.statistics.relationshipsDeleted++;
  }

  setNodeProperty(id: NodeId, key: string, value: Value): void {
    const p = toPropertyValue(value);
    const d = this.writableNode(id);
    if (p === null) {
      if (d.props.delete(key)) this.statistics.propertiesSet++;
      return;
    }
    d.props.set(key, p);
    this.reindexDraft(id, d);
    this.statistics.propertiesSet++;
  }

  setRelProperty(id: RelId, key: string, value: Value): void {
    const p = toPropertyValue(value);
    const i = this.liveCreated(id);
    const props = i >= 0 ? this.createdRels.writableProps(i) : this.writableRel(id).props;
    if (p === null) {
      if (props.delete(key)) this.statistics.propertiesSet++;
      return;
    }
    props.set(key, p);
    this.statistics.propertiesSet++;
  }

  addLabel(id: NodeId, label: string): void {
    const d = this.writableNode(id);
    if (d.labels.has(label)) return;
    d.labels.add(label);
    this.reindexDraft(id, d);
    this.noteLabel(label, id);
    this.statistics.labelsAdded++;
  }

  removeLabel(id: NodeId, label: string): void {
    const d = this.writableNode(id);
    if (d.labels.delete(label)) this.statistics.labelsRemoved++;
  }

  createIndex(index: Omit<IndexDescriptor, 'owningConstraint'>, ifNotExists: boolean): void {
    if (this.schemaDraft.createIndex(index, ifNotExists)) this.statistics.indexesAdded++;
  }

  dropIndex(name: string, ifExists: boolean): void {
    if (this.schemaDraft.dropIndex(name, ifExists)) this.statistics.indexesRemoved++;
  }

  createConstraint(constraint: ConstraintDescriptor, ifNotExists: boolean): void {
    if (this.schemaDraft.createConstraint(constraint, ifNotExists)) {
      this.statistics.constraintsAdded++;
    }
  }

  dropConstraint(name: string, ifExists: boolean): void {
    if (this.schemaDraft.dropConstraint(name, ifExists)) this.statistics.constraintsRemoved++;
  }

  // ---- commit ------------------------------------------------------------------------------

  /**
   * Validates deferred rules (no dangling relationships, constraints) and builds the ChangeSet,
   * already in its binary form (changeset-frame.ts): its bytes are the log entry.
   */
  toChangeSet(): ChangeSet {
    this.checkNoDanglingRelationships();
    this.addSharedKeysOfEnds();
    const schema: SchemaChange[] = this.schemaDraft.changes();
    for (const key of validateConstraints(this, this.schemaDraft.constraints())) {
      this.exclusiveKeys.add(key);
    }
    if (schema.length > 0) this.exclusiveKeys.add('schema');
    if (this.systemRecords.length > 0) this.exclusiveKeys.add('system');
    const out = new ChangeSetWriter();
    this.writeNodeChanges(out);
    this.writeRelChanges(out);
    return out.finish(schema,
      this.systemRecords.length > 0 ? [...this.systemRecords] : undefined);
  }

  /**
   * The ends of created relationships must survive until commit: a shared key each, unless
   * this transaction created the node too. Collected here from the columns rather than as each
   * relationship is made: a relationship deleted again needs none.
   */
  private addSharedKeysOfEnds(): void {
    const created = this.createdRels;
    for (let i = 0; i < created.count; i++) {
      if (!created.isLive(i)) continue;
      this.addSharedKey(created.startAt(i));
      this.addSharedKey(created.endAt(i));
    }
  }

  private addSharedKey(node: NodeId): void {
    if (!this.draft(node)?.created) this.sharedKeys.add(node);
  }

  private checkNoDanglingRelationships(): void {
    for (const [id, d] of this.nodeDrafts) {
      if (d !== null) continue;
      for (const _ of this.relationshipsOf(id, 'both')) {
        throw new QuiverError('DeleteNodeWithRelationships',
          `Cannot delete node<${id}>, because it still has relationships. ` +
          'To delete this node, you must first delete its relationships.');
      }
    }
  }

  private writeNodeChanges(out: ChangeSetWriter): void {
    for (const [id, d] of this.nodeDrafts) {
      if (d === null) {
        if (this.base.nodeExists(id)) out.nodeDelete(id);
        continue;
      }
      out.node({ created: d.created, id, labels: d.labels, labelCount: d.labels.size,
        props: d.props });
    }
  }

  /** Existing relationships deleted or updated first, then the created ones in id order. */
  private writeRelChanges(out: ChangeSetWriter): void {
    for (const [id, d] of this.relDrafts) {
      if (d === null) out.relDelete(id);
      else out.relUpdate(id, d.props);
    }
    const created = this.createdRels;
    for (let i = 0; i < created.count; i++) {
      if (!created.isLive(i)) continue;
      out.relCreate({ id: created.idAt(i), type: created.typeAt(i), start: created.startAt(i),
        end: created.endAt(i), props: created.propsAt(i) });
    }
  }
}

function nodeDeleted(id: NodeId): QuiverError {
  return new QuiverError('EntityNotFound',
    `Node with id ${id} has been deleted in this transaction`);
}

function relDeleted(id: RelId): QuiverError {
  return new QuiverError('EntityNotFound',
    `Relationship with id ${id} has been deleted in this transaction`);
}

function indexDraft(ix: DraftSeekIndex, id: NodeId, d: NodeDraft): void {
  const value = d.props.get(ix.key);
  if (value === undefined || !d.labels.has(ix.label)) return;
  const k = propertyIndexKey(value);
  let ids = ix.byValue.get(k);
  if (!ids) ix.byValue.set(k, (ids = new Set()));
  ids.add(id);
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

/** A growable set of node ids, a bit each: membership tests that stay in cache. */
class NodeIdBits {
  private words = new Uint32Array(0);

  has(id: NodeId): boolean {
    const word = this.words[id >>> 5];
    return word !== undefined && (word & (1 << (id & 31))) !== 0;
  }

  addAll(ids: readonly NodeId[]): void {
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as NodeId;
      const at = id >>> 5;
      if (at >= this.words.length) this.grow(at + 1);
      this.words[at] = (this.words[at] as number) | (1 << (id & 31));
    }
  }

  /** Grows by half at least, so a load's ascending ids copy the words a few times in all. */
  private grow(wordsMin: number): void {
    const grown = new Uint32Array(Math.max(wordsMin, Math.ceil(this.words.length * 1.5), 64));
    grown.set(this.words);
    this.words = grown;
  }
}

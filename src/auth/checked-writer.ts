/**
 * A transaction's writes as a user without every write privilege makes them: each write is
 * checked before it reaches the transaction's layer, and refused with Neo4j's
 * `Neo.ClientError.Security.Forbidden`. Reads go through `reads`, which hides what the user may
 * not see. A name (label, relationship type, property key) the database has never had needs
 * NAME MANAGEMENT, which editor lacks and publisher has, as in Neo4j.
 */
import { QuiverError } from '../errors/quiver-error.js';
import type {
  Adjacent, ConstraintDescriptor, Direction, GraphReader, GraphWriter, IndexDescriptor, NodeId,
  QueryStatistics, RelId,
} from '../graph/types.js';
import type { ValueRange } from '../graph/ordered-index.js';
import type { PropertyValue, Value } from '../graph/values.js';
import type { ProcedureGate } from '../cypher/procedures.js';
import type { ElementKind } from './privileges.js';
import { checkProcedureAccess } from './procedure-access.js';
import type { ElementQuestion, PrivilegeSet } from './privilege-set.js';

export interface WriterIdentity {
  readonly user: string;
  readonly database: string;
}

type NameKind = 'node label' | 'relationship type' | 'property key';

export class CheckedWriter implements GraphWriter, ProcedureGate {
  /** Names known to exist, filled on first use: a new one needs NAME MANAGEMENT. */
  private readonly known = new Map<NameKind, Set<string>>();

  constructor(
    private readonly inner: GraphWriter,
    private readonly reads: GraphReader,
    private readonly rules: PrivilegeSet,
    private readonly who: WriterIdentity,
  ) {}

  private refuse(what: string): never {
    throw new QuiverError('Forbidden', `${what} on database '${this.who.database}' is not ` +
      `allowed for user '${this.who.user}' with roles [${this.rules.roles.join(', ')}].`);
  }

  private require(question: ElementQuestion, kind: ElementKind, names: readonly string[],
    args: { qualifier?: string; what: string }): void {
    if (!this.rules.mayOn(question, kind, names, args.qualifier ?? null)) this.refuse(args.what);
  }

  private requireName(kind: NameKind, name: string): void {
    if (this.rules.may('name_management')) return;
    let names = this.known.get(kind);
    if (!names) {
      names = new Set(kind === 'node label' ? this.inner.labels()
        : kind === 'relationship type' ? this.inner.relationshipTypes()
          : this.inner.propertyKeys());
      this.known.set(kind, names);
    }
    if (names.has(name)) return;
    throw new QuiverError('Forbidden', `Creating new ${kind} '${name}' is not allowed for user ` +
      `'${this.who.user}' with roles [${this.rules.roles.join(', ')}]. See GRANT CREATE NEW ` +
      `${kind.toUpperCase()} ON DATABASE...`);
  }

  private requireProperties(kind: ElementKind, names: readonly string[],
    properties: ReadonlyMap<string, Value>): void {
    for (const [key, value] of properties) {
      if (value === null) continue;
      this.require('set_property', kind, names, { qualifier: key,
        what: `Set property for property '${key}'` });
      this.requireName('property key', key);
    }
  }

  private requireSchema(action: 'index' | 'constraint', operation: string): void {
    if (!this.rules.may(action)) this.refuse(`Schema operation '${operation}'`);
  }

  get statistics(): QueryStatistics {
    return this.inner.statistics;
  }

  createNode(labels: readonly string[], properties: ReadonlyMap<string, Value>): NodeId {
    const what = `Create node with labels '${labels.join(', ')}'`;
    if (labels.length === 0) this.require('create_element', 'NODE', [], { what });
    for (const label of labels) this.require('create_element', 'NODE', [label], { what });
    for (const label of labels) this.requireName('node label', label);
    this.requireProperties('NODE', labels, properties);
    return this.inner.createNode(labels, properties);
  }

  createRelationship(args: { type: string; start: NodeId; end: NodeId;
    properties: ReadonlyMap<string, Value> }): RelId {
    this.require('create_element', 'RELATIONSHIP', [args.type],
      { what: `Create relationship with type '${args.type}'` });
    this.requireName('relationship type', args.type);
    this.requireProperties('RELATIONSHIP', [args.type], args.properties);
    return this.inner.createRelationship(args);
  }

  private requireNodeDelete(id: NodeId): void {
    const labels = this.inner.nodeLabels(id);
    this.require('delete_element', 'NODE', labels,
      { what: `Delete node with labels '${labels.join(', ')}'` });
  }

  private requireRelDelete(id: RelId): void {
    const type = this.inner.relType(id);
    this.require('delete_element', 'RELATIONSHIP', [type],
      { what: `Delete relationship with type '${type}'` });
  }

  deleteNode(id: NodeId): void {
    this.requireNodeDelete(id);
    this.inner.deleteNode(id);
  }

  detachDeleteNode(id: NodeId): void {
    this.requireNodeDelete(id);
    for (const { rel } of this.inner.relationshipsOf(id, 'both')) this.requireRelDelete(rel);
    this.inner.detachDeleteNode(id);
  }

  deleteRelationship(id: RelId): void {
    this.requireRelDelete(id);
    this.inner.deleteRelationship(id);
  }

  setNodeProperty(id: NodeId, key: string, value: Value): void {
    this.require('set_property', 'NODE', this.inner.nodeLabels(id),
      { qualifier: key, what: `Set property for property '${key}'` });
    if (value !== null) this.requireName('property key', key);
    this.inner.setNodeProperty(id, key, value);
  }

  setRelProperty(id: RelId, key: string, value: Value): void {
    this.require('set_property', 'RELATIONSHIP', [this.inner.relType(id)],
      { qualifier: key, what: `Set property for property '${key}'` });
    if (value !== null) this.requireName('property key', key);
    this.inner.setRelProperty(id, key, value);
  }

  addLabel(id: NodeId, label: string): void {
    this.require('set_label', 'NODE', [],
      { qualifier: label, what: `Set label for label '${label}'` });
    this.requireName('node label', label);
    this.inner.addLabel(id, label);
  }

  removeLabel(id: NodeId, label: string): void {
    this.require('remove_label', 'NODE', [],
      { qualifier: label, what: `Remove label for label '${label}'` });
    this.inner.removeLabel(id, label);
  }

  createIndex(index: Omit<IndexDescriptor, 'owningConstraint'>, ifNotExists: boolean): void {
    this.requireSchema('index', 'create_index');
    this.inner.createIndex(index, ifNotExists);
  }

  dropIndex(name: string, ifExists: boolean): void {
    this.requireSchema('index', 'drop_index');
    this.inner.dropIndex(name, ifExists);
  }

  createConstraint(constraint: ConstraintDescriptor, ifNotExists: boolean): void {
    this.requireSchema('constraint', 'create_constraint');
    this.inner.createConstraint(constraint, ifNotExists);
  }

  dropConstraint(name: string, ifExists: boolean): void {
    this.requireSchema('constraint', 'drop_constraint');
    this.inner.dropConstraint(name, ifExists);
  }

  // ---- reads, through the filter ---------------------------------------------------------

  nodeExists(id: NodeId): boolean { return this.reads.nodeExists(id); }
  nodeLabels(id: NodeId): readonly string[] { return this.reads.nodeLabels(id); }
  hasLabel(id: NodeId, label: string): boolean { return this.reads.hasLabel(id, label); }
  nodeProperty(id: NodeId, key: string): PropertyValue | null {
    return this.reads.nodeProperty(id, key);
  }
  nodeProperties(id: NodeId): Map<string, PropertyValue> { return this.reads.nodeProperties(id); }
  relExists(id: RelId): boolean { return this.reads.relExists(id); }
  relType(id: RelId): string { return this.reads.relType(id); }
  relStart(id: RelId): NodeId { return this.reads.relStart(id); }
  relEnd(id: RelId): NodeId { return this.reads.relEnd(id); }
  relProperty(id: RelId, key: string): PropertyValue | null {
    return this.reads.relProperty(id, key);
  }
  relProperties(id: RelId): Map<string, PropertyValue> { return this.reads.relProperties(id); }
  allNodes(): Iterable<NodeId> { return this.reads.allNodes(); }
  nodesByLabel(label: string): Iterable<NodeId> { return this.reads.nodesByLabel(label); }
  allRelationships(): Iterable<RelId> { return this.reads.allRelationships(); }
  relationshipsOf(node: NodeId, direction: Direction, types?: readonly string[]):
    Iterable<Adjacent> {
    return this.reads.relationshipsOf(node, direction, types);
  }
  degree(node: NodeId, direction: Direction, types?: readonly string[]): number {
    return this.reads.degree(node, direction, types);
  }
  seekNodes(label: string, key: string, value: PropertyValue): Iterable<NodeId> | null {
    return this.reads.seekNodes(label, key, value);
  }
  seekNodesInRange(label: string, key: string, range: ValueRange): Iterable<NodeId> | null {
    return this.reads.seekNodesInRange?.(label, key, range) ?? null;
  }
  rangeFraction(label: string, key: string, range: ValueRange): number | null {
    return this.reads.rangeFraction?.(label, key, range) ?? null;
  }
  hasNodeIndex(label: string, key: string): boolean { return this.reads.hasNodeIndex(label, key); }
  nodeCount(): number { return this.reads.nodeCount(); }
  relationshipCount(): number { return this.reads.relationshipCount(); }
  labelCount(label: string): number { return this.reads.labelCount(label); }
  labels(): readonly string[] { return this.reads.labels(); }
  relationshipTypes(): readonly string[] { return this.reads.relationshipTypes(); }
  propertyKeys(): readonly string[] { return this.reads.propertyKeys(); }
  indexes(): readonly IndexDescriptor[] { return this.reads.indexes(); }
  constraints(): readonly ConstraintDescriptor[] { return this.reads.constraints(); }

  checkProcedure(name: string): void {
    checkProcedureAccess(this.rules, this.who.user, name);
  }
}

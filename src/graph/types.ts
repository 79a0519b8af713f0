/**
 * The graph store's contract with the Cypher executor. The executor reads through a GraphReader
 * (one consistent version of the graph, plus, inside a write transaction, its own changes) and
 * writes through a GraphWriter, which records a ChangeSet instead of touching the shared store.
 */
import type { ValueRange } from './ordered-index.js';
import type { PropertyValue, Value } from './values.js';

export type NodeId = number;
export type RelId = number;
export type Direction = 'out' | 'in' | 'both';

/** One step from a node along a relationship; `other` is the node at the far end. */
export interface Adjacent {
  readonly rel: RelId;
  readonly other: NodeId;
}

export type IndexKind = 'RANGE' | 'TEXT' | 'LOOKUP';
export type EntityKind = 'NODE' | 'RELATIONSHIP';

export interface IndexDescriptor {
  readonly name: string;
  readonly kind: IndexKind;
  readonly entity: EntityKind;
  /** A label for NODE indexes, a relationship type for RELATIONSHIP ones. */
  readonly labelOrType: string;
  readonly properties: readonly string[];
  /** The constraint that owns this index, if any. */
  readonly owningConstraint: string | null;
}

export type ConstraintKind = 'UNIQUENESS' | 'NODE_KEY' | 'NODE_PROPERTY_EXISTENCE' |
  'RELATIONSHIP_PROPERTY_EXISTENCE' | 'RELATIONSHIP_UNIQUENESS' | 'RELATIONSHIP_KEY';

export interface ConstraintDescriptor {
  readonly name: string;
  readonly kind: ConstraintKind;
  readonly entity: EntityKind;
  readonly labelOrType: string;
  readonly properties: readonly string[];
}

export interface GraphReader {
  nodeExists(id: NodeId): boolean;
  nodeLabels(id: NodeId): readonly string[];
  hasLabel(id: NodeId, label: string): boolean;
  /** null when the property is absent. */
  nodeProperty(id: NodeId, key: string): PropertyValue | null;
  nodeProperties(id: NodeId): Map<string, PropertyValue>;
  relExists(id: RelId): boolean;
  relType(id: RelId): string;
  relStart(id: RelId): NodeId;
  relEnd(id: RelId): NodeId;
  relProperty(id: RelId, key: string): PropertyValue | null;
  relProperties(id: RelId): Map<string, PropertyValue>;

  allNodes(): Iterable<NodeId>;
  nodesByLabel(label: string): Iterable<NodeId>;
  allRelationships(): Iterable<RelId>;
  /**
   * The relationships of one of `types`, in id order: what a relationship type scan walks.
   * Optional: the planner offers that scan only on readers that have it.
   */
  relationshipsOfTypes?(types: readonly string[]): Iterable<RelId>;
  /**
   * Relationships touching a node. With 'both', a self-loop is reported once. `types` empty or
   * absent means any type.
   */
  relationshipsOf(node: NodeId, direction: Direction, types?: readonly string[]): Iterable<Adjacent>;
  degree(node: NodeId, direction: Direction, types?: readonly string[]): number;

  /**
   * Equality seek through an index on (label, key). Returns null when no such index exists, so
   * the caller falls back to a scan. Candidates are exact: the store rechecks the value.
   */
  seekNodes(label: string, key: string, value: PropertyValue): Iterable<NodeId> | null;
  hasNodeIndex(label: string, key: string): boolean;
  /**
   * Range or prefix seek through an index on (label, key); exact like seekNodes. null when no
   * such index exists or the index cannot order the bounds (lists): the caller scans. Optional:
   * a reader without it is scanned.
   */
  seekNodesInRange?(label: string, key: string, range: ValueRange): Iterable<NodeId> | null;
  /**
   * The fraction of the index's distinct values that lie in `range` (binary searches), or null
   * without an index; what the planner estimates a range seek's rows from.
   */
  rangeFraction?(label: string, key: string, range: ValueRange): number | null;

  nodeCount(): number;
  relationshipCount(): number;
  labelCount(label: string): number;

  labels(): readonly string[];
  relationshipTypes(): readonly string[];
  propertyKeys(): readonly string[];
  indexes(): readonly IndexDescriptor[];
  constraints(): readonly ConstraintDescriptor[];
}

/** What a write query did, as Neo4j reports it in the result summary. */
export interface QueryStatistics {
  nodesCreated: number;
  nodesDeleted: number;
  relationshipsCreated: number;
  relationshipsDeleted: number;
  propertiesSet: number;
  labelsAdded: number;
  labelsRemoved: number;
  indexesAdded: number;
  indexesRemoved: number;
  constraintsAdded: number;
  constraintsRemoved: number;
}

export function emptyStatistics(): QueryStatistics {
  return {
    nodesCreated: 0, nodesDeleted: 0, relationshipsCreated: 0, relationshipsDeleted: 0,
    propertiesSet: 0, labelsAdded: 0, labelsRemoved: 0, indexesAdded: 0, indexesRemoved: 0,
    constraintsAdded: 0, constraintsRemoved: 0,
  };
}

/**
 * Writes made inside one transaction. Every method checks its arguments against the
 * transaction's view and throws a QuiverError with a Neo4j code on misuse (deleting a node that
 * still has relationships, writing a deleted entity, a non-property value). Each call updates
 * `statistics`.
 */
export interface GraphWriter extends GraphReader {
  readonly statistics: QueryStatistics;
  createNode(labels: readonly string[], properties: ReadonlyMap<string, Value>): NodeId;
  createRelationship(args: {
    type: string;
    start: NodeId;
    end: NodeId;
    properties: ReadonlyMap<string, Value>;
  }): RelId;
  /** Fails with ConstraintValidationFailed if the node still has relationships. */
  deleteNode(id: NodeId): void;
  detachDeleteNode(id: NodeId): void;
  deleteRelationship(id: RelId): void;
  /** A null value removes the property. */
  setNodeProperty(id: NodeId, key: string, value: Value): void;
  setRelProperty(id: RelId, key: string, value: Value): void;
  addLabel(id: NodeId, label: string): void;
  removeLabel(id: NodeId, label: string): void;

  createIndex(index: Omit<IndexDescriptor, 'owningConstraint'>, ifNotExists: boolean): void;
  dropIndex(name: string, ifExists: boolean): void;
  createConstraint(constraint: ConstraintDescriptor, ifNotExists: boolean): void;
  dropConstraint(name: string, ifExists: boolean): void;
}

/**
 * The graph as a user with restricted reads sees it. A node is there only if the user may
 * traverse one of its labels and none is denied; a relationship only if its type may be
 * traversed and both ends are there; a property reads as null unless it may be read. Denied
 * data is invisible, never an error, as in Neo4j. Counts are counted through the same filter,
 * so `count(*)` and the counts a plan estimates with reveal nothing either.
 */
import type {
  Adjacent, ConstraintDescriptor, Direction, GraphReader, IndexDescriptor, NodeId, RelId,
} from '../graph/types.js';
import type { PropertyValue } from '../graph/values.js';
import type { PrivilegeSet } from './privilege-set.js';

export class FilteredReader implements GraphReader {
  constructor(
    private readonly inner: GraphReader,
    private readonly rules: PrivilegeSet,
  ) {}

  private nodeVisible(id: NodeId): boolean {
    return this.inner.nodeExists(id) &&
      this.rules.mayOn('traverse', 'NODE', this.inner.nodeLabels(id));
  }

  private relVisible(id: RelId): boolean {
    return this.inner.relExists(id) &&
      this.rules.mayOn('traverse', 'RELATIONSHIP', [this.inner.relType(id)]) &&
      this.nodeVisible(this.inner.relStart(id)) && this.nodeVisible(this.inner.relEnd(id));
  }

  private nodeKeyReadable(id: NodeId, key: string): boolean {
    return this.rules.mayOn('read', 'NODE', this.inner.nodeLabels(id), key);
  }

  private relKeyReadable(id: RelId, key: string): boolean {
    return this.rules.mayOn('read', 'RELATIONSHIP', [this.inner.relType(id)], key);
  }

  nodeExists(id: NodeId): boolean {
    return this.nodeVisible(id);
  }

  nodeLabels(id: NodeId): readonly string[] {
    return this.inner.nodeLabels(id);
  }

  hasLabel(id: NodeId, label: string): boolean {
    return this.inner.hasLabel(id, label);
  }

  nodeProperty(id: NodeId, key: string): PropertyValue | null {
    return this.nodeKeyReadable(id, key) ? this.inner.nodeProperty(id, key) : null;
  }

  nodeProperties(id: NodeId): Map<string, PropertyValue> {
    return new Map([...this.inner.nodeProperties(id)]
      .filter(([key]) => this.nodeKeyReadable(id, key)));
  }

  relExists(id: RelId): boolean {
    return this.relVisible(id);
  }

  relType(id: RelId): string {
    return this.inner.relType(id);
  }

  relStart(id: RelId): NodeId {
    return this.inner.relStart(id);
  }

  relEnd(id: RelId): NodeId {
    return this.inner.relEnd(id);
  }

  relProperty(id: RelId, key: string): PropertyValue | null {
    return this.relKeyReadable(id, key) ? this.inner.relProperty(id, key) : null;
  }

  relProperties(id: RelId): Map<string, PropertyValue> {
    return new Map([...this.inner.relProperties(id)]
      .filter(([key]) => this.relKeyReadable(id, key)));
  }

  *allNodes(): Iterable<NodeId> {
    for (const id of this.inner.allNodes()) if (this.nodeVisible(id)) yield id;
  }

  *nodesByLabel(label: string): Iterable<NodeId> {
    for (const id of this.inner.nodesByLabel(label)) if (this.nodeVisible(id)) yield id;
  }

  *allRelationships(): Iterable<RelId> {
    for (const id of this.inner.allRelationships()) if (this.relVisible(id)) yield id;
  }

  *relationshipsOf(node: NodeId, direction: Direction, types?: readonly string[]):
    Iterable<Adjacent> {
    for (const adjacent of this.inner.relationshipsOf(node, direction, types)) {
      if (this.rules.mayOn('traverse', 'RELATIONSHIP', [this.inner.relType(adjacent.rel)]) &&
        this.nodeVisible(adjacent.other)) yield adjacent;
    }
  }

  degree(node: NodeId, direction: Direction, types?: readonly string[]): number {
    return count(this.relationshipsOf(node, direction, types));
  }

  seekNodes(label: string, key: string, value: PropertyValue): Iterable<NodeId> | null {
    const candidates = this.inner.seekNodes(label, key, value);
    if (candidates === null) return null;
    // A node whose value may not be read must not be found by it either.
    return [...candidates].filter((id) => this.nodeVisible(id) && this.nodeKeyReadable(id, key));
  }

  hasNodeIndex(label: string, key: string): boolean {
    return this.inner.hasNodeIndex(label, key);
  }

  nodeCount(): number {
    return count(this.allNodes());
  }

  relationshipCount(): number {
    return count(this.allRelationships());
  }

  labelCount(label: string): number {
    return count(this.nodesByLabel(label));
  }

  labels(): readonly string[] {
    return this.inner.labels().filter((l) => this.rules.mayOn('traverse', 'NODE', [l]));
  }

  relationshipTypes(): readonly string[] {
    return this.inner.relationshipTypes()
      .filter((t) => this.rules.mayOn('traverse', 'RELATIONSHIP', [t]));
  }

  propertyKeys(): readonly string[] {
    return this.inner.propertyKeys();
  }

  indexes(): readonly IndexDescriptor[] {
    return this.inner.indexes();
  }

  constraints(): readonly ConstraintDescriptor[] {
    return this.inner.constraints();
  }
}

function count(items: Iterable<unknown>): number {
  let n = 0;
  for (const _ of items) n++;
  return n;
}

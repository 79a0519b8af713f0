/**
 * The graph as a user with restricted reads sees it. A node is there only if the user may
 * traverse one of its labels and none is denied; a relationship only if its type may be
 * traversed and both ends are there; a property reads as null unless it may be read. Denied
 * data is invisible, never an error, as in Neo4j. Counts answer what the filter would count, so
 * `count(*)` and the counts a plan estimates with reveal nothing either; they come from the
 * store's counts less the nodes a denied label hides, when that is the same number.
 */
import type {
  Adjacent, ConstraintDescriptor, Direction, GraphReader, IndexDescriptor, NodeId, RelId,
} from '../graph/types.js';
import type { ValueRange } from '../graph/ordered-index.js';
import type { PropertyValue } from '../graph/values.js';
import type { ProcedureGate } from '../cypher/procedures.js';
import type { PrivilegeSet } from './privilege-set.js';
import { checkProcedureAccess } from './procedure-access.js';

export class FilteredReader implements GraphReader, ProcedureGate {
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
    return this.readable(this.inner.seekNodes(label, key, value), key);
  }

  seekNodesInRange(label: string, key: string, range: ValueRange): Iterable<NodeId> | null {
    return this.readable(this.inner.seekNodesInRange?.(label, key, range) ?? null, key);
  }

  rangeFraction(label: string, key: string, range: ValueRange): number | null {
    return this.inner.rangeFraction?.(label, key, range) ?? null;
  }

  /** A node whose value may not be read must not be found by it either. */
  private readable(candidates: Iterable<NodeId> | null, key: string): NodeId[] | null {
    if (candidates === null) return null;
    return [...candidates].filter((id) => this.nodeVisible(id) && this.nodeKeyReadable(id, key));
  }

  hasNodeIndex(label: string, key: string): boolean {
    return this.inner.hasNodeIndex(label, key);
  }

  /**
   * Nodes passing `test` that a denied label hides, counted once each however many denied
   * labels they carry: only the denied labels' nodes are read.
   */
  private hiddenNodes(hidden: readonly string[], test: (id: NodeId) => boolean): number {
    let n = 0;
    hidden.forEach((label, i) => {
      for (const id of this.inner.nodesByLabel(label)) {
        if (test(id) && !hidden.slice(0, i).some((l) => this.inner.hasLabel(id, l))) n++;
      }
    });
    return n;
  }

  nodeCount(): number {
    // Unless every label is granted, whether a node shows depends on all its labels: scan.
    if (!this.rules.mayOn('traverse', 'NODE', [])) return count(this.allNodes());
    const hidden = this.rules.hiddenNames('NODE');
    return this.inner.nodeCount() - this.hiddenNodes(hidden, () => true);
  }

  relationshipCount(): number {
    const nodesAll = this.rules.mayOn('traverse', 'NODE', []) &&
      this.rules.hiddenNames('NODE').length === 0;
    const relsAll = this.rules.mayOn('traverse', 'RELATIONSHIP', []) &&
      this.rules.hiddenNames('RELATIONSHIP').length === 0;
    return nodesAll && relsAll ? this.inner.relationshipCount() : count(this.allRelationships());
  }

  labelCount(label: string): number {
    // A node with a granted, undenied label shows unless another of its labels is denied.
    if (!this.rules.mayOn('traverse', 'NODE', [label])) return count(this.nodesByLabel(label));
    const hidden = this.rules.hiddenNames('NODE');
    return this.inner.labelCount(label) -
      this.hiddenNodes(hidden, (id) => this.inner.hasLabel(id, label));
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

  checkProcedure(name: string): void {
    checkProcedureAccess(this.rules, this.rules.user, name);
  }
}

function count(items: Iterable<unknown>): number {
  let n = 0;
  for (const _ of items) n++;
  return n;
}

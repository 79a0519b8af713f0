/**
 * Indexes and constraints. Schema is not multi-versioned: a view sees the latest schema, which
 * only changes through committed schema ChangeSets (Neo4j also makes schema visible immediately).
 */
import { assert } from '../assert.js';
import type { Interner } from './interner.js';
import type { ConstraintDescriptor, IndexDescriptor } from './types.js';

export class SchemaState {
  private readonly indexList = new Map<string, IndexDescriptor>();
  private readonly constraintList = new Map<string, ConstraintDescriptor>();

  indexes(): IndexDescriptor[] {
    return [...this.indexList.values()];
  }

  constraints(): ConstraintDescriptor[] {
    return [...this.constraintList.values()];
  }

  index(name: string): IndexDescriptor | undefined {
    return this.indexList.get(name);
  }

  constraint(name: string): ConstraintDescriptor | undefined {
    return this.constraintList.get(name);
  }

  addIndex(ix: IndexDescriptor): void {
    assert(!this.indexList.has(ix.name), `schema: index ${ix.name} exists`);
    this.indexList.set(ix.name, ix);
  }

  dropIndex(name: string): void {
    assert(this.indexList.delete(name), `schema: no index ${name}`);
  }

  /** Uniqueness and key constraints own a backing index of the same name; returns it. */
  addConstraint(c: ConstraintDescriptor): IndexDescriptor | null {
    assert(!this.constraintList.has(c.name), `schema: constraint ${c.name} exists`);
    this.constraintList.set(c.name, c);
    if (!needsIndex(c)) return null;
    const ix: IndexDescriptor = { name: c.name, kind: 'RANGE', entity: c.entity,
      labelOrType: c.labelOrType, properties: c.properties, owningConstraint: c.name };
    this.indexList.set(ix.name, ix);
    return ix;
  }

  /** Returns the name of the backing index that went with it, if any. */
  dropConstraint(name: string): string | null {
    const c = this.constraintList.get(name);
    assert(c !== undefined, `schema: no constraint ${name}`);
    this.constraintList.delete(name);
    if (!needsIndex(c)) return null;
    this.indexList.delete(name);
    return name;
  }

  /** Single-property node indexes that cover any of these labels (composite ones are not used for seeks). */
  nodeIndexesFor(labelIds: readonly number[], labels: Interner): IndexDescriptor[] {
    if (this.indexList.size === 0) return [];
    const names = new Set(labelIds.map((l) => labels.name(l)));
    return this.indexes().filter((ix) => ix.entity === 'NODE' && ix.kind !== 'LOOKUP' &&
      ix.properties.length === 1 && names.has(ix.labelOrType));
  }

  findNodeIndex(label: string, key: string): IndexDescriptor | undefined {
    for (const ix of this.indexList.values()) {
      if (ix.entity === 'NODE' && ix.labelOrType === label && ix.properties.length === 1 &&
        ix.properties[0] === key) return ix;
    }
    return undefined;
  }
}

function needsIndex(c: ConstraintDescriptor): boolean {
  return c.kind === 'UNIQUENESS' || c.kind === 'NODE_KEY' || c.kind === 'RELATIONSHIP_UNIQUENESS' ||
    c.kind === 'RELATIONSHIP_KEY';
}

/** Schema commands inside a transaction: checked against the view, applied at commit. */
import { QuiverError } from '../errors/quiver-error.js';
import type { SchemaChange } from './changeset.js';
import type { ConstraintDescriptor, GraphReader, IndexDescriptor } from './types.js';

export class SchemaDraft {
  private readonly pending: SchemaChange[] = [];
  private indexList: IndexDescriptor[];
  private constraintList: ConstraintDescriptor[];

  constructor(base: GraphReader) {
    this.indexList = [...base.indexes()];
    this.constraintList = [...base.constraints()];
  }

  get isEmpty(): boolean {
    return this.pending.length === 0;
  }

  changes(): SchemaChange[] {
    return [...this.pending];
  }

  indexes(): readonly IndexDescriptor[] {
    return this.indexList;
  }

  constraints(): readonly ConstraintDescriptor[] {
    return this.constraintList;
  }

  /** Returns whether an index was created (false: it existed and IF NOT EXISTS was given). */
  createIndex(spec: Omit<IndexDescriptor, 'owningConstraint'>, ifNotExists: boolean): boolean {
    const index: IndexDescriptor = { ...spec, name: spec.name || generatedName('index', spec),
      owningConstraint: null };
    const same = this.indexList.find((ix) => sameSchema(ix, index) && ix.kind === index.kind);
    const named = this.indexList.find((ix) => ix.name === index.name);
    if ((same || named) && ifNotExists) return false;
    if (same) {
      throw new QuiverError('EquivalentSchemaRuleAlreadyExists',
        `An equivalent index already exists, '${describe(same)}'.`);
    }
    if (named) {
      throw new QuiverError('EquivalentSchemaRuleAlreadyExists',
        `There already exists an index called '${index.name}'.`);
    }
    this.indexList.push(index);
    this.pending.push({ op: 'createIndex', index });
    return true;
  }

  dropIndex(name: string, ifExists: boolean): boolean {
    const ix = this.indexList.find((i) => i.name === name && i.owningConstraint === null);
    if (!ix) {
      if (ifExists) return false;
      throw new QuiverError('IndexNotFound',
        `Unable to drop index called \`${name}\`. There is no such index.`);
    }
    this.indexList = this.indexList.filter((i) => i !== ix);
    this.pending.push({ op: 'dropIndex', name });
    return true;
  }

  createConstraint(spec: ConstraintDescriptor, ifNotExists: boolean): boolean {
    const c: ConstraintDescriptor = { ...spec, name: spec.name || generatedName('constraint', spec) };
    const same = this.constraintList.find((x) => sameSchema(x, c) && x.kind === c.kind);
    const named = this.constraintList.find((x) => x.name === c.name);
    if ((same || named) && ifNotExists) return false;
    if (same || named) {
      throw new QuiverError('EquivalentSchemaRuleAlreadyExists', same
        ? `An equivalent constraint already exists, 'Constraint( name='${same.name}', type='${same.kind}' )'.`
        : `There already exists a constraint called '${c.name}'.`);
    }
    this.constraintList.push(c);
    if (c.kind !== 'NODE_PROPERTY_EXISTENCE' && c.kind !== 'RELATIONSHIP_PROPERTY_EXISTENCE') {
      this.indexList.push({ name: c.name, kind: 'RANGE', entity: c.entity,
        labelOrType: c.labelOrType, properties: c.properties, owningConstraint: c.name });
    }
    this.pending.push({ op: 'createConstraint', constraint: c });
    return true;
  }

  dropConstraint(name: string, ifExists: boolean): boolean {
    const c = this.constraintList.find((x) => x.name === name);
    if (!c) {
      if (ifExists) return false;
      throw new QuiverError('ConstraintNotFound',
        `Unable to drop constraint \`${name}\`: No such constraint ${name}.`);
    }
    this.constraintList = this.constraintList.filter((x) => x !== c);
    this.indexList = this.indexList.filter((ix) => ix.owningConstraint !== name);
    this.pending.push({ op: 'dropConstraint', name });
    return true;
  }

  /** Constraints created in this transaction: existing data must satisfy them at commit. */
  createdConstraints(): ConstraintDescriptor[] {
    return this.pending.flatMap((c) => (c.op === 'createConstraint' ? [c.constraint] : []));
  }
}

interface SchemaShape {
  readonly entity: string;
  readonly labelOrType: string;
  readonly properties: readonly string[];
}

function sameSchema(a: SchemaShape, b: SchemaShape): boolean {
  return a.entity === b.entity && a.labelOrType === b.labelOrType &&
    a.properties.join('\0') === b.properties.join('\0');
}

function describe(ix: IndexDescriptor): string {
  return `Index( name='${ix.name}', type='${ix.kind}', schema=(:${ix.labelOrType} ` +
    `{${ix.properties.join(', ')}}) )`;
}

/** Neo4j names unnamed schema rules after a hash of what they cover; so do we, deterministically. */
function generatedName(prefix: string, s: SchemaShape & { kind: string }): string {
  let h = 0x811c9dc5;
  for (const ch of `${s.kind}|${s.entity}|${s.labelOrType}|${s.properties.join(',')}`) {
    h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  }
  return `${prefix}_${h.toString(16).padStart(8, '0')}`;
}

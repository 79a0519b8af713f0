/**
 * Schema commands (CREATE/DROP INDEX and CONSTRAINT) and the SHOW commands, whose columns
 * follow Neo4j 5 so that tools reading them keep working.
 */
import type { ConstraintDescriptor, ConstraintKind,
  IndexDescriptor } from '../../../graph/types.js';
import type { Value } from '../../../graph/values.js';
import type { SchemaCommand, ShowWhat } from '../../ast.js';
import { allAggregates, allFunctions } from '../../functions/registry.js';
import { requireWriter, type ExecState, type Row } from '../state.js';
import { Operator } from './operator.js';

/** Neo4j names unnamed schema rules after a hash of their definition. */
function generatedName(prefix: string, definition: unknown): string {
  let hash = 0x811c9dc5;
  for (const ch of JSON.stringify(definition)) {
    hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  }
  return `${prefix}_${hash.toString(16).padStart(8, '0')}`;
}

function constraintKind(command: Extract<SchemaCommand,
  { kind: 'createConstraint' }>): ConstraintKind {
  const node = command.target.entity === 'NODE';
  switch (command.requirement) {
    case 'UNIQUE': return node ? 'UNIQUENESS' : 'RELATIONSHIP_UNIQUENESS';
    case 'NODE_KEY': return 'NODE_KEY';
    case 'REL_KEY': return 'RELATIONSHIP_KEY';
    case 'NOT_NULL': return node ? 'NODE_PROPERTY_EXISTENCE' : 'RELATIONSHIP_PROPERTY_EXISTENCE';
  }
}

export class SchemaOp extends Operator {
  readonly name: string;

  constructor(readonly command: SchemaCommand) {
    super(null);
    this.name = command.kind[0]?.toUpperCase() + command.kind.slice(1);
  }

  protected *produce(state: ExecState): Iterable<Row> {
    const writer = requireWriter(state);
    const c = this.command;
    switch (c.kind) {
      case 'createIndex': {
        const definition = { kind: c.indexKind, entity: c.target.entity,
          labelOrType: c.target.labelOrType, properties: c.target.properties };
        writer.createIndex({ ...definition, name: c.name ?? generatedName('index', definition) },
          c.ifNotExists);
        break;
      }
      case 'dropIndex': writer.dropIndex(c.name, c.ifExists); break;
      case 'createConstraint': {
        const definition = { kind: constraintKind(c), entity: c.target.entity,
          labelOrType: c.target.labelOrType, properties: c.target.properties };
        writer.createConstraint({ ...definition,
          name: c.name ?? generatedName('constraint', definition) }, c.ifNotExists);
        break;
      }
      case 'dropConstraint': writer.dropConstraint(c.name, c.ifExists); break;
    }
    yield* [];
  }
}

export const SHOW_COLUMNS: Record<ShowWhat, readonly string[]> = {
  INDEXES: ['id', 'name', 'state', 'populationPercent', 'type', 'entityType', 'labelsOrTypes',
    'properties', 'indexProvider', 'owningConstraint', 'lastRead', 'readCount'],
  CONSTRAINTS: ['id', 'name', 'type', 'entityType', 'labelsOrTypes', 'properties', 'ownedIndex',
    'propertyType'],
  PROCEDURES: ['name', 'description', 'mode', 'worksOnSystem'],
  FUNCTIONS: ['name', 'category', 'description'],
};

function indexRow(index: IndexDescriptor, i: number): Value[] {
  const lookup = index.kind === 'LOOKUP';
  return [BigInt(i + 1), index.name, 'ONLINE', 100, index.kind, index.entity,
    lookup ? null : [index.labelOrType], lookup ? null : [...index.properties],
    index.kind === 'TEXT' ? 'text-2.0' : lookup ? 'token-lookup-1.0' : 'range-1.0',
    index.owningConstraint, null, 0n];
}

function constraintRow(c: ConstraintDescriptor, i: number, state: ExecState): Value[] {
  const owned = state.graph.indexes().find((x) => x.owningConstraint === c.name)?.name ?? null;
  const type = c.kind === 'UNIQUENESS' || c.kind === 'RELATIONSHIP_UNIQUENESS'
    ? (c.entity === 'NODE' ? 'NODE_PROPERTY_UNIQUENESS' : 'RELATIONSHIP_PROPERTY_UNIQUENESS')
    : c.kind;
  return [BigInt(i + 1), c.name, type, c.entity, [c.labelOrType], [...c.properties], owned, null];
}

export class ShowOp extends Operator {
  readonly name = 'ShowCommand';

  constructor(readonly what: ShowWhat) {
    super(null);
  }

  protected *produce(state: ExecState): Iterable<Row> {
    const columns = SHOW_COLUMNS[this.what];
    for (const values of this.records(state)) {
      yield new Map(columns.map((name, i) => [name, values[i] ?? null]));
    }
  }

  private records(state: ExecState): Value[][] {
    switch (this.what) {
      case 'INDEXES':
        return [...state.graph.indexes()].sort((a, b) => (a.name < b.name ? -1 : 1)).map(indexRow);
      case 'CONSTRAINTS':
        return [...state.graph.constraints()].sort((a, b) => (a.name < b.name ? -1 : 1))
          .map((c, i) => constraintRow(c, i, state));
      case 'PROCEDURES':
        return state.procedures.all().map((p) => [p.name, p.description, p.mode,
          p.mode === 'DBMS']);
      case 'FUNCTIONS':
        return [
          ...allFunctions().map((f) => [f.name, f.category, f.description]),
          ...allAggregates().map((a) => [a.name, 'Aggregating', a.description]),
        ].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
    }
  }
}

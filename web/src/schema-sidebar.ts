/**
 * The schema sidebar: labels, relationship types, property keys, indexes and constraints read
 * from the database, each a button that runs a sample query; and the procedures, each a
 * button that puts a CALL into the editor, since what arguments it needs is not listed. The
 * same lists feed the editor's completion.
 */
import type { Connection } from './connection.js';
import { element } from './dom.js';

/** An index or constraint as SHOW INDEXES / SHOW CONSTRAINTS list it. */
export interface SchemaRule {
  readonly name: string;
  readonly type: string;
  readonly entityType: 'NODE' | 'RELATIONSHIP';
  /** Null for a token lookup index, which covers every label or type. */
  readonly labelOrType: string | null;
  readonly properties: readonly string[];
}

export interface ProcedureInfo {
  readonly name: string;
  readonly description: string;
}

export interface SchemaLists {
  readonly labels: string[];
  readonly relationshipTypes: string[];
  readonly propertyKeys: string[];
  readonly indexes: readonly SchemaRule[];
  readonly constraints: readonly SchemaRule[];
  readonly procedures: readonly ProcedureInfo[];
}

export interface SidebarActions {
  readonly run: (query: string) => void;
  readonly edit: (query: string) => void;
}

async function column(connection: Connection, query: string): Promise<string[]> {
  const result = await connection.run(query);
  return result.records.map((record) => String(record.get(0))).sort();
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/** One SHOW INDEXES or SHOW CONSTRAINTS row as a rule. */
export function parseSchemaRule(row: Readonly<Record<string, unknown>>): SchemaRule {
  const [labelOrType = null] = strings(row['labelsOrTypes']);
  return { name: String(row['name']), type: String(row['type']),
    entityType: row['entityType'] === 'RELATIONSHIP' ? 'RELATIONSHIP' : 'NODE',
    labelOrType, properties: strings(row['properties']) };
}

async function rules(connection: Connection, query: string): Promise<SchemaRule[]> {
  const result = await connection.run(query);
  return result.records.map((record) => parseSchemaRule(record.toObject()));
}

export async function loadSchema(connection: Connection): Promise<SchemaLists> {
  const procedures = await connection.run('SHOW PROCEDURES YIELD name, description');
  return {
    labels: await column(connection, 'CALL db.labels()'),
    relationshipTypes: await column(connection, 'CALL db.relationshipTypes()'),
    propertyKeys: await column(connection, 'CALL db.propertyKeys()'),
    indexes: await rules(connection, 'SHOW INDEXES'),
    constraints: await rules(connection, 'SHOW CONSTRAINTS'),
    procedures: procedures.records.map((record) => ({ name: String(record.get('name')),
      description: String(record.get('description') ?? '') })),
  };
}

export function quoted(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name.replace(/`/g, '``')}\``;
}

/** The entities a rule covers that have its properties: what the rule indexes or guards. */
export function ruleSampleQuery(rule: SchemaRule): string {
  const pattern = rule.entityType === 'NODE'
    ? `(x${rule.labelOrType === null ? '' : `:${quoted(rule.labelOrType)}`})`
    : `()-[x${rule.labelOrType === null ? '' : `:${quoted(rule.labelOrType)}`}]->()`;
  const where = rule.properties.map((key) => `x.${quoted(key)} IS NOT NULL`).join(' AND ');
  const returned = rule.properties.length === 0 ? 'x'
    : ['x', ...rule.properties.map((key) => `x.${quoted(key)}`)].join(', ');
  return `MATCH ${pattern}${where === '' ? '' : ` WHERE ${where}`} RETURN ${returned} LIMIT 25`;
}

function ruleText(rule: SchemaRule): string {
  const target = rule.labelOrType === null ? rule.entityType.toLowerCase()
    : `${rule.entityType === 'NODE' ? ':' : '[:'}${rule.labelOrType}` +
      `${rule.entityType === 'NODE' ? '' : ']'}`;
  return `${target}(${rule.properties.join(', ')}) ${ruleKind(rule.type)}`;
}

/** A short word for the rule's type: SHOW CONSTRAINTS names them at length. */
function ruleKind(type: string): string {
  if (type.endsWith('UNIQUENESS')) return 'unique';
  if (type.endsWith('KEY')) return 'key';
  if (type.endsWith('EXISTENCE')) return 'exists';
  return type.toLowerCase();
}

interface Entry {
  readonly text: string;
  readonly title: string;
  readonly onClick: () => void;
}

function group(title: string, entries: readonly Entry[]): HTMLElement[] {
  return [
    element('h3', {}, `${title} (${entries.length})`),
    ...entries.map((entry) => {
      const button = element('button', { type: 'button', title: entry.title }, entry.text);
      button.addEventListener('click', entry.onClick);
      return button;
    }),
  ];
}

export function renderSchema(container: HTMLElement, schema: SchemaLists,
  actions: SidebarActions): void {
  const runs = (names: readonly string[], sample: (name: string) => string): Entry[] =>
    names.map((name) => ({ text: name, title: sample(name),
      onClick: () => actions.run(sample(name)) }));
  const ruleEntries = (list: readonly SchemaRule[]): Entry[] => list.map((rule) => ({
    text: ruleText(rule), title: rule.name, onClick: () => actions.run(ruleSampleQuery(rule)) }));
  container.replaceChildren(
    ...group('Node labels', runs(schema.labels,
      (l) => `MATCH (n:${quoted(l)}) RETURN n LIMIT 25`)),
    ...group('Relationship types', runs(schema.relationshipTypes,
      (t) => `MATCH p=()-[r:${quoted(t)}]->() RETURN p LIMIT 25`)),
    ...group('Property keys', runs(schema.propertyKeys,
      (k) => `MATCH (n) WHERE n.${quoted(k)} IS NOT NULL RETURN n LIMIT 25`)),
    ...group('Indexes', ruleEntries(schema.indexes)),
    ...group('Constraints', ruleEntries(schema.constraints)),
    ...group('Procedures', schema.procedures.map((p) => ({ text: p.name, title: p.description,
      onClick: () => actions.edit(`CALL ${p.name}()`) }))),
  );
}

/**
 * The schema sidebar: labels, relationship types and property keys read from the database,
 * each a button that runs a sample query; the same lists feed the editor's completion.
 */
import type { Connection } from './connection.js';
import { element } from './dom.js';

export interface SchemaLists {
  readonly labels: string[];
  readonly relationshipTypes: string[];
  readonly propertyKeys: string[];
}

async function column(connection: Connection, query: string): Promise<string[]> {
  const result = await connection.run(query);
  return result.records.map((record) => String(record.get(0))).sort();
}

export async function loadSchema(connection: Connection): Promise<SchemaLists> {
  return {
    labels: await column(connection, 'CALL db.labels()'),
    relationshipTypes: await column(connection, 'CALL db.relationshipTypes()'),
    propertyKeys: await column(connection, 'CALL db.propertyKeys()'),
  };
}

function quoted(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

export function renderSchema(container: HTMLElement, schema: SchemaLists,
  run: (query: string) => void): void {
  const group = (title: string, names: readonly string[], sample: (name: string) => string) => [
    element('h3', {}, `${title} (${names.length})`),
    ...names.map((name) => {
      const button = element('button', { type: 'button' }, name);
      button.addEventListener('click', () => run(sample(name)));
      return button;
    }),
  ];
  container.replaceChildren(
    ...group('Node labels', schema.labels, (l) => `MATCH (n:${quoted(l)}) RETURN n LIMIT 25`),
    ...group('Relationship types', schema.relationshipTypes,
      (t) => `MATCH p=()-[r:${quoted(t)}]->() RETURN p LIMIT 25`),
    ...group('Property keys', schema.propertyKeys,
      (k) => `MATCH (n) WHERE n.${quoted(k)} IS NOT NULL RETURN n LIMIT 25`),
  );
}

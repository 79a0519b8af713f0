/**
 * `x IS :: TYPE`: whether a value belongs to a Cypher type as written in a query, with Neo4j's
 * synonyms (INT for INTEGER, BOOL for BOOLEAN, ...). Null belongs to every type unless the type
 * says NOT NULL.
 */
import type { Value } from '../../graph/values.js';
import { typeName } from '../values/type-names.js';

const SYNONYMS: Record<string, string> = {
  INT: 'INTEGER', 'SIGNED INTEGER': 'INTEGER', BOOL: 'BOOLEAN', 'VARCHAR': 'STRING',
  'TIMESTAMP WITH TIME ZONE': 'ZONED DATETIME', 'TIMESTAMP WITHOUT TIME ZONE': 'LOCAL DATETIME',
  RELATIONSHIP: 'RELATIONSHIP', EDGE: 'RELATIONSHIP', VERTEX: 'NODE', ARRAY: 'LIST',
  MAP: 'MAP', 'ANY VALUE': 'ANY', 'ANY': 'ANY', 'ANY PROPERTY VALUE': 'PROPERTY VALUE',
};

function canonical(name: string): string {
  return SYNONYMS[name] ?? name;
}

export function matchesType(value: Value, written: string): boolean {
  const notNull = written.endsWith(' NOT NULL');
  const type = canonical(notNull ? written.slice(0, -' NOT NULL'.length) : written);
  if (value === null) return !notNull && type !== 'NOTHING';
  if (type === 'ANY') return true;
  const unionMatch = /^ANY<(.*)>$/.exec(type);
  if (unionMatch?.[1] !== undefined) {
    return unionMatch[1].split(' | ').some((member) => matchesType(value, member));
  }
  const actual = typeName(value);
  if (type.startsWith('LIST<') || type === 'LIST') {
    if (!Array.isArray(value)) return false;
    const inner = type === 'LIST' ? 'ANY' : type.slice(5, -1);
    return value.every((item) => matchesType(item, inner));
  }
  return canonical(actual.replace(/<.*$/, '')) === type;
}

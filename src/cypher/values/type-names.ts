/**
 * Names of value types: the plain names Neo4j puts in error messages ("Type mismatch: expected
 * Integer but was String") and the Cypher type strings valueType() returns ("INTEGER NOT NULL",
 * "LIST<STRING NOT NULL> NOT NULL").
 */
import type { Value } from '../../graph/values.js';
import { kindOf, type ValueKind } from './kind.js';

const PLAIN_NAMES: Record<ValueKind, string> = {
  NULL: 'NULL', BOOLEAN: 'Boolean', INTEGER: 'Integer', FLOAT: 'Float', STRING: 'String',
  BYTES: 'ByteArray', LIST: 'List', MAP: 'Map', NODE: 'Node', RELATIONSHIP: 'Relationship',
  PATH: 'Path', DATE: 'Date', LOCAL_TIME: 'LocalTime', TIME: 'Time',
  LOCAL_DATETIME: 'LocalDateTime', DATETIME: 'DateTime', DURATION: 'Duration', POINT: 'Point',
};

const CYPHER_NAMES: Record<ValueKind, string> = {
  NULL: 'NULL', BOOLEAN: 'BOOLEAN', INTEGER: 'INTEGER', FLOAT: 'FLOAT', STRING: 'STRING',
  BYTES: 'BYTES', LIST: 'LIST', MAP: 'MAP', NODE: 'NODE', RELATIONSHIP: 'RELATIONSHIP',
  PATH: 'PATH', DATE: 'DATE', LOCAL_TIME: 'LOCAL TIME', TIME: 'ZONED TIME',
  LOCAL_DATETIME: 'LOCAL DATETIME', DATETIME: 'ZONED DATETIME', DURATION: 'DURATION',
  POINT: 'POINT',
};

/** Order of types inside a union, as Neo4j normalizes them. */
const UNION_ORDER: readonly ValueKind[] = ['BOOLEAN', 'STRING', 'INTEGER', 'FLOAT', 'DATE',
  'LOCAL_TIME', 'TIME', 'LOCAL_DATETIME', 'DATETIME', 'DURATION', 'POINT', 'NODE',
  'RELATIONSHIP', 'MAP', 'LIST', 'PATH', 'BYTES'];

/** The plain name for error messages: Integer, Float, String, List, Map, Node … */
export function typeName(v: Value): string {
  return PLAIN_NAMES[kindOf(v)];
}

/** What valueType(v) returns. Lists name the union of their element types. */
export function valueType(v: Value): string {
  const kind = kindOf(v);
  if (kind === 'NULL') return 'NULL';
  if (kind !== 'LIST' || !Array.isArray(v)) return `${CYPHER_NAMES[kind]} NOT NULL`;
  return `LIST<${elementType(v)}> NOT NULL`;
}

function elementType(list: readonly Value[]): string {
  if (list.length === 0) return 'NOTHING';
  const types = new Map<string, ValueKind>();
  let sawNull = false;
  for (const element of list) {
    if (element === null) {
      sawNull = true;
      continue;
    }
    const kind = kindOf(element);
    const name = kind === 'LIST' && Array.isArray(element)
      ? `LIST<${elementType(element)}>` : CYPHER_NAMES[kind];
    types.set(name, kind);
  }
  if (types.size === 0) return 'NULL';
  const suffix = sawNull ? '' : ' NOT NULL';
  const names = [...types.entries()]
    .sort((a, b) => UNION_ORDER.indexOf(a[1]) - UNION_ORDER.indexOf(b[1]))
    .map(([name]) => name + suffix);
  return names.join(' | ');
}

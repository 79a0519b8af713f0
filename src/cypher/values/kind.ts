/**
 * The Cypher type of a runtime value. References (NodeRef) and materialized entities (Node) are
 * the same Cypher type, so every layer above the executor asks kindOf() instead of instanceof.
 */
import { assert } from '../../assert.js';
import {
  CypherDate, DateTime, Duration, LocalDateTime, LocalTime, Node, NodeRef, Path, PathRef, Point,
  Relationship, RelRef, Time, type Value,
} from '../../graph/values.js';

export type ValueKind =
  | 'NULL' | 'BOOLEAN' | 'INTEGER' | 'FLOAT' | 'STRING' | 'BYTES' | 'LIST' | 'MAP'
  | 'NODE' | 'RELATIONSHIP' | 'PATH' | 'DATE' | 'LOCAL_TIME' | 'TIME' | 'LOCAL_DATETIME'
  | 'DATETIME' | 'DURATION' | 'POINT';

export type TemporalValue = CypherDate | LocalTime | Time | LocalDateTime | DateTime;

export function kindOf(v: Value): ValueKind {
  if (v === null) return 'NULL';
  switch (typeof v) {
    case 'boolean': return 'BOOLEAN';
    case 'bigint': return 'INTEGER';
    case 'number': return 'FLOAT';
    case 'string': return 'STRING';
    default: return objectKind(v);
  }
}

function objectKind(v: object): ValueKind {
  if (Array.isArray(v)) return 'LIST';
  if (v instanceof Map) return 'MAP';
  if (v instanceof Uint8Array) return 'BYTES';
  if (v instanceof NodeRef || v instanceof Node) return 'NODE';
  if (v instanceof RelRef || v instanceof Relationship) return 'RELATIONSHIP';
  if (v instanceof PathRef || v instanceof Path) return 'PATH';
  if (v instanceof CypherDate) return 'DATE';
  if (v instanceof LocalTime) return 'LOCAL_TIME';
  if (v instanceof Time) return 'TIME';
  if (v instanceof LocalDateTime) return 'LOCAL_DATETIME';
  if (v instanceof DateTime) return 'DATETIME';
  if (v instanceof Duration) return 'DURATION';
  assert(v instanceof Point, `kindOf: not a Cypher value: ${Object.prototype.toString.call(v)}`);
  return 'POINT';
}

export function isNumber(v: Value): v is bigint | number {
  return typeof v === 'bigint' || typeof v === 'number';
}

export function isTemporal(v: Value): v is TemporalValue {
  return v instanceof CypherDate || v instanceof LocalTime || v instanceof Time ||
    v instanceof LocalDateTime || v instanceof DateTime;
}

/** Which Cypher values may be stored as properties, and the check that says so. */
import { QuiverError } from '../errors/quiver-error.js';
import {
  CypherDate, DateTime, Duration, LocalDateTime, LocalTime, Point, Time,
  type PropertyValue, type Value,
} from './values.js';

function isScalarProperty(v: Value): v is Exclude<PropertyValue, PropertyValue[]> {
  switch (typeof v) {
    case 'boolean': case 'bigint': case 'number': case 'string':
      return true;
    default:
      return v instanceof Uint8Array || v instanceof CypherDate || v instanceof LocalTime ||
        v instanceof Time || v instanceof LocalDateTime || v instanceof DateTime ||
        v instanceof Duration || v instanceof Point;
  }
}

/**
 * Returns the value as a property, null for null (which removes a property), or throws a
 * TypeError-coded QuiverError as Neo4j does for maps, entities and mixed or nested lists.
 */
export function toPropertyValue(value: Value): PropertyValue | null {
  if (value === null) return null;
  if (isScalarProperty(value)) return value;
  if (Array.isArray(value)) {
    const items = value.filter((v) => v !== null);
    if (items.length !== value.length) {
      throw new QuiverError('TypeError', 'Collections containing null values can not be stored in properties.');
    }
    const first = items[0];
    const ok = items.every((v) => isScalarProperty(v) && sameKind(v, first as Value));
    if (ok) return items as PropertyValue[];
    throw new QuiverError('TypeError',
      'Collections containing mixed types can not be stored in properties.');
  }
  throw new QuiverError('TypeError',
    'Property values can only be of primitive types or arrays thereof');
}

function sameKind(a: Value, b: Value): boolean {
  if (typeof a !== typeof b) return false;
  if (typeof a !== 'object' || a === null || b === null) return true;
  return Object.getPrototypeOf(a) === Object.getPrototypeOf(b);
}

/**
 * Cypher's three comparisons of values:
 * - equality (`=`), ternary: null when null takes part in deciding; NaN equals nothing;
 * - comparability (`<` and friends): a number for values of one comparable type, null across
 *   types (integers and floats are one type), NaN when a NaN takes part so every test is false;
 * - orderability (ORDER BY, min, max): a total order over all values, types in Cypher's order.
 * And the grouping key, under which equivalent values (1 and 1.0, null and null) coincide.
 */
import {
  CypherDate, DateTime, Duration, LocalDateTime, LocalTime, Path, PathRef, Point, Time,
  type CypherMap, type Value,
} from '../../graph/values.js';
import {
  cmp, compareNumbers, compareStrings, compareTemporals, pathIds, type Entity,
} from './compare-primitives.js';
import { kindOf, type ValueKind } from './kind.js';

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function listEquals(a: readonly Value[], b: readonly Value[]): boolean | null {
  if (a.length !== b.length) return false;
  let unknown = false;
  for (let i = 0; i < a.length; i++) {
    const eq = cypherEquals(a[i] ?? null, b[i] ?? null);
    if (eq === false) return false;
    if (eq === null) unknown = true;
  }
  return unknown ? null : true;
}

function mapEquals(a: CypherMap, b: CypherMap): boolean | null {
  if (a.size !== b.size) return false;
  for (const key of a.keys()) if (!b.has(key)) return false;
  return listEquals([...a.values()], [...a.keys()].map((k) => b.get(k) ?? null));
}

function temporalEquals(a: Value, b: Value): boolean {
  if (a instanceof CypherDate && b instanceof CypherDate) {
    return a.year === b.year && a.month === b.month && a.day === b.day;
  }
  if (a instanceof LocalTime && b instanceof LocalTime) return a.nanosOfDay === b.nanosOfDay;
  if (a instanceof Time && b instanceof Time) {
    return a.nanosOfDay === b.nanosOfDay && a.offsetSeconds === b.offsetSeconds;
  }
  if (a instanceof LocalDateTime && b instanceof LocalDateTime) {
    return a.epochSeconds === b.epochSeconds && a.nanos === b.nanos;
  }
  if (a instanceof DateTime && b instanceof DateTime) {
    return a.epochSeconds === b.epochSeconds && a.nanos === b.nanos &&
      a.offsetSeconds === b.offsetSeconds && a.zoneId === b.zoneId;
  }
  if (a instanceof Duration && b instanceof Duration) {
    return a.months === b.months && a.days === b.days && a.seconds === b.seconds &&
      a.nanoseconds === b.nanoseconds;
  }
  return false;
}

function pointEquals(a: Point, b: Point): boolean {
  return a.srid === b.srid && a.x === b.x && a.y === b.y && a.z === b.z;
}

/** `a = b`: true, false, or null when the answer depends on a null. */
export function cypherEquals(a: Value, b: Value): boolean | null {
  if (a === null || b === null) return null;
  if ((typeof a === 'bigint' || typeof a === 'number') &&
    (typeof b === 'bigint' || typeof b === 'number')) {
    return compareNumbers(a, b) === 0;
  }
  const kind = kindOf(a);
  if (kind !== kindOf(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return listEquals(a, b);
  if (a instanceof Map && b instanceof Map) return mapEquals(a, b);
  if (kind === 'NODE' || kind === 'RELATIONSHIP') return (a as Entity).id === (b as Entity).id;
  if (kind === 'PATH') {
    const pa = pathIds(a as PathRef | Path);
    const pb = pathIds(b as PathRef | Path);
    return pa.nodes.join() === pb.nodes.join() && pa.rels.join() === pb.rels.join();
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) return bytesEqual(a, b);
  if (a instanceof Point && b instanceof Point) return pointEquals(a, b);
  if (typeof a === 'object') return temporalEquals(a, b);
  return a === b;
}

function compareLists(a: readonly Value[], b: readonly Value[]): number | null {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareValues(a[i] ?? null, b[i] ?? null);
    if (c === null || c !== 0) return c;
  }
  return cmp(a.length, b.length);
}

const TEMPORAL_KINDS: ReadonlySet<ValueKind> = new Set(['DATE', 'LOCAL_TIME', 'TIME',
  'LOCAL_DATETIME', 'DATETIME']);

/** For < <= > >=: null when the values are not comparable; NaN makes every test false. */
export function compareValues(a: Value, b: Value): number | null {
  if (a === null || b === null) return null;
  if ((typeof a === 'bigint' || typeof a === 'number') &&
    (typeof b === 'bigint' || typeof b === 'number')) {
    return compareNumbers(a, b);
  }
  const kind = kindOf(a);
  if (kind !== kindOf(b)) return null;
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return cmp(Number(a), Number(b));
  if (Array.isArray(a) && Array.isArray(b)) return compareLists(a, b);
  if (TEMPORAL_KINDS.has(kind)) return compareTemporals(a, b);
  return null;
}

export { compareForOrder, valueKey } from './order.js';

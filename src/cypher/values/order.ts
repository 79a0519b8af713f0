/**
 * Orderability (ORDER BY, min(), max()): one total order over every value. Ascending, types
 * come as MAP, NODE, RELATIONSHIP, LIST, PATH, POINT, DATETIME, LOCAL DATETIME, DATE, TIME,
 * LOCAL TIME, DURATION, STRING, BOOLEAN, NUMBER (NaN after every number), then null.
 * And the grouping key used by DISTINCT and aggregation, under which 1 and 1.0 are one value.
 */
import {
  CypherDate, DateTime, Duration, LocalDateTime, LocalTime, Node, NodeRef, Path, PathRef, Point,
  RelRef, Relationship, Time,
  type CypherMap, type Value,
} from '../../graph/values.js';
import {
  cmp, compareNumbers, compareStrings, compareTemporals, pathIds, type Entity,
} from './compare-primitives.js';
import { kindOf, type ValueKind } from './kind.js';
import { AVG_SECONDS_PER_MONTH } from './temporal/duration.js';

const TYPE_RANK: Record<ValueKind, number> = {
  MAP: 0, NODE: 1, RELATIONSHIP: 2, LIST: 3, BYTES: 4, PATH: 5, POINT: 6, DATETIME: 7,
  LOCAL_DATETIME: 8, DATE: 9, TIME: 10, LOCAL_TIME: 11, DURATION: 12, STRING: 13, BOOLEAN: 14,
  INTEGER: 15, FLOAT: 15, NULL: 16,
};

function orderNumbers(a: bigint | number, b: bigint | number): number {
  const aNaN = typeof a === 'number' && Number.isNaN(a);
  const bNaN = typeof b === 'number' && Number.isNaN(b);
  if (aNaN || bNaN) return Number(aNaN) - Number(bNaN);
  return compareNumbers(a, b);
}

function orderLists(a: readonly Value[], b: readonly Value[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareForOrder(a[i] ?? null, b[i] ?? null);
    if (c !== 0) return c;
  }
  return cmp(a.length, b.length);
}

/** Maps: smaller first, then by sorted keys, then by the values under those keys. */
function orderMaps(a: CypherMap, b: CypherMap): number {
  if (a.size !== b.size) return cmp(a.size, b.size);
  const ka = [...a.keys()].sort(compareStrings);
  const kb = [...b.keys()].sort(compareStrings);
  const byKeys = orderLists(ka, kb);
  if (byKeys !== 0) return byKeys;
  return orderLists(ka.map((k) => a.get(k) ?? null), kb.map((k) => b.get(k) ?? null));
}

function orderPaths(a: PathRef | Path, b: PathRef | Path): number {
  const pa = pathIds(a);
  const pb = pathIds(b);
  const n = Math.min(pa.rels.length, pb.rels.length);
  for (let i = 0; i < n; i++) {
    const c = cmp(pa.nodes[i] ?? 0, pb.nodes[i] ?? 0) || cmp(pa.rels[i] ?? 0, pb.rels[i] ?? 0);
    if (c !== 0) return c;
  }
  return cmp(pa.nodes[n] ?? 0, pb.nodes[n] ?? 0) || cmp(pa.rels.length, pb.rels.length);
}

function durationLength(d: Duration): bigint {
  return d.months * BigInt(AVG_SECONDS_PER_MONTH) + d.days * 86_400n + d.seconds;
}

function orderDurations(a: Duration, b: Duration): number {
  return cmp(durationLength(a), durationLength(b)) || cmp(a.nanoseconds, b.nanoseconds) ||
    cmp(a.months, b.months) || cmp(a.days, b.days);
}

function orderPoints(a: Point, b: Point): number {
  return cmp(a.srid, b.srid) || cmp(a.x, b.x) || cmp(a.y, b.y) || cmp(a.z ?? 0, b.z ?? 0);
}

function orderBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return cmp(a[i] ?? 0, b[i] ?? 0);
  return cmp(a.length, b.length);
}

/** ORDER BY's total order: negative, zero or positive, never null or NaN. */
export function compareForOrder(a: Value, b: Value): number {
  const ka = kindOf(a);
  const kb = kindOf(b);
  const byType = TYPE_RANK[ka] - TYPE_RANK[kb];
  if (byType !== 0) return Math.sign(byType);
  if (a === null || b === null) return 0;
  if ((typeof a === 'bigint' || typeof a === 'number') &&
    (typeof b === 'bigint' || typeof b === 'number')) return orderNumbers(a, b);
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return cmp(Number(a), Number(b));
  if (Array.isArray(a) && Array.isArray(b)) return orderLists(a, b);
  if (a instanceof Map && b instanceof Map) return orderMaps(a, b);
  if (ka === 'NODE' || ka === 'RELATIONSHIP') return cmp((a as Entity).id, (b as Entity).id);
  if (ka === 'PATH') return orderPaths(a as PathRef | Path, b as PathRef | Path);
  if (a instanceof Duration && b instanceof Duration) return orderDurations(a, b);
  if (a instanceof Point && b instanceof Point) return orderPoints(a, b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return orderBytes(a, b);
  return compareTemporals(a, b);
}

/** Canonical text of a float for keys: integral floats share the integer's key. */
function numberKey(n: bigint | number): string {
  if (typeof n === 'bigint') return `i${n}`;
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return `i${BigInt(n)}`;
  return `f${Object.is(n, -0) ? 0 : n}`;
}

function temporalKeyText(v: Value): string {
  if (v instanceof CypherDate) return `D${v.year}-${v.month}-${v.day}`;
  if (v instanceof LocalTime) return `lt${v.nanosOfDay}`;
  if (v instanceof Time) return `t${v.nanosOfDay}${v.offsetSeconds}`;
  if (v instanceof LocalDateTime) return `ldt${v.epochSeconds}.${v.nanos}`;
  if (v instanceof DateTime) {
    return `dt${v.epochSeconds}.${v.nanos}${v.offsetSeconds}${v.zoneId ?? ''}`;
  }
  if (v instanceof Duration) return `du${v.months},${v.days},${v.seconds},${v.nanoseconds}`;
  if (v instanceof Point) return `p${v.srid},${v.x},${v.y},${v.z ?? ''}`;
  return '?';
}

/**
 * DISTINCT and grouping key: equivalent values get equal keys. Unlike `=`, null is equivalent
 * to null and NaN to NaN; 1 and 1.0 are equivalent.
 */
export function valueKey(v: Value): string {
  if (v === null) return 'n';
  switch (typeof v) {
    case 'boolean': return v ? 'T' : 'F';
    case 'bigint':
    case 'number': return numberKey(v);
    case 'string': return JSON.stringify(v);
    default: break;
  }
  if (v instanceof NodeRef) return `N${v.id}`;
  if (Array.isArray(v)) return `[${v.map(valueKey).join(',')}]`;
  if (v instanceof Map) {
    const keys = [...v.keys()].sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${valueKey(v.get(k) ?? null)}`).join(',')}}`;
  }
  if (v instanceof Uint8Array) return `b${Buffer.from(v).toString('hex')}`;
  const kind = kindOf(v);
  if (kind === 'NODE') return `N${(v as Entity).id}`;
  if (kind === 'RELATIONSHIP') return `R${(v as Entity).id}`;
  if (kind === 'PATH') {
    const p = pathIds(v as PathRef | Path);
    return `P${p.nodes.join('.')}/${p.rels.join('.')}`;
  }
  return temporalKeyText(v);
}

/**
 * A key under which two values are one for DISTINCT exactly when their valueKey is the same,
 * but cheaper for nodes and relationships: a number (nodes from 0 up, relationships from -1
 * down), which no string key can equal.
 */
export function distinctKey(v: Value): string | number {
  if (v instanceof NodeRef || v instanceof Node) return v.id;
  if (v instanceof RelRef || v instanceof Relationship) return -1 - v.id;
  return valueKey(v);
}

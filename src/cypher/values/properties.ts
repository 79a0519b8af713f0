/**
 * `value.key` on values that are not graph entities: map entries, temporal components
 * (d.year, dt.epochMillis, t.offset …), duration components (d.days, d.minutesOfHour …) and
 * point coordinates. Entities given as references are resolved through the graph.
 */
import { QuiverError } from '../../errors/quiver-error.js';
import type { GraphReader } from '../../graph/types.js';
import {
  DateTime, Duration, Node, NodeRef, Point, Relationship, RelRef, type Value,
} from '../../graph/values.js';
import { isTemporal, type TemporalValue } from './kind.js';
import { pointComponent } from './point.js';
import {
  civilOf, dayOfQuarterOf, dayOfWeekOf, isoWeekOf, NANOS_PER_SECOND, ordinalDayOf, quarterOf,
} from './temporal/calendar.js';
import { partsOf } from './temporal/parts.js';
import { formatOffset } from './temporal/zones.js';
import { typeName } from './type-names.js';

function noSuchField(key: string, what: string): QuiverError {
  return new QuiverError('ArgumentError', `No such field: ${key} (on ${what})`);
}

function dateComponent(epochDay: number, key: string): Value | undefined {
  const c = civilOf(epochDay);
  switch (key) {
    case 'year': return BigInt(c.year);
    case 'quarter': return BigInt(quarterOf(c.month));
    case 'month': return BigInt(c.month);
    case 'week': return BigInt(isoWeekOf(epochDay).week);
    case 'weekyear': return BigInt(isoWeekOf(epochDay).weekYear);
    case 'day': return BigInt(c.day);
    case 'ordinalday': return BigInt(ordinalDayOf(c));
    case 'dayofweek':
    case 'weekday': return BigInt(dayOfWeekOf(epochDay));
    case 'dayofquarter': return BigInt(dayOfQuarterOf(c));
    default: return undefined;
  }
}

function timeComponent(nanosOfDay: bigint, key: string): Value | undefined {
  const seconds = nanosOfDay / NANOS_PER_SECOND;
  const nanos = nanosOfDay % NANOS_PER_SECOND;
  switch (key) {
    case 'hour': return seconds / 3600n;
    case 'minute': return (seconds / 60n) % 60n;
    case 'second': return seconds % 60n;
    case 'millisecond': return nanos / 1_000_000n;
    case 'microsecond': return nanos / 1000n;
    case 'nanosecond': return nanos;
    default: return undefined;
  }
}

function zoneComponent(offsetSeconds: number, zoneId: string | null, key: string):
Value | undefined {
  switch (key) {
    case 'timezone': return zoneId ?? formatOffset(offsetSeconds);
    case 'offset': return formatOffset(offsetSeconds);
    case 'offsetminutes': return BigInt(Math.trunc(offsetSeconds / 60));
    case 'offsetseconds': return BigInt(offsetSeconds);
    default: return undefined;
  }
}

function temporalComponent(t: TemporalValue, key: string): Value {
  const k = key.toLowerCase();
  const p = partsOf(t);
  let result: Value | undefined;
  if (p.epochDay !== null) result = dateComponent(p.epochDay, k);
  if (result === undefined && p.nanosOfDay !== null) result = timeComponent(p.nanosOfDay, k);
  if (result === undefined && p.offsetSeconds !== null) {
    result = zoneComponent(p.offsetSeconds, p.zoneId, k);
  }
  if (result === undefined && t instanceof DateTime) {
    if (k === 'epochseconds') result = t.epochSeconds;
    if (k === 'epochmillis') result = t.epochSeconds * 1000n + BigInt(Math.floor(t.nanos / 1e6));
  }
  if (result === undefined) throw noSuchField(key, typeName(t));
  return result;
}

function durationComponent(d: Duration, key: string): Value {
  const nanos = BigInt(d.nanoseconds);
  switch (key.toLowerCase()) {
    case 'years': return d.months / 12n;
    case 'quarters': return d.months / 3n;
    case 'months': return d.months;
    case 'weeks': return d.days / 7n;
    case 'days': return d.days;
    case 'hours': return d.seconds / 3600n;
    case 'minutes': return d.seconds / 60n;
    case 'seconds': return d.seconds;
    case 'milliseconds': return d.seconds * 1000n + nanos / 1_000_000n;
    case 'microseconds': return d.seconds * 1_000_000n + nanos / 1000n;
    case 'nanoseconds': return d.seconds * NANOS_PER_SECOND + nanos;
    case 'quartersofyear': return (d.months % 12n) / 3n;
    case 'monthsofquarter': return d.months % 3n;
    case 'monthsofyear': return d.months % 12n;
    case 'daysofweek': return d.days % 7n;
    case 'minutesofhour': return (d.seconds / 60n) % 60n;
    case 'secondsofminute': return d.seconds % 60n;
    case 'millisecondsofsecond': return nanos / 1_000_000n;
    case 'microsecondsofsecond': return nanos / 1000n;
    case 'nanosecondsofsecond': return nanos;
    default: throw noSuchField(key, 'Duration');
  }
}

/** `v.key`; entity references need `graph`. A missing map key or property is null. */
export function propertyOfValue(v: Value, key: string, graph?: GraphReader): Value {
  if (v === null) return null;
  if (v instanceof Map) return v.get(key) ?? null;
  if (v instanceof Node || v instanceof Relationship) return v.properties.get(key) ?? null;
  if (graph !== undefined && v instanceof NodeRef) return graph.nodeProperty(v.id, key);
  if (graph !== undefined && v instanceof RelRef) return graph.relProperty(v.id, key);
  if (isTemporal(v)) return temporalComponent(v, key);
  if (v instanceof Duration) return durationComponent(v, key);
  if (v instanceof Point) return pointComponent(v, key);
  throw new QuiverError('TypeError',
    `Type mismatch: expected a map but was ${typeName(v)}`);
}

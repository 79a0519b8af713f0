/**
 * Values between QuiverDB's model and the official driver's, for statements a follower forwards
 * to the leader (server-side routing). Parameters go out as driver values; records come back and
 * are turned into ours, so the client sees the same types as from a local statement.
 */
import neo4j from 'neo4j-driver';
import {
  CypherDate, DateTime, Duration, LocalDateTime, LocalTime, Node, Path, Point, Relationship, Time,
  type Value,
} from '../graph/values.js';

const NANOS_PER_SECOND = 1_000_000_000n;

export function toDriver(v: Value): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'string' || typeof v === 'number') return v;
  if (typeof v === 'bigint') return neo4j.int(v.toString());
  if (v instanceof Uint8Array) return v;
  if (Array.isArray(v)) return v.map(toDriver);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, toDriver(x)]));
  if (v instanceof CypherDate) return new neo4j.types.Date(v.year, v.month, v.day);
  if (v instanceof LocalTime) return localTimeToDriver(v.nanosOfDay);
  if (v instanceof Time) {
    const t = localTimeToDriver(v.nanosOfDay);
    return new neo4j.types.Time(t.hour, t.minute, t.second, t.nanosecond, v.offsetSeconds);
  }
  if (v instanceof LocalDateTime) return dateTimeToDriver(v.epochSeconds, v.nanos, null, null);
  if (v instanceof DateTime) return dateTimeToDriver(v.epochSeconds, v.nanos, v.offsetSeconds, v.zoneId);
  if (v instanceof Duration) {
    return new neo4j.types.Duration(neo4j.int(v.months.toString()), neo4j.int(v.days.toString()),
      neo4j.int(v.seconds.toString()), neo4j.int(v.nanoseconds));
  }
  if (v instanceof Point) {
    const srid = neo4j.int(v.srid);
    return v.z === null ? new neo4j.types.Point(srid, v.x, v.y) : new neo4j.types.Point(srid, v.x, v.y, v.z);
  }
  throw new TypeError('graph entities cannot be parameters');
}

function localTimeToDriver(nanosOfDay: bigint): InstanceType<typeof neo4j.types.LocalTime> {
  const seconds = Number(nanosOfDay / NANOS_PER_SECOND);
  return new neo4j.types.LocalTime(Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60,
    seconds % 60, Number(nanosOfDay % NANOS_PER_SECOND));
}

/** Local fields from epoch seconds as a wall clock (UTC arithmetic, shifted by the offset). */
function dateTimeToDriver(epochSeconds: bigint, nanos: number, offset: number | null,
  zone: string | null): unknown {
  const wall = new Date(Number(epochSeconds + BigInt(offset ?? 0)) * 1000);
  const f = [wall.getUTCFullYear(), wall.getUTCMonth() + 1, wall.getUTCDate(), wall.getUTCHours(),
    wall.getUTCMinutes(), wall.getUTCSeconds(), nanos] as const;
  if (offset === null) return new neo4j.types.LocalDateTime(...f);
  return new neo4j.types.DateTime(...f, zone === null ? offset : undefined, zone ?? undefined);
}

export function fromDriver(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean' || typeof v === 'string' || typeof v === 'number') return v;
  if (typeof v === 'bigint') return v;
  if (neo4j.isInt(v)) return BigInt(v.toString());
  if (v instanceof Uint8Array) return v;
  if (Array.isArray(v)) return v.map(fromDriver);
  if (typeof v !== 'object') return String(v);
  return fromDriverObject(v);
}

const big = (x: unknown): bigint => BigInt(String(x));
const num = (x: unknown): number => Number(String(x));

function fromDriverObject(v: object): Value {
  if (neo4j.isNode(v)) {
    return new Node(num(v.identity), v.labels, propsOf(v.properties), v.elementId);
  }
  if (neo4j.isRelationship(v)) {
    return new Relationship(num(v.identity), v.type, num(v.start), num(v.end), propsOf(v.properties),
      v.elementId, v.startNodeElementId, v.endNodeElementId);
  }
  if (neo4j.isPath(v)) {
    const nodes = [v.start, ...v.segments.map((s) => s.end)].map((n) => fromDriver(n) as Node);
    return new Path(nodes, v.segments.map((s) => fromDriver(s.relationship) as Relationship));
  }
  if (neo4j.isDate(v)) return new CypherDate(num(v.year), num(v.month), num(v.day));
  if (neo4j.isLocalTime(v)) return new LocalTime(nanosOfDay(v));
  if (neo4j.isTime(v)) return new Time(nanosOfDay(v), num(v.timeZoneOffsetSeconds));
  if (neo4j.isLocalDateTime(v)) return new LocalDateTime(...wallEpoch(v, 0));
  if (neo4j.isDateTime(v)) return dateTimeFromDriver(v);
  if (neo4j.isDuration(v)) return new Duration(big(v.months), big(v.days), big(v.seconds), num(v.nanoseconds));
  if (neo4j.isPoint(v)) return new Point(num(v.srid), v.x, v.y, v.z ?? null);
  return propsOf(v as Record<string, unknown>);
}

function propsOf(o: Record<string, unknown>): Map<string, Value> {
  return new Map(Object.entries(o).map(([k, x]) => [k, fromDriver(x)]));
}

function nanosOfDay(t: { hour: unknown; minute: unknown; second: unknown; nanosecond: unknown }): bigint {
  return (big(t.hour) * 3600n + big(t.minute) * 60n + big(t.second)) * NANOS_PER_SECOND + big(t.nanosecond);
}

function wallEpoch(v: { year: unknown; month: unknown; day: unknown; hour: unknown; minute: unknown;
  second: unknown; nanosecond: unknown }, offsetSeconds: number): [bigint, number] {
  const ms = Date.UTC(num(v.year), num(v.month) - 1, num(v.day), num(v.hour), num(v.minute), num(v.second));
  return [BigInt(ms / 1000) - BigInt(offsetSeconds), num(v.nanosecond)];
}

function dateTimeFromDriver(v: InstanceType<typeof neo4j.types.DateTime>): DateTime {
  const zone = v.timeZoneId ?? null;
  const offset = v.timeZoneOffsetSeconds === undefined ? 0 : num(v.timeZoneOffsetSeconds);
  const [epochSeconds, nanos] = wallEpoch(v, offset);
  return new DateTime(epochSeconds, nanos, offset, zone);
}

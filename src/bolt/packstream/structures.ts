import { assert } from '../../assert.js';
import {
  CypherDate, DateTime, Duration, LocalDateTime, LocalTime, Node, Path, Point, Relationship, Time,
  type Value,
} from '../../graph/values.js';
import { PackStreamDecodeError, type StructureHydrator } from './reader.js';
import type { PackStreamWriter, StructuredValue, StructureWriter } from './writer.js';
import {
  civilFromDays, daysFromCivil, utcFromLocalInZone, zoneOffsetSeconds,
} from './temporal-wire.js';

/** Structure tags of Bolt data values (the tag byte after a structure marker). */
export const enum StructTag {
  Node = 0x4e,
  Relationship = 0x52,
  UnboundRelationship = 0x72,
  Path = 0x50,
  Date = 0x44,
  Time = 0x54,
  LocalTime = 0x74,
  DateTime = 0x49,
  DateTimeZoneId = 0x69,
  LegacyDateTime = 0x46,
  LegacyDateTimeZoneId = 0x66,
  LocalDateTime = 0x64,
  Duration = 0x45,
  Point2D = 0x58,
  Point3D = 0x59,
}

/** What a connection's agreed version and patches decide about value structures. */
export interface StructureOptions {
  /** Bolt 5.0+ element ids on nodes and relationships. */
  readonly elementIds: boolean;
  /** UTC DateTime tags (Bolt 5.0+, or 4.3/4.4 with the "utc" patch); else legacy local ones. */
  readonly utcDateTime: boolean;
}

/** Days of range that keep every derived date within JS number precision. */
const DAYS_ABS_MAX = 1_000_000_000;
const NANOS_PER_DAY = 86_400_000_000_000n;

export function structureHydrator(options: StructureOptions): StructureHydrator {
  return (tag, fields) => hydrateStructure(tag, fields, options);
}

function hydrateStructure(tag: number, fields: Value[], options: StructureOptions): Value {
  switch (tag) {
    case StructTag.Node:
    case StructTag.Relationship:
    case StructTag.UnboundRelationship:
    case StructTag.Path:
      throw new PackStreamDecodeError('RequestInvalid',
        'Nodes, relationships and paths cannot be sent as parameters');
    case StructTag.Date: return hydrateDate(fields);
    case StructTag.Time:
      expectFields('Time', fields, 2);
      return new Time(nanosOfDay(fields[0]), int(fields[1], 'Time offset'));
    case StructTag.LocalTime:
      expectFields('LocalTime', fields, 1);
      return new LocalTime(nanosOfDay(fields[0]));
    case StructTag.LocalDateTime:
      expectFields('LocalDateTime', fields, 2);
      return new LocalDateTime(bigInt(fields[0], 'seconds'), nanos(fields[1]));
    case StructTag.Duration: return hydrateDuration(fields);
    case StructTag.Point2D:
    case StructTag.Point3D: return hydratePoint(tag, fields);
    default: return hydrateDateTime(tag, fields, options);
  }
}

function hydrateDate(fields: Value[]): CypherDate {
  expectFields('Date', fields, 1);
  const days = int(fields[0], 'Date days');
  if (Math.abs(days) > DAYS_ABS_MAX) throw typeError('Date is out of range');
  const { year, month, day } = civilFromDays(days);
  return new CypherDate(year, month, day);
}

function hydrateDuration(fields: Value[]): Duration {
  expectFields('Duration', fields, 4);
  return new Duration(bigInt(fields[0], 'months'), bigInt(fields[1], 'days'),
    bigInt(fields[2], 'seconds'), int(fields[3], 'nanoseconds'));
}

function hydratePoint(tag: number, fields: Value[]): Point {
  const is3d = tag === StructTag.Point3D;
  expectFields(is3d ? 'Point3D' : 'Point2D', fields, is3d ? 4 : 3);
  return new Point(int(fields[0], 'srid'), float(fields[1]), float(fields[2]),
    is3d ? float(fields[3]) : null);
}

function hydrateDateTime(tag: number, fields: Value[], options: StructureOptions): DateTime {
  const utcTag = tag === StructTag.DateTime || tag === StructTag.DateTimeZoneId;
  const legacyTag = tag === StructTag.LegacyDateTime || tag === StructTag.LegacyDateTimeZoneId;
  if (!utcTag && !legacyTag) {
    throw new PackStreamDecodeError('InvalidFormat', `Unknown structure tag 0x${tag.toString(16)}`);
  }
  if (utcTag !== options.utcDateTime) {
    throw new PackStreamDecodeError('RequestInvalid', utcTag
      ? 'UTC DateTime structures need Bolt 5.0+ or the "utc" patch'
      : 'Legacy DateTime structures are not valid on this connection (Bolt 5.0+ uses UTC)');
  }
  expectFields('DateTime', fields, 3);
  const seconds = bigInt(fields[0], 'seconds');
  const nanosOfSecond = nanos(fields[1]);
  const zoneOrOffset = fields[2];
  if (typeof zoneOrOffset === 'string') {
    const utcSeconds = utcTag ? Number(seconds) : utcFromLocalInZone(zoneOrOffset, Number(seconds));
    const offset = utcSeconds === null ? null : zoneOffsetSeconds(zoneOrOffset, utcSeconds);
    if (utcSeconds === null || offset === null) {
      throw typeError(`Unknown time zone or out-of-range instant: ${zoneOrOffset}`);
    }
    return new DateTime(BigInt(utcSeconds), nanosOfSecond, offset, zoneOrOffset);
  }
  const offset = int(zoneOrOffset, 'DateTime offset');
  const utcSeconds = utcTag ? seconds : seconds - BigInt(offset);
  return new DateTime(utcSeconds, nanosOfSecond, offset, null);
}

function expectFields(name: string, fields: Value[], count: number): void {
  if (fields.length !== count) {
    throw new PackStreamDecodeError('InvalidFormat',
      `${name} structure has ${fields.length} fields, expected ${count}`);
  }
}

function bigInt(value: Value | undefined, what: string): bigint {
  if (typeof value !== 'bigint') throw typeError(`${what} must be an integer`);
  return value;
}

function int(value: Value | undefined, what: string): number {
  const wide = bigInt(value, what);
  if (wide > BigInt(Number.MAX_SAFE_INTEGER) || wide < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw typeError(`${what} is out of range`);
  }
  return Number(wide);
}

function nanos(value: Value | undefined): number {
  const n = int(value, 'nanoseconds');
  if (n < 0 || n > 999_999_999) throw typeError('nanoseconds must be within 0..999999999');
  return n;
}

function nanosOfDay(value: Value | undefined): bigint {
  const n = bigInt(value, 'nanoseconds of day');
  if (n < 0n || n >= NANOS_PER_DAY) throw typeError('time of day is out of range');
  return n;
}

/** Points carry floats; an integer coordinate is accepted as its float value. */
function float(value: Value | undefined): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  throw typeError('point coordinates must be numbers');
}

function typeError(message: string): PackStreamDecodeError {
  return new PackStreamDecodeError('TypeError', message);
}

export function structureWriter(options: StructureOptions): StructureWriter {
  return (writer, value) => writeStructure(writer, value, options);
}

function writeStructure(w: PackStreamWriter, value: StructuredValue, o: StructureOptions): void {
  if (value instanceof Node) return writeNode(w, value, o);
  if (value instanceof Relationship) return writeRelationship(w, value, o);
  if (value instanceof Path) return writePath(w, value, o);
  if (value instanceof CypherDate) {
    w.writeStructHeader(1, StructTag.Date);
    return w.writeInt(BigInt(daysFromCivil(value.year, value.month, value.day)));
  }
  if (value instanceof Time) {
    w.writeStructHeader(2, StructTag.Time);
    w.writeInt(value.nanosOfDay);
    return w.writeSmallInt(value.offsetSeconds);
  }
  if (value instanceof LocalTime) {
    w.writeStructHeader(1, StructTag.LocalTime);
    return w.writeInt(value.nanosOfDay);
  }
  if (value instanceof LocalDateTime) {
    w.writeStructHeader(2, StructTag.LocalDateTime);
    w.writeInt(value.epochSeconds);
    return w.writeSmallInt(value.nanos);
  }
  if (value instanceof DateTime) return writeDateTime(w, value, o);
  if (value instanceof Duration) {
    w.writeStructHeader(4, StructTag.Duration);
    w.writeInt(value.months);
    w.writeInt(value.days);
    w.writeInt(value.seconds);
    return w.writeSmallInt(value.nanoseconds);
  }
  return writePoint(w, value);
}

function writeDateTime(w: PackStreamWriter, value: DateTime, o: StructureOptions): void {
  const zoned = value.zoneId !== null;
  const tag = o.utcDateTime
    ? (zoned ? StructTag.DateTimeZoneId : StructTag.DateTime)
    : (zoned ? StructTag.LegacyDateTimeZoneId : StructTag.LegacyDateTime);
  w.writeStructHeader(3, tag);
  // Legacy tags carry wall-clock seconds: the UTC instant shifted by the offset in force.
  w.writeInt(o.utcDateTime ? value.epochSeconds : value.epochSeconds + BigInt(value.offsetSeconds));
  w.writeSmallInt(value.nanos);
  if (value.zoneId !== null) w.writeString(value.zoneId);
  else w.writeSmallInt(value.offsetSeconds);
}

function writePoint(w: PackStreamWriter, value: Point): void {
  const is3d = value.z !== null;
  w.writeStructHeader(is3d ? 4 : 3, is3d ? StructTag.Point3D : StructTag.Point2D);
  w.writeSmallInt(value.srid);
  w.writeFloat(value.x);
  w.writeFloat(value.y);
  if (value.z !== null) w.writeFloat(value.z);
}

function writeId(w: PackStreamWriter, id: number): void {
  w.writeInt(BigInt(id));
}

function writeNode(w: PackStreamWriter, node: Node, o: StructureOptions): void {
  w.writeStructHeader(o.elementIds ? 4 : 3, StructTag.Node);
  writeId(w, node.id);
  w.writeListHeader(node.labels.length);
  for (const label of node.labels) w.writeString(label);
  w.writeMap(node.properties);
  if (o.elementIds) w.writeString(node.elementId);
}

function writeRelationship(w: PackStreamWriter, rel: Relationship, o: StructureOptions): void {
  w.writeStructHeader(o.elementIds ? 8 : 5, StructTag.Relationship);
  writeId(w, rel.id);
  writeId(w, rel.startId);
  writeId(w, rel.endId);
  w.writeString(rel.type);
  w.writeMap(rel.properties);
  if (!o.elementIds) return;
  w.writeString(rel.elementId);
  w.writeString(rel.startElementId);
  w.writeString(rel.endElementId);
}

function writeUnboundRelationship(w: PackStreamWriter, rel: Relationship, o: StructureOptions) {
  w.writeStructHeader(o.elementIds ? 4 : 3, StructTag.UnboundRelationship);
  writeId(w, rel.id);
  w.writeString(rel.type);
  w.writeMap(rel.properties);
  if (o.elementIds) w.writeString(rel.elementId);
}

/**
 * A path goes out as distinct nodes, distinct unbound relationships, and the walk as index
 * pairs: 1-based relationship number (negative when walked against its direction), then the
 * 0-based number of the node reached.
 */
function writePath(w: PackStreamWriter, path: Path, o: StructureOptions): void {
  const nodeIndex = new Map<number, number>();
  const nodes: Node[] = [];
  for (const node of path.nodes) {
    if (!nodeIndex.has(node.id)) nodeIndex.set(node.id, nodes.push(node) - 1);
  }
  const relIndex = new Map<number, number>();
  const rels: Relationship[] = [];
  const indices: number[] = [];
  path.rels.forEach((rel, step) => {
    if (!relIndex.has(rel.id)) relIndex.set(rel.id, rels.push(rel));
    const from = path.nodes[step];
    const to = path.nodes[step + 1];
    assert(from !== undefined && to !== undefined, 'a path has one more node than relationships');
    const relNumber = relIndex.get(rel.id) ?? 0;
    indices.push(rel.startId === from.id ? relNumber : -relNumber);
    indices.push(nodeIndex.get(to.id) ?? 0);
  });
  w.writeStructHeader(3, StructTag.Path);
  w.writeListHeader(nodes.length);
  for (const node of nodes) writeNode(w, node, o);
  w.writeListHeader(rels.length);
  for (const rel of rels) writeUnboundRelationship(w, rel, o);
  w.writeListHeader(indices.length);
  for (const index of indices) w.writeSmallInt(index);
}

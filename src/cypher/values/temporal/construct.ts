/**
 * Building temporal values the ways Cypher's date(), localtime(), time(), localdatetime() and
 * datetime() accept: from ISO text, from another temporal value, or from a map of fields
 * ({year, month, day}, {year, week, dayOfWeek}, {year, ordinalDay}, {year, quarter,
 * dayOfQuarter}, {hour, minute, …}, {date, time, datetime, timezone}, {epochSeconds}).
 */
import { QuiverError } from '../../../errors/quiver-error.js';
import { type CypherMap, type Value } from '../../../graph/values.js';
import { floorDiv, floorMod } from '../int64.js';
import { isTemporal, type TemporalValue } from '../kind.js';
import { NANOS_PER_SECOND } from './calendar.js';
import {
  dateTimeAtInstant, newDate, newDateTime, newLocalDateTime, newLocalTime,
  newTime, partsOf, type TemporalParts,
} from './parts.js';
import { parseDateText, parseDateTimeText, parseTimeText } from './parse-temporal.js';
import { resolveDate, resolveTime, TIME_FIELDS, DATE_FIELDS } from './resolve-fields.js';
import { offsetAt, parseZone, UTC, type Zone } from './zones.js';

export type TemporalTarget = 'DATE' | 'LOCAL_TIME' | 'TIME' | 'LOCAL_DATETIME' | 'DATETIME';

/** What "now" and "the default zone" mean for one statement. */
export interface TemporalClock {
  readonly defaultZone: Zone;
  readonly nowEpochSeconds: bigint;
}

export const hasDatePart = (t: TemporalTarget): boolean =>
  t === 'DATE' || t === 'LOCAL_DATETIME' || t === 'DATETIME';
export const hasTimePart = (t: TemporalTarget): boolean => t !== 'DATE';
export const hasZonePart = (t: TemporalTarget): boolean => t === 'TIME' || t === 'DATETIME';

export interface LocalParts {
  readonly epochDay: number | null;
  readonly nanosOfDay: bigint | null;
  readonly zone: Zone | null;
}

/** Assembles a value of the target type from local parts; missing zone = default zone. */
export function buildTemporal(
  target: TemporalTarget, parts: LocalParts, clock: TemporalClock,
): TemporalValue {
  const epochDay = parts.epochDay ?? 0;
  const nanos = parts.nanosOfDay ?? 0n;
  const zone = parts.zone ?? clock.defaultZone;
  switch (target) {
    case 'DATE': return newDate(epochDay);
    case 'LOCAL_TIME': return newLocalTime(nanos);
    case 'TIME': return newTime(nanos, offsetAt(zone, clock.nowEpochSeconds));
    case 'LOCAL_DATETIME': return newLocalDateTime(epochDay, nanos);
    case 'DATETIME': return newDateTime(epochDay, nanos, zone);
  }
}

export function temporalFromText(
  target: TemporalTarget, text: string, clock: TemporalClock,
): TemporalValue {
  if (target === 'DATE') {
    return buildTemporal(target, { epochDay: parseDateText(text), nanosOfDay: null, zone: null },
      clock);
  }
  if (target === 'LOCAL_TIME' || target === 'TIME') {
    const t = parseTimeText(text);
    return buildTemporal(target, { epochDay: null, nanosOfDay: t.nanosOfDay, zone: t.zone },
      clock);
  }
  return buildTemporal(target, parseDateTimeText(text), clock);
}

export function zoneOfParts(p: TemporalParts): Zone | null {
  if (p.offsetSeconds === null) return null;
  return p.zoneId === null ? { kind: 'offset', offsetSeconds: p.offsetSeconds }
    : { kind: 'region', zoneId: p.zoneId };
}

/** date(datetimeValue), localtime(timeValue) and the like: keep what the target holds. */
export function temporalFromTemporal(
  target: TemporalTarget, value: TemporalValue, clock: TemporalClock,
): TemporalValue {
  const p = partsOf(value);
  const needsTimeOnly = target === 'LOCAL_TIME' || target === 'TIME';
  if ((hasDatePart(target) && p.epochDay === null) || (needsTimeOnly && p.nanosOfDay === null)) {
    throw new QuiverError('TypeError',
      `Cannot construct ${target.toLowerCase().replace('_', ' ')} from ${describeParts(p)}`);
  }
  return buildTemporal(target, { epochDay: p.epochDay, nanosOfDay: p.nanosOfDay,
    zone: zoneOfParts(p) }, clock);
}

function describeParts(p: TemporalParts): string {
  return p.epochDay === null ? 'a time value' : 'a date value';
}

type Fields = Map<string, Value>;

function allowedFields(target: TemporalTarget): Set<string> {
  const allowed = new Set<string>(['datetime']);
  if (hasDatePart(target)) for (const f of [...DATE_FIELDS, 'date']) allowed.add(f);
  if (hasTimePart(target)) for (const f of [...TIME_FIELDS, 'time']) allowed.add(f);
  if (hasZonePart(target)) allowed.add('timezone');
  if (target === 'DATETIME') for (const f of ['epochseconds', 'epochmillis']) allowed.add(f);
  return allowed;
}

function normalizeFields(target: TemporalTarget, map: CypherMap): Fields {
  const allowed = allowedFields(target);
  const fields: Fields = new Map();
  for (const [key, value] of map) {
    const lower = key.toLowerCase();
    if (!allowed.has(lower)) {
      throw new QuiverError('ArgumentError', `No such field: ${key}`);
    }
    if (value !== null) fields.set(lower, value);
  }
  return fields;
}

function sourceParts(fields: Fields, key: string): TemporalParts | null {
  const value = fields.get(key);
  if (value === undefined) return null;
  if (!isTemporal(value)) {
    throw new QuiverError('TypeError', `Field '${key}' must be a temporal value`);
  }
  return partsOf(value);
}

export function temporalFromMap(
  target: TemporalTarget, map: CypherMap, clock: TemporalClock,
): TemporalValue {
  const fields = normalizeFields(target, map);
  if (fields.has('epochseconds') || fields.has('epochmillis')) {
    return dateTimeFromEpochFields(fields);
  }
  const whole = sourceParts(fields, 'datetime');
  const dateSource = sourceParts(fields, 'date') ?? whole;
  const timeSource = sourceParts(fields, 'time') ?? whole;
  const epochDay = hasDatePart(target)
    ? resolveDate(fields, dateSource?.epochDay ?? null) : null;
  const nanosOfDay = hasTimePart(target)
    ? resolveTime(fields, timeSource?.nanosOfDay ?? null) : null;
  if (!hasZonePart(target)) {
    return buildTemporal(target, { epochDay, nanosOfDay, zone: null }, clock);
  }
  const tz = fields.get('timezone');
  const explicit = tz === undefined ? null : parseZone(stringField('timezone', tz));
  const sourceZone = timeSource === null ? null : zoneOfParts(timeSource);
  if (explicit !== null && sourceZone !== null) {
    return convertZone(target, { epochDay, nanosOfDay, zone: sourceZone }, explicit, clock);
  }
  return buildTemporal(target, { epochDay, nanosOfDay, zone: explicit ?? sourceZone }, clock);
}

/** A zoned source given a new timezone keeps its instant (withZoneSameInstant). */
function convertZone(
  target: TemporalTarget, parts: LocalParts, to: Zone, clock: TemporalClock,
): TemporalValue {
  const from = parts.zone ?? UTC;
  const nanos = parts.nanosOfDay ?? 0n;
  if (target === 'TIME') {
    const shift = offsetAt(to, clock.nowEpochSeconds) - offsetAt(from, clock.nowEpochSeconds);
    return newTime(nanos + BigInt(shift) * NANOS_PER_SECOND, offsetAt(to, clock.nowEpochSeconds));
  }
  const at = newDateTime(parts.epochDay ?? 0, nanos, from);
  return dateTimeAtInstant(at.epochSeconds, at.nanos, to);
}

function stringField(key: string, value: Value): string {
  if (typeof value !== 'string') {
    throw new QuiverError('TypeError', `Field '${key}' must be a string`);
  }
  return value;
}

function intField(fields: Fields, key: string): bigint {
  const value = fields.get(key) ?? 0n;
  if (typeof value !== 'bigint') {
    throw new QuiverError('TypeError', `Field '${key}' must be an integer`);
  }
  return value;
}

function dateTimeFromEpochFields(fields: Fields): TemporalValue {
  const nanosTotal = intField(fields, 'epochseconds') * NANOS_PER_SECOND +
    intField(fields, 'epochmillis') * 1_000_000n + intField(fields, 'millisecond') * 1_000_000n +
    intField(fields, 'microsecond') * 1000n + intField(fields, 'nanosecond');
  const seconds = floorDiv(nanosTotal, NANOS_PER_SECOND);
  const nanos = Number(floorMod(nanosTotal, NANOS_PER_SECOND));
  const tz = fields.get('timezone');
  const zone = tz === undefined ? UTC : parseZone(stringField('timezone', tz));
  return dateTimeAtInstant(seconds, nanos, zone);
}

/**
 * temporal ± duration and duration.between, with java.time's rules (which Neo4j inherits):
 * months first (day clamped to the month's end), then days, then seconds and nanoseconds;
 * a date takes whole days from the seconds; a time ignores months and days.
 */
import { assert } from '../../../assert.js';
import {
  CypherDate, DateTime, type Duration, LocalDateTime, LocalTime, Time,
} from '../../../graph/values.js';
import { floorDiv, floorMod } from '../int64.js';
import type { TemporalValue } from '../kind.js';
import { civilOf, epochDayOf, NANOS_PER_DAY, NANOS_PER_SECOND, plusMonths } from './calendar.js';
import { zoneOfParts } from './construct.js';
import { newDuration } from './duration.js';
import {
  dateTimeAtInstant, localSecondsOf, newDate, newDateTime, newLocalDateTime, newLocalTime,
  newTime, partsOf, splitSeconds,
} from './parts.js';
import { instantOfLocal, offsetAt, zoneOfDateTime } from './zones.js';

function shiftMonthsAndDays(epochDay: number, months: bigint, days: bigint): number {
  const moved = months === 0n ? epochDay : (() => {
    const c = plusMonths(civilOf(epochDay), Number(months));
    return epochDayOf(c.year, c.month, c.day);
  })();
  return moved + Number(days);
}

export function plusDuration(t: TemporalValue, d: Duration): TemporalValue {
  const timeNanos = d.seconds * NANOS_PER_SECOND + BigInt(d.nanoseconds);
  if (t instanceof CypherDate) {
    const day = shiftMonthsAndDays(epochDayOf(t.year, t.month, t.day), d.months,
      d.days + d.seconds / 86_400n);
    return newDate(day);
  }
  if (t instanceof LocalTime) return newLocalTime(t.nanosOfDay + timeNanos);
  if (t instanceof Time) return newTime(t.nanosOfDay + timeNanos, t.offsetSeconds);
  const p = partsOf(t);
  const day = shiftMonthsAndDays(p.epochDay ?? 0, d.months, d.days);
  const nanosOfDay = p.nanosOfDay ?? 0n;
  if (t instanceof LocalDateTime) {
    const total = BigInt(day) * NANOS_PER_DAY + nanosOfDay + timeNanos;
    return newLocalDateTime(Number(floorDiv(total, NANOS_PER_DAY)),
      floorMod(total, NANOS_PER_DAY));
  }
  const dt: DateTime = t;
  const zone = zoneOfDateTime(dt);
  // Months and days move the wall clock (keeping the offset when still valid); time moves
  // the instant, so adding PT1H across a daylight-saving change is one real hour.
  const moved = newDateTime(day, nanosOfDay, zone, dt.offsetSeconds);
  const instant = moved.epochSeconds * NANOS_PER_SECOND + BigInt(moved.nanos) + timeNanos;
  return dateTimeAtInstant(floorDiv(instant, NANOS_PER_SECOND),
    Number(floorMod(instant, NANOS_PER_SECOND)), zone);
}

export type BetweenUnit = 'ALL' | 'MONTHS' | 'DAYS' | 'SECONDS';

interface LocalPoint {
  readonly day: number | null;
  readonly nanos: bigint;
  /** Offset in force, for zoned values, so the seconds part is an instant difference. */
  readonly offset: number | null;
}

/** `to` seen from `from`: when both are zoned, in from's zone, as java.time's until() does. */
function alignedPoints(from: TemporalValue, to: TemporalValue): [LocalPoint, LocalPoint] {
  const pa = partsOf(from);
  const pb = partsOf(to);
  const a: LocalPoint = { day: pa.epochDay, nanos: pa.nanosOfDay ?? 0n, offset: pa.offsetSeconds };
  let b: LocalPoint = { day: pb.epochDay, nanos: pb.nanosOfDay ?? 0n, offset: pb.offsetSeconds };
  const zoneA = zoneOfParts(pa);
  if (zoneA === null || pb.offsetSeconds === null) {
    return [{ ...a, offset: null }, { ...b, offset: null }];
  }
  if (pb.epochDay !== null && pa.epochDay !== null) {
    const instant = localSecondsOf(pb.epochDay, b.nanos) - BigInt(pb.offsetSeconds);
    const offset = offsetAt(zoneA, instant);
    const split = splitSeconds(instant + BigInt(offset), Number(b.nanos % NANOS_PER_SECOND));
    b = { day: split.epochDay, nanos: split.nanosOfDay, offset };
  } else {
    const shift = BigInt((pa.offsetSeconds ?? 0) - pb.offsetSeconds) * NANOS_PER_SECOND;
    b = { day: null, nanos: b.nanos + shift, offset: null };
    return [{ ...a, offset: null }, b];
  }
  return [a, b];
}

/** Whole units of `unit` days-or-months from a to b, java.time's LocalDateTime.until. */
function calendarUntil(a: LocalPoint, bDay: number, bNanos: bigint, unit: 'MONTHS' | 'DAYS'):
number {
  const aDay = a.day ?? 0;
  let endDay = bDay;
  if (endDay > aDay && bNanos < a.nanos) endDay -= 1;
  else if (endDay < aDay && bNanos > a.nanos) endDay += 1;
  if (unit === 'DAYS') return endDay - aDay;
  const s = civilOf(aDay);
  const e = civilOf(endDay);
  let months = (e.year * 12 + e.month) - (s.year * 12 + s.month);
  const dayDiff = e.day - s.day;
  if (months > 0 && dayDiff < 0) months -= 1;
  else if (months < 0 && dayDiff > 0) months += 1;
  return months;
}

export function durationBetween(
  from: TemporalValue, to: TemporalValue, unit: BetweenUnit,
): Duration {
  const [a, b] = alignedPoints(from, to);
  if (a.day === null || b.day === null) {
    if (unit === 'MONTHS' || unit === 'DAYS') return newDuration(0n, 0n, 0n, 0n);
    return newDuration(0n, 0n, 0n, b.nanos - a.nanos);
  }
  const bDay = b.day;
  const months = unit === 'ALL' || unit === 'MONTHS' ? calendarUntil(a, bDay, b.nanos, 'MONTHS')
    : 0;
  if (unit === 'MONTHS') return newDuration(BigInt(months), 0n, 0n, 0n);
  let start: LocalPoint = { ...a, day: shiftMonthsAndDays(a.day, BigInt(months), 0n) };
  const days = unit === 'SECONDS' ? 0 : calendarUntil(start, bDay, b.nanos, 'DAYS');
  if (unit === 'DAYS') return newDuration(0n, BigInt(days), 0n, 0n);
  start = { ...start, day: (start.day ?? 0) + days };
  const nanos = instantNanos(start, from) - localNanos(bDay, b.nanos, b.offset);
  return newDuration(BigInt(months), BigInt(days), 0n, -nanos);
}

function localNanos(day: number, nanos: bigint, offset: number | null): bigint {
  return BigInt(day) * NANOS_PER_DAY + nanos - BigInt(offset ?? 0) * NANOS_PER_SECOND;
}

/** The moved start as an instant (zoned) or local nanos, re-resolving its zone's offset. */
function instantNanos(start: LocalPoint, from: TemporalValue): bigint {
  const day = start.day ?? 0;
  if (start.offset === null) return localNanos(day, start.nanos, null);
  assert(from instanceof DateTime || from instanceof Time, 'instantNanos: a zoned value');
  const zone = from instanceof DateTime ? zoneOfDateTime(from)
    : { kind: 'offset' as const, offsetSeconds: from.offsetSeconds };
  const resolved = instantOfLocal(localSecondsOf(day, start.nanos), zone, start.offset);
  return localNanos(day, start.nanos, resolved.offsetSeconds);
}

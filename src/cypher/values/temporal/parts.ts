/**
 * Every temporal value seen as up to three parts (a date, a time of day, a zone), the form the
 * constructors, truncation, arithmetic and duration.between work on; and the builders back.
 */
import { assert } from '../../../assert.js';
import { QuiverError } from '../../../errors/quiver-error.js';
import {
  CypherDate, DateTime, LocalDateTime, LocalTime, Time,
} from '../../../graph/values.js';
import type { TemporalValue } from '../kind.js';
import { floorDiv, floorMod } from '../int64.js';
import { civilOf, epochDayOf, NANOS_PER_DAY, NANOS_PER_SECOND } from './calendar.js';
import { instantOfLocal, offsetAt, type Zone } from './zones.js';

export interface TemporalParts {
  /** Days since 1970-01-01 of the local date, or null for time-only values. */
  readonly epochDay: number | null;
  /** Nanosecond of the local day, or null for dates. */
  readonly nanosOfDay: bigint | null;
  /** The offset in force, or null for local values. */
  readonly offsetSeconds: number | null;
  /** The IANA region, when the value was built with one. */
  readonly zoneId: string | null;
}

/** java.time's year range, which Neo4j keeps. */
const YEAR_MIN = -999_999_999;
const YEAR_MAX = 999_999_999;

export function partsOf(t: TemporalValue): TemporalParts {
  if (t instanceof CypherDate) {
    return { epochDay: epochDayOf(t.year, t.month, t.day), nanosOfDay: null,
      offsetSeconds: null, zoneId: null };
  }
  if (t instanceof LocalTime) {
    return { epochDay: null, nanosOfDay: t.nanosOfDay, offsetSeconds: null, zoneId: null };
  }
  if (t instanceof Time) {
    return { epochDay: null, nanosOfDay: t.nanosOfDay, offsetSeconds: t.offsetSeconds,
      zoneId: null };
  }
  if (t instanceof LocalDateTime) {
    return { ...splitSeconds(t.epochSeconds, t.nanos), offsetSeconds: null, zoneId: null };
  }
  return { ...splitSeconds(t.epochSeconds + BigInt(t.offsetSeconds), t.nanos),
    offsetSeconds: t.offsetSeconds, zoneId: t.zoneId };
}

export function splitSeconds(
  seconds: bigint, nanos: number,
): { epochDay: number; nanosOfDay: bigint } {
  assert(nanos >= 0 && nanos < 1e9, 'splitSeconds: nanos of second out of range');
  return {
    epochDay: Number(floorDiv(seconds, 86_400n)),
    nanosOfDay: floorMod(seconds, 86_400n) * NANOS_PER_SECOND + BigInt(nanos),
  };
}

export function localSecondsOf(epochDay: number, nanosOfDay: bigint): bigint {
  return BigInt(epochDay) * 86_400n + nanosOfDay / NANOS_PER_SECOND;
}

export function newDate(epochDay: number): CypherDate {
  const c = civilOf(epochDay);
  if (c.year < YEAR_MIN || c.year > YEAR_MAX) {
    throw new QuiverError('ArgumentError',
      `Invalid value for YearOfEra (valid values ${YEAR_MIN} - ${YEAR_MAX}): ${c.year}`);
  }
  return new CypherDate(c.year, c.month, c.day);
}

export function newLocalTime(nanosOfDay: bigint): LocalTime {
  return new LocalTime(floorMod(nanosOfDay, NANOS_PER_DAY));
}

export function newTime(nanosOfDay: bigint, offsetSeconds: number): Time {
  return new Time(floorMod(nanosOfDay, NANOS_PER_DAY), offsetSeconds);
}

export function newLocalDateTime(epochDay: number, nanosOfDay: bigint): LocalDateTime {
  newDate(epochDay);
  return new LocalDateTime(localSecondsOf(epochDay, nanosOfDay),
    Number(nanosOfDay % NANOS_PER_SECOND));
}

/** A local date and time placed in a zone (java.time's ZonedDateTime.ofLocal). */
export function newDateTime(
  epochDay: number, nanosOfDay: bigint, zone: Zone, preferredOffset: number | null = null,
): DateTime {
  newDate(epochDay);
  const local = localSecondsOf(epochDay, nanosOfDay);
  const { epochSeconds, offsetSeconds } = instantOfLocal(local, zone, preferredOffset);
  return new DateTime(epochSeconds, Number(nanosOfDay % NANOS_PER_SECOND), offsetSeconds,
    zone.kind === 'region' ? zone.zoneId : null);
}

/** An instant seen in a zone (java.time's ZonedDateTime.ofInstant). */
export function dateTimeAtInstant(epochSeconds: bigint, nanos: number, zone: Zone): DateTime {
  return new DateTime(epochSeconds, nanos, offsetAt(zone, epochSeconds),
    zone.kind === 'region' ? zone.zoneId : null);
}

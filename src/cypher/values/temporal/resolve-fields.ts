/**
 * The date and time-of-day a map of temporal fields names. A field left out takes the value of
 * the source temporal ({date: d, day: 1}) or, with no source, the smallest legal value; a
 * smaller field without the larger one it belongs to (day without month) is an error.
 */
import { QuiverError } from '../../../errors/quiver-error.js';
import type { Value } from '../../../graph/values.js';
import {
  civilOf, dayOfQuarterOf, dayOfWeekOf, isoWeekOf, NANOS_PER_SECOND, quarterOf,
} from './calendar.js';
import {
  calendarEpochDay, checkField, ordinalEpochDay, timeOfDayNanos, weekEpochDay,
} from './parse-temporal.js';

export const DATE_FIELDS = ['year', 'month', 'day', 'week', 'dayofweek', 'ordinalday', 'quarter',
  'dayofquarter'] as const;
export const TIME_FIELDS = ['hour', 'minute', 'second', 'millisecond', 'microsecond',
  'nanosecond'] as const;

type Fields = ReadonlyMap<string, Value>;

function num(fields: Fields, key: string): number | undefined {
  const value = fields.get(key);
  if (value === undefined) return undefined;
  if (typeof value !== 'bigint') {
    throw new QuiverError('TypeError', `Field '${key}' must be an integer, got: ${String(value)}`);
  }
  return Number(value);
}

function requireWith(fields: Fields, smaller: string, larger: string, hasBase: boolean): void {
  if (!hasBase && fields.has(smaller) && !fields.has(larger)) {
    throw new QuiverError('ArgumentError', `${smaller} cannot be specified without ${larger}`);
  }
}

/** Epoch day named by the date fields, starting from `base` (an epoch day) when given. */
export function resolveDate(fields: Fields, base: number | null): number {
  const touched = DATE_FIELDS.some((f) => fields.has(f));
  if (!touched) {
    if (base === null) throw new QuiverError('ArgumentError', 'year must be specified');
    return base;
  }
  const hasBase = base !== null;
  const baseDate = base === null ? null : civilOf(base);
  const year = num(fields, 'year');
  if (year === undefined && !hasBase) {
    throw new QuiverError('ArgumentError', 'year must be specified');
  }
  checkField('Year', year ?? 0, -999_999_999, 999_999_999);
  if (fields.has('week') || fields.has('dayofweek')) {
    requireWith(fields, 'dayofweek', 'week', hasBase);
    const w = base === null ? null : isoWeekOf(base);
    return weekEpochDay(year ?? w?.weekYear ?? 0, num(fields, 'week') ?? w?.week ?? 1,
      num(fields, 'dayofweek') ?? (base === null ? 1 : dayOfWeekOf(base)));
  }
  if (fields.has('ordinalday')) {
    return ordinalEpochDay(year ?? baseDate?.year ?? 0, num(fields, 'ordinalday') ?? 1);
  }
  const y = year ?? baseDate?.year ?? 0;
  if (fields.has('quarter') || fields.has('dayofquarter')) {
    requireWith(fields, 'dayofquarter', 'quarter', hasBase);
    const quarter = checkField('QuarterOfYear',
      num(fields, 'quarter') ?? (baseDate ? quarterOf(baseDate.month) : 1), 1, 4);
    const dayOfQuarter = num(fields, 'dayofquarter') ?? (baseDate ? dayOfQuarterOf(baseDate) : 1);
    const first = calendarEpochDay(y, (quarter - 1) * 3 + 1, 1);
    const daysInQuarter = calendarEpochDay(quarter === 4 ? y + 1 : y, (quarter % 4) * 3 + 1, 1)
      - first;
    checkField('DayOfQuarter', dayOfQuarter, 1, daysInQuarter);
    return first + dayOfQuarter - 1;
  }
  requireWith(fields, 'day', 'month', hasBase);
  return calendarEpochDay(y, num(fields, 'month') ?? baseDate?.month ?? 1,
    num(fields, 'day') ?? baseDate?.day ?? 1);
}

/** Nanosecond of day named by the time fields, starting from `base` when given. */
export function resolveTime(fields: Fields, base: bigint | null): bigint {
  if (!TIME_FIELDS.some((f) => fields.has(f))) return base ?? 0n;
  const hasBase = base !== null;
  requireWith(fields, 'minute', 'hour', hasBase);
  requireWith(fields, 'second', 'minute', hasBase);
  const baseSeconds = Number((base ?? 0n) / NANOS_PER_SECOND);
  const hour = num(fields, 'hour') ?? Math.floor(baseSeconds / 3600);
  const minute = num(fields, 'minute') ?? Math.floor(baseSeconds / 60) % 60;
  const second = num(fields, 'second') ?? baseSeconds % 60;
  return timeOfDayNanos(hour, minute, second, subSecondNanos(fields, base));
}

function subSecondNanos(fields: Fields, base: bigint | null): number {
  const ms = num(fields, 'millisecond');
  const us = num(fields, 'microsecond');
  const ns = num(fields, 'nanosecond');
  if (ms === undefined && us === undefined && ns === undefined) {
    return Number((base ?? 0n) % NANOS_PER_SECOND);
  }
  checkField('MilliOfSecond', ms ?? 0, 0, 999);
  checkField('MicroOfSecond', us ?? 0, 0, ms === undefined ? 999_999 : 999);
  const nsMax = us !== undefined ? 999 : ms !== undefined ? 999_999 : 999_999_999;
  checkField('NanoOfSecond', ns ?? 0, 0, nsMax);
  return (ms ?? 0) * 1_000_000 + (us ?? 0) * 1000 + (ns ?? 0);
}

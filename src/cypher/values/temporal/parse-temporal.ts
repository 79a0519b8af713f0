/**
 * ISO 8601 text to temporal parts, in the forms Neo4j accepts: calendar (2015-07-21, 20150721,
 * 2015-07, 2015), week (2015-W30-2, 2015W302), ordinal (2015-202) dates; times with optional
 * seconds, fraction (. or ,), offset (Z, +01:00, +0100, +01) and [Region/Name].
 */
import { QuiverError } from '../../../errors/quiver-error.js';
import {
  daysInMonth, daysInYear, epochDayOf, epochDayOfWeekDate, NANOS_PER_SECOND, weeksInWeekYear,
} from './calendar.js';
import { parseZone, type Zone } from './zones.js';

const DATE_TEXT = new RegExp(
  '^([+-]\\d{4,9}|\\d{4})(?:-?(?:(\\d{2})(?:-?(\\d{2}))?|W(\\d{2})(?:-?([1-7]))?|(\\d{3})))?$',
  'i');
const TIME_TEXT = new RegExp(
  '^(\\d{2})(?::?(\\d{2})(?::?(\\d{2})(?:[.,](\\d{1,9}))?)?)?' +
  '(Z|[+-]\\d{2}(?::?\\d{2}(?::?\\d{2})?)?)?(?:\\[([^\\]]+)\\])?$', 'i');

export interface ParsedTime {
  readonly nanosOfDay: bigint;
  /** The region when one was named, else the offset, else null. */
  readonly zone: Zone | null;
}

function cannotParse(kind: string, text: string): QuiverError {
  return new QuiverError('ArgumentError', `Text cannot be parsed to a ${kind}: "${text}"`);
}

/** Checks a field the way java.time does, with its wording. */
export function checkField(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new QuiverError('ArgumentError',
      `Invalid value for ${name} (valid values ${min} - ${max}): ${value}`);
  }
  return value;
}

export function calendarEpochDay(year: number, month: number, day: number): number {
  checkField('MonthOfYear', month, 1, 12);
  checkField('DayOfMonth', day, 1, daysInMonth(year, month));
  return epochDayOf(year, month, day);
}

export function weekEpochDay(weekYear: number, week: number, dayOfWeek: number): number {
  checkField('WeekOfWeekBasedYear', week, 1, weeksInWeekYear(weekYear));
  checkField('DayOfWeek', dayOfWeek, 1, 7);
  return epochDayOfWeekDate(weekYear, week, dayOfWeek);
}

export function ordinalEpochDay(year: number, ordinalDay: number): number {
  checkField('DayOfYear', ordinalDay, 1, daysInYear(year));
  return epochDayOf(year, 1, 1) + ordinalDay - 1;
}

export function parseDateText(text: string): number {
  const m = DATE_TEXT.exec(text);
  if (m === null) throw cannotParse('Date', text);
  const year = Number(m[1]);
  if (m[4] !== undefined) return weekEpochDay(year, Number(m[4]), Number(m[5] ?? '1'));
  if (m[6] !== undefined) return ordinalEpochDay(year, Number(m[6]));
  return calendarEpochDay(year, Number(m[2] ?? '1'), Number(m[3] ?? '1'));
}

export function timeOfDayNanos(
  hour: number, minute: number, second: number, nanos: number,
): bigint {
  checkField('HourOfDay', hour, 0, 23);
  checkField('MinuteOfHour', minute, 0, 59);
  checkField('SecondOfMinute', second, 0, 59);
  checkField('NanoOfSecond', nanos, 0, 999_999_999);
  return BigInt(hour * 3600 + minute * 60 + second) * NANOS_PER_SECOND + BigInt(nanos);
}

export function parseTimeText(text: string): ParsedTime {
  const m = TIME_TEXT.exec(text);
  if (m === null) throw cannotParse('Time', text);
  const fraction = (m[4] ?? '').padEnd(9, '0');
  const nanosOfDay = timeOfDayNanos(Number(m[1]), Number(m[2] ?? '0'), Number(m[3] ?? '0'),
    Number(fraction));
  let zone: Zone | null = null;
  if (m[6] !== undefined) zone = parseZone(m[6]);
  else if (m[5] !== undefined) zone = parseZone(m[5]);
  return { nanosOfDay, zone };
}

export function parseDateTimeText(text: string): ParsedTime & { epochDay: number } {
  const t = text.search(/T/i);
  if (t < 0) return { epochDay: parseDateText(text), nanosOfDay: 0n, zone: null };
  return { epochDay: parseDateText(text.slice(0, t)), ...parseTimeText(text.slice(t + 1)) };
}

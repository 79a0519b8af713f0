/**
 * Proleptic Gregorian calendar arithmetic on epoch days (days since 1970-01-01), as
 * java.time does it, including ISO week dates, ordinal days and quarters.
 */
import { assert } from '../../../assert.js';

export interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export const SECONDS_PER_DAY = 86_400;
export const NANOS_PER_SECOND = 1_000_000_000n;
export const NANOS_PER_DAY = 86_400n * NANOS_PER_SECOND;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export function daysInYear(year: number): number {
  return isLeapYear(year) ? 366 : 365;
}

function floorDivNum(a: number, b: number): number {
  return Math.floor(a / b);
}

/** Days since the epoch; era-based so it is exact for any year a Cypher date can hold. */
export function epochDayOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = floorDivNum(y, 400);
  const yearOfEra = y - era * 400;
  const monthIndex = (month + 9) % 12;
  const dayOfYear = Math.floor((153 * monthIndex + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) +
    dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

export function civilOf(epochDay: number): CivilDate {
  const z = epochDay + 719_468;
  const era = floorDivNum(z, 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) -
    Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  assert(month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month),
    'civilOf: not a calendar date');
  return { year, month, day };
}

/** ISO day of week: Monday 1 … Sunday 7. */
export function dayOfWeekOf(epochDay: number): number {
  return ((((epochDay + 3) % 7) + 7) % 7) + 1;
}

export function ordinalDayOf(d: CivilDate): number {
  return epochDayOf(d.year, d.month, d.day) - epochDayOf(d.year, 1, 1) + 1;
}

export function quarterOf(month: number): number {
  return Math.floor((month - 1) / 3) + 1;
}

export function dayOfQuarterOf(d: CivilDate): number {
  const firstMonth = (quarterOf(d.month) - 1) * 3 + 1;
  return epochDayOf(d.year, d.month, d.day) - epochDayOf(d.year, firstMonth, 1) + 1;
}

/** Epoch day of the Monday of ISO week 1 of a week-based year. */
function weekOneMonday(weekYear: number): number {
  const jan4 = epochDayOf(weekYear, 1, 4);
  return jan4 - (dayOfWeekOf(jan4) - 1);
}

export function weeksInWeekYear(weekYear: number): number {
  return (weekOneMonday(weekYear + 1) - weekOneMonday(weekYear)) / 7;
}

export function isoWeekOf(epochDay: number): { weekYear: number; week: number } {
  const year = civilOf(epochDay).year;
  // A date belongs to the week-based year whose week 1 starts on or before it, latest first.
  let weekYear = year - 1;
  if (epochDay >= weekOneMonday(year + 1)) weekYear = year + 1;
  else if (epochDay >= weekOneMonday(year)) weekYear = year;
  return { weekYear, week: Math.floor((epochDay - weekOneMonday(weekYear)) / 7) + 1 };
}

export function epochDayOfWeekDate(weekYear: number, week: number, dayOfWeek: number): number {
  return weekOneMonday(weekYear) + (week - 1) * 7 + (dayOfWeek - 1);
}

/** Adds months the java.time way: the day is clamped to the last day of the target month. */
export function plusMonths(d: CivilDate, months: number): CivilDate {
  const total = d.year * 12 + (d.month - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  return { year, month, day: Math.min(d.day, daysInMonth(year, month)) };
}

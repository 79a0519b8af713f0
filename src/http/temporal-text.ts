/**
 * ISO-8601 text for the temporal values of src/graph/values.ts, in the shapes Neo4j's HTTP APIs
 * print (Java's java.time toString: `12:50`, `12:50:35.556`, `2015-07-21T21:40:32.142+01:00`,
 * `…[Europe/London]`, durations with zero units left out).
 */
import {
  CypherDate, DateTime, Duration, LocalDateTime, LocalTime, Time,
} from '../graph/values.js';

const NANOS_PER_SECOND = 1_000_000_000n;
const SECONDS_PER_DAY = 86_400n;

const pad2 = (value: number | bigint): string => String(value).padStart(2, '0');

function formatYear(year: number): string {
  if (year >= 0 && year <= 9999) return String(year).padStart(4, '0');
  return `${year < 0 ? '-' : '+'}${String(Math.abs(year)).padStart(4, '0')}`;
}

export function formatDate(date: CypherDate): string {
  return `${formatYear(date.year)}-${pad2(date.month)}-${pad2(date.day)}`;
}

/** Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's civil_from_days). */
export function dateFromEpochDays(epochDays: number): CypherDate {
  const z = epochDays + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) +
    Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) -
    Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  return new CypherDate(yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day);
}

export function formatNanosOfDay(nanosOfDay: bigint): string {
  const seconds = nanosOfDay / NANOS_PER_SECOND;
  const nanos = nanosOfDay % NANOS_PER_SECOND;
  const text = `${pad2(seconds / 3600n)}:${pad2((seconds / 60n) % 60n)}`;
  if (seconds % 60n === 0n && nanos === 0n) return text;
  if (nanos === 0n) return `${text}:${pad2(seconds % 60n)}`;
  const digits = String(nanos).padStart(9, '0');
  const groups = digits.endsWith('000000') ? 3 : digits.endsWith('000') ? 6 : 9;
  return `${text}:${pad2(seconds % 60n)}.${digits.slice(0, groups)}`;
}

export function formatOffset(offsetSeconds: number): string {
  if (offsetSeconds === 0) return 'Z';
  const total = Math.abs(offsetSeconds);
  const text = `${offsetSeconds < 0 ? '-' : '+'}${pad2(Math.floor(total / 3600))}:` +
    pad2(Math.floor(total / 60) % 60);
  return total % 60 === 0 ? text : `${text}:${pad2(total % 60)}`;
}

function formatLocalSeconds(epochSeconds: bigint, nanos: number): string {
  const days = epochSeconds >= 0n ? epochSeconds / SECONDS_PER_DAY
    : -((-epochSeconds + SECONDS_PER_DAY - 1n) / SECONDS_PER_DAY);
  const secondOfDay = epochSeconds - days * SECONDS_PER_DAY;
  const time = formatNanosOfDay(secondOfDay * NANOS_PER_SECOND + BigInt(nanos));
  return `${formatDate(dateFromEpochDays(Number(days)))}T${time}`;
}

export function formatDuration(duration: Duration): string {
  const total = duration.seconds * NANOS_PER_SECOND + BigInt(duration.nanoseconds);
  const sign = total < 0n ? '-' : '';
  const absolute = total < 0n ? -total : total;
  const seconds = absolute / NANOS_PER_SECOND;
  const fraction = absolute % NANOS_PER_SECOND;
  let date = '';
  if (duration.months / 12n !== 0n) date += `${duration.months / 12n}Y`;
  if (duration.months % 12n !== 0n) date += `${duration.months % 12n}M`;
  if (duration.days !== 0n) date += `${duration.days}D`;
  let time = '';
  if (seconds / 3600n !== 0n) time += `${sign}${seconds / 3600n}H`;
  if ((seconds / 60n) % 60n !== 0n) time += `${sign}${(seconds / 60n) % 60n}M`;
  if (seconds % 60n !== 0n || fraction !== 0n) {
    const digits = fraction === 0n ? ''
      : `.${String(fraction).padStart(9, '0').replace(/0+$/, '')}`;
    time += `${sign}${seconds % 60n}${digits}S`;
  }
  if (date === '' && time === '') return 'PT0S';
  return `P${date}${time === '' ? '' : `T${time}`}`;
}

/** ISO text for any temporal value, or null when `value` is not one. */
export function formatTemporal(value: unknown): string | null {
  if (value instanceof CypherDate) return formatDate(value);
  if (value instanceof LocalTime) return formatNanosOfDay(value.nanosOfDay);
  if (value instanceof Time) {
    return `${formatNanosOfDay(value.nanosOfDay)}${formatOffset(value.offsetSeconds)}`;
  }
  if (value instanceof LocalDateTime) return formatLocalSeconds(value.epochSeconds, value.nanos);
  if (value instanceof DateTime) {
    const local = formatLocalSeconds(value.epochSeconds + BigInt(value.offsetSeconds), value.nanos);
    const zone = value.zoneId === null ? '' : `[${value.zoneId}]`;
    return `${local}${formatOffset(value.offsetSeconds)}${zone}`;
  }
  if (value instanceof Duration) return formatDuration(value);
  return null;
}

/**
 * Conversions between the value model's temporal fields and the numbers Bolt puts on the wire:
 * days since the epoch for dates, and UTC offsets of IANA zones for zoned date-times.
 */

const SECONDS_PER_DAY = 86_400;
const MILLIS_MAX = 8.64e15;

/** Days since 1970-01-01 for a proleptic Gregorian date (era-based, exact for any year). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = month > 2 ? month - 3 : month + 9;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) +
    dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) -
    Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

const FORMATTERS_MAX = 512;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zoneId: string): Intl.DateTimeFormat | null {
  const cached = formatters.get(zoneId);
  if (cached !== undefined) return cached;
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zoneId, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short',
    });
  } catch {
    return null;
  }
  // The cache only saves work; dropping it when full keeps it bounded.
  if (formatters.size >= FORMATTERS_MAX) formatters.clear();
  formatters.set(zoneId, formatter);
  return formatter;
}

/**
 * The UTC offset in seconds of `zoneId` at the instant `epochSeconds` (UTC), or null when the
 * zone is unknown or the instant is outside what the platform's time zone data covers.
 */
export function zoneOffsetSeconds(zoneId: string, epochSeconds: number): number | null {
  const formatter = formatterFor(zoneId);
  const millis = epochSeconds * 1000;
  if (formatter === null || !Number.isFinite(millis) || Math.abs(millis) > MILLIS_MAX) return null;
  const fields = new Map<string, string>();
  for (const part of formatter.formatToParts(new Date(millis))) fields.set(part.type, part.value);
  const yearOfEra = Number(fields.get('year'));
  const year = fields.get('era') === 'BC' ? 1 - yearOfEra : yearOfEra;
  const localSeconds =
    daysFromCivil(year, Number(fields.get('month')), Number(fields.get('day'))) * SECONDS_PER_DAY +
    Number(fields.get('hour')) * 3600 + Number(fields.get('minute')) * 60 +
    Number(fields.get('second'));
  const flooredEpoch = Math.floor(epochSeconds);
  return localSeconds - flooredEpoch;
}

/**
 * UTC seconds for a wall-clock time in a zone (legacy DateTimeZoneId carries local seconds).
 * Two passes settle the offset across a transition; an ambiguous time takes the earlier offset.
 */
export function utcFromLocalInZone(zoneId: string, localSeconds: number): number | null {
  const guess = zoneOffsetSeconds(zoneId, localSeconds);
  if (guess === null) return null;
  const refined = zoneOffsetSeconds(zoneId, localSeconds - guess);
  if (refined === null) return null;
  return localSeconds - refined;
}

/**
 * DURATION values: months, days, seconds and nanoseconds kept apart (Neo4j's model), built from
 * maps or ISO 8601 text, and combined by + - * /. Fractions spill into smaller units using
 * Neo4j's average month (365.2425 / 12 days).
 */
import { assert } from '../../../assert.js';
import { QuiverError } from '../../../errors/quiver-error.js';
import { Duration, type CypherMap } from '../../../graph/values.js';
import { checkedInt64, floatToInt64, floorDiv, floorMod } from '../int64.js';
import { NANOS_PER_SECOND } from './calendar.js';

export const AVG_SECONDS_PER_MONTH = 2_629_746;
const NANOS_PER_SECOND_NUM = 1e9;

export const ZERO_DURATION = new Duration(0n, 0n, 0n, 0);

/** Normalizes nanoseconds into [0, 1e9) and checks every component against 64 bits. */
export function newDuration(
  months: bigint, days: bigint, seconds: bigint, nanos: bigint,
): Duration {
  const totalSeconds = checkedInt64(seconds + floorDiv(nanos, NANOS_PER_SECOND));
  const nanosOfSecond = Number(floorMod(nanos, NANOS_PER_SECOND));
  assert(nanosOfSecond >= 0 && nanosOfSecond < 1e9, 'newDuration: nanos out of range');
  return new Duration(checkedInt64(months), checkedInt64(days), totalSeconds, nanosOfSecond);
}

/** Neo4j's DurationValue.approximate: each fraction moves into the next smaller unit. */
export function approximateDuration(
  months: number, days: number, seconds: number, nanos: number,
): Duration {
  const wholeMonths = Math.trunc(months);
  const daysTotal = days + (months - wholeMonths) * AVG_SECONDS_PER_MONTH / 86_400;
  const wholeDays = Math.trunc(daysTotal);
  const secondsTotal = seconds + (daysTotal - wholeDays) * 86_400;
  const wholeSeconds = Math.trunc(secondsTotal);
  const nanosTotal = nanos + (secondsTotal - wholeSeconds) * NANOS_PER_SECOND_NUM;
  return newDuration(floatToInt64(wholeMonths, 'Duration'), floatToInt64(wholeDays, 'Duration'),
    floatToInt64(wholeSeconds, 'Duration'), floatToInt64(Math.round(nanosTotal), 'Duration'));
}

/** Unit name (lower case) → [component, factor] : how much of a component one unit is. */
const UNITS: ReadonlyMap<string, readonly ['months' | 'days' | 'seconds' | 'nanos', number]> =
  new Map([
    ['years', ['months', 12]], ['quarters', ['months', 3]], ['months', ['months', 1]],
    ['weeks', ['days', 7]], ['days', ['days', 1]],
    ['hours', ['seconds', 3600]], ['minutes', ['seconds', 60]], ['seconds', ['seconds', 1]],
    ['milliseconds', ['nanos', 1_000_000]], ['microseconds', ['nanos', 1000]],
    ['nanoseconds', ['nanos', 1]],
  ]);

export function durationFromMap(map: CypherMap): Duration {
  const exact = { months: 0n, days: 0n, seconds: 0n, nanos: 0n };
  const approx = { months: 0, days: 0, seconds: 0, nanos: 0 };
  let fractional = false;
  for (const [key, value] of map) {
    const unit = UNITS.get(key.toLowerCase());
    if (unit === undefined) {
      throw new QuiverError('ArgumentError', `No such field: ${key}`);
    }
    const [component, factor] = unit;
    if (typeof value === 'bigint') {
      exact[component] += value * BigInt(factor);
      approx[component] += Number(value) * factor;
    } else if (typeof value === 'number') {
      fractional = true;
      approx[component] += value * factor;
    } else {
      throw new QuiverError('TypeError',
        `Invalid value for duration field '${key}': expected a number`);
    }
  }
  if (fractional) {
    return approximateDuration(approx.months, approx.days, approx.seconds, approx.nanos);
  }
  return newDuration(exact.months, exact.days, exact.seconds, exact.nanos);
}

const NUM = '([-+]?\\d+(?:[.,]\\d+)?)';
const ISO_DURATION = new RegExp(
  `^([-+]?)P(?:${NUM}Y)?(?:${NUM}M)?(?:${NUM}W)?(?:${NUM}D)?` +
  `(?:T(?:${NUM}H)?(?:${NUM}M)?(?:${NUM}S)?)?$`, 'i');
const DATE_LIKE_DURATION =
  /^([-+]?)P(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2}):?(\d{2}(?:[.,]\d{1,9})?)$/i;

function parseAmount(text: string | undefined): bigint | number {
  if (text === undefined) return 0n;
  const normalized = text.replace(',', '.');
  return normalized.includes('.') ? Number(normalized) : BigInt(normalized);
}

export function parseDuration(text: string): Duration {
  const m = ISO_DURATION.exec(text);
  const isoFields = ['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds'];
  const dateLikeFields = ['years', 'months', 'days', 'hours', 'minutes', 'seconds'];
  const match = m ?? DATE_LIKE_DURATION.exec(text);
  const names = m ? isoFields : dateLikeFields;
  if (match === null || text.length <= 1 || /T$/i.test(text) || /^[-+]?P$/i.test(text)) {
    throw new QuiverError('ArgumentError', `Text cannot be parsed to a Duration: ${text}`);
  }
  const map: CypherMap = new Map();
  names.forEach((name, i) => {
    const amount = parseAmount(match[i + 2]);
    map.set(name, amount);
  });
  const d = durationFromMap(map);
  return match[1] === '-' ? negateDuration(d) : d;
}

export function negateDuration(d: Duration): Duration {
  return newDuration(-d.months, -d.days, -d.seconds, -BigInt(d.nanoseconds));
}

export function addDurations(a: Duration, b: Duration): Duration {
  return newDuration(a.months + b.months, a.days + b.days, a.seconds + b.seconds,
    BigInt(a.nanoseconds) + BigInt(b.nanoseconds));
}

export function multiplyDuration(d: Duration, factor: bigint | number): Duration {
  if (typeof factor === 'bigint') {
    return newDuration(d.months * factor, d.days * factor, d.seconds * factor,
      BigInt(d.nanoseconds) * factor);
  }
  return approximateDuration(Number(d.months) * factor, Number(d.days) * factor,
    Number(d.seconds) * factor, d.nanoseconds * factor);
}

export function divideDuration(d: Duration, divisor: bigint | number): Duration {
  const x = Number(divisor);
  if (x === 0) throw new QuiverError('ArithmeticError', '/ by zero');
  return approximateDuration(Number(d.months) / x, Number(d.days) / x, Number(d.seconds) / x,
    d.nanoseconds / x);
}

/**
 * ISO 8601 text exactly as Neo4j prints temporal values (java.time's toString): seconds only
 * when not zero, fractions in groups of 3, 6 or 9 digits, 'Z' for UTC, [Region] after offsets.
 */
import {
  CypherDate, DateTime, type Duration, LocalDateTime, LocalTime, Time,
} from '../../../graph/values.js';
import type { TemporalValue } from '../kind.js';
import { civilOf, NANOS_PER_SECOND } from './calendar.js';
import { partsOf } from './parts.js';
import { formatOffset } from './zones.js';

function pad(n: number | bigint, width: number): string {
  return String(n).padStart(width, '0');
}

export function formatYear(year: number): string {
  const abs = Math.abs(year);
  if (abs < 1000) return (year < 0 ? '-' : '') + pad(abs, 4);
  return (year > 9999 ? '+' : '') + String(year);
}

export function formatEpochDay(epochDay: number): string {
  const c = civilOf(epochDay);
  return `${formatYear(c.year)}-${pad(c.month, 2)}-${pad(c.day, 2)}`;
}

/** Nine, six or three fraction digits: the shortest group that loses nothing. */
function formatFraction(nanos: number): string {
  if (nanos % 1_000_000 === 0) return pad(nanos / 1_000_000, 3);
  if (nanos % 1000 === 0) return pad(nanos / 1000, 6);
  return pad(nanos, 9);
}

export function formatNanosOfDay(nanosOfDay: bigint): string {
  const totalSeconds = nanosOfDay / NANOS_PER_SECOND;
  const nanos = Number(nanosOfDay % NANOS_PER_SECOND);
  const hour = totalSeconds / 3600n;
  const minute = (totalSeconds / 60n) % 60n;
  const second = totalSeconds % 60n;
  let text = `${pad(hour, 2)}:${pad(minute, 2)}`;
  if (second !== 0n || nanos !== 0) text += `:${pad(second, 2)}`;
  if (nanos !== 0) text += `.${formatFraction(nanos)}`;
  return text;
}

export function formatTemporal(t: TemporalValue): string {
  const p = partsOf(t);
  if (t instanceof CypherDate) return formatEpochDay(p.epochDay ?? 0);
  if (t instanceof LocalTime) return formatNanosOfDay(t.nanosOfDay);
  if (t instanceof Time) return formatNanosOfDay(t.nanosOfDay) + formatOffset(t.offsetSeconds);
  const dateTime = `${formatEpochDay(p.epochDay ?? 0)}T${formatNanosOfDay(p.nanosOfDay ?? 0n)}`;
  if (t instanceof LocalDateTime) return dateTime;
  const dt: DateTime = t;
  const zone = dt.zoneId === null ? '' : `[${dt.zoneId}]`;
  return dateTime + formatOffset(dt.offsetSeconds) + zone;
}

/** java.time's Duration-style text with Neo4j's months and days in front: P1Y2M3DT4H5M6.5S. */
export function formatDuration(d: Duration): string {
  if (d.months === 0n && d.days === 0n && d.seconds === 0n && d.nanoseconds === 0) return 'PT0S';
  let text = 'P';
  const years = d.months / 12n;
  const months = d.months % 12n;
  if (years !== 0n) text += `${years}Y`;
  if (months !== 0n) text += `${months}M`;
  if (d.days !== 0n) text += `${d.days}D`;
  if (d.seconds === 0n && d.nanoseconds === 0) return text;
  text += 'T';
  const hours = d.seconds / 3600n;
  const minutes = (d.seconds % 3600n) / 60n;
  const seconds = d.seconds % 60n;
  if (hours !== 0n) text += `${hours}H`;
  if (minutes !== 0n) text += `${minutes}M`;
  if (seconds !== 0n || d.nanoseconds !== 0) text += `${formatSeconds(seconds, d.nanoseconds)}S`;
  return text;
}

/** Seconds with a fraction; nanos are kept non-negative, so -0.5s is stored as -1s + 0.5e9ns. */
function formatSeconds(seconds: bigint, nanos: number): string {
  let s = seconds;
  let n = nanos;
  let sign = '';
  if (s < 0n && n > 0) {
    if (s === -1n) sign = '-';
    s += 1n;
    n = 1_000_000_000 - n;
  }
  if (n === 0) return `${sign}${s}`;
  return `${sign}${s}.${pad(n, 9).replace(/0+$/, '')}`;
}

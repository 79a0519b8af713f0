/**
 * Time zones: fixed offsets (+01:00, Z) and IANA regions (Europe/Stockholm) resolved through the
 * ICU data bundled with Node (Intl), with java.time's rules for local times in gaps and overlaps.
 */
import { QuiverError } from '../../../errors/quiver-error.js';
import { epochDayOf, SECONDS_PER_DAY } from './calendar.js';

export type Zone =
  | { readonly kind: 'offset'; readonly offsetSeconds: number }
  | { readonly kind: 'region'; readonly zoneId: string };

/** Offsets java.time accepts: at most ±18:00. */
const OFFSET_SECONDS_MAX = 18 * 3600;
/** Formatters are costly to build; a small cache, cleared when full, bounds the memory. */
const FORMATTER_CACHE_ENTRIES_MAX = 64;
const formatters = new Map<string, Intl.DateTimeFormat>();
/** Intl's Date range; instants beyond it take the offset at its edge. */
const INTL_EPOCH_SECONDS_MAX = 8_640_000_000_000n;

const OFFSET_PATTERN = /^([+-])(\d{2})(?::?(\d{2})(?::?(\d{2}))?)?$/;

export const UTC: Zone = { kind: 'offset', offsetSeconds: 0 };

export function parseZone(text: string): Zone {
  if (text === 'Z' || text === 'z') return UTC;
  const m = OFFSET_PATTERN.exec(text);
  if (m) return { kind: 'offset', offsetSeconds: offsetFromParts(m, text) };
  const formatter = formatterFor(text);
  const resolved = formatter.resolvedOptions().timeZone;
  // Keep the caller's spelling unless ICU only fixed its case (java.time keeps the given id).
  const zoneId = resolved.toLowerCase() === text.toLowerCase() ? resolved : text;
  return { kind: 'region', zoneId };
}

function offsetFromParts(m: RegExpExecArray, text: string): number {
  const sign = m[1] === '-' ? -1 : 1;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? '0');
  const seconds = Number(m[4] ?? '0');
  const total = hours * 3600 + minutes * 60 + seconds;
  if (minutes > 59 || seconds > 59 || total > OFFSET_SECONDS_MAX) {
    throw new QuiverError('ArgumentError', `Invalid value for TimeZone: Text '${text}'`);
  }
  return sign * total;
}

function formatterFor(zoneId: string): Intl.DateTimeFormat {
  const cached = formatters.get(zoneId);
  if (cached) return cached;
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zoneId, hourCycle: 'h23', era: 'short', year: 'numeric', month: 'numeric',
      day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  } catch {
    throw new QuiverError('ArgumentError', `Invalid value for TimeZone: Text '${zoneId}'`);
  }
  if (formatters.size >= FORMATTER_CACHE_ENTRIES_MAX) formatters.clear();
  formatters.set(zoneId, formatter);
  return formatter;
}

/** The offset a region is at, at an instant: local wall clock minus UTC, in seconds. */
export function regionOffsetAt(zoneId: string, epochSeconds: bigint): number {
  const clamped = epochSeconds > INTL_EPOCH_SECONDS_MAX ? INTL_EPOCH_SECONDS_MAX
    : epochSeconds < -INTL_EPOCH_SECONDS_MAX ? -INTL_EPOCH_SECONDS_MAX : epochSeconds;
  const seconds = Number(clamped);
  const fields = new Map<string, string>();
  for (const part of formatterFor(zoneId).formatToParts(new Date(seconds * 1000))) {
    fields.set(part.type, part.value);
  }
  const num = (key: string): number => Number(fields.get(key) ?? '0');
  const year = fields.get('era') === 'BC' ? 1 - num('year') : num('year');
  const wallSeconds = epochDayOf(year, num('month'), num('day')) * SECONDS_PER_DAY +
    num('hour') * 3600 + num('minute') * 60 + num('second');
  return wallSeconds - seconds;
}

export function offsetAt(zone: Zone, epochSeconds: bigint): number {
  return zone.kind === 'offset' ? zone.offsetSeconds : regionOffsetAt(zone.zoneId, epochSeconds);
}

/**
 * The instant a local date-time names in a zone. In an overlap java.time keeps the earlier
 * offset (or `preferredOffset` when it is one of the two); in a gap it moves the wall clock
 * forward by the gap's length.
 */
export function instantOfLocal(
  localSeconds: bigint, zone: Zone, preferredOffset: number | null = null,
): { epochSeconds: bigint; offsetSeconds: number } {
  if (zone.kind === 'offset') {
    return { epochSeconds: localSeconds - BigInt(zone.offsetSeconds),
      offsetSeconds: zone.offsetSeconds };
  }
  const before = regionOffsetAt(zone.zoneId, localSeconds - 86_400n);
  const after = regionOffsetAt(zone.zoneId, localSeconds + 86_400n);
  const valid = (offset: number): boolean =>
    regionOffsetAt(zone.zoneId, localSeconds - BigInt(offset)) === offset;
  let chosen = before;
  if (preferredOffset !== null && valid(preferredOffset)) chosen = preferredOffset;
  else if (!valid(before) && valid(after)) chosen = after;
  const epochSeconds = localSeconds - BigInt(chosen);
  return { epochSeconds, offsetSeconds: regionOffsetAt(zone.zoneId, epochSeconds) };
}

export function formatOffset(offsetSeconds: number): string {
  if (offsetSeconds === 0) return 'Z';
  const sign = offsetSeconds < 0 ? '-' : '+';
  const abs = Math.abs(offsetSeconds);
  const hh = String(Math.floor(abs / 3600)).padStart(2, '0');
  const mm = String(Math.floor((abs % 3600) / 60)).padStart(2, '0');
  const ss = abs % 60;
  return `${sign}${hh}:${mm}${ss === 0 ? '' : ':' + String(ss).padStart(2, '0')}`;
}

/** The zone a DateTime value carries. */
export function zoneOfDateTime(dt: { offsetSeconds: number; zoneId: string | null }): Zone {
  return dt.zoneId === null ? { kind: 'offset', offsetSeconds: dt.offsetSeconds }
    : { kind: 'region', zoneId: dt.zoneId };
}

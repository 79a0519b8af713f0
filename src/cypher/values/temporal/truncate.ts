/**
 * date.truncate(unit, value, map) and its siblings: cut a temporal down to the start of a unit
 * (millennium … microsecond), then apply the map's fields as a constructor would.
 */
import { QuiverError } from '../../../errors/quiver-error.js';
import type { CypherMap, Value } from '../../../graph/values.js';
import type { TemporalValue } from '../kind.js';
import { civilOf, epochDayOf, epochDayOfWeekDate, dayOfWeekOf, isoWeekOf,
  NANOS_PER_SECOND } from './calendar.js';
import {
  buildTemporal, hasDatePart, hasTimePart, hasZonePart, zoneOfParts, type TemporalClock,
  type TemporalTarget,
} from './construct.js';
import { partsOf } from './parts.js';
import { resolveDate, resolveTime } from './resolve-fields.js';
import { parseZone } from './zones.js';

const DATE_UNITS = new Set(['millennium', 'century', 'decade', 'year', 'weekyear', 'quarter',
  'month', 'week', 'day']);
/** Nanoseconds per time unit. */
const TIME_UNITS: ReadonlyMap<string, bigint> = new Map([
  ['hour', 3600n * NANOS_PER_SECOND], ['minute', 60n * NANOS_PER_SECOND],
  ['second', NANOS_PER_SECOND], ['millisecond', 1_000_000n], ['microsecond', 1000n],
]);

function truncateEpochDay(unit: string, epochDay: number): number {
  const c = civilOf(epochDay);
  const floorTo = (n: number): number => Math.floor(c.year / n) * n;
  switch (unit) {
    case 'millennium': return epochDayOf(floorTo(1000), 1, 1);
    case 'century': return epochDayOf(floorTo(100), 1, 1);
    case 'decade': return epochDayOf(floorTo(10), 1, 1);
    case 'year': return epochDayOf(c.year, 1, 1);
    case 'weekyear': return epochDayOfWeekDate(isoWeekOf(epochDay).weekYear, 1, 1);
    case 'quarter': return epochDayOf(c.year, Math.floor((c.month - 1) / 3) * 3 + 1, 1);
    case 'month': return epochDayOf(c.year, c.month, 1);
    case 'week': return epochDay - (dayOfWeekOf(epochDay) - 1);
    default: return epochDay;
  }
}

export function truncateTemporal(
  target: TemporalTarget, unitText: string, value: TemporalValue, fields: CypherMap | null,
  clock: TemporalClock,
): TemporalValue {
  const unit = unitText.toLowerCase();
  const isDateUnit = DATE_UNITS.has(unit);
  const timeUnit = TIME_UNITS.get(unit);
  if ((!isDateUnit && timeUnit === undefined) || (isDateUnit && !hasDatePart(target) &&
    unit !== 'day')) {
    throw new QuiverError('ArgumentError',
      `Unit '${unitText}' is not supported for ${target.toLowerCase().replace('_', ' ')}`);
  }
  const p = partsOf(value);
  if (hasDatePart(target) && p.epochDay === null) {
    throw new QuiverError('ArgumentError', `Cannot truncate a time value to a date`);
  }
  const overrides = lowerCaseKeys(fields);
  let epochDay = p.epochDay === null ? null : truncateEpochDay(unit, p.epochDay);
  let nanos = p.nanosOfDay ?? 0n;
  nanos = timeUnit === undefined ? 0n : nanos - (nanos % timeUnit);
  if (hasDatePart(target) && epochDay !== null && hasAnyDateField(overrides)) {
    epochDay = resolveDate(overrides, epochDay);
  }
  if (hasTimePart(target)) nanos = resolveTime(overrides, nanos);
  const tz = overrides.get('timezone');
  const zone = hasZonePart(target) && typeof tz === 'string' ? parseZone(tz) : zoneOfParts(p);
  return buildTemporal(target, { epochDay, nanosOfDay: nanos, zone }, clock);
}

function hasAnyDateField(fields: ReadonlyMap<string, Value>): boolean {
  return [...fields.keys()].some((k) => k !== 'timezone' && !k.startsWith('hour') &&
    !['minute', 'second', 'millisecond', 'microsecond', 'nanosecond'].includes(k));
}

function lowerCaseKeys(map: CypherMap | null): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const [k, v] of map ?? []) if (v !== null) out.set(k.toLowerCase(), v);
  return out;
}

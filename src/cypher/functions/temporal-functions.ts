/**
 * date(), localtime(), time(), localdatetime(), datetime() with their .transaction,
 * .statement, .realtime and .truncate forms, datetime.fromepoch[millis], and duration() with
 * duration.between / inMonths / inDays / inSeconds. "Now" is the statement's time (one clock
 * per statement, so every call in it agrees) and the default zone is UTC.
 */
import { Duration, type Value } from '../../graph/values.js';
import { isTemporal, type TemporalValue } from '../values/kind.js';
import {
  temporalFromMap, temporalFromTemporal, temporalFromText, type TemporalClock,
  type TemporalTarget,
} from '../values/temporal/construct.js';
import { durationFromMap, parseDuration } from '../values/temporal/duration.js';
import { dateTimeAtInstant } from '../values/temporal/parts.js';
import { durationBetween, type BetweenUnit } from '../values/temporal/temporal-arithmetic.js';
import { truncateTemporal } from '../values/temporal/truncate.js';
import { parseZone, UTC, type Zone } from '../values/temporal/zones.js';
import {
  arg, defineAll, integerArg, stringArg, wrongType, type FunctionSpec,
} from './define.js';
import type { FunctionContext } from './registry.js';

const TARGETS: readonly [string, TemporalTarget, string][] = [
  ['date', 'DATE', 'DATE'], ['localtime', 'LOCAL_TIME', 'LOCAL TIME'],
  ['time', 'TIME', 'ZONED TIME'], ['localdatetime', 'LOCAL_DATETIME', 'LOCAL DATETIME'],
  ['datetime', 'DATETIME', 'ZONED DATETIME'],
];

function clockOf(ctx: FunctionContext, zone: Zone = UTC): TemporalClock {
  return { defaultZone: zone, nowEpochSeconds: BigInt(Math.floor(ctx.statementTimeMs / 1000)) };
}

/** The statement's instant as a value of the target type, seen in `zone`. */
function now(target: TemporalTarget, ctx: FunctionContext, zone: Zone): TemporalValue {
  const ms = Math.floor(ctx.statementTimeMs);
  const seconds = Math.floor(ms / 1000);
  const instant = dateTimeAtInstant(BigInt(seconds), (ms - seconds * 1000) * 1_000_000, zone);
  return temporalFromTemporal(target, instant, clockOf(ctx, zone));
}

function zoneArg(fn: string, v: Value): Zone {
  return v === null ? UTC : parseZone(stringArg(fn, v));
}

function construct(fn: string, target: TemporalTarget, a: Value[], ctx: FunctionContext): Value {
  if (a.length === 0) return now(target, ctx, UTC);
  const input = arg(a, 0);
  if (input === null) return null;
  if (typeof input === 'string') return temporalFromText(target, input, clockOf(ctx));
  if (isTemporal(input)) return temporalFromTemporal(target, input, clockOf(ctx));
  if (input instanceof Map) {
    const tz = input.get('timezone');
    if (input.size === 1 && typeof tz === 'string') return now(target, ctx, parseZone(tz));
    return temporalFromMap(target, input, clockOf(ctx));
  }
  throw wrongType(fn, 'a String, Map or temporal value', input);
}

function truncate(fn: string, target: TemporalTarget, a: Value[], ctx: FunctionContext): Value {
  const unit = stringArg(fn, arg(a, 0));
  const input = a.length > 1 ? arg(a, 1) : now(target, ctx, UTC);
  if (input === null) return null;
  if (!isTemporal(input)) throw wrongType(fn, 'a temporal value', input);
  const fields = arg(a, 2);
  if (fields !== null && !(fields instanceof Map)) throw wrongType(fn, 'a Map', fields);
  return truncateTemporal(target, unit, input, fields, clockOf(ctx));
}

function familyOf(name: string, target: TemporalTarget, type: string): FunctionSpec[] {
  const specs: FunctionSpec[] = [{
    name, signature: `${name}(input = DEFAULT_TEMPORAL_ARGUMENT :: ANY) :: ${type}`,
    description: `Creates a ${type} instant.`, minArgs: 0, nullInNullOut: false,
    call: (a, ctx) => construct(name, target, a, ctx),
  }];
  for (const clock of ['transaction', 'statement', 'realtime']) {
    specs.push({
      name: `${name}.${clock}`,
      signature: `${name}.${clock}(timezone = DEFAULT_TEMPORAL_ARGUMENT :: ANY) :: ${type}`,
      description: `Returns the current ${type} instant using the ${clock} clock.`,
      minArgs: 0, nullInNullOut: false,
      call: (a, ctx) => now(target, ctx, zoneArg(`${name}.${clock}`, arg(a, 0))),
    });
  }
  specs.push({
    name: `${name}.truncate`,
    signature: `${name}.truncate(unit :: STRING, input = DEFAULT_TEMPORAL_ARGUMENT :: ANY, ` +
      `fields = null :: MAP) :: ${type}`,
    description: `Truncates the given temporal value to a ${type} instant using the unit.`,
    minArgs: 1, call: (a, ctx) => truncate(`${name}.truncate`, target, a, ctx),
  });
  return specs;
}

function temporalArg(fn: string, v: Value): TemporalValue {
  if (!isTemporal(v)) throw wrongType(fn, 'a temporal value', v);
  return v;
}

function between(name: string, unit: BetweenUnit, description: string): FunctionSpec {
  return {
    name, signature: `${name}(from :: ANY, to :: ANY) :: DURATION`, description,
    nullInNullOut: false,
    call: (a) => {
      if (arg(a, 0) === null || arg(a, 1) === null) return null;
      return durationBetween(temporalArg(name, arg(a, 0)), temporalArg(name, arg(a, 1)), unit);
    },
  };
}

const EPOCH_FUNCTIONS: FunctionSpec[] = [
  {
    name: 'datetime.fromepoch',
    signature: 'datetime.fromepoch(seconds :: INTEGER | FLOAT, nanoseconds :: INTEGER | FLOAT)' +
      ' :: ZONED DATETIME',
    description: 'Creates a ZONED DATETIME given the seconds and nanoseconds since the epoch.',
    nullInNullOut: false,
    call: (a) => {
      if (arg(a, 0) === null || arg(a, 1) === null) return null;
      const fields = new Map<string, Value>([
        ['epochSeconds', integerArg('datetime.fromepoch', arg(a, 0))],
        ['nanosecond', integerArg('datetime.fromepoch', arg(a, 1))]]);
      return temporalFromMap('DATETIME', fields, { defaultZone: UTC, nowEpochSeconds: 0n });
    },
  },
  {
    name: 'datetime.fromepochmillis',
    signature: 'datetime.fromepochmillis(milliseconds :: INTEGER | FLOAT) :: ZONED DATETIME',
    description: 'Creates a ZONED DATETIME given the milliseconds since the epoch.',
    call: (a) => temporalFromMap('DATETIME',
      new Map([['epochMillis', integerArg('datetime.fromepochmillis', arg(a, 0))]]),
      { defaultZone: UTC, nowEpochSeconds: 0n }),
  },
];

const DURATION_FUNCTIONS: FunctionSpec[] = [
  {
    name: 'duration', signature: 'duration(input :: ANY) :: DURATION',
    description: 'Creates a DURATION from a MAP of components or an ISO 8601 STRING.',
    call: (a) => {
      const input = arg(a, 0);
      if (typeof input === 'string') return parseDuration(input);
      if (input instanceof Map) return durationFromMap(input);
      if (input instanceof Duration) return input;
      throw wrongType('duration', 'a String or Map', input);
    },
  },
  between('duration.between', 'ALL', 'Computes the DURATION between two temporal values.'),
  between('duration.inMonths', 'MONTHS',
    'Computes the DURATION between two temporal values in months.'),
  between('duration.inDays', 'DAYS', 'Computes the DURATION between two temporal values in days.'),
  between('duration.inSeconds', 'SECONDS',
    'Computes the DURATION between two temporal values in seconds.'),
];

export const TEMPORAL_FUNCTIONS = [
  ...defineAll('Temporal', TARGETS.flatMap(([name, target, type]) =>
    familyOf(name, target, type))),
  ...defineAll('Temporal', EPOCH_FUNCTIONS),
  ...defineAll('Duration', DURATION_FUNCTIONS),
];

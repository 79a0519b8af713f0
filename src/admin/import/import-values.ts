/**
 * A CSV field's text to the property value its header column declares. Temporal values use
 * Cypher's literal syntax (the engine's own parsers), points a Cypher map, booleans are true
 * only for `true` (as Neo4j's importer). A value that does not parse is an error string for the
 * bad-entry report, never an exception.
 */
import { QuiverError } from '../../errors/quiver-error.js';
import {
  temporalFromText, type TemporalClock, type TemporalTarget,
} from '../../cypher/values/temporal/construct.js';
import { parseDuration } from '../../cypher/values/temporal/duration.js';
import { parseZone, UTC } from '../../cypher/values/temporal/zones.js';
import { pointFromMap } from '../../cypher/values/point.js';
import type { PropertyValue, Value } from '../../graph/values.js';
import type { PropertyColumn, PropertyType } from './import-header.js';

const INTEGER_RANGES: Partial<Record<PropertyType, readonly [bigint, bigint]>> = {
  byte: [-128n, 127n], short: [-32768n, 32767n], int: [-(2n ** 31n), 2n ** 31n - 1n],
  long: [-(2n ** 63n), 2n ** 63n - 1n],
};

const TEMPORAL_TARGETS: Partial<Record<PropertyType, TemporalTarget>> = {
  date: 'DATE', localtime: 'LOCAL_TIME', time: 'TIME', localdatetime: 'LOCAL_DATETIME',
  datetime: 'DATETIME',
};

export type Converted = { readonly value: PropertyValue } | { readonly error: string };

/** Converts one field; `arrayDelimiter` splits array columns. Empty text was already dropped. */
export function convertField(column: PropertyColumn, text: string, arrayDelimiter: string):
  Converted {
  if (!column.array) return convertScalar(column, text);
  const values: PropertyValue[] = [];
  for (const part of text.split(arrayDelimiter)) {
    const converted = convertScalar(column, part);
    if ('error' in converted) return converted;
    values.push(converted.value);
  }
  return { value: values };
}

function convertScalar(column: PropertyColumn, text: string): Converted {
  const { type } = column;
  const range = INTEGER_RANGES[type];
  if (range !== undefined) return convertInteger(text.trim(), range, type);
  switch (type) {
    case 'float':
    case 'double': {
      const number = Number(text.trim());
      return text.trim() === '' || Number.isNaN(number) && text.trim() !== 'NaN'
        ? { error: `'${text}' is not a ${type}` } : { value: number };
    }
    case 'boolean': return { value: text.trim().toLowerCase() === 'true' };
    case 'char':
    case 'string': return { value: text };
    case 'point': return convertPoint(text, column.options);
    case 'duration': return attempt(() => parseDuration(text.trim()));
    default: break;
  }
  const target = TEMPORAL_TARGETS[type];
  if (target === undefined) return { error: `unsupported type ${type}` };
  return attempt(() => temporalFromText(target, text.trim(), clockFor(column.options)));
}

function convertInteger(text: string, [min, max]: readonly [bigint, bigint], type: string):
  Converted {
  if (!/^[+-]?\d+$/.test(text)) return { error: `'${text}' is not an integer (${type})` };
  const value = BigInt(text);
  if (value < min || value > max) return { error: `${text} is out of range for ${type}` };
  return { value };
}

/** `{timezone:Europe/Stockholm}` in the header sets the zone of values that name none. */
function clockFor(options: string): TemporalClock {
  const zone = /timezone\s*:\s*([^,}\s]+)/i.exec(options)?.[1];
  return { defaultZone: zone === undefined ? UTC : parseZone(zone),
    nowEpochSeconds: BigInt(Math.floor(Date.now() / 1000)) };
}

function attempt(make: () => PropertyValue): Converted {
  try {
    return { value: make() };
  } catch (error) {
    if (error instanceof QuiverError) return { error: error.message };
    throw error;
  }
}

/**
 * A point from a Cypher map literal of numbers and strings (`{latitude:55.6, longitude:12.9}`),
 * over the header's defaults (`point{crs:WGS-84}`).
 */
function convertPoint(text: string, options: string): Converted {
  const map = new Map<string, Value>();
  for (const source of [options, text.trim().replace(/^\{|\}$/g, '')]) {
    for (const pair of source.split(',')) {
      if (pair.trim() === '') continue;
      const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(.+?)\s*$/.exec(pair);
      if (match === null) return { error: `'${text}' is not a point map` };
      const raw = match[2] ?? '';
      const number = Number(raw);
      map.set((match[1] ?? '').toLowerCase(), Number.isNaN(number)
        ? raw.replace(/^['"]|['"]$/g, '') : number);
    }
  }
  return attempt(() => {
    const point = pointFromMap(map);
    if (point === null) throw new QuiverError('ArgumentError', `'${text}' has a null coordinate`);
    return point;
  });
}

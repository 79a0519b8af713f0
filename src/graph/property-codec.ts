/**
 * Property values to and from plain JSON, for ChangeSets in the log and for snapshots.
 * Floats stay JSON numbers; every other non-JSON type is an object with a one-letter-ish tag,
 * so INTEGER 1 and FLOAT 1.0 survive the round trip as different types.
 */
import { assert } from '../assert.js';
import {
  CypherDate, DateTime, Duration, LocalDateTime, LocalTime, Point, Time,
  type PropertyValue,
} from './values.js';

export type EncodedProperty = boolean | number | string | EncodedProperty[] | { [tag: string]: unknown };

export function encodeProperty(value: PropertyValue): EncodedProperty {
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return value;
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? { i: Number(value) } : { i: value.toString() };
    case 'number':
      return jsonNumber(value);
    default:
      return encodeObject(value);
  }
}

function encodeObject(value: Exclude<PropertyValue, boolean | string | bigint | number>): EncodedProperty {
  if (Array.isArray(value)) return value.map(encodeProperty);
  if (value instanceof Uint8Array) return { b: Buffer.from(value).toString('base64') };
  if (value instanceof CypherDate) return { d: [value.year, value.month, value.day] };
  if (value instanceof LocalTime) return { lt: value.nanosOfDay.toString() };
  if (value instanceof Time) return { t: [value.nanosOfDay.toString(), value.offsetSeconds] };
  if (value instanceof LocalDateTime) return { ldt: [value.epochSeconds.toString(), value.nanos] };
  if (value instanceof DateTime) {
    return { dt: [value.epochSeconds.toString(), value.nanos, value.offsetSeconds, value.zoneId] };
  }
  if (value instanceof Duration) {
    return {
      du: [value.months.toString(), value.days.toString(), value.seconds.toString(),
        value.nanoseconds],
    };
  }
  assert(value instanceof Point, 'encodeProperty: not a property value');
  return { p: [value.srid, jsonNumber(value.x), jsonNumber(value.y),
    value.z === null ? null : jsonNumber(value.z)] };
}

/**
 * A float as JSON keeps it exactly: NaN, the infinities and -0 (which JSON turns into null and
 * 0) become tagged strings. The leader applies the ChangeSet object it built while the log and
 * the followers hold its JSON, so the two must decode to the same values.
 */
function jsonNumber(value: number): number | { f: string } {
  if (Object.is(value, -0)) return { f: '-0' };
  return Number.isFinite(value) ? value : { f: String(value) };
}

/** The inverse of jsonNumber; a plain number is what logs written before -0 was tagged hold. */
function fromJsonNumber(encoded: unknown): number {
  if (typeof encoded === 'number') return encoded;
  assert(typeof encoded === 'object' && encoded !== null, 'fromJsonNumber: not a number');
  return Number((encoded as { f?: unknown }).f);
}

export function decodeProperty(encoded: unknown): PropertyValue {
  switch (typeof encoded) {
    case 'boolean':
    case 'string':
    case 'number':
      return encoded;
    case 'object':
      if (Array.isArray(encoded)) return encoded.map(decodeProperty);
      assert(encoded !== null, 'decodeProperty: null is not a property value');
      return decodeTagged(encoded as Record<string, unknown>);
    default:
      throw new Error(`decodeProperty: unexpected ${typeof encoded}`);
  }
}

function decodeTagged(o: Record<string, unknown>): PropertyValue {
  const [tag] = Object.keys(o);
  const body = o[tag ?? ''];
  const a = Array.isArray(body) ? (body as unknown[]) : [];
  switch (tag) {
    case 'i': return BigInt(body as number | string);
    case 'f': return Number(body);
    case 'b': return new Uint8Array(Buffer.from(body as string, 'base64'));
    case 'd': return new CypherDate(a[0] as number, a[1] as number, a[2] as number);
    case 'lt': return new LocalTime(BigInt(body as string));
    case 't': return new Time(BigInt(a[0] as string), a[1] as number);
    case 'ldt': return new LocalDateTime(BigInt(a[0] as string), a[1] as number);
    case 'dt':
      return new DateTime(BigInt(a[0] as string), a[1] as number, a[2] as number,
        a[3] as string | null);
    case 'du':
      return new Duration(BigInt(a[0] as string), BigInt(a[1] as string), BigInt(a[2] as string),
        a[3] as number);
    case 'p':
      return new Point(a[0] as number, fromJsonNumber(a[1]), fromJsonNumber(a[2]),
        a[3] === null || a[3] === undefined ? null : fromJsonNumber(a[3]));
    default:
      throw new Error(`decodeProperty: unknown tag ${String(tag)}`);
  }
}

/**
 * The key under which equal property values meet in an index. Cypher compares 1 = 1.0 as equal,
 * so numbers share a key whatever their type: a number that a float holds exactly (a safe
 * integer, or any non-integral value, NaN and the infinities too) is its own key, which a Map
 * hashes without building a string; an integer past 2^53 is text, as a float that large is
 * integral and may equal a bigint. Every other key is text whose first letter names its type,
 * so no text key equals another type's; the text of a number key (indexKeyText) starts with
 * `n`, as that of an integer past 2^53 does.
 */
export type IndexKey = string | number;

export function propertyIndexKey(value: PropertyValue): IndexKey {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return value;
    if (!Number.isSafeInteger(value)) return `n${BigInt(value).toString()}`;
    // -0 and 0 are one key for a Map already; one value makes the key canonical for Object.is.
    return value === 0 ? 0 : value;
  }
  if (typeof value === 'bigint') {
    // Past 2^53 the conversion rounds, but never back into the safe range.
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : `n${value.toString()}`;
  }
  if (typeof value === 'string') return `s${value}`;
  if (typeof value === 'boolean') return value ? 'T' : 'F';
  // A list's elements are keyed as values are, so [1, 2] and [1.0, 2.0] (equal in Cypher)
  // share a key; the element keys are quoted in a JSON array, so no two lists can collide.
  if (Array.isArray(value)) {
    return `l${JSON.stringify(value.map((v) => indexKeyText(propertyIndexKey(v))))}`;
  }
  // Cypher says -0.0 = 0.0, so inside points too the key forgets the sign of a zero that the
  // stored form keeps (a string's quotes are escaped, so no string can match this).
  return `j${JSON.stringify(encodeProperty(value)).replaceAll(NEGATIVE_ZERO_JSON, '0')}`;
}

const NEGATIVE_ZERO_JSON = '{"f":"-0"}';

/**
 * A key as text, for keys built of several (lists, composite constraints, conflict keys): a
 * number becomes `n` and its digits, the text an integer past 2^53 has, so equal numbers still
 * give equal text; JSON would write NaN and the infinities as one `null`.
 */
export function indexKeyText(key: IndexKey): string {
  return typeof key === 'number' ? `n${key}` : key;
}

/** Whether two keys are the same key, as a Map finds them (SameValueZero: NaN finds NaN). */
export function sameIndexKey(a: IndexKey, b: IndexKey): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/**
 * A value equal (as Cypher compares) to every value stored under `key`: the inverse of
 * propertyIndexKey, up to the integer/float distinction that the key erases on purpose.
 */
export function indexKeyValue(key: IndexKey): PropertyValue {
  if (typeof key === 'number') return key;
  const body = key.slice(1);
  switch (key[0]) {
    case 'n': {
      // A list's elements keep every number as text (indexKeyText); a float is exact for
      // every integer but those past 2^53, which need the bigint.
      const n = Number(body);
      return Number.isInteger(n) && !Number.isSafeInteger(n) ? BigInt(body) : n;
    }
    case 's': return body;
    case 'T': return true;
    case 'F': return false;
    case 'l': return (JSON.parse(body) as string[]).map(indexKeyValue);
    default:
      assert(key[0] === 'j', `indexKeyValue: not an index key: ${key.slice(0, 20)}`);
      return decodeProperty(JSON.parse(body));
  }
}

/** How a property value is quoted inside an error message, as Neo4j shows it. */
export function formatForMessage(value: PropertyValue): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return JSON.stringify(encodeProperty(value));
}

/**
 * Parameters from embedded callers, as plain JavaScript, into Cypher values. A JS number that is
 * a safe integer becomes an INTEGER (what a JS programmer almost always means); other numbers are
 * FLOATs; bigint is INTEGER; a JS Date is a DATETIME in UTC; plain objects are maps.
 */
import { QuiverError } from '../errors/quiver-error.js';
import {
  CypherDate, DateTime, Duration, LocalDateTime, LocalTime, Node, NodeRef, Path, PathRef, Point,
  RelRef, Relationship, Time, type Value,
} from '../graph/values.js';

const VALUE_CLASSES = [CypherDate, DateTime, Duration, LocalDateTime, LocalTime, Point, Time, Node,
  Relationship, Path, NodeRef, RelRef, PathRef];

export function fromJs(v: unknown): Value {
  switch (typeof v) {
    case 'undefined': return null;
    case 'boolean': case 'string': case 'bigint': return v;
    case 'number': return Number.isSafeInteger(v) ? BigInt(v) : v;
    case 'object': return fromJsObject(v);
    default:
      throw new QuiverError('TypeError', `A ${typeof v} cannot be passed as a Cypher parameter`);
  }
}

function fromJsObject(v: object | null): Value {
  if (v === null) return null;
  if (Array.isArray(v)) return v.map(fromJs);
  if (v instanceof Uint8Array) return v;
  if (v instanceof Date) {
    const ms = BigInt(v.getTime());
    const seconds = ms >= 0n ? ms / 1000n : -((-ms + 999n) / 1000n);
    return new DateTime(seconds, Number(ms - seconds * 1000n) * 1_000_000, 0, null);
  }
  if (VALUE_CLASSES.some((c) => v instanceof c)) return v as Value;
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [String(k), fromJs(x)]));
  return new Map(Object.entries(v).map(([k, x]) => [k, fromJs(x)]));
}

/**
 * Comparison building blocks shared by equality, comparability and orderability: exact
 * integer-versus-float comparison, code-point string order, temporal instants, path ids.
 */
import {
  CypherDate, DateTime, LocalDateTime, LocalTime, Node, NodeRef, Path, PathRef, Relationship,
  RelRef, Time, type Value,
} from '../../graph/values.js';
import { epochDayOf } from './temporal/calendar.js';

/** Strings compare by Unicode code point, as Neo4j's text values do. */
export { compareStrings } from '../../graph/text-order.js';

export type Entity = NodeRef | Node | RelRef | Relationship;

export interface PathIds {
  readonly nodes: readonly number[];
  readonly rels: readonly number[];
}

export function pathIds(p: PathRef | Path): PathIds {
  return { nodes: p.nodes.map((n) => n.id), rels: p.rels.map((r) => r.id) };
}

export function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

export function cmp<T extends number | bigint | string>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Exact comparison of an integer with a float (no rounding of the integer). */
function compareIntFloat(i: bigint, f: number): number {
  if (Number.isNaN(f)) return NaN;
  if (f === Infinity) return -1;
  if (f === -Infinity) return 1;
  const floor = Math.floor(f);
  const c = cmp(i, BigInt(floor));
  if (c !== 0) return c;
  return f > floor ? -1 : 0;
}

/** -1, 0, 1, or NaN when either side is NaN. */
export function compareNumbers(a: bigint | number, b: bigint | number): number {
  if (typeof a === 'bigint') return typeof b === 'bigint' ? cmp(a, b) : compareIntFloat(a, b);
  if (typeof b === 'bigint') return -compareIntFloat(b, a);
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return cmp(a, b);
}

/** Instant-like sort key of a temporal: [primary nanos, tie-break]. */
function temporalKey(v: Value): [bigint, bigint] {
  if (v instanceof CypherDate) {
    return [BigInt(epochDayOf(v.year, v.month, v.day)), 0n];
  }
  if (v instanceof LocalTime) return [v.nanosOfDay, 0n];
  if (v instanceof Time) {
    return [v.nanosOfDay - BigInt(v.offsetSeconds) * 1_000_000_000n, BigInt(v.offsetSeconds)];
  }
  if (v instanceof LocalDateTime) return [v.epochSeconds * 1_000_000_000n + BigInt(v.nanos), 0n];
  if (v instanceof DateTime) {
    return [v.epochSeconds * 1_000_000_000n + BigInt(v.nanos), BigInt(v.offsetSeconds)];
  }
  return [0n, 0n];
}

export function compareTemporals(a: Value, b: Value): number {
  const [pa, ta] = temporalKey(a);
  const [pb, tb] = temporalKey(b);
  return cmp(pa, pb) || cmp(ta, tb);
}


/**
 * An ordered view of one node property index, for range (`<`, `<=`, `>`, `>=`) and prefix
 * (`STARTS WITH`) seeks. The equality index maps each distinct key to its node ids; this view
 * keeps those distinct keys sorted by value with Cypher's comparison rules: numbers with numbers
 * (integers and floats together, exactly), strings with strings by code point, booleans with
 * booleans, and each temporal type with itself. Values of any other type (lists, byte arrays,
 * durations, points) and NaN are left out: no range comparison with them is ever true.
 *
 * The sorted array is built the first time a range is asked for (an index no query ranges over
 * costs nothing), then kept current: keys the equality index gains wait in a small unsorted
 * buffer that each query also scans, and are merged in once the buffer passes about the square
 * root of the sorted size, so that neither a write nor a query pays for a whole rebuild. Keys
 * are never removed (the equality index keeps stale ids too); readers recheck every candidate.
 */
import { assert } from '../assert.js';
import { indexKeyValue, type IndexKey } from './property-codec.js';
import { compareStrings } from './text-order.js';
import {
  CypherDate, DateTime, LocalDateTime, LocalTime, Time, type PropertyValue, type Value,
} from './values.js';

/** One end of a range and whether values equal to it are inside. */
export interface RangeBound {
  readonly value: PropertyValue;
  readonly inclusive: boolean;
}

/**
 * What a range seek asks for: values between two bounds (either may be open, not both), or
 * strings with a prefix.
 */
export type ValueRange =
  | { readonly kind: 'between'; readonly lower: RangeBound | null;
    readonly upper: RangeBound | null }
  | { readonly kind: 'prefix'; readonly prefix: string };

/** Families of values that compare with each other; the sort order puts families apart. */
const NUMBER = 0;
const STRING = 1;
const BOOLEAN = 2;
const DATE = 3;
const LOCAL_TIME = 4;
const TIME = 5;
const LOCAL_DATETIME = 6;
const DATETIME = 7;

/** The buffer of new keys never grows past this before a merge, whatever the index's size. */
const PENDING_MIN = 64;

interface OrderedKey {
  readonly family: number;
  readonly value: PropertyValue;
  /** The equality index's key for the value. */
  readonly key: IndexKey;
  /**
   * What sorting compares first, as a float: the number itself, for a string 1 when it has no
   * UTF-16 unit from U+D800 up (so JS's unit order is code point order), else 0.
   */
  readonly fast: number;
}

function orderedKey(key: IndexKey, value: PropertyValue): OrderedKey | null {
  const family = rangeFamily(value);
  if (family === null) return null;
  const fast = family === NUMBER ? Number(value)
    : family === STRING && !/[\uD800-\uFFFF]/.test(value as string) ? 1 : 0;
  return { family, value, key, fast };
}

/** The family a value ranges in, or null when no range comparison with it is ever true. */
export function rangeFamily(value: Value): number | null {
  switch (typeof value) {
    case 'bigint': return NUMBER;
    case 'number': return Number.isNaN(value) ? null : NUMBER;
    case 'string': return STRING;
    case 'boolean': return BOOLEAN;
    default:
      if (value instanceof CypherDate) return DATE;
      if (value instanceof LocalTime) return LOCAL_TIME;
      if (value instanceof Time) return TIME;
      if (value instanceof LocalDateTime) return LOCAL_DATETIME;
      if (value instanceof DateTime) return DATETIME;
      return null;
  }
}

/** True when `value` can bound a range the index answers (it belongs to a family). */
export function isRangeBound(value: Value): value is PropertyValue {
  return rangeFamily(value) !== null;
}

function order<T extends number | bigint | string>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Time instants compare in UTC; equal instants in different offsets are told apart. */
function timeKey(t: Time): bigint {
  return t.nanosOfDay - BigInt(t.offsetSeconds) * 1_000_000_000n;
}

/** Compares two values of one family. Relational operators on bigint and number are exact. */
function compareInFamily(family: number, a: PropertyValue, b: PropertyValue): number {
  switch (family) {
    case NUMBER: return order(a as number | bigint, b as number | bigint);
    case STRING: return compareStrings(a as string, b as string);
    case BOOLEAN: return order(Number(a), Number(b));
    case DATE: {
      const x = a as CypherDate;
      const y = b as CypherDate;
      return order(x.year, y.year) || order(x.month, y.month) || order(x.day, y.day);
    }
    case LOCAL_TIME: return order((a as LocalTime).nanosOfDay, (b as LocalTime).nanosOfDay);
    case TIME: {
      const x = a as Time;
      const y = b as Time;
      return order(timeKey(x), timeKey(y)) || order(x.offsetSeconds, y.offsetSeconds);
    }
    case LOCAL_DATETIME: {
      const x = a as LocalDateTime;
      const y = b as LocalDateTime;
      return order(x.epochSeconds, y.epochSeconds) || order(x.nanos, y.nanos);
    }
    default: {
      assert(family === DATETIME, `compareInFamily: unknown family ${family}`);
      const x = a as DateTime;
      const y = b as DateTime;
      return order(x.epochSeconds, y.epochSeconds) || order(x.nanos, y.nanos) ||
        order(x.offsetSeconds, y.offsetSeconds);
    }
  }
}

/** Sorting 100k keys calls this two million times: the common cases skip the general one. */
function compareKeys(a: OrderedKey, b: OrderedKey): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.family === NUMBER) return a.fast - b.fast || order(a.value as number, b.value as number);
  if (a.family === STRING && a.fast + b.fast === 2) {
    return order(a.value as string, b.value as string);
  }
  return compareInFamily(a.family, a.value, b.value);
}

/**
 * Whether the index can answer the range: false when a bound is a list (lists compare
 * element-wise, and the index does not order them), so the caller scans instead.
 */
export function rangeAnswerable(range: ValueRange): boolean {
  if (range.kind === 'prefix') return true;
  assert(range.lower !== null || range.upper !== null, 'rangeAnswerable: a range without bounds');
  return [range.lower, range.upper].every((b) => b === null || !Array.isArray(b.value));
}

/**
 * The family every value in the range belongs to, or null when nothing can be in it (an
 * unorderable bound, NaN, or two bounds of different families).
 */
function familyOfRange(range: ValueRange): number | null {
  if (range.kind === 'prefix') return STRING;
  const lower = range.lower === null ? undefined : rangeFamily(range.lower.value);
  const upper = range.upper === null ? undefined : rangeFamily(range.upper.value);
  if (lower === null || upper === null) return null;
  if (lower !== undefined && upper !== undefined && lower !== upper) return null;
  return lower ?? upper ?? null;
}

/** True when `value` is inside `range`, by the same rules the index orders by. */
export function valueInRange(value: PropertyValue, range: ValueRange): boolean {
  const family = rangeFamily(value);
  if (family === null || family !== familyOfRange(range)) return false;
  if (range.kind === 'prefix') return (value as string).startsWith(range.prefix);
  const { lower, upper } = range;
  if (lower !== null) {
    const c = compareInFamily(family, value, lower.value);
    if (c < 0 || (c === 0 && !lower.inclusive)) return false;
  }
  if (upper !== null) {
    const c = compareInFamily(family, value, upper.value);
    if (c > 0 || (c === 0 && !upper.inclusive)) return false;
  }
  return true;
}

/**
 * Whether every string with the prefix sorts together: true unless the prefix ends inside a
 * surrogate pair, where its extensions are supplementary characters that sort elsewhere.
 */
function prefixIsContiguous(prefix: string): boolean {
  const last = prefix.charCodeAt(prefix.length - 1);
  return !(last >= 0xd800 && last <= 0xdbff);
}

/** Index of the first entry for which `before(entry)` is false; `before` must be monotone. */
function partitionPoint(keys: readonly OrderedKey[], before: (k: OrderedKey) => boolean):
  number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(keys[mid] as OrderedKey)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class OrderedIndex {
  private sorted: OrderedKey[] | null = null;
  private pending: OrderedKey[] = [];

  /** `keys`: the equality index's distinct keys, read once when the view is first needed. */
  constructor(private readonly keys: () => Iterable<IndexKey>) {}

  /** The equality index gained a key; ignored until the view is built. */
  added(key: IndexKey, value: PropertyValue): void {
    if (this.sorted === null) return;
    const entry = orderedKey(key, value);
    if (entry === null) return;
    this.pending.push(entry);
    if (this.pending.length > Math.max(PENDING_MIN, Math.sqrt(this.sorted.length))) {
      this.merge(this.sorted);
    }
  }

  /** Number of distinct keys the view orders (built on first use). */
  size(): number {
    return this.built().length + this.pending.length;
  }

  /** The equality index's keys whose values are in `range`, sorted ones first. */
  keysIn(range: ValueRange): IndexKey[] {
    const sorted = this.built();
    const out: IndexKey[] = [];
    const [from, to] = this.span(sorted, range);
    for (let i = from; i < to; i++) {
      const entry = sorted[i] as OrderedKey;
      // Only a prefix ending in half a surrogate pair scans a span wider than its matches.
      if (valueInRange(entry.value, range)) out.push(entry.key);
    }
    for (const entry of this.pending) if (valueInRange(entry.value, range)) out.push(entry.key);
    return out;
  }

  /** How many distinct keys are in `range`, by binary search (plus the small buffer). */
  countIn(range: ValueRange): number {
    const sorted = this.built();
    const [from, to] = this.span(sorted, range);
    let count = to - from;
    for (const entry of this.pending) if (valueInRange(entry.value, range)) count++;
    return count;
  }

  /** [from, to): the part of `sorted` that can hold values in the range. */
  private span(sorted: readonly OrderedKey[], range: ValueRange): [number, number] {
    const family = familyOfRange(range);
    if (family === null) return [0, 0];
    const first = partitionPoint(sorted, (k) => k.family < family);
    const end = partitionPoint(sorted, (k) => k.family <= family);
    const cmp = (k: OrderedKey, v: PropertyValue): number => k.family - family ||
      compareInFamily(family, k.value, v);
    if (range.kind === 'prefix') {
      if (!prefixIsContiguous(range.prefix)) return [first, end];
      const from = partitionPoint(sorted, (k) => cmp(k, range.prefix) < 0);
      const to = partitionPoint(sorted, (k) => cmp(k, range.prefix) < 0 ||
        (k.family === family && (k.value as string).startsWith(range.prefix)));
      return [from, to];
    }
    const { lower, upper } = range;
    const from = lower === null ? first : partitionPoint(sorted, (k) => {
      const c = cmp(k, lower.value);
      return c < 0 || (c === 0 && !lower.inclusive);
    });
    const to = upper === null ? end : partitionPoint(sorted, (k) => {
      const c = cmp(k, upper.value);
      return c < 0 || (c === 0 && upper.inclusive);
    });
    return [from, Math.max(from, to)];
  }

  private built(): OrderedKey[] {
    if (this.sorted !== null) return this.sorted;
    const all: OrderedKey[] = [];
    for (const key of this.keys()) {
      const entry = orderedKey(key, indexKeyValue(key));
      if (entry !== null) all.push(entry);
    }
    all.sort(compareKeys);
    this.sorted = all;
    return all;
  }

  /** Sorts the buffer and merges it into a new sorted array. */
  private merge(sorted: readonly OrderedKey[]): void {
    const extra = this.pending.sort(compareKeys);
    const merged: OrderedKey[] = new Array<OrderedKey>(sorted.length + extra.length);
    let i = 0;
    let j = 0;
    for (let k = 0; k < merged.length; k++) {
      const a = sorted[i];
      const b = extra[j];
      if (b === undefined || (a !== undefined && compareKeys(a, b) <= 0)) {
        merged[k] = a as OrderedKey;
        i++;
      } else {
        merged[k] = b;
        j++;
      }
    }
    assert(i === sorted.length && j === extra.length, 'OrderedIndex.merge: lost keys');
    this.sorted = merged;
    this.pending = [];
  }
}

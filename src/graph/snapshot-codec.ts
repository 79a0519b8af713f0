/**
 * Binary form of the entities in a snapshot (format 2, see snapshot.ts), also the form in which
 * the store keeps the properties of entities as created (property-arena.ts): little-endian, ids,
 * interned name ids and counts as u32, each property value behind a one-byte tag.
 * Integers, floats, strings and booleans have their own tags; every other value (lists,
 * temporal, spatial, bytes) is its JSON property encoding, which they rarely are in bulk.
 */
import { assert } from '../assert.js';
import { decodeProperty, encodeProperty } from './property-codec.js';
import type { Props } from './store.js';
import type { PropertyValue } from './values.js';

/** The byte before each encoded value; the backup check (admin/snapshot-check.ts) reads it too. */
export const Tag = { False: 0, True: 1, Integer: 2, Float: 3, String: 4, Json: 5 } as const;

const U32_MAX = 0xffffffff;

/** A growing byte buffer; `take()` hands out what was written and starts again. */
export class ByteWriter {
  private bytes: Buffer;
  private at = 0;

  /** `initialBytes`: a snapshot or an arena grows large; a ChangeSet is often small. */
  constructor(initialBytes = 1 << 20) {
    this.bytes = Buffer.allocUnsafe(initialBytes);
  }

  /** Bytes it can hold before growing again. */
  get capacity(): number {
    return this.bytes.length;
  }

  /** Starts again at the beginning, keeping the buffer. */
  reset(): void {
    this.at = 0;
  }

  get length(): number {
    return this.at;
  }

  private room(n: number): void {
    if (this.at + n <= this.bytes.length) return;
    // By half, not double: an arena of tens of MiB keeps less empty room, and the old and new
    // buffers live side by side while it grows (decision 0043).
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length + (this.bytes.length >> 1),
      this.at + n));
    this.bytes.copy(grown, 0, 0, this.at);
    this.bytes = grown;
  }

  u8(v: number): void {
    this.room(1);
    this.bytes[this.at++] = v;
  }

  u32(v: number): void {
    assert(Number.isInteger(v) && v >= 0 && v <= U32_MAX, 'snapshot: id over u32');
    this.room(4);
    this.at = this.bytes.writeUInt32LE(v, this.at);
  }

  f64(v: number): void {
    this.room(8);
    this.at = this.bytes.writeDoubleLE(v, this.at);
  }

  i64(v: bigint): void {
    this.room(8);
    const n = Number(v);
    if (!Number.isSafeInteger(n)) {
      this.at = this.bytes.writeBigInt64LE(v, this.at);
      return;
    }
    // Two 32-bit halves of the number: writeBigInt64LE makes bigints to split it, and every
    // integer property of a loaded entity comes here.
    this.at = this.bytes.writeUInt32LE(n >>> 0, this.at);
    this.at = this.bytes.writeUInt32LE(Math.floor(n / TWO_TO_32) >>> 0, this.at);
  }

  text(v: string): void {
    // At most three bytes a UTF-16 unit: no pass to measure first.
    this.room(4 + 3 * v.length);
    const bytes = this.bytes;
    const start = this.at + 4;
    let n = v.length <= SHORT_TEXT_CHARS_MAX ? asciiInto(bytes, start, v) : -1;
    if (n < 0) n = bytes.write(v, start, 'utf8');
    bytes.writeUInt32LE(n, this.at);
    this.at = start + n;
  }

  raw(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.bytes.set(bytes, this.at);
    this.at += bytes.length;
  }

  /** Overwrites the u32 at `at`, already written (a length or count known only later). */
  patchU32(at: number, v: number): void {
    assert(Number.isInteger(v) && v >= 0 && v <= U32_MAX, 'patchU32: over u32');
    assert(at >= 0 && at + 4 <= this.at, 'patchU32: not yet written');
    this.bytes.writeUInt32LE(v, at);
  }

  /**
   * Copies encoded properties [start, end) of `source` whose key numbers index `keyIds`,
   * writing `keyIds[key]` in their place: a ChangeSet's properties name keys by its own table,
   * the arena by the store's ids. The bytes must be whole properties (checked by the caller).
   */
  propsRemapped(source: Uint8Array, start: number, end: number, keyIds: readonly number[]):
    void {
    const base = this.at;
    this.rawRange(source, start, end);
    const bytes = this.bytes;
    const count = u32At(bytes, base);
    let p = base + PROP_COUNT_BYTES;
    for (let i = 0; i < count; i++) {
      const id = keyIds[u32At(bytes, p)];
      assert(id !== undefined && id >= 0, 'propsRemapped: key outside the table');
      bytes.writeUInt32LE(id, p);
      p = valueEnd(bytes, p + 4);
    }
    assert(p === this.at, 'propsRemapped: properties do not fill their range');
  }

  /** Copies bytes [start, end) of `source`; a loop beats a native copy for a few bytes. */
  rawRange(source: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.room(n);
    if (n > 64) {
      this.bytes.set(source.subarray(start, end), this.at);
    } else {
      for (let i = 0; i < n; i++) this.bytes[this.at + i] = source[start + i] as number;
    }
    this.at += n;
  }

  /**
   * Appends to `into` the encoded properties written at `at`, found by walking their bytes in
   * place: writing a snapshot copies every relationship's this way, with no reader or view.
   */
  copyPropsTo(at: number, into: ByteWriter): void {
    into.rawRange(this.bytes, at, encodedPropsEnd(this.bytes, at, this.at));
  }

  /** The bytes written so far, without copying; valid until the next write. */
  view(): Buffer {
    return this.bytes.subarray(0, this.at);
  }

  take(): Buffer {
    const out = Buffer.allocUnsafe(this.at);
    out.set(this.bytes.subarray(0, this.at));
    this.at = 0;
    return out;
  }
}

/**
 * Names and short values are mostly ASCII, and a loop writes a few characters faster than a
 * call into the native encoder.
 */
const SHORT_TEXT_CHARS_MAX = 32;

/** Writes `v` at `at` if it is all ASCII and returns its length, else -1 (partly written). */
function asciiInto(bytes: Buffer, at: number, v: string): number {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 0x80) return -1;
    bytes[at + i] = c;
  }
  return v.length;
}

/** A cursor over bytes that throws on reading past the end (a truncated snapshot). */
export class ByteReader {
  at = 0;

  /** `what` the bytes are, for the error when they end too soon. */
  constructor(readonly bytes: Buffer, private readonly what = 'snapshot') {}

  get done(): boolean {
    return this.at >= this.bytes.length;
  }

  private need(n: number): void {
    if (this.at + n > this.bytes.length) {
      throw new Error(`${this.what} ends in the middle of a record`);
    }
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.at++] as number;
  }

  u32(): number {
    this.need(4);
    const v = this.bytes.readUInt32LE(this.at);
    this.at += 4;
    return v;
  }

  /** Moves past the next `n` bytes; no view is made (a view is an allocation). */
  skip(n: number): void {
    this.need(n);
    this.at += n;
  }
}

/** ES2024's check for lone surrogates (Node 20 has it; the compiler's lib is ES2022). */
interface WellFormedCheck {
  isWellFormed(): boolean;
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

export function writeValue(w: ByteWriter, v: PropertyValue): void {
  if (typeof v === 'boolean') w.u8(v ? Tag.True : Tag.False);
  else if (typeof v === 'bigint' && v >= I64_MIN && v <= I64_MAX) {
    w.u8(Tag.Integer);
    w.i64(v);
  } else if (typeof v === 'number') {
    w.u8(Tag.Float);
    w.f64(v);
  } else if (typeof v === 'string' && isKeptAsText(v)) {
    w.u8(Tag.String);
    w.text(v);
  } else {
    // JSON escapes a lone surrogate, which UTF-8 would turn into U+FFFD.
    w.u8(Tag.Json);
    w.text(JSON.stringify(encodeProperty(v)));
  }
}

/** Checks the value's tag and length against the reader's bytes, then decodes it. */
export function readValue(r: ByteReader): PropertyValue {
  const at = r.at;
  skipValue(r);
  return valueAt(r.bytes, at);
}

/** Integers below this are decoded to a bigint made once (ages, counts, years, small ids). */
const SMALL_INTEGERS: readonly bigint[] = Array.from({ length: 4096 }, (_, i) => BigInt(i));
const TWO_TO_21 = 2 ** 21;

/**
 * The value whose tag is at `at`, in bytes known to hold all of it (checked by skipValue, or
 * written by this codec into the store's arena). Property reads of never-updated entities come
 * here, once per row of a scan, so integers avoid readBigInt64LE's three bigints.
 */
export function valueAt(bytes: Buffer, at: number): PropertyValue {
  switch (bytes[at]) {
    case Tag.False: return false;
    case Tag.True: return true;
    case Tag.Integer: {
      const low = u32At(bytes, at + 1);
      const high = u32At(bytes, at + 5) | 0;
      if (high === 0 && low < SMALL_INTEGERS.length) return SMALL_INTEGERS[low] as bigint;
      // Within 2^53 either way the number is exact.
      if (high >= -TWO_TO_21 && high < TWO_TO_21) return BigInt(high * TWO_TO_32 + low);
      return bytes.readBigInt64LE(at + 1);
    }
    case Tag.Float: return bytes.readDoubleLE(at + 1);
    case Tag.String: return textAt(bytes, at + 1);
    default:
      assert(bytes[at] === Tag.Json, 'valueAt: a value tag');
      return decodeProperty(JSON.parse(textAt(bytes, at + 1)));
  }
}

function textAt(bytes: Buffer, at: number): string {
  return bytes.toString('utf8', at + 4, at + 4 + u32At(bytes, at));
}

/**
 * Moves past one value, decoding it only when it is JSON: bytes from outside (a log entry)
 * must not hold JSON that would fail when the value is first read.
 */
export function checkValue(r: ByteReader): void {
  const at = r.at;
  skipValue(r);
  if (r.bytes[at] === Tag.Json) valueAt(r.bytes, at);
}

/** Moves past one value without decoding it. */
function skipValue(r: ByteReader): void {
  const tag = r.u8();
  if (tag === Tag.Integer || tag === Tag.Float) r.skip(8);
  else if (tag === Tag.String || tag === Tag.Json) r.skip(r.u32());
  else if (tag !== Tag.False && tag !== Tag.True) {
    throw new Error(`snapshot: unknown value tag ${tag}`);
  }
}

/** Moves past encoded properties; returns where they started, to copy them as they are. */
export function skipProps(r: ByteReader): number {
  const start = r.at;
  const n = r.u32();
  for (let i = 0; i < n; i++) {
    r.u32();
    skipValue(r);
  }
  return start;
}

/**
 * The value of key id `key` in the encoded properties at `at`, if there: for bytes this codec
 * wrote (the store's arenas), read in place with no cursor and no bounds checks.
 */
export function findPropAt(bytes: Buffer, at: number, key: number): PropertyValue | undefined {
  const p = valueAtKey(bytes, at, key);
  return p < 0 ? undefined : valueAt(bytes, p);
}

/** What readNumberPropAt found: nothing, a number it gives, or a value it leaves to valueAt. */
export const NumberKind = { Absent: 0, Integer: 1, Float: 2, Other: 3 } as const;

/** readNumberPropAt's answer, reused by the caller: a read per row must not allocate. */
export interface NumberRead {
  kind: number;
  /** The value when `kind` is Integer (exact: within 2^53) or Float; otherwise meaningless. */
  value: number;
}

/**
 * Property `key` of the encoded properties at `at`, as a plain number when it is a float or an
 * integer within 2^53 (no bigint made, where valueAt's would be converted back at once); kind
 * Other for any other value, Absent when missing. Bytes this codec wrote, as findPropAt.
 */
export function readNumberPropAt(bytes: Buffer, at: number, key: number, out: NumberRead): void {
  const p = valueAtKey(bytes, at, key);
  out.kind = NumberKind.Absent;
  if (p < 0) return;
  out.kind = NumberKind.Other;
  if (bytes[p] === Tag.Float) {
    out.kind = NumberKind.Float;
    out.value = bytes.readDoubleLE(p + 1);
  } else if (bytes[p] === Tag.Integer) {
    // Exact below 2^53 either way; larger ones come out unsafe, and are left to valueAt.
    const value = (u32At(bytes, p + 5) | 0) * TWO_TO_32 + u32At(bytes, p + 1);
    if (!Number.isSafeInteger(value)) return;
    out.kind = NumberKind.Integer;
    out.value = value;
  }
}

/**
 * Whether property `key` of the encoded properties at `at` is a string whose UTF-8 bytes are
 * `utf8`, compared in place with no string decoded. A string that is not well formed is kept
 * as JSON (writeValue), so for well-formed text this is exactly `value === text`.
 */
export function textPropEqualsAt(bytes: Buffer, at: number, key: number, utf8: Uint8Array):
  boolean {
  const p = valueAtKey(bytes, at, key);
  if (p < 0 || bytes[p] !== Tag.String || u32At(bytes, p + 1) !== utf8.length) return false;
  const start = p + 5;
  for (let i = 0; i < utf8.length; i++) {
    if (bytes[start + i] !== utf8[i]) return false;
  }
  return true;
}

/** Where the tag of key `key`'s value lies in the encoded properties at `at`; -1 if missing. */
function valueAtKey(bytes: Buffer, at: number, key: number): number {
  const count = u32At(bytes, at);
  let p = at + PROP_COUNT_BYTES;
  for (let i = 0; i < count; i++) {
    if (u32At(bytes, p) === key) return p + 4;
    p = valueEnd(bytes, p + 4);
  }
  return -1;
}

/** Whether `text` is kept under Tag.String (UTF-8), so textPropEqualsAt can find it. */
export function isKeptAsText(text: string): boolean {
  return (text as unknown as WellFormedCheck).isWellFormed();
}

/** Properties as a count and (key id, value) pairs, from a map or keys and values alternating. */
export function writeProps(w: ByteWriter, props: Props | readonly (number | PropertyValue)[]):
  void {
  if (props instanceof Map) {
    w.u32(props.size);
    for (const [k, v] of props) {
      w.u32(k);
      writeValue(w, v);
    }
    return;
  }
  const flat = props as readonly (number | PropertyValue)[];
  w.u32(flat.length / 2);
  for (let i = 0; i < flat.length; i += 2) {
    w.u32(flat[i] as number);
    writeValue(w, flat[i + 1] as PropertyValue);
  }
}

/**
 * The encoded properties at `at` as a map, their key numbers indexing `keyIds` (a ChangeSet's
 * key table mapped to the store's ids); the bytes must be known whole.
 */
export function propsMapAt(bytes: Buffer, at: number, keyIds: readonly number[]):
  Map<number, PropertyValue> {
  const count = u32At(bytes, at);
  const m = new Map<number, PropertyValue>();
  let p = at + PROP_COUNT_BYTES;
  for (let i = 0; i < count; i++) {
    const id = keyIds[u32At(bytes, p)];
    assert(id !== undefined && id >= 0, 'propsMapAt: key outside the table');
    m.set(id, valueAt(bytes, p + 4));
    p = valueEnd(bytes, p + 4);
  }
  return m;
}

export function readPropsMap(r: ByteReader): Map<number, PropertyValue> {
  const n = r.u32();
  const m = new Map<number, PropertyValue>();
  for (let i = 0; i < n; i++) m.set(r.u32(), readValue(r));
  return m;
}


/** Bytes of the property count that starts encoded properties. */
export const PROP_COUNT_BYTES = 4;
/** Bytes of one integer property in encoded properties: key id, tag, i64. */
export const INTEGER_PROP_BYTES = 13;
const TWO_TO_32 = 2 ** 32;

/** Writes the property count of encoded properties at `at`; returns the offset after it. */
export function putPropCount(out: DataView, at: number, count: number): number {
  assert(Number.isInteger(count) && count >= 0 && count <= U32_MAX, 'property count over u32');
  out.setUint32(at, count, true);
  return at + PROP_COUNT_BYTES;
}

/**
 * Writes property `key` = `value` at `at` in the bytes writeProps gives the bigint of `value`,
 * without making the bigint: the bulk importer reads integer columns as numbers (decision
 * 0023). Returns the offset after it.
 */
export function putIntegerProp(out: DataView, at: number, key: number, value: number): number {
  assert(Number.isSafeInteger(value), 'putIntegerProp: a safe integer');
  assert(Number.isInteger(key) && key >= 0 && key <= U32_MAX, 'putIntegerProp: key id over u32');
  out.setUint32(at, key, true);
  out.setUint8(at + 4, Tag.Integer);
  // Two's complement halves: ToUint32 keeps the low 32 bits of any safe integer, negative too.
  out.setUint32(at + 5, value >>> 0, true);
  out.setUint32(at + 9, Math.floor(value / TWO_TO_32) >>> 0, true);
  return at + INTEGER_PROP_BYTES;
}

/** The four little-endian bytes at `at`, as an unsigned integer. */
export function u32At(bytes: Uint8Array, at: number): number {
  return ((bytes[at] as number) | (bytes[at + 1] as number) << 8 | (bytes[at + 2] as number) << 16
    | (bytes[at + 3] as number) << 24) >>> 0;
}

/** Where the encoded properties starting at `at` end; they must end by `limit`. */
export function encodedPropsEnd(bytes: Uint8Array, at: number, limit: number): number {
  const count = u32At(bytes, at);
  let end = at + PROP_COUNT_BYTES;
  for (let i = 0; i < count && end <= limit; i++) end = valueEnd(bytes, end + 4);
  assert(end <= limit, 'encoded properties run past their buffer');
  return end;
}

/** Where the value whose tag is at `at` ends, in bytes this codec wrote. */
function valueEnd(bytes: Uint8Array, at: number): number {
  const tag = bytes[at];
  if (tag === Tag.Integer || tag === Tag.Float) return at + 9;
  if (tag === Tag.String || tag === Tag.Json) return at + 5 + u32At(bytes, at + 1);
  assert(tag === Tag.False || tag === Tag.True, `encoded properties: tag ${tag}`);
  return at + 1;
}

/** Most bytes a string property of `chars` UTF-16 units takes (each encodes to at most 3). */
export function stringPropBytesMax(chars: number): number {
  return 9 + 3 * chars;
}

/**
 * Writes property `key` = text[from, to) at `at` in the bytes writeProps gives that string,
 * without making the string when it is ASCII (the importer's string columns). `out` must have
 * stringPropBytesMax(to - from) bytes free. Returns the offset after it.
 */
export function putStringProp(out: Buffer, at: number, key: number, text: string,
  from: number, to: number): number {
  assert(at + stringPropBytesMax(to - from) <= out.length, 'putStringProp: room for the text');
  out.writeUInt32LE(key, at);
  out[at + 4] = Tag.String;
  const start = at + 9;
  let n = 0;
  for (let i = from; i < to && n >= 0; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) out[start + n++] = c;
    else n = -1;
  }
  if (n < 0) n = out.write(text.slice(from, to), start, 'utf8');
  out.writeUInt32LE(n, at + 5);
  return start + n;
}

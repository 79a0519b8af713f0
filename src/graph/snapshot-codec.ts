/**
 * Binary form of the entities in a snapshot (format 2, see snapshot.ts), also the form in which
 * the store keeps never-updated relationship properties (rel-props.ts): little-endian, ids,
 * interned name ids and counts as u32, each property value behind a one-byte tag.
 * Integers, floats, strings and booleans have their own tags; every other value (lists,
 * temporal, spatial, bytes) is its JSON property encoding, which they rarely are in bulk.
 */
import { assert } from '../assert.js';
import { decodeProperty, encodeProperty } from './property-codec.js';
import type { Props } from './store.js';
import type { PropertyValue } from './values.js';

const enum Tag { False = 0, True = 1, Integer = 2, Float = 3, String = 4, Json = 5 }

const U32_MAX = 0xffffffff;

/** A growing byte buffer; `take()` hands out what was written and starts again. */
export class ByteWriter {
  private bytes = Buffer.allocUnsafe(1 << 20);
  private at = 0;

  get length(): number {
    return this.at;
  }

  private room(n: number): void {
    if (this.at + n <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.at + n));
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
    this.at = this.bytes.writeBigInt64LE(v, this.at);
  }

  text(v: string): void {
    const max = Buffer.byteLength(v, 'utf8');
    this.room(4 + max);
    const n = this.bytes.write(v, this.at + 4, 'utf8');
    this.bytes.writeUInt32LE(n, this.at);
    this.at += 4 + n;
  }

  raw(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.bytes.set(bytes, this.at);
    this.at += bytes.length;
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

  /** The bytes written so far, without copying; valid until the next write. */
  view(): Buffer {
    return this.bytes.subarray(0, this.at);
  }

  take(): Buffer {
    const out = Buffer.from(this.bytes.subarray(0, this.at));
    this.at = 0;
    return out;
  }
}

/** A cursor over bytes that throws on reading past the end (a truncated snapshot). */
export class ByteReader {
  at = 0;

  constructor(readonly bytes: Buffer) {}

  get done(): boolean {
    return this.at >= this.bytes.length;
  }

  private need(n: number): void {
    if (this.at + n > this.bytes.length) throw new Error('snapshot ends in the middle of a record');
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

  f64(): number {
    this.need(8);
    const v = this.bytes.readDoubleLE(this.at);
    this.at += 8;
    return v;
  }

  i64(): bigint {
    this.need(8);
    const v = this.bytes.readBigInt64LE(this.at);
    this.at += 8;
    return v;
  }

  /** The next `n` bytes, as a view. */
  slice(n: number): Buffer {
    this.need(n);
    this.at += n;
    return this.bytes.subarray(this.at - n, this.at);
  }

  text(): string {
    const n = this.u32();
    this.need(n);
    const v = this.bytes.toString('utf8', this.at, this.at + n);
    this.at += n;
    return v;
  }
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
  } else if (typeof v === 'string') {
    w.u8(Tag.String);
    w.text(v);
  } else {
    w.u8(Tag.Json);
    w.text(JSON.stringify(encodeProperty(v)));
  }
}

export function readValue(r: ByteReader): PropertyValue {
  const tag = r.u8();
  switch (tag) {
    case Tag.False: return false;
    case Tag.True: return true;
    case Tag.Integer: return r.i64();
    case Tag.Float: return r.f64();
    case Tag.String: return r.text();
    case Tag.Json: return decodeProperty(JSON.parse(r.text()));
    default: throw new Error(`snapshot: unknown value tag ${tag}`);
  }
}

/** Moves past one value without decoding it. */
function skipValue(r: ByteReader): void {
  const tag = r.u8();
  if (tag === Tag.Integer || tag === Tag.Float) r.slice(8);
  else if (tag === Tag.String || tag === Tag.Json) r.slice(r.u32());
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

/** The encoded properties at the reader's position, as a view. */
export function readPropsBytes(r: ByteReader): Buffer {
  const start = skipProps(r);
  const end = r.at;
  r.at = start;
  return r.slice(end - start);
}

/** The value of key id `key` in encoded properties at the reader's position, if there. */
export function findProp(r: ByteReader, key: number): PropertyValue | undefined {
  const n = r.u32();
  for (let i = 0; i < n; i++) {
    if (r.u32() === key) return readValue(r);
    skipValue(r);
  }
  return undefined;
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

export function readPropsMap(r: ByteReader): Map<number, PropertyValue> {
  const n = r.u32();
  const m = new Map<number, PropertyValue>();
  for (let i = 0; i < n; i++) m.set(r.u32(), readValue(r));
  return m;
}


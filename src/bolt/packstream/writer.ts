import { assert } from '../../assert.js';
import {
  CypherDate, DateTime, Duration, LocalDateTime, LocalTime, Node, Path, Point, Relationship, Time,
  type Value,
} from '../../graph/values.js';
import { Marker } from './markers.js';

/** Raised when a value cannot be put on the wire; a server bug, answered as UnknownError. */
export class PackStreamEncodeError extends Error {
  override name = 'PackStreamEncodeError';
}

/** Writes the graph and temporal structures; chosen per connection (element ids, UTC). */
export type StructureWriter = (writer: PackStreamWriter, value: StructuredValue) => void;

export type StructuredValue =
  | Node | Relationship | Path | CypherDate | LocalTime | Time | LocalDateTime | DateTime
  | Duration | Point;

/** Small, so that an idle connection holds little; the buffer grows to what its replies need. */
const INITIAL_BYTES = 4 * 1024;
/**
 * take() copies out batches up to this size and keeps the buffer: a small copy is cheaper than
 * a fresh buffer for every reply (allocation and garbage collection of external memory).
 */
const COPY_OUT_BYTES_MAX = 16 * 1024;
/** A buffer that grew past this for one huge value is not kept after it was handed over. */
const KEPT_BYTES_MAX = 1024 * 1024;
const INT8_MIN = -128;
const INT16_MIN = -32768;
const INT16_MAX = 32767;
const INT32_MIN_NUMBER = -2147483648;
const INT32_MAX_NUMBER = 2147483647;

/** A growable output buffer with PackStream primitives; grows by about 1.5x. */
export class PackStreamWriter {
  private bytes: Buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  private used = 0;

  constructor(private readonly writeStructure: StructureWriter) {}

  get length(): number {
    return this.used;
  }

  get buffer(): Buffer {
    return this.bytes;
  }

  /** Makes room for `extra` more bytes after the current end. */
  ensure(extra: number): void {
    const needed = this.used + extra;
    if (needed <= this.bytes.length) return;
    let size = this.bytes.length;
    while (size < needed) size = Math.ceil(size * 1.5);
    const grown = Buffer.allocUnsafe(size);
    this.bytes.copy(grown, 0, 0, this.used);
    this.bytes = grown;
  }

  /** Moves the end marker, for the chunk encoder after it inserted or backfilled bytes. */
  setLength(length: number): void {
    assert(length >= 0 && length <= this.bytes.length, 'writer length out of range');
    this.used = length;
  }

  /**
   * Hands over everything written so far and starts empty. The bytes returned are the caller's
   * (the socket may hold them after this returns), so they are never written again.
   */
  take(): Buffer {
    if (this.used <= COPY_OUT_BYTES_MAX) {
      const copy = Buffer.allocUnsafe(this.used);
      this.bytes.copy(copy, 0, 0, this.used);
      this.used = 0;
      return copy;
    }
    const out = this.bytes.subarray(0, this.used);
    this.bytes = Buffer.allocUnsafe(Math.min(this.bytes.length, KEPT_BYTES_MAX));
    this.used = 0;
    return out;
  }

  writeValue(value: Value): void {
    if (value === null) return this.byte(Marker.Null);
    switch (typeof value) {
      case 'boolean': return this.byte(value ? Marker.True : Marker.False);
      case 'bigint': return this.writeInt(value);
      case 'number': return this.writeFloat(value);
      case 'string': return this.writeString(value);
      default: break;
    }
    if (Array.isArray(value)) {
      this.writeListHeader(value.length);
      for (const item of value) this.writeValue(item);
      return;
    }
    if (value instanceof Map) return this.writeMap(value);
    if (value instanceof Uint8Array) return this.writeBytes(value);
    if (isStructuredValue(value)) return this.writeStructure(this, value);
    // NodeRef, RelRef and PathRef must be materialized by the engine before they leave it.
    throw new PackStreamEncodeError('an entity reference reached the Bolt layer unmaterialized');
  }

  writeMap(map: ReadonlyMap<string, Value>): void {
    this.writeSizedHeader(map.size, Marker.TinyMapBase, Marker.Map8);
    for (const [key, item] of map) {
      this.writeString(key);
      this.writeValue(item);
    }
  }

  writeInt(value: bigint): void {
    // One conversion instead of two BigInt comparisons; exact for every value in 32 bits.
    const small = Number(value);
    if (small >= INT32_MIN_NUMBER && small <= INT32_MAX_NUMBER) return this.writeSmallInt(small);
    this.ensure(9);
    this.bytes[this.used] = Marker.Int64;
    this.bytes.writeBigInt64BE(value, this.used + 1);
    this.used += 9;
  }

  /** The smallest encoding for an integer that fits in 32 bits. */
  writeSmallInt(value: number): void {
    assert(Number.isInteger(value), 'a small int is an integer');
    assert(value >= INT32_MIN_NUMBER && value <= INT32_MAX_NUMBER, 'a small int fits in 32 bits');
    this.ensure(5);
    const at = this.used;
    if (value >= -16 && value <= 127) {
      this.bytes[at] = value & 0xff;
      this.used += 1;
    } else if (value >= INT8_MIN && value < -16) {
      this.bytes[at] = Marker.Int8;
      this.bytes[at + 1] = value & 0xff;
      this.used += 2;
    } else if (value >= INT16_MIN && value <= INT16_MAX) {
      this.bytes[at] = Marker.Int16;
      this.bytes[at + 1] = (value >> 8) & 0xff;
      this.bytes[at + 2] = value & 0xff;
      this.used += 3;
    } else {
      // Byte stores, not Buffer's range-checked writers: streamed integers come through here.
      this.bytes[at] = Marker.Int32;
      this.bytes[at + 1] = (value >> 24) & 0xff;
      this.bytes[at + 2] = (value >> 16) & 0xff;
      this.bytes[at + 3] = (value >> 8) & 0xff;
      this.bytes[at + 4] = value & 0xff;
      this.used += 5;
    }
  }

  writeFloat(value: number): void {
    this.ensure(9);
    this.bytes[this.used] = Marker.Float64;
    this.bytes.writeDoubleBE(value, this.used + 1);
    this.used += 9;
  }

  writeString(value: string): void {
    // Short ASCII-only strings are the common case (every metadata key, bookmarks, types):
    // their byte length is their length, and byte stores beat a call into Buffer#write.
    if (value.length < SHORT_ASCII_LENGTH_MAX && isAscii(value)) {
      this.writeSizedHeader(value.length, Marker.TinyStringBase, Marker.String8);
      this.ensure(value.length);
      for (let i = 0; i < value.length; i++) this.bytes[this.used + i] = value.charCodeAt(i);
      this.used += value.length;
      return;
    }
    const byteLength = Buffer.byteLength(value);
    this.writeSizedHeader(byteLength, Marker.TinyStringBase, Marker.String8);
    this.ensure(byteLength);
    this.bytes.write(value, this.used, byteLength, 'utf8');
    this.used += byteLength;
  }

  writeBytes(value: Uint8Array): void {
    const size = value.byteLength;
    this.ensure(5 + size);
    if (size <= 0xff) this.headerWithSize(Marker.Bytes8, 1, size);
    else if (size <= 0xffff) this.headerWithSize(Marker.Bytes16, 2, size);
    else this.headerWithSize(Marker.Bytes32, 4, size);
    this.bytes.set(value, this.used);
    this.used += size;
  }

  writeListHeader(count: number): void {
    this.writeSizedHeader(count, Marker.TinyListBase, Marker.List8);
  }

  writeStructHeader(fieldCount: number, tag: number): void {
    assert(fieldCount >= 0 && fieldCount <= 15, 'structures have at most 15 fields');
    this.ensure(2);
    this.bytes[this.used] = Marker.TinyStructBase | fieldCount;
    this.bytes[this.used + 1] = tag;
    this.used += 2;
  }

  /** Strings, lists and maps share the layout: tiny form, then 8/16/32-bit size markers. */
  private writeSizedHeader(size: number, tinyBase: number, marker8: number): void {
    this.ensure(5);
    // Room for the longest header is made above: the tiny form is one byte stored directly.
    if (size <= 15) this.bytes[this.used++] = tinyBase | size;
    else if (size <= 0xff) this.headerWithSize(marker8, 1, size);
    else if (size <= 0xffff) this.headerWithSize(marker8 + 1, 2, size);
    else this.headerWithSize(marker8 + 2, 4, size);
  }

  private headerWithSize(marker: number, sizeBytes: 1 | 2 | 4, size: number): void {
    const at = this.used;
    this.bytes[at] = marker;
    if (sizeBytes === 1) this.bytes[at + 1] = size;
    else if (sizeBytes === 2) this.bytes.writeUInt16BE(size, at + 1);
    else this.bytes.writeUInt32BE(size, at + 1);
    this.used += 1 + sizeBytes;
  }

  private byte(value: number): void {
    this.ensure(1);
    this.bytes[this.used] = value;
    this.used += 1;
  }
}

/** Below this many characters a string is checked for ASCII and written byte by byte. */
const SHORT_ASCII_LENGTH_MAX = 64;

function isAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** True for the values a StructureWriter is responsible for. */
export function isStructuredValue(value: Value): value is StructuredValue {
  return value instanceof Node || value instanceof Relationship || value instanceof Path ||
    value instanceof CypherDate || value instanceof LocalTime || value instanceof Time ||
    value instanceof LocalDateTime || value instanceof DateTime || value instanceof Duration ||
    value instanceof Point;
}

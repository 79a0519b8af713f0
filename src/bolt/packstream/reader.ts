import type { StatusCodeName } from '../../errors/status-codes.js';
import type { Value } from '../../graph/values.js';
import { Marker, PACKSTREAM_SIZE_MAX } from './markers.js';

/**
 * Raised inside the reader for bytes a client should not have sent. It never leaves
 * `readMessage`, which turns it into an error value for the connection to answer with.
 */
export class PackStreamDecodeError extends Error {
  override name = 'PackStreamDecodeError';
  constructor(readonly codeName: StatusCodeName, message: string) {
    super(message);
  }
}

/** Turns a structure found inside a value into a graph value, or throws PackStreamDecodeError. */
export type StructureHydrator = (tag: number, fields: Value[]) => Value;

export interface ReaderOptions {
  readonly depthMax: number;
  readonly hydrate: StructureHydrator;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
/**
 * Map keys and most parameters are short ASCII; building those by hand is faster than a call
 * into the UTF-8 decoder, which longer or non-ASCII strings still take.
 */
const SHORT_STRING_BYTES_MAX = 32;

/** The bytes as a string when all are ASCII (then UTF-8 and ASCII agree), else null. */
function asciiString(bytes: Uint8Array, start: number, end: number): string | null {
  let text = '';
  for (let i = start; i < end; i++) {
    const byte = bytes[i] ?? 0x80;
    if (byte > 0x7f) return null;
    text += String.fromCharCode(byte);
  }
  return text;
}

/** A cursor over one complete inbound message; reads views of the input, never copies. */
export class PackStreamReader {
  private offset = 0;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly options: ReaderOptions,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.byteLength - this.offset;
  }

  /** Reads a structure header: field count and tag. */
  readStructHeader(): { size: number; tag: number } {
    const marker = this.u8();
    let size: number;
    if (marker >= Marker.TinyStructBase && marker <= 0xbf) size = marker & 0x0f;
    else if (marker === Marker.Struct8) size = this.u8();
    else if (marker === Marker.Struct16) size = this.u16();
    else throw invalid(`expected a structure, found marker 0x${hex(marker)}`);
    return { size, tag: this.u8() };
  }

  readValue(depth: number): Value {
    const marker = this.u8();
    switch (marker >> 4) {
      case 0x0: case 0x1: case 0x2: case 0x3: case 0x4: case 0x5: case 0x6: case 0x7:
        return BigInt(marker);
      case 0x8: return this.string(marker & 0x0f);
      case 0x9: return this.list(marker & 0x0f, depth);
      case 0xa: return this.map(marker & 0x0f, depth);
      case 0xb: return this.struct(marker & 0x0f, depth);
      case 0xf: return BigInt(marker - 0x100);
      default: return this.readSizedValue(marker, depth);
    }
  }

  private readSizedValue(marker: number, depth: number): Value {
    switch (marker) {
      case Marker.Null: return null;
      case Marker.Float64: return this.view.getFloat64(this.claim(8));
      case Marker.False: return false;
      case Marker.True: return true;
      case Marker.Int8: return BigInt(this.view.getInt8(this.claim(1)));
      case Marker.Int16: return BigInt(this.view.getInt16(this.claim(2)));
      case Marker.Int32: return BigInt(this.view.getInt32(this.claim(4)));
      case Marker.Int64: return this.view.getBigInt64(this.claim(8));
      case Marker.Bytes8: return this.byteArray(this.u8());
      case Marker.Bytes16: return this.byteArray(this.u16());
      case Marker.Bytes32: return this.byteArray(this.u32());
      case Marker.String8: return this.string(this.u8());
      case Marker.String16: return this.string(this.u16());
      case Marker.String32: return this.string(this.u32());
      case Marker.List8: return this.list(this.u8(), depth);
      case Marker.List16: return this.list(this.u16(), depth);
      case Marker.List32: return this.list(this.u32(), depth);
      case Marker.Map8: return this.map(this.u8(), depth);
      case Marker.Map16: return this.map(this.u16(), depth);
      case Marker.Map32: return this.map(this.u32(), depth);
      case Marker.Struct8: return this.struct(this.u8(), depth);
      case Marker.Struct16: return this.struct(this.u16(), depth);
      case Marker.Uuid:
        throw new PackStreamDecodeError('TypeError', 'UUID values are not supported');
      default:
        throw invalid(`reserved marker 0x${hex(marker)}`);
    }
  }

  private string(byteLength: number): string {
    this.checkSize(byteLength, 1);
    const start = this.offset;
    this.offset += byteLength;
    if (byteLength <= SHORT_STRING_BYTES_MAX) {
      const ascii = asciiString(this.bytes, start, this.offset);
      if (ascii !== null) return ascii;
    }
    try {
      return utf8.decode(this.bytes.subarray(start, this.offset));
    } catch {
      throw invalid('a string is not valid UTF-8');
    }
  }

  private byteArray(byteLength: number): Uint8Array {
    this.checkSize(byteLength, 1);
    const start = this.offset;
    this.offset += byteLength;
    // Parameters outlive the inbound buffer (they may be stored), so this one is copied.
    return this.bytes.slice(start, this.offset);
  }

  private list(count: number, depth: number): Value[] {
    this.checkSize(count, 1);
    this.checkDepth(depth);
    const items: Value[] = new Array<Value>(count);
    for (let i = 0; i < count; i++) items[i] = this.readValue(depth + 1);
    return items;
  }

  private map(count: number, depth: number): Map<string, Value> {
    this.checkSize(count, 2);
    this.checkDepth(depth);
    const entries = new Map<string, Value>();
    for (let i = 0; i < count; i++) {
      const key = this.readValue(depth + 1);
      if (typeof key !== 'string') throw invalid('a map key is not a string');
      // Duplicate keys are legal; the last one wins.
      entries.set(key, this.readValue(depth + 1));
    }
    return entries;
  }

  private struct(count: number, depth: number): Value {
    this.checkSize(count, 1);
    this.checkDepth(depth);
    const tag = this.u8();
    const fields: Value[] = new Array<Value>(count);
    for (let i = 0; i < count; i++) fields[i] = this.readValue(depth + 1);
    return this.options.hydrate(tag, fields);
  }

  private checkDepth(depth: number): void {
    if (depth >= this.options.depthMax) {
      throw invalid(`values nest deeper than packstreamDepthMax (${this.options.depthMax})`);
    }
  }

  /** Every element needs at least `bytesEach` bytes, so a count can be refused up front. */
  private checkSize(count: number, bytesEach: number): void {
    if (count > PACKSTREAM_SIZE_MAX) throw invalid(`size ${count} exceeds the PackStream maximum`);
    if (count * bytesEach > this.remaining) {
      throw invalid(`size ${count} exceeds the ${this.remaining} bytes left in the message`);
    }
  }

  /** Reserves the next `byteLength` bytes and returns where they start. */
  private claim(byteLength: number): number {
    if (byteLength > this.remaining) throw invalid('the message ends inside a value');
    const at = this.offset;
    this.offset += byteLength;
    return at;
  }

  private u8(): number {
    return this.view.getUint8(this.claim(1));
  }

  private u16(): number {
    return this.view.getUint16(this.claim(2));
  }

  private u32(): number {
    return this.view.getUint32(this.claim(4));
  }
}

function invalid(message: string): PackStreamDecodeError {
  return new PackStreamDecodeError('InvalidFormat', `Invalid PackStream: ${message}`);
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

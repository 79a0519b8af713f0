/**
 * The two messages of the write path, Append and AppendResp, in a compact binary form: a
 * leader sends one Append per follower per batch and gets one answer back, and in JSON with
 * base64 each entry cost a base64 pass, a JSON pass and a third more bytes on both ends
 * (docs/decisions/0036-cluster-write-cost.md). Every other message stays JSON
 * (raft-message-codec.ts), which tells the two apart by the first byte: a JSON object starts
 * with `{`, a binary message with its tag, which is never that byte.
 *
 * Layout, big-endian: [u8 tag] [str from] [str to] [num term] then, for Append,
 * [num prevIndex] [num prevTerm] [num commit] [u32 count] and per entry
 * [num term] [num index] [u8 kind] [u32 bytes] [data]; for AppendResp, [num index] [u8 reject]
 * [num hintIndex] [num hintTerm]. A str is [u16 bytes][UTF-8]; a num is a float64 that must
 * hold a non-negative safe integer. Decoding checks every length against what is left.
 */
import { asLogIndex, asMemberId, asTerm } from '../raft/types.js';
import type {
  AppendRequest, AppendResponse, Entry, EntryKind, LogIndex, MemberId, Term,
} from '../raft/types.js';

const BINARY_TAG = { append: 0x01, appendResp: 0x02 } as const;
const KINDS: readonly EntryKind[] = ['normal', 'noop', 'config'];
const NUM_BYTES = 8;
const ENTRY_HEAD_BYTES = 2 * NUM_BYTES + 1 + 4;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Thrown only inside this file and raft-message-codec.ts, which turns it into a value. */
export class WireError extends Error {}

class Writer {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  private at = 0;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  u8(value: number): void {
    this.view.setUint8(this.at, value);
    this.at += 1;
  }

  u32(value: number): void {
    this.view.setUint32(this.at, value);
    this.at += 4;
  }

  num(value: number): void {
    this.view.setFloat64(this.at, value);
    this.at += NUM_BYTES;
  }

  raw(bytes: Uint8Array): void {
    this.bytes.set(bytes, this.at);
    this.at += bytes.length;
  }

  str(encoded: Uint8Array): void {
    this.view.setUint16(this.at, encoded.length);
    this.at += 2;
    this.raw(encoded);
  }

  done(): Uint8Array {
    return this.at === this.bytes.length ? this.bytes : this.bytes.subarray(0, this.at);
  }
}

class Reader {
  private readonly view: DataView;
  private at = 0;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(count: number, what: string): void {
    if (this.at + count > this.bytes.length) throw new WireError(`${what} is cut short`);
  }

  u8(what: string): number {
    this.need(1, what);
    const value = this.view.getUint8(this.at);
    this.at += 1;
    return value;
  }

  u32(what: string): number {
    this.need(4, what);
    const value = this.view.getUint32(this.at);
    this.at += 4;
    return value;
  }

  num(what: string): number {
    this.need(NUM_BYTES, what);
    const value = this.view.getFloat64(this.at);
    this.at += NUM_BYTES;
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new WireError(`${what} must be a non-negative integer`);
    }
    return value;
  }

  /** A view into the message, not a copy: the frame it came in is not reused. */
  raw(count: number, what: string): Uint8Array {
    this.need(count, what);
    const out = this.bytes.subarray(this.at, this.at + count);
    this.at += count;
    return out;
  }

  member(what: string): MemberId {
    this.need(2, what);
    const length = this.view.getUint16(this.at);
    this.at += 2;
    if (length === 0) throw new WireError(`${what} must not be empty`);
    try {
      return decodedId(this.raw(length, what));
    } catch (error) {
      if (error instanceof WireError) throw error;
      throw new WireError(`${what} is not UTF-8`);
    }
  }

  remaining(): number {
    return this.bytes.length - this.at;
  }

  end(): void {
    if (this.at !== this.bytes.length) throw new WireError('bytes after the end of the message');
  }
}

interface Envelope { readonly from: MemberId; readonly to: MemberId; readonly term: Term }

/** Ids decoded lately, compared byte by byte: cheaper than a UTF-8 decode per message. */
const DECODED_IDS_MAX = 16;
const decodedIds: { readonly bytes: Uint8Array; readonly id: MemberId }[] = [];

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

function decodedId(bytes: Uint8Array): MemberId {
  for (const known of decodedIds) if (sameBytes(known.bytes, bytes)) return known.id;
  const id = asMemberId(fromUtf8.decode(bytes));
  if (decodedIds.length >= DECODED_IDS_MAX) decodedIds.shift();
  // A copy: `bytes` is a view into a frame that the cache must not keep alive.
  decodedIds.push({ bytes: Uint8Array.from(bytes), id });
  return id;
}

/** A cluster has a handful of members; past this many ids the cache starts again. */
const ENCODED_IDS_MAX = 256;
const encodedIds = new Map<MemberId, Uint8Array>();

/** Every Append names the same few members: each id is encoded once, not per message. */
function encodedId(id: MemberId): Uint8Array {
  let encoded = encodedIds.get(id);
  if (encoded === undefined) {
    if (encodedIds.size >= ENCODED_IDS_MAX) encodedIds.clear();
    encoded = utf8.encode(id);
    encodedIds.set(id, encoded);
  }
  return encoded;
}

function writeEnvelope(tag: number, message: Envelope, bodyBytes: number): Writer {
  const from = encodedId(message.from);
  const to = encodedId(message.to);
  const writer = new Writer(1 + 2 + from.length + 2 + to.length + NUM_BYTES + bodyBytes);
  writer.u8(tag);
  writer.str(from);
  writer.str(to);
  writer.num(message.term);
  return writer;
}

export function encodeAppend(message: AppendRequest): Uint8Array {
  let bodyBytes = 3 * NUM_BYTES + 4;
  for (const entry of message.entries) bodyBytes += ENTRY_HEAD_BYTES + entry.data.length;
  const writer = writeEnvelope(BINARY_TAG.append, message, bodyBytes);
  writer.num(message.prevIndex);
  writer.num(message.prevTerm);
  writer.num(message.commit);
  writer.u32(message.entries.length);
  for (const entry of message.entries) {
    writer.num(entry.term);
    writer.num(entry.index);
    writer.u8(KINDS.indexOf(entry.kind));
    writer.u32(entry.data.length);
    writer.raw(entry.data);
  }
  return writer.done();
}

export function encodeAppendResponse(message: AppendResponse): Uint8Array {
  const writer = writeEnvelope(BINARY_TAG.appendResp, message, 3 * NUM_BYTES + 1);
  writer.num(message.index);
  writer.u8(message.reject ? 1 : 0);
  writer.num(message.hintIndex);
  writer.num(message.hintTerm);
  return writer.done();
}

const term = (reader: Reader, what: string): Term => asTerm(reader.num(what));
const index = (reader: Reader, what: string): LogIndex => asLogIndex(reader.num(what));

function readEntry(reader: Reader): Entry {
  const entryTerm = term(reader, 'entry term');
  const entryIndex = index(reader, 'entry index');
  const kindCode = reader.u8('entry kind');
  const kind = KINDS[kindCode];
  if (kind === undefined) throw new WireError(`unknown entry kind ${kindCode}`);
  const data = reader.raw(reader.u32('entry size'), 'entry data');
  return { term: entryTerm, index: entryIndex, kind, data };
}

function readAppend(reader: Reader, envelope: Envelope): AppendRequest {
  const prevIndex = index(reader, 'prevIndex');
  const prevTerm = term(reader, 'prevTerm');
  const commit = index(reader, 'commit');
  const count = reader.u32('entry count');
  // Each entry takes at least its head: a count the message cannot hold is refused at once.
  if (count * ENTRY_HEAD_BYTES > reader.remaining()) throw new WireError('entries are cut short');
  const entries: Entry[] = [];
  for (let i = 0; i < count; i += 1) entries.push(readEntry(reader));
  // Fields written out rather than spread: spreading is V8's slow path, paid per message.
  return { type: 'Append', from: envelope.from, to: envelope.to, term: envelope.term,
    prevIndex, prevTerm, commit, entries };
}

function readAppendResponse(reader: Reader, envelope: Envelope): AppendResponse {
  const at = index(reader, 'index');
  const rejectCode = reader.u8('reject');
  if (rejectCode > 1) throw new WireError('reject must be a boolean');
  return { type: 'AppendResp', from: envelope.from, to: envelope.to, term: envelope.term,
    index: at, reject: rejectCode === 1, hintIndex: index(reader, 'hintIndex'),
    hintTerm: term(reader, 'hintTerm') };
}

/** Decodes a binary message; throws WireError on anything malformed. */
export function decodeBinaryMessage(payload: Uint8Array): AppendRequest | AppendResponse {
  const reader = new Reader(payload);
  const tag = reader.u8('tag');
  const envelope = { from: reader.member('from'), to: reader.member('to'),
    term: term(reader, 'term') };
  let message: AppendRequest | AppendResponse;
  if (tag === BINARY_TAG.append) message = readAppend(reader, envelope);
  else if (tag === BINARY_TAG.appendResp) message = readAppendResponse(reader, envelope);
  else throw new WireError(`unknown binary message tag ${tag}`);
  reader.end();
  return message;
}

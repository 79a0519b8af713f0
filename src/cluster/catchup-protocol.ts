/**
 * Messages of the catchup port (causal_clustering.transaction_listen_address, 6000), on which
 * any member serves committed log entries to read replicas. Each message is one frame
 * (frame-codec.ts) whose payload is [u32 header bytes][header JSON][body]: snapshot chunks
 * travel as raw bytes in the body, and entries as the log's own checksummed records
 * (log/record-codec.ts, as the backup port sends them), never inside JSON.
 */
import type { LogEntry } from '../log/index.js';
import { decodeRecord, encodeRecord, recordBytes } from '../log/record-codec.js';

/** A committed entry, as the log holds it. */
export type CatchupEntry = LogEntry;

export type CatchupRequest =
  | { readonly kind: 'hello'; readonly clusterId: string; readonly memberId: string;
    /** causal_clustering.pull_interval=0: the server wakes it on every commit. */
    readonly streaming: boolean }
  /** Committed entries after `after`, whose term the replica holds as `afterTerm`. */
  | { readonly kind: 'pull'; readonly after: number; readonly afterTerm: number };

export type CatchupReply =
  | { readonly kind: 'entries'; readonly upstreamApplied: number;
    readonly entries: readonly CatchupEntry[] }
  /** One piece of a snapshot taken at (index, term); `last` marks the final piece. */
  | { readonly kind: 'snapshot'; readonly index: number; readonly term: number;
    readonly membership: unknown; readonly totalBytes: number; readonly last: boolean;
    readonly chunk: Uint8Array }
  /** Something new was committed: pull now (ha.tx_push_factor, or a streaming replica). */
  | { readonly kind: 'wake' }
  | { readonly kind: 'error'; readonly message: string };

export type CatchupMessage = CatchupRequest | CatchupReply;

/** Bytes of entries one reply carries at most (at least one entry, however large). */
export const CATCHUP_REPLY_BYTES_MAX = 4 * 1024 * 1024;
/** Entries one reply carries at most. */
export const CATCHUP_REPLY_ENTRIES_MAX = 4096;
/** Snapshot bytes per frame. */
export const CATCHUP_SNAPSHOT_CHUNK_BYTES = 4 * 1024 * 1024;
/** Largest frame either side accepts: a reply's entries plus headroom for one large entry. */
export const CATCHUP_FRAME_BYTES_MAX = 80 * 1024 * 1024;
/** Largest snapshot a replica assembles from chunks. */
export const CATCHUP_SNAPSHOT_BYTES_MAX = 4 * 1024 * 1024 * 1024 - 1;

/** Largest single entry a reply may carry. */
const ENTRY_BYTES_MAX = 64 * 1024 * 1024;

export function encodeCatchup(message: CatchupMessage): Uint8Array {
  const body: Uint8Array[] = [];
  let header: Record<string, unknown>;
  if (message.kind === 'entries') {
    header = { kind: 'entries', upstreamApplied: message.upstreamApplied };
    body.push(encodeRecords(message.entries));
  } else if (message.kind === 'snapshot') {
    const { chunk, ...rest } = message;
    header = { ...rest, bytes: chunk.length };
    body.push(chunk);
  } else {
    header = { ...message };
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  return Buffer.concat([length, json, ...body]);
}

/** The message, or why the payload is not one (then the connection is dropped). */
export function decodeCatchup(payload: Uint8Array): CatchupMessage | string {
  if (payload.length < 4) return 'catchup frame without a header';
  const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const headerBytes = bytes.readUInt32BE(0);
  if (4 + headerBytes > bytes.length) return 'catchup header longer than its frame';
  let header: unknown;
  try {
    header = JSON.parse(bytes.toString('utf8', 4, 4 + headerBytes));
  } catch {
    return 'catchup header is not JSON';
  }
  if (typeof header !== 'object' || header === null) return 'catchup header is not an object';
  return decodeFields(header as Record<string, unknown>, bytes.subarray(4 + headerBytes));
}

function decodeFields(h: Record<string, unknown>, body: Buffer): CatchupMessage | string {
  switch (h['kind']) {
    case 'hello':
      if (typeof h['clusterId'] !== 'string' || typeof h['memberId'] !== 'string') {
        return 'catchup hello without cluster and member ids';
      }
      return { kind: 'hello', clusterId: h['clusterId'], memberId: h['memberId'],
        streaming: h['streaming'] === true };
    case 'pull':
      if (!isIndex(h['after']) || !isIndex(h['afterTerm'])) {
        return 'catchup pull without a position';
      }
      return { kind: 'pull', after: h['after'], afterTerm: h['afterTerm'] };
    case 'entries':
      return decodeEntries(h, body);
    case 'snapshot':
      if (!isIndex(h['index']) || !isIndex(h['term']) || !isIndex(h['totalBytes'])) {
        return 'catchup snapshot without its position';
      }
      return { kind: 'snapshot', index: h['index'], term: h['term'], membership: h['membership'],
        totalBytes: h['totalBytes'], last: h['last'] === true, chunk: body };
    case 'wake':
      return { kind: 'wake' };
    case 'error':
      return { kind: 'error', message: String(h['message']) };
    default:
      return 'unknown catchup message';
  }
}

function encodeRecords(entries: readonly LogEntry[]): Buffer {
  const out = Buffer.alloc(entries.reduce((sum, e) => sum + recordBytes(e), 0));
  let offset = 0;
  for (const entry of entries) offset += encodeRecord(entry, out, offset);
  return out;
}

function decodeEntries(h: Record<string, unknown>, body: Buffer): CatchupMessage | string {
  if (!isIndex(h['upstreamApplied'])) return 'catchup entries malformed';
  const entries: CatchupEntry[] = [];
  for (let offset = 0; offset < body.length;) {
    const decoded = decodeRecord(body, offset, ENTRY_BYTES_MAX);
    if (!decoded.ok) return `catchup entry ${entries.length} does not verify: ${decoded.reason}`;
    // A copy: the log keeps what it is given, and a view would keep the whole frame alive.
    entries.push({ ...decoded.entry, data: new Uint8Array(decoded.entry.data) });
    offset += decoded.bytes;
  }
  const consecutive = entries.every((e, i) =>
    i === 0 || e.index === (entries[i - 1]?.index ?? 0) + 1);
  if (!consecutive) return 'catchup entries are not consecutive';
  return { kind: 'entries', upstreamApplied: h['upstreamApplied'], entries };
}

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

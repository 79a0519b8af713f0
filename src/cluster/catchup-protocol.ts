/**
 * Messages of the catchup port (causal_clustering.transaction_listen_address, 6000), on which
 * any member serves committed log entries to read replicas. Each message is one frame
 * (frame-codec.ts) whose payload is [u32 header bytes][header JSON][body]: entries' data and
 * snapshot chunks travel as raw bytes in the body, never inside JSON.
 */
import type { LogEntryKind } from '../log/index.js';

export interface CatchupEntry {
  readonly index: number;
  readonly term: number;
  readonly kind: LogEntryKind;
  readonly data: Uint8Array;
}

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

const KINDS: ReadonlySet<string> = new Set(['normal', 'noop', 'config']);

export function encodeCatchup(message: CatchupMessage): Uint8Array {
  const body: Uint8Array[] = [];
  let header: Record<string, unknown>;
  if (message.kind === 'entries') {
    header = { kind: 'entries', upstreamApplied: message.upstreamApplied,
      entries: message.entries.map((e) => ({ index: e.index, term: e.term, kind: e.kind,
        bytes: e.data.length })) };
    body.push(...message.entries.map((e) => e.data));
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

function decodeEntries(h: Record<string, unknown>, body: Buffer): CatchupMessage | string {
  const list = h['entries'];
  if (!isIndex(h['upstreamApplied']) || !Array.isArray(list)) return 'catchup entries malformed';
  const entries: CatchupEntry[] = [];
  let offset = 0;
  for (const item of list as unknown[]) {
    const e = item as Record<string, unknown>;
    const kind = e['kind'];
    if (typeof e !== 'object' || e === null || !isIndex(e['index']) || !isIndex(e['term']) ||
      !isIndex(e['bytes']) || typeof kind !== 'string' || !KINDS.has(kind)) {
      return 'catchup entry malformed';
    }
    if (offset + e['bytes'] > body.length) return 'catchup entry longer than its frame';
    entries.push({ index: e['index'], term: e['term'], kind: kind as LogEntryKind,
      data: new Uint8Array(body.subarray(offset, offset + e['bytes'])) });
    offset += e['bytes'];
  }
  const consecutive = entries.every((e, i) =>
    i === 0 || e.index === (entries[i - 1]?.index ?? 0) + 1);
  if (!consecutive) return 'catchup entries are not consecutive';
  return { kind: 'entries', upstreamApplied: h['upstreamApplied'], entries };
}

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

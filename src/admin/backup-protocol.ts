/**
 * The backup port's conversation. The client sends one request; the server answers with a
 * stream of messages, each in one checksummed frame (src/cluster/frame-codec.ts):
 *
 *   begin     mode (full / incremental), store id, and for a full backup the snapshot's index,
 *             term and line count (progress)
 *   snapshot* bytes of the graph snapshot at that index, and how many of its lines are done
 *   tail      the range of log entries that follows
 *   entries*  log records (the log's own checksummed record format)
 *   end       the index and term the backup now stands at
 *   error     instead of any of the above: why the server stopped
 *
 * The first payload byte is the message kind; JSON bodies follow it, except for snapshot
 * (u32 lines done, then bytes) and entries (records back to back).
 */
import { assert } from '../assert.js';
import type { LogEntry } from '../log/index.js';
import { decodeRecord, encodeRecord, recordBytes } from '../log/record-codec.js';

export interface BackupRequest {
  readonly database: string;
  /** null asks for a full backup; otherwise the first entry the client lacks. */
  readonly fromIndex: number | null;
  /** Term of entry fromIndex - 1, so the server can tell that the histories agree. */
  readonly lastTerm: number;
  readonly storeId: string | null;
}

export interface SnapshotAnnouncement {
  readonly index: number;
  readonly term: number;
  readonly linesTotal: number;
}

export type BackupMessage =
  | { readonly kind: 'begin'; readonly mode: 'full' | 'incremental'; readonly storeId: string;
    readonly database: string; readonly snapshot: SnapshotAnnouncement | null }
  | { readonly kind: 'snapshot'; readonly linesDone: number; readonly bytes: Uint8Array }
  | { readonly kind: 'tail'; readonly fromIndex: number; readonly toIndex: number }
  | { readonly kind: 'entries'; readonly entries: LogEntry[] }
  | { readonly kind: 'end'; readonly lastIndex: number; readonly lastTerm: number }
  | { readonly kind: 'error'; readonly message: string };

/** Largest frame either side sends or accepts: a snapshot chunk or a batch of entries. */
export const BACKUP_FRAME_BYTES_MAX = 80 * 1024 * 1024;
/** Snapshot bytes and entry records gathered into one frame before it is sent. */
export const BACKUP_CHUNK_BYTES = 1024 * 1024;

const KINDS = ['begin', 'snapshot', 'tail', 'entries', 'end', 'error'] as const;
type Kind = (typeof KINDS)[number];
const ENTRY_BYTES_MAX = 64 * 1024 * 1024;

function json(kind: Kind, body: unknown): Uint8Array {
  const text = Buffer.from(JSON.stringify(body), 'utf8');
  const out = Buffer.allocUnsafe(1 + text.length);
  out[0] = KINDS.indexOf(kind);
  text.copy(out, 1);
  return out;
}

export function encodeBackupRequest(request: BackupRequest): Uint8Array {
  return Buffer.from(JSON.stringify(request), 'utf8');
}

/** The request, or null when the bytes are not one (the server answers with an error). */
export function decodeBackupRequest(payload: Uint8Array): BackupRequest | null {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Record<string, unknown>;
  const fromIndex = r['fromIndex'];
  const validFrom = fromIndex === null || (Number.isSafeInteger(fromIndex) &&
    (fromIndex as number) > 0);
  if (typeof r['database'] !== 'string' || !validFrom || !Number.isSafeInteger(r['lastTerm']) ||
    (r['storeId'] !== null && typeof r['storeId'] !== 'string')) return null;
  return value as BackupRequest;
}

export function encodeBackupMessage(message: BackupMessage): Uint8Array {
  switch (message.kind) {
    case 'snapshot': return encodeSnapshotMessage(message.linesDone, [message.bytes]);
    case 'entries': {
      const size = message.entries.reduce((sum, e) => sum + recordBytes(e), 1);
      const out = Buffer.alloc(size);
      out[0] = KINDS.indexOf('entries');
      let offset = 1;
      for (const entry of message.entries) offset += encodeRecord(entry, out, offset);
      assert(offset === size, 'entries frame must be filled exactly');
      return out;
    }
    default: {
      const { kind, ...body } = message;
      return json(kind, body);
    }
  }
}

/** A snapshot message whose bytes are `pieces` back to back, gathered in one copy. */
export function encodeSnapshotMessage(linesDone: number, pieces: readonly Uint8Array[]):
  Uint8Array {
  const size = pieces.reduce((sum, piece) => sum + piece.length, 5);
  const out = Buffer.allocUnsafe(size);
  out[0] = KINDS.indexOf('snapshot');
  out.writeUInt32LE(linesDone, 1);
  let offset = 5;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  assert(offset === size, 'snapshot message must be filled exactly');
  return out;
}

/** The message in a frame, or why it cannot be one. */
export function decodeBackupMessage(payload: Uint8Array): BackupMessage | string {
  const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const kind = KINDS[bytes[0] ?? 255];
  if (kind === 'snapshot') {
    if (bytes.length < 5) return 'short snapshot message';
    return { kind, linesDone: bytes.readUInt32LE(1), bytes: bytes.subarray(5) };
  }
  if (kind === 'entries') return decodeEntries(bytes);
  if (kind === undefined) return `unknown message kind ${bytes[0] ?? 'none'}`;
  let body: unknown;
  try {
    body = JSON.parse(bytes.subarray(1).toString('utf8'));
  } catch {
    return `unreadable ${kind} message`;
  }
  if (typeof body !== 'object' || body === null || !hasValidFields(kind, body)) {
    return `malformed ${kind} message`;
  }
  return { ...body, kind } as BackupMessage;
}

const isCount = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;

/** The JSON messages' fields, checked before the client relies on them. */
function hasValidFields(kind: Kind, body: object): boolean {
  const b = body as Record<string, unknown>;
  switch (kind) {
    case 'begin': {
      const s = b['snapshot'] as Record<string, unknown> | null | undefined;
      const snapshotOk = s === null || (typeof s === 'object' && s !== undefined &&
        isCount(s['index']) && isCount(s['term']) && isCount(s['linesTotal']));
      return (b['mode'] === 'full' || b['mode'] === 'incremental') &&
        typeof b['storeId'] === 'string' && typeof b['database'] === 'string' && snapshotOk;
    }
    case 'tail': return isCount(b['fromIndex']) && isCount(b['toIndex']);
    case 'end': return isCount(b['lastIndex']) && isCount(b['lastTerm']);
    case 'error': return typeof b['message'] === 'string';
    default: return false;
  }
}

function decodeEntries(bytes: Buffer): BackupMessage | string {
  const entries: LogEntry[] = [];
  for (let offset = 1; offset < bytes.length;) {
    const decoded = decodeRecord(bytes, offset, ENTRY_BYTES_MAX);
    if (!decoded.ok) return `log record ${entries.length} does not verify: ${decoded.reason}`;
    entries.push(decoded.entry);
    offset += decoded.bytes;
  }
  return { kind: 'entries', entries };
}

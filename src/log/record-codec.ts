/**
 * The on-disk form of one log entry. A record is a fixed 32-byte header and the entry's data:
 *
 *   0  u32  magic 'QVL1'            finds record starts when looking past damage
 *   4  u32  CRC-32C of bytes 8..end  covers length, kind, term, index and data
 *   8  u32  data length
 *  12  u8   kind (0 normal, 1 noop, 2 config)
 *  13  u8×3 reserved, zero
 *  16  u32×2 term, low then high 32 bits
 *  24  u32×2 index, low then high 32 bits
 *  32  data
 *
 * All integers little-endian. Term and index are 53-bit safe integers stored in 64 bits.
 */
import { assert } from '../assert.js';
import { crc32c } from './crc32c.js';
import type { LogEntry, LogEntryKind } from './log-types.js';

export const RECORD_HEADER_BYTES = 32;
export const RECORD_MAGIC_BYTES = Buffer.from('QVL1', 'latin1');
export const RECORD_MAGIC = RECORD_MAGIC_BYTES.readUInt32LE(0);
const HIGH = 2 ** 32;

const KIND_CODES: Readonly<Record<LogEntryKind, number>> = { normal: 0, noop: 1, config: 2 };
const KINDS_BY_CODE: readonly LogEntryKind[] = ['normal', 'noop', 'config'];

export function recordBytes(entry: LogEntry): number {
  return RECORD_HEADER_BYTES + entry.data.byteLength;
}

/** Writes `entry` at `offset` of `target` and returns the number of bytes written. */
export function encodeRecord(entry: LogEntry, target: Buffer, offset: number): number {
  const total = recordBytes(entry);
  assert(offset + total <= target.length, 'record must fit in the target buffer');
  assert(Number.isSafeInteger(entry.index) && entry.index > 0, 'index must be positive');
  assert(Number.isSafeInteger(entry.term) && entry.term >= 0, 'term must not be negative');
  target.writeUInt32LE(RECORD_MAGIC, offset);
  target.writeUInt32LE(entry.data.byteLength, offset + 8);
  target.writeUInt32LE(KIND_CODES[entry.kind], offset + 12); // kind byte and zeroed reserved
  writeU64(target, offset + 16, entry.term);
  writeU64(target, offset + 24, entry.index);
  target.set(entry.data, offset + RECORD_HEADER_BYTES);
  const checksum = crc32c(target.subarray(offset + 8, offset + total));
  target.writeUInt32LE(checksum, offset + 4);
  return total;
}

export type DecodedRecord =
  | { readonly ok: true; readonly entry: LogEntry; readonly bytes: number }
  | { readonly ok: false; readonly reason: string };

/**
 * Reads the record at `offset`. Never throws on bad bytes: damage is a value the caller judges
 * (a torn tail is expected after a crash, damage before it is not). `data` is a view into `bytes`.
 */
export function decodeRecord(bytes: Buffer, offset: number, entryBytesMax: number): DecodedRecord {
  const available = bytes.length - offset;
  if (available < RECORD_HEADER_BYTES) return { ok: false, reason: 'incomplete record header' };
  if (bytes.readUInt32LE(offset) !== RECORD_MAGIC) return { ok: false, reason: 'bad record magic' };
  const dataBytes = bytes.readUInt32LE(offset + 8);
  if (dataBytes > entryBytesMax) {
    return { ok: false, reason: `record length ${dataBytes} over entryBytesMax ${entryBytesMax}` };
  }
  const total = RECORD_HEADER_BYTES + dataBytes;
  if (available < total) return { ok: false, reason: 'incomplete record' };
  const checksum = crc32c(bytes.subarray(offset + 8, offset + total));
  if (checksum !== bytes.readUInt32LE(offset + 4)) {
    return { ok: false, reason: 'checksum mismatch' };
  }
  const kind = KINDS_BY_CODE[bytes.readUInt8(offset + 12)];
  if (kind === undefined || bytes.readUIntLE(offset + 13, 3) !== 0) {
    return { ok: false, reason: 'unknown record kind' };
  }
  const index = readU64(bytes, offset + 24);
  const term = readU64(bytes, offset + 16);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(term)) {
    return { ok: false, reason: 'index or term out of range' };
  }
  const entry: LogEntry = {
    index,
    term,
    kind,
    data: bytes.subarray(offset + RECORD_HEADER_BYTES, offset + total),
  };
  return { ok: true, entry, bytes: total };
}

function writeU64(target: Buffer, offset: number, value: number): void {
  target.writeUInt32LE(value % HIGH, offset);
  target.writeUInt32LE(Math.floor(value / HIGH), offset + 4);
}

function readU64(source: Buffer, offset: number): number {
  return source.readUInt32LE(offset) + source.readUInt32LE(offset + 4) * HIGH;
}

/**
 * The checksummed file layout that snapshot files and dump archives share: a 32-byte header,
 * metadata as JSON, then the data, streamed in and checksummed on the way.
 *   0  8 bytes magic, which names the kind of file
 *   8  u32 CRC-32C of the metadata (where it starts is the kind's `metaChecksumFrom`)
 *  12  u32 JSON length
 *  16  u32×2 data length, low then high 32 bits
 *  24  u32 CRC-32C of the data
 *  28  u32 reserved, zero
 * All integers little-endian. The header is written last, so a file cut short during a write
 * never verifies.
 */
import type { FileHandle } from 'node:fs/promises';
import { assert } from '../assert.js';
import { QuiverError } from '../errors/quiver-error.js';
import { crc32c } from './crc32c.js';
import { writeFully } from './durable-fs.js';
import { MIB } from './log-types.js';

export interface CheckedFileKind {
  /** Eight bytes. */
  readonly magic: Buffer;
  /** What the file is, in messages: 'snapshot file', 'dump archive'. */
  readonly name: string;
  /**
   * Where the metadata checksum starts: 12 also covers the header's lengths and data checksum
   * (snapshots); HEADER_BYTES covers the JSON alone (dump archives). Fixed per kind on disk.
   */
  readonly metaChecksumFrom: 12 | typeof HEADER_BYTES;
}

export interface CheckedFileParts {
  readonly json: Buffer;
  readonly data: Buffer;
}

const HEADER_BYTES = 32;
const META_BYTES_MAX = MIB;
const HIGH = 2 ** 32;

/**
 * Writes `json` and the streamed data, then the header; returns the file's size. The caller
 * syncs, closes and renames. More than `dataBytesMax` data bytes fail the write.
 */
export async function writeCheckedFile(handle: FileHandle, kind: CheckedFileKind, json: Buffer,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, dataBytesMax: number,
): Promise<number> {
  assert(json.length <= META_BYTES_MAX, `${kind.name} metadata must stay under 1 MiB`);
  const header = Buffer.alloc(HEADER_BYTES + json.length);
  json.copy(header, HEADER_BYTES);
  await writeFully(handle, header, 0); // reserved now, filled in once the data is known
  let bytes = 0;
  let checksum = 0;
  for await (const chunk of chunks) {
    if (bytes + chunk.length > dataBytesMax) {
      throw new QuiverError('UnknownError', `${kind.name} is larger than ${dataBytesMax} bytes`);
    }
    await writeFully(handle, chunk, header.length + bytes);
    checksum = crc32c(chunk, checksum);
    bytes += chunk.length;
  }
  kind.magic.copy(header, 0);
  header.writeUInt32LE(json.length, 12);
  header.writeUInt32LE(bytes % HIGH, 16);
  header.writeUInt32LE(Math.floor(bytes / HIGH), 20);
  header.writeUInt32LE(checksum, 24);
  header.writeUInt32LE(crc32c(header.subarray(kind.metaChecksumFrom)), 8);
  await writeFully(handle, header, 0);
  return header.length + bytes;
}

/** Largest file `readCheckedFile` accepts for `dataBytesMax` bytes of data. */
export function checkedFileBytesMax(dataBytesMax: number): number {
  return HEADER_BYTES + META_BYTES_MAX + dataBytesMax;
}

/** The file's metadata JSON and data when every length and checksum holds; else what is wrong. */
export function readCheckedFile(kind: CheckedFileKind, bytes: Buffer, dataBytesMax: number,
): CheckedFileParts | string {
  if (bytes.length < HEADER_BYTES) return 'shorter than its header';
  if (!bytes.subarray(0, kind.magic.length).equals(kind.magic)) {
    return `not a ${kind.name} (bad magic)`;
  }
  const metaBytes = bytes.readUInt32LE(12);
  if (metaBytes > META_BYTES_MAX || HEADER_BYTES + metaBytes > bytes.length) {
    return 'metadata length out of range';
  }
  const metaEnd = HEADER_BYTES + metaBytes;
  if (crc32c(bytes.subarray(kind.metaChecksumFrom, metaEnd)) !== bytes.readUInt32LE(8)) {
    return 'metadata checksum mismatch';
  }
  const dataBytes = bytes.readUInt32LE(16) + bytes.readUInt32LE(20) * HIGH;
  if (dataBytes > dataBytesMax) return `data of ${dataBytes} bytes over ${dataBytesMax}`;
  if (bytes.length !== metaEnd + dataBytes) {
    return `holds ${bytes.length - metaEnd} data bytes, header says ${dataBytes} (truncated?)`;
  }
  const data = bytes.subarray(metaEnd);
  if (crc32c(data) !== bytes.readUInt32LE(24)) return 'data checksum mismatch';
  return { json: bytes.subarray(HEADER_BYTES, metaEnd), data };
}

/** The JSON object the metadata holds, or null when it is not one. */
export function parseMetaObject(json: Buffer): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(json.toString('utf8'));
  } catch {
    return null;
  }
  return typeof value === 'object' && value !== null ? value as Record<string, unknown> : null;
}

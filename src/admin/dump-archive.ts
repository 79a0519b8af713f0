/**
 * The dump archive: one file holding a database's graph (and users) at one log index, as a
 * gzip-compressed graph snapshot, with checksums that load and check verify before trusting a
 * byte of it.
 *
 * File: a 32-byte header, the metadata as JSON, then the compressed snapshot.
 *   0  8 bytes magic 'QVDUMP01'
 *   8  u32 CRC-32C of the metadata JSON
 *  12  u32 metadata JSON length
 *  16  u32×2 compressed data length, low then high 32 bits
 *  24  u32 CRC-32C of the compressed data
 *  28  u32 reserved, zero
 * All integers little-endian (the snapshot file's layout, src/log/snapshot-store.ts).
 */
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGzip, gunzipSync } from 'node:zlib';
import { assert } from '../assert.js';
import { QuiverError } from '../errors/quiver-error.js';
import { crc32c } from '../log/crc32c.js';
import { writeFully } from '../log/durable-fs.js';

export const DUMP_FORMAT = 'quiver-dump/1';

export interface DumpMeta {
  readonly format: string;
  readonly database: string;
  readonly storeId: string;
  readonly index: number;
  readonly term: number;
  readonly nodeCount: number;
  readonly relationshipCount: number;
  readonly createdAt: string;
}

const MAGIC = Buffer.from('QVDUMP01', 'latin1');
const HEADER_BYTES = 32;
const META_BYTES_MAX = 1024 * 1024;
const HIGH = 2 ** 32;
/** Largest archive load reads (it holds the snapshot in memory, as recovery does). */
export const DUMP_BYTES_MAX = 4 * 1024 * 1024 * 1024;

/** Writes the archive under a temporary name and renames it when complete and synced. */
export async function writeDumpArchive(file: string, meta: DumpMeta,
  snapshot: Iterable<Uint8Array>): Promise<number> {
  const json = Buffer.from(JSON.stringify(meta), 'utf8');
  assert(json.length <= META_BYTES_MAX, 'dump metadata must stay under 1 MiB');
  const temporary = `${file}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    await writeFully(handle, header, 0);
    await writeFully(handle, json, HEADER_BYTES);
    let position = HEADER_BYTES + json.length;
    let checksum = 0;
    for await (const chunk of Readable.from(snapshot).pipe(createGzip({ level: 1 }))) {
      const bytes = chunk as Buffer;
      await writeFully(handle, bytes, position);
      checksum = crc32c(bytes, checksum);
      position += bytes.length;
    }
    const dataBytes = position - HEADER_BYTES - json.length;
    MAGIC.copy(header, 0);
    header.writeUInt32LE(crc32c(json), 8);
    header.writeUInt32LE(json.length, 12);
    header.writeUInt32LE(dataBytes % HIGH, 16);
    header.writeUInt32LE(Math.floor(dataBytes / HIGH), 20);
    header.writeUInt32LE(checksum, 24);
    await writeFully(handle, header, 0);
    await handle.datasync();
    await handle.close();
    await rename(temporary, file);
    return position;
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
}

/** The archive's metadata and uncompressed snapshot; a StorageDamageDetected error says why not. */
export async function readDumpArchive(file: string):
  Promise<{ meta: DumpMeta; snapshot: Uint8Array }> {
  const size = await stat(file).then((s) => s.size, () => null);
  if (size === null) throw invalid(file, 'archive does not exist');
  if (size > DUMP_BYTES_MAX) throw invalid(file, `archive of ${size} bytes is too big`);
  const bytes = await readFile(file);
  const why = verifyDumpBytes(bytes);
  if (why !== null) throw invalid(file, why);
  const metaEnd = HEADER_BYTES + bytes.readUInt32LE(12);
  const meta = parseMeta(bytes.subarray(HEADER_BYTES, metaEnd));
  if (meta === null) throw invalid(file, 'unreadable metadata');
  let snapshot: Uint8Array;
  try {
    snapshot = gunzipSync(bytes.subarray(metaEnd));
  } catch (error) {
    throw invalid(file, `compressed data does not inflate (${String(error)})`);
  }
  return { meta, snapshot };
}

/** Null when header, metadata and data verify; otherwise what is wrong. */
function verifyDumpBytes(bytes: Buffer): string | null {
  if (bytes.length < HEADER_BYTES) return 'shorter than its header';
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC)) return 'not a dump archive (bad magic)';
  const metaBytes = bytes.readUInt32LE(12);
  if (metaBytes > META_BYTES_MAX || HEADER_BYTES + metaBytes > bytes.length) {
    return 'metadata length out of range';
  }
  const metaEnd = HEADER_BYTES + metaBytes;
  if (crc32c(bytes.subarray(HEADER_BYTES, metaEnd)) !== bytes.readUInt32LE(8)) {
    return 'metadata checksum mismatch';
  }
  const dataBytes = bytes.readUInt32LE(16) + bytes.readUInt32LE(20) * HIGH;
  if (bytes.length !== metaEnd + dataBytes) {
    return `holds ${bytes.length - metaEnd} data bytes, header says ${dataBytes} (truncated?)`;
  }
  if (crc32c(bytes.subarray(metaEnd)) !== bytes.readUInt32LE(24)) return 'data checksum mismatch';
  return null;
}

function parseMeta(json: Buffer): DumpMeta | null {
  let value: unknown;
  try {
    value = JSON.parse(json.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const m = value as Record<string, unknown>;
  const counts = [m['index'], m['term'], m['nodeCount'], m['relationshipCount']];
  if (m['format'] !== DUMP_FORMAT || typeof m['storeId'] !== 'string' ||
    typeof m['database'] !== 'string' || typeof m['createdAt'] !== 'string' ||
    !counts.every((c) => Number.isSafeInteger(c) && (c as number) >= 0)) return null;
  return value as DumpMeta;
}

function invalid(file: string, why: string): QuiverError {
  return new QuiverError('StorageDamageDetected', `Not a valid QuiverDB archive: ${file} (${why})`);
}

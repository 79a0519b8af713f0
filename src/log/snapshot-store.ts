/**
 * Snapshot files: the state machine's bytes at a log index, with the index, term and cluster
 * configuration they stand for. Written under a temporary name and renamed when complete and
 * synced; each carries checksums, and reading falls back to an older snapshot when the newest
 * does not verify. The newest SNAPSHOTS_KEPT are kept so that fallback has somewhere to go.
 *
 * File: a 32-byte header, the metadata as JSON, then the data.
 *   0  8 bytes magic 'QVSNAP01'
 *   8  u32 CRC-32C of bytes 12 .. end of the JSON (the rest of the header and the metadata)
 *  12  u32 JSON length
 *  16  u32×2 data length, low then high 32 bits
 *  24  u32 CRC-32C of the data
 *  28  u32 reserved, zero
 */
import { open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { assert } from '../assert.js';
import { QuiverError } from '../errors/quiver-error.js';
import { crc32c } from './crc32c.js';
import { ensureDir, fsyncDir, writeFully } from './durable-fs.js';
import { isCount } from './field-checks.js';
import { MIB } from './log-types.js';
import type { LogLine } from './log-types.js';

export interface SnapshotMetaRecord {
  readonly index: number;
  readonly term: number;
  readonly config: unknown;
}

export interface StoredSnapshot {
  readonly meta: SnapshotMetaRecord;
  readonly data: Uint8Array;
}

export interface SnapshotStoreOptions {
  /** Largest snapshot written or read; latest() holds one in memory. */
  readonly snapshotBytesMax?: number;
  readonly logger?: LogLine;
}

const MAGIC = Buffer.from('QVSNAP01', 'latin1');
const HEADER_BYTES = 32;
const META_BYTES_MAX = MIB;
const SNAPSHOTS_KEPT = 2;
const HIGH = 2 ** 32;
const NAME_PATTERN = /^snapshot-(\d{20})-(\d{20})\.snap$/;

export class SnapshotStore {
  /** Saves run one at a time: they share the folder and the pruning. */
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    private readonly dir: string,
    private readonly snapshotBytesMax: number,
    private readonly logger: LogLine,
  ) {}

  static async open(dir: string, options: SnapshotStoreOptions = {}): Promise<SnapshotStore> {
    const snapshotBytesMax = options.snapshotBytesMax ?? 2 * 1024 * MIB;
    assert(Number.isSafeInteger(snapshotBytesMax) && snapshotBytesMax > 0, 'snapshotBytesMax');
    await ensureDir(dir);
    // A temporary file is a save that a crash interrupted: never a snapshot.
    for (const name of await readdir(dir)) {
      if (name.endsWith('.snap.tmp')) await rm(join(dir, name), { force: true });
    }
    return new SnapshotStore(dir, snapshotBytesMax, options.logger ?? (() => undefined));
  }

  /** Writes a snapshot durably from streamed chunks, then deletes all but the newest kept. */
  save(
    meta: SnapshotMetaRecord,
    chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  ): Promise<void> {
    const done = this.saving.then(() => this.write(meta, chunks));
    this.saving = done.catch(() => undefined);
    return done;
  }

  private async write(
    meta: SnapshotMetaRecord,
    chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  ): Promise<void> {
    assert(Number.isSafeInteger(meta.index) && meta.index > 0, 'snapshot index must be positive');
    assert(Number.isSafeInteger(meta.term) && meta.term >= 0, 'snapshot term must be a count');
    const json = Buffer.from(JSON.stringify({ index: meta.index, term: meta.term,
      config: meta.config }));
    assert(json.length <= META_BYTES_MAX, 'snapshot metadata must stay under 1 MiB');
    const path = join(this.dir, snapshotFileName(meta.index, meta.term));
    const temporary = `${path}.tmp`;
    const handle = await open(temporary, 'w');
    try {
      const header = Buffer.alloc(HEADER_BYTES + json.length);
      json.copy(header, HEADER_BYTES);
      await writeFully(handle, header, 0); // reserved now, filled in once the data is known
      const data = await this.writeData(handle, header.length, chunks);
      fillHeader(header, data);
      await writeFully(handle, header, 0);
      await handle.datasync();
    } catch (error) {
      await handle.close();
      await rm(temporary, { force: true });
      throw error;
    }
    await handle.close();
    await rename(temporary, path);
    await fsyncDir(this.dir);
    await this.prune();
  }

  /**
   * The newest snapshot that verifies, or null. A damaged or truncated newer one is reported
   * through the logger and skipped (and kept on disk for inspection).
   */
  async latest(): Promise<StoredSnapshot | null> {
    for (const name of await this.snapshotNames()) {
      const path = join(this.dir, name);
      const result = await readSnapshot(path, this.snapshotBytesMax);
      if (typeof result !== 'string') return result;
      this.logger(`Snapshot ${path} is damaged (${result}); falling back to an older snapshot`);
    }
    return null;
  }

  private async writeData(
    handle: FileHandle,
    position: number,
    chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  ): Promise<{ bytes: number; checksum: number }> {
    let bytes = 0;
    let checksum = 0;
    for await (const chunk of chunks) {
      if (bytes + chunk.length > this.snapshotBytesMax) {
        throw new QuiverError('UnknownError',
          `snapshot is larger than snapshotBytesMax ${this.snapshotBytesMax} bytes`);
      }
      await writeFully(handle, chunk, position + bytes);
      checksum = crc32c(chunk, checksum);
      bytes += chunk.length;
    }
    return { bytes, checksum };
  }

  /** Snapshot file names, newest (highest index, then term) first. */
  private async snapshotNames(): Promise<string[]> {
    const names = (await readdir(this.dir)).filter((name) => NAME_PATTERN.test(name));
    return names.sort().reverse(); // zero-padded fields: name order is (index, term) order
  }

  private async prune(): Promise<void> {
    const stale = (await this.snapshotNames()).slice(SNAPSHOTS_KEPT);
    if (stale.length === 0) return;
    for (const name of stale) await rm(join(this.dir, name), { force: true });
    await fsyncDir(this.dir);
  }
}

export function snapshotFileName(index: number, term: number): string {
  const pad = (n: number): string => String(n).padStart(20, '0');
  return `snapshot-${pad(index)}-${pad(term)}.snap`;
}

function fillHeader(header: Buffer, data: { bytes: number; checksum: number }): void {
  MAGIC.copy(header, 0);
  header.writeUInt32LE(header.length - HEADER_BYTES, 12);
  header.writeUInt32LE(data.bytes % HIGH, 16);
  header.writeUInt32LE(Math.floor(data.bytes / HIGH), 20);
  header.writeUInt32LE(data.checksum, 24);
  header.writeUInt32LE(crc32c(header.subarray(12)), 8);
}

/** The snapshot at `path`, or why it cannot be trusted. */
async function readSnapshot(path: string, bytesMax: number): Promise<StoredSnapshot | string> {
  let bytes: Buffer;
  try {
    const { size } = await stat(path);
    if (size > HEADER_BYTES + META_BYTES_MAX + bytesMax) return `file of ${size} bytes is too big`;
    bytes = await readFile(path);
  } catch (error) {
    return `cannot be read: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (bytes.length < HEADER_BYTES) return 'shorter than its header';
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC)) return 'not a snapshot file (bad magic)';
  const metaBytes = bytes.readUInt32LE(12);
  if (metaBytes > META_BYTES_MAX || HEADER_BYTES + metaBytes > bytes.length) {
    return 'metadata length out of range';
  }
  const metaEnd = HEADER_BYTES + metaBytes;
  if (crc32c(bytes.subarray(12, metaEnd)) !== bytes.readUInt32LE(8)) {
    return 'header checksum mismatch';
  }
  const dataBytes = bytes.readUInt32LE(16) + bytes.readUInt32LE(20) * HIGH;
  if (dataBytes > bytesMax) return `data of ${dataBytes} bytes over snapshotBytesMax ${bytesMax}`;
  if (bytes.length !== metaEnd + dataBytes) {
    return `holds ${bytes.length - metaEnd} data bytes, header says ${dataBytes} (truncated?)`;
  }
  const data = bytes.subarray(metaEnd);
  if (crc32c(data) !== bytes.readUInt32LE(24)) return 'data checksum mismatch';
  const meta = parseMeta(bytes.subarray(HEADER_BYTES, metaEnd));
  if (meta === null) return 'unreadable metadata';
  return { meta, data };
}

function parseMeta(json: Buffer): SnapshotMetaRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(json.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { index, term, config } = value as Record<string, unknown>;
  if (!isCount(index) || !isCount(term)) return null;
  return { index, term, config };
}

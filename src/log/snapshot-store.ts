/**
 * Snapshot files: the state machine's bytes at a log index, with the index, term and cluster
 * configuration they stand for. Written under a temporary name and renamed when complete and
 * synced; each carries checksums, and reading falls back to an older snapshot when the newest
 * does not verify. The newest SNAPSHOTS_KEPT are kept so that fallback has somewhere to go.
 *
 * File: the layout of src/log/checked-file.ts, magic 'QVSNAP01', the metadata checksum covering
 * bytes 12 .. end of the JSON (the rest of the header and the metadata).
 */
import { open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { assert } from '../assert.js';
import { checkedFileBytesMax, parseMetaObject, readCheckedFile, writeCheckedFile,
} from './checked-file.js';
import type { CheckedFileKind } from './checked-file.js';
import { ensureDir, fsyncDir } from './durable-fs.js';
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

const SNAPSHOT_FILE: CheckedFileKind = {
  magic: Buffer.from('QVSNAP01', 'latin1'), name: 'snapshot file', metaChecksumFrom: 12,
};
const SNAPSHOTS_KEPT = 2;
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
    const path = join(this.dir, snapshotFileName(meta.index, meta.term));
    const temporary = `${path}.tmp`;
    const handle = await open(temporary, 'w');
    try {
      await writeCheckedFile(handle, SNAPSHOT_FILE, json, chunks, this.snapshotBytesMax);
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

/** The snapshot at `path`, or why it cannot be trusted. */
async function readSnapshot(path: string, bytesMax: number): Promise<StoredSnapshot | string> {
  let bytes: Buffer;
  try {
    const { size } = await stat(path);
    if (size > checkedFileBytesMax(bytesMax)) return `file of ${size} bytes is too big`;
    bytes = await readFile(path);
  } catch (error) {
    return `cannot be read: ${error instanceof Error ? error.message : String(error)}`;
  }
  const parts = readCheckedFile(SNAPSHOT_FILE, bytes, bytesMax);
  if (typeof parts === 'string') return parts;
  const meta = parseMeta(parts.json);
  if (meta === null) return 'unreadable metadata';
  return { meta, data: parts.data };
}

function parseMeta(json: Buffer): SnapshotMetaRecord | null {
  const value = parseMetaObject(json);
  if (value === null) return null;
  const { index, term, config } = value;
  if (!isCount(index) || !isCount(term)) return null;
  return { index, term, config };
}

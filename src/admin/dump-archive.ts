/**
 * The dump archive: one file holding a database's graph (and users) at one log index, as a
 * gzip-compressed graph snapshot, with checksums that load and check verify before trusting a
 * byte of it.
 *
 * File: the layout of src/log/checked-file.ts, magic 'QVDUMP01', the metadata checksum covering
 * the JSON alone, the data being the compressed snapshot.
 */
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGzip, gunzipSync } from 'node:zlib';
import { QuiverError } from '../errors/quiver-error.js';
import { checkedFileBytesMax, parseMetaObject, readCheckedFile, writeCheckedFile,
} from '../log/checked-file.js';
import type { CheckedFileKind } from '../log/checked-file.js';

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

const DUMP_FILE: CheckedFileKind = {
  magic: Buffer.from('QVDUMP01', 'latin1'), name: 'dump archive', metaChecksumFrom: 32,
};
/** Largest archive load reads (it holds the snapshot in memory, as recovery does). */
export const DUMP_BYTES_MAX = 4 * 1024 * 1024 * 1024;

/** Writes the archive under a temporary name and renames it when complete and synced. */
export async function writeDumpArchive(file: string, meta: DumpMeta,
  snapshot: Iterable<Uint8Array>): Promise<number> {
  const json = Buffer.from(JSON.stringify(meta), 'utf8');
  const temporary = `${file}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    const compressed = Readable.from(snapshot).pipe(createGzip({ level: 1 }));
    const size = await writeCheckedFile(handle, DUMP_FILE, json, compressed, DUMP_BYTES_MAX);
    await handle.datasync();
    await handle.close();
    await rename(temporary, file);
    return size;
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
  if (size > checkedFileBytesMax(DUMP_BYTES_MAX)) {
    throw invalid(file, `archive of ${size} bytes is too big`);
  }
  const bytes = await readFile(file);
  const parts = readCheckedFile(DUMP_FILE, bytes, DUMP_BYTES_MAX);
  if (typeof parts === 'string') throw invalid(file, parts);
  const meta = parseMeta(parts.json);
  if (meta === null) throw invalid(file, 'unreadable metadata');
  let snapshot: Uint8Array;
  try {
    snapshot = gunzipSync(parts.data);
  } catch (error) {
    throw invalid(file, `compressed data does not inflate (${String(error)})`);
  }
  return { meta, snapshot };
}

function parseMeta(json: Buffer): DumpMeta | null {
  const m = parseMetaObject(json);
  if (m === null) return null;
  const counts = [m['index'], m['term'], m['nodeCount'], m['relationshipCount']];
  if (m['format'] !== DUMP_FORMAT || typeof m['storeId'] !== 'string' ||
    typeof m['database'] !== 'string' || typeof m['createdAt'] !== 'string' ||
    !counts.every((c) => Number.isSafeInteger(c) && (c as number) >= 0)) return null;
  return m as unknown as DumpMeta;
}

function invalid(file: string, why: string): QuiverError {
  return new QuiverError('StorageDamageDetected', `Not a valid QuiverDB archive: ${file} (${why})`);
}

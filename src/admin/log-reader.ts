/**
 * Reads the entries of a log folder without opening it for writing. The backup server reads the
 * live log of a running member this way (entries up to the applied index are durable and never
 * change; the tail past it may be half written), and the offline tools read a stopped store
 * without cutting its torn tail or creating files in it.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assert } from '../assert.js';
import { QuiverError } from '../errors/quiver-error.js';
import { LOG_DEFAULTS, type LogEntry } from '../log/index.js';
import { decodeRecord, recordBytes } from '../log/record-codec.js';
import { hasRecordAfter } from '../log/segment-scan.js';
import { parseSegmentFileName } from '../log/segment-file.js';

/** The entries asked for are no longer in the log (compacted into a snapshot). */
export class LogEntriesGone extends Error {
  override name = 'LogEntriesGone';
}

export interface LogReadRequest {
  readonly dir: string;
  readonly fromIndex: number;
  /** Inclusive; null reads to the end, stopping quietly at a torn tail. */
  readonly toIndex: number | null;
  /** Record bytes per yielded batch (a batch holds at least one entry). */
  readonly batchBytesMax: number;
}

interface Segment {
  readonly path: string;
  readonly firstIndex: number;
}

export async function listSegments(dir: string): Promise<Segment[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const segments: Segment[] = [];
  for (const name of names) {
    const firstIndex = parseSegmentFileName(name);
    if (firstIndex !== null) segments.push({ path: join(dir, name), firstIndex });
  }
  return segments.sort((a, b) => a.firstIndex - b.firstIndex);
}

/** The first index the folder's log holds, or null when it has no segment at all. */
export async function logFirstIndex(dir: string): Promise<number | null> {
  return (await listSegments(dir))[0]?.firstIndex ?? null;
}

/**
 * Entries [fromIndex, toIndex] in batches. Throws LogEntriesGone when fromIndex is before the
 * log (or a segment vanished under a concurrent compaction), and StorageDamageDetected for a
 * record that does not verify anywhere but the torn tail of the newest segment.
 */
export async function* readLogEntries(request: LogReadRequest): AsyncGenerator<LogEntry[]> {
  const { fromIndex, toIndex, batchBytesMax } = request;
  assert(Number.isSafeInteger(fromIndex) && fromIndex > 0, 'fromIndex must be positive');
  assert(batchBytesMax > 0, 'batchBytesMax must be positive');
  if (toIndex !== null && toIndex < fromIndex) return;
  const segments = await listSegments(request.dir);
  const first = segments[0];
  if (first === undefined || first.firstIndex > fromIndex) {
    if (first === undefined && toIndex === null) return;
    throw new LogEntriesGone(`log entries from ${fromIndex} are not in ${request.dir}`);
  }
  let expected = fromIndex;
  let batch: LogEntry[] = [];
  let batchBytes = 0;
  for (const [position, segment] of segments.entries()) {
    const next = segments[position + 1];
    if (next !== undefined && next.firstIndex <= expected) continue;
    const isLast = next === undefined;
    for (const entry of await segmentEntries(segment, isLast, expected)) {
      if (toIndex !== null && entry.index > toIndex) break;
      batch.push(entry);
      batchBytes += recordBytes(entry);
      expected = entry.index + 1;
      if (batchBytes >= batchBytesMax) {
        yield batch;
        batch = [];
        batchBytes = 0;
      }
    }
    if (toIndex !== null && expected > toIndex) break;
    if (next !== undefined && next.firstIndex !== expected) {
      throw damaged(`${segment.path}: ends before index ${next.firstIndex - 1}; the log has a gap`);
    }
  }
  if (batch.length > 0) yield batch;
  if (toIndex !== null && expected <= toIndex) {
    throw damaged(`${request.dir}: entries ${expected}..${toIndex} are missing`);
  }
}

/** The entries of one segment from `fromIndex` on (each a view into the file's bytes). */
async function segmentEntries(segment: Segment, isLast: boolean, fromIndex: number):
  Promise<LogEntry[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(segment.path);
  } catch {
    throw new LogEntriesGone(`${segment.path} was removed while it was read`);
  }
  const entries: LogEntry[] = [];
  let offset = 0;
  let index = segment.firstIndex;
  while (offset < bytes.length) {
    const decoded = decodeRecord(bytes, offset, LOG_DEFAULTS.entryBytesMax);
    if (!decoded.ok) {
      if (isLast && !hasRecordAfter(bytes, offset, LOG_DEFAULTS.entryBytesMax)) break;
      throw damaged(`${segment.path}: ${decoded.reason} at offset ${offset} (index ${index})`);
    }
    if (decoded.entry.index !== index) {
      throw damaged(`${segment.path}: record holds index ${decoded.entry.index}, ` +
        `expected ${index}`);
    }
    if (index >= fromIndex) entries.push(decoded.entry);
    offset += decoded.bytes;
    index++;
  }
  return entries;
}

function damaged(message: string): QuiverError {
  return new QuiverError('StorageDamageDetected', message);
}

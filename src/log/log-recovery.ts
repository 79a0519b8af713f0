/**
 * Opening the log after any kind of stop: find the segment files, check every record, cut a
 * torn tail (a crash in the middle of a write), and refuse to start on damage anywhere else.
 */
import { open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QuiverError } from '../errors/quiver-error.js';
import type { LogLine } from './log-types.js';
import { RECORD_MAGIC_BYTES } from './record-codec.js';
import { hasRecordAfter, scanSegment } from './segment-scan.js';
import type { SegmentScan } from './segment-scan.js';
import { parseSegmentFileName, SegmentFile } from './segment-file.js';
import type { SegmentState } from './segment-file.js';

export interface RecoveredLog {
  readonly segments: SegmentFile[];
  /** First index of the log: the first segment's, or 1 for an empty folder. */
  readonly firstIndex: number;
  /** Term of every entry from firstIndex on. */
  readonly terms: number[];
}

interface Found {
  readonly path: string;
  readonly firstIndex: number;
}

export async function recoverLog(
  dir: string,
  entryBytesMax: number,
  logger: LogLine,
): Promise<RecoveredLog> {
  const found = await listSegments(dir, logger);
  const states: SegmentState[] = [];
  const terms: number[] = [];
  let expectedFirst = found[0]?.firstIndex ?? 1;
  for (const [position, { path, firstIndex }] of found.entries()) {
    if (firstIndex !== expectedFirst) {
      throw damaged(`${path}: starts at index ${firstIndex} but the log before it ends at ` +
        `${expectedFirst - 1}; the log has a gap; restore from backup or a cluster member`);
    }
    const bytes = await readFile(path);
    const previousTerm = terms[terms.length - 1] ?? 0;
    const scan = scanSegment({ bytes, firstIndex, previousTerm, entryBytesMax });
    const isLast = position === found.length - 1;
    const preallocated = isLast && scan.damage !== null && zerosFrom(bytes, scan.validBytes);
    if (scan.damage !== null && !preallocated) {
      judgeDamage({ path, bytes, scan, isLast, entryBytesMax });
      await cutTornTail(path, scan.validBytes);
      logger(`Truncated torn log tail at index ${scan.damage.index} in ${path}: ` +
        `${scan.damage.reason} at offset ${scan.damage.offset}, ` +
        `${bytes.length - scan.validBytes} bytes cut`);
    }
    states.push({ firstIndex, path, offsets: scan.offsets, sizeBytes: scan.validBytes,
      fileBytes: preallocated ? bytes.length : scan.validBytes });
    // One push per term: a segment can hold more terms than a call takes arguments.
    for (const term of scan.terms) terms.push(term);
    expectedFirst = firstIndex + scan.offsets.length;
  }
  return { segments: await reopenAll(states), firstIndex: found[0]?.firstIndex ?? 1, terms };
}

/** Segment files in index order; anything else in the folder is reported and left alone. */
async function listSegments(dir: string, logger: LogLine): Promise<Found[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const found: Found[] = [];
  for (const entry of entries) {
    const firstIndex = entry.isFile() ? parseSegmentFileName(entry.name) : null;
    if (firstIndex === null) {
      logger(`Ignoring unexpected ${entry.isFile() ? 'file' : 'entry'} ${join(dir, entry.name)} ` +
        'in the log folder: it is not a log segment');
      continue;
    }
    found.push({ path: join(dir, entry.name), firstIndex });
  }
  return found.sort((a, b) => a.firstIndex - b.firstIndex);
}

interface DamageInput {
  readonly path: string;
  readonly bytes: Buffer;
  readonly scan: SegmentScan;
  readonly isLast: boolean;
  readonly entryBytesMax: number;
}

/**
 * Throws unless the damage is a torn tail: the end of the newest segment, with no whole record
 * after it. A file whose very first bytes are neither a record start nor never-written zeros
 * was not written by the log at all.
 */
function judgeDamage({ path, bytes, scan, isLast, entryBytesMax }: DamageInput): void {
  const { damage } = scan;
  if (damage === null) return;
  if (!isLast || hasRecordAfter(bytes, damage.offset, entryBytesMax)) {
    throw damaged(`${path}: ${damage.reason} at offset ${damage.offset} (index ${damage.index}); ` +
      'the log is damaged before its tail; restore from backup or a cluster member');
  }
  if (damage.offset === 0 && !startsLikeRecord(bytes)) {
    throw damaged(`${path}: not a log segment (no record at its start); ` +
      'move it out of the log folder or restore from backup');
  }
}

/**
 * True when every byte from `offset` on is zero: space the newest segment was grown by ahead of
 * its records (see segment-file.ts), kept for the appends to come. Zeros are also all a crash
 * can leave of a record none of whose bytes reached the disk, which is the same thing.
 */
function zerosFrom(bytes: Buffer, offset: number): boolean {
  for (let at = offset; at < bytes.length; at++) if (bytes[at] !== 0) return false;
  return true;
}

function startsLikeRecord(bytes: Buffer): boolean {
  const head = bytes.subarray(0, RECORD_MAGIC_BYTES.length);
  const prefix = RECORD_MAGIC_BYTES.subarray(0, head.length);
  return head.equals(prefix) || bytes.every((byte) => byte === 0);
}

async function cutTornTail(path: string, validBytes: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(validBytes);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

async function reopenAll(states: readonly SegmentState[]): Promise<SegmentFile[]> {
  const segments: SegmentFile[] = [];
  try {
    for (const state of states) segments.push(await SegmentFile.reopen(state));
  } catch (error) {
    for (const segment of segments) await segment.close();
    throw error;
  }
  return segments;
}

function damaged(message: string): QuiverError {
  return new QuiverError('StorageDamageDetected', message);
}

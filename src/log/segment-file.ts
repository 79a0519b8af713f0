/**
 * One segment file of the log: records for a contiguous run of indexes, named by the first.
 * It knows where each record starts so any entry is one positioned read away.
 *
 * The file is grown ahead of its records with written zeros (preallocation): an fdatasync after
 * an append that stays inside already written blocks flushes only data, while one that grows
 * the file must also commit the new size and block allocation to the file-system journal,
 * which costs about half as much again. Zeros after the last record are not damage: a record
 * starts with a non-zero magic. A segment is cut back to its records when the log moves on to
 * the next one, so only the newest segment can end in zeros. See docs/decisions/0005.
 */
import { fdatasync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { assert } from '../assert.js';
import { QuiverError } from '../errors/quiver-error.js';
import { fdatasyncOnPool, readFullySync, writeFully, writeFullySync } from './durable-fs.js';
import type { LogEntry } from './log-types.js';
import { decodeRecord, encodeRecord, recordBytes } from './record-codec.js';

const NAME_DIGITS = 20;
/** How far ahead of its records a segment file is grown at a time. */
const PREALLOCATE_STEP_BYTES = 1024 * 1024;
const ZEROS = Buffer.alloc(1024 * 1024);
const NAME_PATTERN = /^(\d{20})\.seg$/;
/**
 * Batches up to this size are written on the main thread (a page-cache copy, well under a
 * millisecond); larger ones go through the thread pool so one huge transaction cannot stall
 * every other client while it is copied. See docs/decisions/0034.
 */
export const SYNC_WRITE_BYTES_MAX = 1024 * 1024;

export function segmentFileName(firstIndex: number): string {
  return `${String(firstIndex).padStart(NAME_DIGITS, '0')}.seg`;
}

/** The first index a segment file name stands for, or null for any other name. */
export function parseSegmentFileName(name: string): number | null {
  const match = NAME_PATTERN.exec(name);
  if (match === null) return null;
  const firstIndex = Number(match[1]);
  return Number.isSafeInteger(firstIndex) && firstIndex > 0 ? firstIndex : null;
}

export interface IndexRange {
  readonly fromIndex: number;
  /** Exclusive. */
  readonly toIndex: number;
}

export interface SegmentState {
  readonly firstIndex: number;
  readonly path: string;
  /** Byte offset of each record; offsets[i] holds index firstIndex + i. */
  readonly offsets: number[];
  /** Bytes up to the end of the last record. */
  readonly sizeBytes: number;
  /** Length of the file: sizeBytes plus the zeros preallocated after the records. */
  readonly fileBytes: number;
}

export class SegmentFile {
  private readonly offsets: number[];
  private size: number;
  /** Length of the file; bytes from `size` to here are zeros. */
  private allocated: number;

  private constructor(
    readonly firstIndex: number,
    readonly path: string,
    private readonly handle: FileHandle,
    state: { offsets: number[]; sizeBytes: number; fileBytes: number },
  ) {
    assert(state.fileBytes >= state.sizeBytes, 'a segment file holds its records');
    this.offsets = state.offsets;
    this.size = state.sizeBytes;
    this.allocated = state.fileBytes;
  }

  /** A new, empty segment. The caller syncs the folder to make the name durable. */
  static async create(dir: string, firstIndex: number): Promise<SegmentFile> {
    const path = join(dir, segmentFileName(firstIndex));
    const handle = await open(path, 'wx+');
    return new SegmentFile(firstIndex, path, handle, { offsets: [], sizeBytes: 0, fileBytes: 0 });
  }

  /** A segment found at open, already scanned (and cut to its last whole record). */
  static async reopen(state: SegmentState): Promise<SegmentFile> {
    const handle = await open(state.path, 'r+');
    return new SegmentFile(state.firstIndex, state.path, handle, state);
  }

  get lastIndex(): number {
    return this.firstIndex + this.offsets.length - 1;
  }

  get recordCount(): number {
    return this.offsets.length;
  }

  get sizeBytes(): number {
    return this.size;
  }

  /**
   * Writes the records after the last one; durable only after sync(). The file is first grown
   * with zeros to hold them and up to `allocateBytesMax` more.
   */
  async append(entries: readonly LogEntry[], allocateBytesMax: number): Promise<number> {
    const total = this.checkAppend(entries);
    if (this.size + total > this.allocated) {
      await this.preallocate(this.size + total, allocateBytesMax);
    }
    const bytes = this.encode(entries, total);
    if (total <= SYNC_WRITE_BYTES_MAX) writeFullySync(this.handle.fd, bytes, this.size);
    else await writeFully(this.handle, bytes, this.size);
    this.written(entries, total);
    return total;
  }

  /**
   * append() for the common commit: when the records fit in the zeros already preallocated and
   * are small enough to copy on this thread, writes them now and returns their size; otherwise
   * writes nothing and returns 0, and the caller uses append(). No promise, so a commit pays
   * for none on its way to the fdatasync.
   */
  appendInPlace(entries: readonly LogEntry[]): number {
    const total = this.checkAppend(entries);
    if (this.size + total > this.allocated || total > SYNC_WRITE_BYTES_MAX) return 0;
    writeFullySync(this.handle.fd, this.encode(entries, total), this.size);
    this.written(entries, total);
    return total;
  }

  /** The records' total size; asserts they continue this segment. */
  private checkAppend(entries: readonly LogEntry[]): number {
    assert(entries.length > 0, 'append needs entries');
    assert(entries[0]?.index === this.lastIndex + 1, 'segment appends must be contiguous');
    let total = 0;
    for (const entry of entries) total += recordBytes(entry);
    return total;
  }

  private encode(entries: readonly LogEntry[], total: number): Buffer {
    const bytes = Buffer.allocUnsafe(total);
    let at = 0;
    for (const entry of entries) at += encodeRecord(entry, bytes, at);
    assert(at === total, 'records encode to their computed size');
    return bytes;
  }

  /** Only once the records are written do they count, so a failed write adds none. */
  private written(entries: readonly LogEntry[], total: number): void {
    const end = this.size + total;
    for (const entry of entries) {
      this.offsets.push(this.size);
      this.size += recordBytes(entry);
    }
    assert(this.size === end, 'records take their computed size');
  }

  private async preallocate(neededBytes: number, allocateBytesMax: number): Promise<void> {
    const target = Math.max(neededBytes,
      Math.min(this.allocated + PREALLOCATE_STEP_BYTES, allocateBytesMax));
    while (this.allocated < target) {
      const chunk = Math.min(ZEROS.length, target - this.allocated);
      await writeFully(this.handle, ZEROS.subarray(0, chunk), this.allocated);
      this.allocated += chunk;
    }
  }

  /**
   * Cuts the preallocated zeros and makes the length durable: the log moves on to a new
   * segment, and only the newest one may end in zeros.
   */
  async seal(): Promise<void> {
    if (this.allocated > this.size) {
      await this.handle.truncate(this.size);
      this.allocated = this.size;
    }
    await this.handle.sync();
  }

  /** Drops records with index >= fromIndex; durable only after sync(). */
  async truncateFrom(fromIndex: number): Promise<void> {
    assert(fromIndex >= this.firstIndex, 'truncation must stay inside the segment');
    assert(fromIndex <= this.lastIndex + 1, 'truncation must not leave a gap');
    const keep = fromIndex - this.firstIndex;
    const newSize = keep < this.offsets.length ? (this.offsets[keep] ?? 0) : this.size;
    this.offsets.length = keep;
    this.size = newSize;
    this.allocated = newSize;
    await this.handle.truncate(newSize);
  }

  sync(): Promise<void> {
    return fdatasyncOnPool(this.handle.fd);
  }

  /** sync() with a callback instead of a promise (the commit path; see appendInPlace). */
  syncThen(done: (error: Error | null) => void): void {
    fdatasync(this.handle.fd, done);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  async closeAndDelete(): Promise<void> {
    await this.handle.close();
    await unlink(this.path);
  }

  /**
   * Entries [fromIndex, toIndex) within a budget of record bytes, or at least the first one
   * when `atLeastOne`. One read for the whole run; every record is checked again on the way
   * out, since a disk can rot after open.
   */
  read(range: IndexRange, bytesBudget: number, atLeastOne: boolean): LogEntry[] {
    const { fromIndex, toIndex } = range;
    assert(fromIndex >= this.firstIndex && toIndex <= this.lastIndex + 1, 'read in segment');
    assert(fromIndex < toIndex, 'read needs a non-empty range');
    const first = fromIndex - this.firstIndex;
    const start = this.offsetOf(first);
    let last = first;
    while (last < toIndex - this.firstIndex && this.offsetOf(last + 1) - start <= bytesBudget) {
      last++;
    }
    if (last === first && atLeastOne) last = first + 1;
    const entries: LogEntry[] = [];
    if (last === first) return entries;
    const bytes = readFullySync(this.handle.fd, this.offsetOf(last) - start, start);
    let at = 0;
    for (let k = first; k < last; k++) {
      const index = this.firstIndex + k;
      const decoded = decodeRecord(bytes, at, bytes.length);
      if (!decoded.ok || decoded.entry.index !== index) {
        const reason = decoded.ok ? `record holds index ${decoded.entry.index}` : decoded.reason;
        throw new QuiverError(
          'StorageDamageDetected',
          `${this.path}: ${reason} at offset ${start + at} (index ${index}) while reading; ` +
            'the log is damaged; restore from backup or a cluster member',
        );
      }
      entries.push(decoded.entry);
      at += decoded.bytes;
    }
    return entries;
  }

  /** Start of record k, or the end of the file for k === recordCount. */
  private offsetOf(k: number): number {
    return k < this.offsets.length ? (this.offsets[k] ?? 0) : this.size;
  }
}

/**
 * One segment file of the log: records for a contiguous run of indexes, named by the first.
 * It knows where each record starts so any entry is one positioned read away.
 */
import { open, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { assert } from '../assert.js';
import { QuiverError } from '../errors/quiver-error.js';
import { readFullySync, writeFully } from './durable-fs.js';
import type { LogEntry } from './log-types.js';
import { decodeRecord, encodeRecord, recordBytes } from './record-codec.js';

const NAME_DIGITS = 20;
const NAME_PATTERN = /^(\d{20})\.seg$/;

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
  readonly sizeBytes: number;
}

export class SegmentFile {
  private readonly offsets: number[];
  private size: number;

  private constructor(
    readonly firstIndex: number,
    readonly path: string,
    private readonly handle: FileHandle,
    state: { offsets: number[]; sizeBytes: number },
  ) {
    this.offsets = state.offsets;
    this.size = state.sizeBytes;
  }

  /** A new, empty segment. The caller syncs the folder to make the name durable. */
  static async create(dir: string, firstIndex: number): Promise<SegmentFile> {
    const path = join(dir, segmentFileName(firstIndex));
    const handle = await open(path, 'wx+');
    return new SegmentFile(firstIndex, path, handle, { offsets: [], sizeBytes: 0 });
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

  /** Writes the records at the end of the file; durable only after sync(). */
  async append(entries: readonly LogEntry[]): Promise<number> {
    assert(entries.length > 0, 'append needs entries');
    assert(entries[0]?.index === this.lastIndex + 1, 'segment appends must be contiguous');
    let total = 0;
    for (const entry of entries) total += recordBytes(entry);
    const bytes = Buffer.allocUnsafe(total);
    const starts: number[] = [];
    let at = 0;
    for (const entry of entries) {
      starts.push(this.size + at);
      at += encodeRecord(entry, bytes, at);
    }
    await writeFully(this.handle, bytes, this.size);
    this.offsets.push(...starts);
    this.size += total;
    return total;
  }

  /** Drops records with index >= fromIndex; durable only after sync(). */
  async truncateFrom(fromIndex: number): Promise<void> {
    assert(fromIndex >= this.firstIndex, 'truncation must stay inside the segment');
    assert(fromIndex <= this.lastIndex + 1, 'truncation must not leave a gap');
    const keep = fromIndex - this.firstIndex;
    const newSize = keep < this.offsets.length ? (this.offsets[keep] ?? 0) : this.size;
    this.offsets.length = keep;
    this.size = newSize;
    await this.handle.truncate(newSize);
  }

  async sync(): Promise<void> {
    await this.handle.datasync();
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

/**
 * Reading a whole segment file at open: where each record starts, its term, and where (if
 * anywhere) the bytes stop making sense. Pure functions over a buffer; the judgement of what a
 * damaged spot means (torn tail or damage) belongs to the caller, which knows if the segment
 * is the last one.
 */
import { decodeRecord, RECORD_HEADER_BYTES, RECORD_MAGIC_BYTES } from './record-codec.js';

export interface SegmentDamage {
  readonly offset: number;
  /** The index the record at `offset` should have had. */
  readonly index: number;
  readonly reason: string;
}

export interface SegmentScan {
  /** Byte offset of each whole record, in index order. */
  readonly offsets: number[];
  readonly terms: number[];
  /** Bytes up to the end of the last whole record. */
  readonly validBytes: number;
  readonly damage: SegmentDamage | null;
}

export interface ScanInput {
  readonly bytes: Buffer;
  readonly firstIndex: number;
  /** Term of the entry before this segment (0 when none): terms never decrease along a log. */
  readonly previousTerm: number;
  readonly entryBytesMax: number;
}

export function scanSegment(input: ScanInput): SegmentScan {
  const { bytes, firstIndex, entryBytesMax } = input;
  const offsets: number[] = [];
  const terms: number[] = [];
  let offset = 0;
  let previousTerm = input.previousTerm;
  const damaged = (reason: string): SegmentScan => {
    const damage = { offset, index: firstIndex + offsets.length, reason };
    return { offsets, terms, validBytes: offset, damage };
  };
  while (offset < bytes.length) {
    const decoded = decodeRecord(bytes, offset, entryBytesMax);
    if (!decoded.ok) return damaged(decoded.reason);
    const { entry } = decoded;
    const expectedIndex = firstIndex + offsets.length;
    if (entry.index !== expectedIndex) {
      return damaged(`record holds index ${entry.index}, expected ${expectedIndex}`);
    }
    if (entry.term < previousTerm) {
      return damaged(`term ${entry.term} is below the previous entry's term ${previousTerm}`);
    }
    offsets.push(offset);
    terms.push(entry.term);
    previousTerm = entry.term;
    offset += decoded.bytes;
  }
  return { offsets, terms, validBytes: offset, damage: null };
}

/**
 * True when a whole, checksummed record starts anywhere after `offset`. A crash can only tear
 * the end of what was being written, so a good record after a bad one means the bad one was
 * damaged in place, not torn.
 */
export function hasRecordAfter(bytes: Buffer, offset: number, entryBytesMax: number): boolean {
  let at = bytes.indexOf(RECORD_MAGIC_BYTES, offset + 1);
  while (at !== -1 && at + RECORD_HEADER_BYTES <= bytes.length) {
    if (decodeRecord(bytes, at, entryBytesMax).ok) return true;
    at = bytes.indexOf(RECORD_MAGIC_BYTES, at + 1);
  }
  return false;
}

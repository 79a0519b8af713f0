/**
 * The end of a member's raft log on disk, for the torn-log fault. A crash in the middle of an
 * append leaves the first bytes of a record that never finished after the last whole one; that
 * record was never fsynced, so never acknowledged. Cutting into a whole record instead loses
 * entries the member may have acknowledged: a disk that lied, which Raft does not survive in
 * general, kept only for the regression scenario of that case. Records are walked with the
 * log's own decoder, so the harness follows the format (docs/decisions/0005-log-format.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import { decodeRecord } from '../../src/log/record-codec.js';

/** Above the members' own entry limit: every record a member wrote decodes. */
const ENTRY_BYTES_MAX = 128 * 1024 * 1024;

/** The newest segment of the log under a member's home, or null when there is none. */
export function newestSegment(home: string): string | null {
  const dir = path.join(home, 'data', 'databases', 'neo4j', 'log');
  const segments = fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.seg')) : [];
  // Segment names are the 20-digit first index, so the newest sorts last.
  const newest = segments.sort().at(-1);
  return newest === undefined ? null : path.join(dir, newest);
}

/** Where the whole records of a segment end, and where the last of them starts. */
export function wholeRecords(file: string): { end: number; lastStart: number | null } {
  const bytes = fs.readFileSync(file);
  let end = 0;
  let lastStart: number | null = null;
  for (;;) {
    const record = decodeRecord(bytes, end, ENTRY_BYTES_MAX);
    if (!record.ok) return { end, lastStart };
    lastStart = end;
    end += record.bytes;
  }
}

/** Writes `partial` (the start of a record that never finished) after the last whole record. */
export function writeTornRecord(file: string, partial: Uint8Array): number {
  const { end } = wholeRecords(file);
  const fd = fs.openSync(file, 'r+');
  try {
    fs.writeSync(fd, partial, 0, partial.length, end);
  } finally {
    fs.closeSync(fd);
  }
  return end;
}

/** Cuts `bytes` off the last whole record (and drops what follows it): acknowledged data lost. */
export function cutLastRecord(file: string, bytes: number): number {
  const { end, lastStart } = wholeRecords(file);
  if (lastStart === null) return 0;
  const cut = Math.min(bytes, end - lastStart);
  fs.truncateSync(file, end - cut);
  return cut;
}

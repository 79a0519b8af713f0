/**
 * Types shared by the durable log, the hard-state file and the snapshot store. Plain numbers,
 * not raft/'s branded ones: the log stores whatever the cluster runtime hands it, and raft/'s
 * `Entry` (readonly branded fields) is assignable to `LogEntry` as it is.
 */

export type LogEntryKind = 'normal' | 'noop' | 'config';

export interface LogEntry {
  readonly index: number;
  readonly term: number;
  readonly kind: LogEntryKind;
  /** The log keeps a reference, not a copy: callers must not mutate it after append(). */
  readonly data: Uint8Array;
}

/** Counters a test or bench reads to see group commit at work. */
export interface LogStats {
  /** append() calls accepted. */
  readonly appends: number;
  /** Entries in those calls. */
  readonly entries: number;
  /** fsync/fdatasync calls on segment files and on the log folder. */
  readonly fsyncs: number;
  /** Record bytes written to segment files. */
  readonly bytes: number;
}

/** One line of text for the operator; the caller decides where it goes (pino, stderr, a test). */
export type LogLine = (line: string) => void;

export interface SegmentedLogOptions {
  /** A segment rolls over before a record would take it past this size. */
  readonly segmentBytesMax?: number;
  /** Largest `data` of one entry; larger appends are refused. */
  readonly entryBytesMax?: number;
  /** Appended entries not yet written; past it append() is refused (back-pressure). */
  readonly pendingBytesMax?: number;
  /** Recently appended, already written entries kept in memory for followers to read. */
  readonly cacheBytesMax?: number;
  /** Default bound of one read() when the caller gives none. */
  readonly readBytesMax?: number;
  readonly logger?: LogLine;
}

export const MIB = 1024 * 1024;

export const LOG_DEFAULTS = {
  segmentBytesMax: 64 * MIB,
  entryBytesMax: 64 * MIB,
  pendingBytesMax: 256 * MIB,
  cacheBytesMax: 16 * MIB,
  readBytesMax: 64 * MIB,
} as const;

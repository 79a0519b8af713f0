/**
 * The in-memory log of one member: the entries since the last snapshot, and how far they are
 * persisted, committed and applied. The application truncates it by compacting into a snapshot.
 */
import { assert } from '../assert.js';
import { asLogIndex, TERM_ZERO } from './types.js';
import type { Entry, LogIndex, Snapshot, Term } from './types.js';

export interface SliceRange {
  readonly fromIndex: LogIndex;
  readonly toIndex: LogIndex;
  readonly countMax: number;
}

export class RaftLog {
  /** The snapshot covers every index <= snapshot.meta.index; entries[0] follows it. */
  snapshot: Snapshot;
  entries: Entry[] = [];
  /** Invariant: applied <= committed <= lastIndex(); snapshot index <= applied. */
  committed: LogIndex;
  applied: LogIndex;
  /** Entries up to here match what storage holds; the rest are in the next Ready. */
  stableIndex: LogIndex;
  /** A snapshot received from the leader that the application has not yet persisted. */
  pendingSnapshot: Snapshot | null = null;

  constructor(snapshot: Snapshot) {
    this.snapshot = snapshot;
    this.committed = snapshot.meta.index;
    this.applied = snapshot.meta.index;
    this.stableIndex = snapshot.meta.index;
  }

  firstIndex(): LogIndex {
    return asLogIndex(this.snapshot.meta.index + 1);
  }

  lastIndex(): LogIndex {
    return asLogIndex(this.snapshot.meta.index + this.entries.length);
  }

  lastTerm(): Term {
    const last = this.entries[this.entries.length - 1];
    return last === undefined ? this.snapshot.meta.term : last.term;
  }

  /** undefined when the index is compacted away or beyond the end. */
  term(index: LogIndex): Term | undefined {
    const base = this.snapshot.meta.index;
    if (index === base) return this.snapshot.meta.term;
    if (index < base) return index === 0 ? TERM_ZERO : undefined;
    return this.entries[index - base - 1]?.term;
  }

  entry(index: LogIndex): Entry | undefined {
    return this.entries[index - this.snapshot.meta.index - 1];
  }

  matchTerm(index: LogIndex, term: Term): boolean {
    return this.term(index) === term;
  }

  /** Raft §5.4.1: a candidate's log is at least as up to date as ours. */
  isUpToDate(lastIndex: LogIndex, lastTerm: Term): boolean {
    const ourTerm = this.lastTerm();
    return lastTerm > ourTerm || (lastTerm === ourTerm && lastIndex >= this.lastIndex());
  }

  /** Entries in [fromIndex, toIndex], at most countMax; 'compacted' if fromIndex is gone. */
  slice(range: SliceRange): Entry[] | 'compacted' {
    if (range.fromIndex < this.firstIndex()) return 'compacted';
    assert(range.toIndex <= this.lastIndex(), 'slice must end inside the log');
    const base = this.snapshot.meta.index + 1;
    const from = range.fromIndex - base;
    const to = Math.min(range.toIndex - base + 1, from + range.countMax);
    return from >= to ? [] : this.entries.slice(from, to);
  }

  /** Leader path: entries continue the log directly. */
  append(entries: readonly Entry[]): void {
    for (const entry of entries) {
      assert(entry.index === this.lastIndex() + 1, 'appended entries must be contiguous');
      assert(entry.term >= this.lastTerm(), 'appended entry terms must not decrease');
      this.entries.push(entry);
    }
  }

  /**
   * Follower path (Raft §5.3): if our log holds prevIndex/prevTerm, drop any conflicting
   * suffix, add what is new, and return the last index now known to match the leader.
   */
  maybeAppend(prevIndex: LogIndex, prevTerm: Term, entries: readonly Entry[]): LogIndex | null {
    if (!this.matchTerm(prevIndex, prevTerm)) return null;
    const lastNew = asLogIndex(prevIndex + entries.length);
    for (const entry of entries) {
      if (entry.index <= this.snapshot.meta.index) continue;
      const ours = this.term(entry.index);
      if (ours === entry.term) continue;
      if (ours !== undefined) this.truncateFrom(entry.index);
      this.append([entry]);
    }
    return lastNew;
  }

  private truncateFrom(index: LogIndex): void {
    assert(index > this.committed, `must never truncate committed index ${index}`);
    this.entries.length = index - this.snapshot.meta.index - 1;
    this.stableIndex = asLogIndex(Math.min(this.stableIndex, index - 1));
  }

  /**
   * The last index <= index whose term is <= term: where a log ending at (index, term) can
   * first agree with ours. Used on both sides of a rejected Append.
   */
  findConflictByTerm(index: LogIndex, term: Term): { index: LogIndex; term: Term } {
    let i = Math.min(index, this.lastIndex());
    for (;;) {
      const ours = this.term(asLogIndex(i));
      if (ours === undefined) return { index: asLogIndex(i), term: TERM_ZERO };
      if (ours <= term) return { index: asLogIndex(i), term: ours };
      i -= 1;
    }
  }

  commitTo(index: LogIndex): boolean {
    if (index <= this.committed) return false;
    assert(index <= this.lastIndex(), `commit ${index} beyond last index ${this.lastIndex()}`);
    this.committed = index;
    return true;
  }

  unstableEntries(): Entry[] {
    return this.entries.slice(this.stableIndex - this.snapshot.meta.index);
  }

  /** The entry at index with this term reached storage (unless truncated meanwhile). */
  stableTo(index: LogIndex, term: Term): void {
    if (index > this.stableIndex && this.matchTerm(index, term)) this.stableIndex = index;
  }

  /** Committed entries the application has not yet been given, at most countMax. */
  nextCommitted(countMax: number): Entry[] {
    if (this.pendingSnapshot !== null) return [];
    const slice = this.slice({
      fromIndex: asLogIndex(this.applied + 1),
      toIndex: this.committed,
      countMax,
    });
    assert(slice !== 'compacted', 'unapplied entries must not be compacted');
    return slice;
  }

  appliedTo(index: LogIndex): void {
    assert(index <= this.committed, 'cannot apply past the commit index');
    if (index > this.applied) this.applied = index;
  }

  /** Replace the log by a snapshot received from the leader. */
  restore(snapshot: Snapshot): void {
    assert(snapshot.meta.index > this.committed, 'a restored snapshot must be news');
    this.snapshot = snapshot;
    this.entries = [];
    this.committed = snapshot.meta.index;
    this.applied = snapshot.meta.index;
    this.stableIndex = snapshot.meta.index;
    this.pendingSnapshot = snapshot;
  }

  /** Drop entries up to index, which the application's snapshot now covers. */
  compact(snapshot: Snapshot): void {
    const index = snapshot.meta.index;
    assert(index <= this.applied, 'can only compact applied entries');
    assert(index <= this.stableIndex, 'can only compact persisted entries');
    assert(index >= this.snapshot.meta.index, 'compaction must move forward');
    assert(this.term(index) === snapshot.meta.term, 'snapshot term must match the log');
    this.entries = this.entries.slice(index - this.snapshot.meta.index);
    this.snapshot = snapshot;
  }
}

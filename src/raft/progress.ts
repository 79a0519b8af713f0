/**
 * The leader's view of one follower's log. Probe: one Append at a time until the match point
 * is found. Replicate: pipeline Appends up to the inflight window. Snapshot: wait until the
 * follower has installed the snapshot that replaces entries the leader no longer has.
 */
import { assert } from '../assert.js';
import { Inflights } from './inflights.js';
import { asLogIndex, INDEX_ZERO } from './types.js';
import type { LogIndex } from './types.js';

export type ProgressState = 'probe' | 'replicate' | 'snapshot';

export class Progress {
  /** Invariant: match < next. */
  match: LogIndex = INDEX_ZERO;
  next: LogIndex;
  state: ProgressState = 'probe';
  /** Probe: an Append is out; wait for its answer or the next heartbeat answer. */
  probeSent = false;
  pendingSnapshot: LogIndex = INDEX_ZERO;
  /** Ticks since a snapshot was sent; after an election timeout we assume it was lost. */
  snapshotTicks = 0;
  /** Heard from since the last check-quorum round. */
  recentActive = false;
  readonly inflights: Inflights;

  constructor(next: LogIndex, inflightsMax: number) {
    this.next = next;
    this.inflights = new Inflights(inflightsMax);
  }

  /** Nothing more may be sent until an answer arrives. */
  isPaused(): boolean {
    switch (this.state) {
      case 'probe':
        return this.probeSent;
      case 'replicate':
        return this.inflights.full();
      case 'snapshot':
        return true;
    }
  }

  becomeProbe(): void {
    // After a snapshot, continue right after it; otherwise from the known match.
    const from =
      this.state === 'snapshot' ? Math.max(this.match, this.pendingSnapshot) : this.match;
    this.resetState('probe');
    this.next = asLogIndex(from + 1);
  }

  becomeReplicate(): void {
    this.resetState('replicate');
    this.next = asLogIndex(this.match + 1);
  }

  becomeSnapshot(snapshotIndex: LogIndex): void {
    this.resetState('snapshot');
    this.pendingSnapshot = snapshotIndex;
  }

  private resetState(state: ProgressState): void {
    this.state = state;
    this.probeSent = false;
    this.pendingSnapshot = INDEX_ZERO;
    this.snapshotTicks = 0;
    this.inflights.reset();
  }

  /** An accepted Append up to index; false if it says nothing new. */
  maybeUpdate(index: LogIndex): boolean {
    let updated = false;
    if (index > this.match) {
      this.match = index;
      this.probeSent = false;
      updated = true;
    }
    if (index + 1 > this.next) this.next = asLogIndex(index + 1);
    return updated;
  }

  /** Optimistic bookkeeping after sending entries up to lastIndex. */
  sentEntries(lastIndex: LogIndex | null): void {
    if (this.state === 'replicate') {
      if (lastIndex === null) return;
      this.next = asLogIndex(lastIndex + 1);
      this.inflights.add(lastIndex);
      return;
    }
    assert(this.state === 'probe', 'appends are not sent while a snapshot is pending');
    this.probeSent = true;
  }

  /**
   * A rejected Append for `rejected`; `hint` is where to probe next. Returns false when the
   * rejection is stale (it answers an older Append than the one we are waiting for).
   */
  maybeDecrTo(rejected: LogIndex, hint: LogIndex): boolean {
    if (rejected >= this.match && hint < this.match) {
      // The follower no longer holds entries it acknowledged (its disk lost a synced record).
      // Raft assumes that never happens, but probing from what it has is still safe - a match
      // only ever counts towards commits - and it keeps the follower from being stuck forever.
      this.match = hint;
      this.resetState('probe');
      this.next = asLogIndex(hint + 1);
      return true;
    }
    if (this.state === 'replicate') {
      if (rejected <= this.match) return false;
      this.next = asLogIndex(this.match + 1);
      return true;
    }
    if (this.next - 1 !== rejected) return false;
    this.next = asLogIndex(Math.max(Math.min(rejected, hint + 1), this.match + 1));
    this.probeSent = false;
    return true;
  }
}

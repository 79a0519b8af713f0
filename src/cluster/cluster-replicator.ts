/**
 * Commits through Raft: propose the ChangeSet, then wait until the member has applied the entry
 * at that index. If a different entry landed there (leadership changed and the proposal was
 * overwritten) or no majority answered in time, the commit fails with a transient error that
 * drivers retry. Writes are accepted only by a leader that has applied its own no-op, so every
 * earlier commit is in its graph before it validates anything.
 */
import { assert } from '../assert.js';
import { QuiverError } from '../errors/quiver-error.js';
import { notALeaderError, type MemberRole, type Replicator } from '../db/replicator.js';
import type { GraphStateMachine } from '../db/state-machine.js';
import type { ChangeSet } from '../graph/changeset.js';
import type { RaftLoop } from './raft-loop.js';
import { realTimers, type TimerHandle, type Timers } from './timers.js';

interface Waiting {
  readonly term: number;
  readonly resolve: (index: number) => void;
  readonly reject: (e: unknown) => void;
  /** When the replication timeout fails this waiter, on the replicator's clock. */
  readonly deadlineMs: number;
  /** The bytes proposed at this index: the entry applied there is this one iff it is them. */
  readonly data: Uint8Array;
  /** The ChangeSet `data` encodes, until applied or dropped (leadership changed). */
  built: ChangeSet | undefined;
}

/** What the replicator needs of the raft loop and the graph (tests pass their own). */
export type ProposingLoop = Pick<RaftLoop, 'propose' | 'status' | 'stop'>;
export type AppliedIndexSource = Pick<GraphStateMachine, 'appliedIndex'>;

export interface ReplicatorClock {
  readonly nowMs: () => number;
  readonly timers: Timers;
}

/** Read at each call, so that tests' fake timers move it too. */
const REAL_CLOCK: ReplicatorClock = { nowMs: () => Date.now(), timers: realTimers };

export class ClusterReplicator implements Replicator {
  private readonly waiting = new Map<number, Waiting>();
  private leaderReadyIndex = Infinity;
  /** Term of the last applied entry; terms never decrease along the log. */
  private appliedTerm = 0;
  private currentRole: MemberRole = 'FOLLOWER';
  private listeners: (() => void)[] = [];
  /**
   * One timer for every waiter's replication timeout, armed for the earliest deadline: a
   * timer set and cleared per write was a measurable part of the leader's CPU at c=64.
   */
  private expiry: TimerHandle | null = null;

  constructor(
    private readonly loop: ProposingLoop,
    private readonly machine: AppliedIndexSource,
    private readonly replicationTimeoutMs: number,
    private readonly clock: ReplicatorClock = REAL_CLOCK,
  ) {}

  /**
   * The ChangeSet this member built for `entry`, so its apply skips decoding the bytes: only
   * when the entry is the very array it proposed, and never once the member has stepped down.
   * Another leader's entry at that index arrives as other bytes (decoded from the wire), so a
   * kept object is never applied in its place, even before the step-down is reported.
   */
  builtFor(entry: { readonly index: number; readonly data: Uint8Array }): ChangeSet | undefined {
    const w = this.waiting.get(entry.index);
    if (w === undefined || w.data !== entry.data) return undefined;
    return w.built;
  }

  /** The raft loop applied `index` with `term`: settle whoever waits for it. */
  applied(index: number, term: number): void {
    if (term > this.appliedTerm) this.rejectOlderTerms(term);
    this.appliedTerm = term;
    const w = this.waiting.get(index);
    if (!w) return;
    this.settle(index, w);
    if (w.term === term) w.resolve(index);
    else w.reject(lost('leadership changed before the transaction was committed'));
  }

  /**
   * Terms never decrease along the log, so once an entry of `term` is applied, no entry of an
   * older term after it can ever commit. Waiters for such entries (proposed by this member as
   * a leader it no longer is) fail now rather than at their timeout; otherwise, when this
   * member leads again and reuses their indexes, they would hold clients for the whole
   * replication timeout.
   */
  private rejectOlderTerms(term: number): void {
    for (const [index, w] of this.waiting) {
      if (w.term >= term) continue;
      this.settle(index, w);
      w.reject(lost('leadership changed before the transaction was committed'));
    }
  }

  private settle(index: number, w: Waiting): void {
    assert(this.waiting.get(index) === w, 'only the current waiter of an index is settled');
    this.waiting.delete(index);
  }

  private armExpiry(delayMs: number): void {
    assert(this.expiry === null, 'one expiry timer at a time');
    this.expiry = this.clock.timers.after(Math.max(0, delayMs), () => this.expire());
  }

  /** Fails the waiters whose deadline has passed, then waits for the next deadline. */
  private expire(): void {
    this.expiry = null;
    const now = this.clock.nowMs();
    let nextDeadlineMs = Infinity;
    for (const [index, w] of this.waiting) {
      if (w.deadlineMs > now) {
        nextDeadlineMs = Math.min(nextDeadlineMs, w.deadlineMs);
        continue;
      }
      this.settle(index, w);
      w.reject(lost(`no majority acknowledged it within ${this.replicationTimeoutMs} ms; ` +
        'it may still commit'));
    }
    if (nextDeadlineMs !== Infinity) this.armExpiry(nextDeadlineMs - now);
  }

  /** Role changes come from the raft loop's soft state. */
  setRole(role: MemberRole): void {
    if (role === 'LEADER' && this.currentRole !== 'LEADER') {
      this.leaderReadyIndex = this.loop.status().lastIndex;
      for (const l of this.listeners) l();
    }
    if (role !== 'LEADER') {
      this.leaderReadyIndex = Infinity;
      for (const [index, w] of this.waiting) {
        // Such an entry may still commit, but as a follower this member no longer vouches for
        // its log; it decodes whatever the new leader leaves at that index.
        w.built = undefined;
        if (index > this.machine.appliedIndex) continue;
        this.settle(index, w);
        w.reject(lost('leadership changed'));
      }
    }
    this.currentRole = role;
  }

  replicate(data: Uint8Array, changes?: ChangeSet): Promise<number> {
    if (!this.canWrite()) return Promise.reject(notLeader(this.currentRole));
    const r = this.loop.propose(data);
    if (!r.ok) {
      return Promise.reject(r.reason === 'not-leader' ? notLeader(this.currentRole)
        : lost(`the proposal was dropped (${r.reason})`));
    }
    // An older waiter at this index was proposed in an earlier term; rejectOlderTerms settled
    // it when this member applied its own term's first entry, before it could accept writes.
    assert(!this.waiting.has(r.index), 'a proposal index is never waited on twice');
    return new Promise<number>((resolve, reject) => {
      this.waiting.set(r.index, { term: r.term, resolve, reject, data, built: changes,
        deadlineMs: this.clock.nowMs() + this.replicationTimeoutMs });
      if (this.expiry === null) this.armExpiry(this.replicationTimeoutMs);
    });
  }

  canWrite(): boolean {
    return this.currentRole === 'LEADER' && this.machine.appliedIndex >= this.leaderReadyIndex;
  }

  role(): MemberRole {
    return this.currentRole;
  }

  onLeadershipChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    this.expiry?.cancel();
    this.expiry = null;
    for (const w of this.waiting.values()) {
      w.reject(new QuiverError('DatabaseUnavailable', 'The database is shutting down.'));
    }
    this.waiting.clear();
    await this.loop.stop();
  }
}

function lost(why: string): QuiverError {
  return new QuiverError('ReplicationFailure', `The transaction was not committed: ${why}.`);
}

export function notLeader(role: string): QuiverError {
  if (role === 'CANDIDATE' || role === 'PRE_CANDIDATE') {
    return new QuiverError('LeaderUnavailable',
      'No leader is available for writes at the moment (an election is in progress); retry.');
  }
  return notALeaderError(role);
}

/**
 * The whole state of one member, shared by the role handlers. Fields are mutated only by the
 * functions of src/raft; the application sees them through RaftNode and Ready.
 */
import { assert } from '../assert.js';
import type { RaftConfig } from './config.js';
import { isVoter } from './membership.js';
import type { Progress } from './progress.js';
import { RaftLog } from './raft-log.js';
import { ReadIndexQueue } from './read-index-queue.js';
import type {
  HardState,
  LogIndex,
  Membership,
  MemberId,
  Message,
  ReadState,
  Snapshot,
  SoftState,
  Term,
} from './types.js';
import { INDEX_ZERO } from './types.js';

/** Roles the state machine moves between; a non-voting follower is shown as 'LEARNER'. */
export type InternalRole = 'LEADER' | 'FOLLOWER' | 'CANDIDATE' | 'PRE_CANDIDATE';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A message without its sender, which send() fills in, and with the term defaulted to ours. */
export type Outgoing = DistributiveOmit<Message, 'from' | 'term'> & { readonly term?: Term };

export class RaftState {
  readonly id: MemberId;
  role: InternalRole = 'FOLLOWER';
  term: Term;
  vote: MemberId | null;
  leader: MemberId | null = null;
  /**
   * The highest commit index the current leader has announced to this member; 0 until one
   * has. Reset with the leader, so it always comes from a leader of the current term.
   */
  leaderCommit: LogIndex = INDEX_ZERO;
  readonly log: RaftLog;
  /** The membership as of the commit index. */
  membership: Membership;
  /** Committed memberships after the snapshot, oldest first, to answer membershipAt(). */
  membershipHistory: { index: LogIndex; membership: Membership }[] = [];
  /** Leader only: one entry per other member and one for itself. */
  readonly progress = new Map<MemberId, Progress>();
  readonly votes = new Map<MemberId, boolean>();
  electionElapsedTicks = 0;
  heartbeatElapsedTicks = 0;
  randomizedElectionTicks = 0;
  leadTransferee: MemberId | null = null;
  /** Leader only: payload bytes proposed in this term and not yet committed. */
  uncommittedBytes = 0;
  /** Leader only: index of the no-op that opened this term. */
  termStartIndex: LogIndex = INDEX_ZERO;
  readonly reads: ReadIndexQueue;
  readStates: ReadState[] = [];
  messages: Message[] = [];
  /**
   * Leader only: entries were proposed since the last broadcast. Proposals only set this, and
   * the next input or output (raft-node.ts) sends the Appends: a burst of proposals then costs
   * one Append per follower, not one per proposal and follower merged again later.
   */
  proposalsUnsent = false;
  /**
   * Leader only: a Ready handed this log's new entries to storage and is not advanced yet, so
   * the leader's own fsync is under way (replication.ts, holdsEntries).
   */
  ownEntriesSyncing = false;
  /** What the last Ready reported, to report only changes. */
  lastSoftState: SoftState;
  lastHardState: HardState;

  constructor(
    readonly config: RaftConfig,
    init: { hardState: HardState; snapshot: Snapshot },
  ) {
    this.id = config.id;
    this.term = init.hardState.term;
    this.vote = init.hardState.vote;
    this.log = new RaftLog(init.snapshot);
    this.membership = init.snapshot.meta.membership;
    this.reads = new ReadIndexQueue(config.maxPendingReads);
    this.lastSoftState = { role: 'FOLLOWER', leader: null };
    this.lastHardState = init.hardState;
  }

  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.log.committed };
  }

  softState(): SoftState {
    const learner = this.role === 'FOLLOWER' && !isVoter(this.membership, this.id);
    return { role: learner ? 'LEARNER' : this.role, leader: this.leader };
  }

  /** A member campaigns only as a voter that is allowed to lead. */
  promotable(): boolean {
    return isVoter(this.membership, this.id) && !this.config.refuseToBeLeader;
  }

  /**
   * `message` is a fresh literal at every call site, so it is completed in place and becomes
   * the message: a copy by spread for each one showed in the leader's profiles.
   */
  send(message: Outgoing): void {
    assert(message.to !== this.id, 'a member never sends to itself');
    const envelope = message as { from?: MemberId; term?: Term };
    assert(envelope.from === undefined, 'an outgoing message is completed only once');
    envelope.from = this.id;
    envelope.term ??= this.term;
    this.messages.push(message as Message);
  }

  progressOf(id: MemberId): Progress {
    const progress = this.progress.get(id);
    assert(progress !== undefined, `no progress for ${id}`);
    return progress;
  }

  resetRandomizedElectionTicks(): void {
    const span = this.config.electionTicks;
    this.randomizedElectionTicks = span + Math.floor(this.config.rng() * span);
  }

  /** The membership in force at a committed index at or after the snapshot. */
  membershipAt(index: LogIndex): Membership {
    assert(index >= this.log.snapshot.meta.index, 'membership before the snapshot is gone');
    assert(index <= this.log.committed, 'membership is known only for committed indexes');
    let found = this.log.snapshot.meta.membership;
    for (const record of this.membershipHistory) {
      if (record.index <= index) found = record.membership;
    }
    return found;
  }
}

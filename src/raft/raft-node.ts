/**
 * The public face of the Raft core: a pure state machine driven by step(), tick() and
 * requests, whose every effect comes back through ready(). See ready.ts for the loop contract.
 */
import { assert } from '../assert.js';
import { commitTo } from './commit.js';
import { resolveRaftConfig } from './config.js';
import type { RaftConfigInput } from './config.js';
import { applyConfigChange, EMPTY_MEMBERSHIP, encodeConfigChange, isVoter } from './membership.js';
import type { ConfigChange } from './membership.js';
import { onPeerDown } from './peer-down.js';
import { RaftState } from './raft-state.js';
import { readIndex } from './read-index.js';
import { collectReady, hasReady, takeUrgentMessages } from './ready.js';
import type { Ready } from './ready.js';
import { maybeSendAppend, releaseHeldEntries, selfStableTo, sendProposed } from './replication.js';
import { step } from './step.js';
import { stepLocal, tick } from './tick.js';
import { asLogIndex, asTerm, EMPTY_BYTES, INDEX_ZERO, TERM_ZERO } from './types.js';
import type {
  Entry,
  EntryKind,
  HardState,
  LogIndex,
  Membership,
  MemberId,
  Message,
  ProposalResult,
  RequestResult,
  Snapshot,
  SoftState,
  Term,
} from './types.js';

const EMPTY_SNAPSHOT: Snapshot = {
  meta: { index: INDEX_ZERO, term: TERM_ZERO, membership: EMPTY_MEMBERSHIP },
  data: EMPTY_BYTES,
};

export interface RestartOptions {
  readonly config: RaftConfigInput;
  readonly hardState: HardState;
  readonly snapshot?: Snapshot;
  /** Persisted entries; any at or below the snapshot index are skipped. */
  readonly entries: readonly Entry[];
}

/** A change the application asks for; 'bootstrap' is only written by RaftNode.bootstrap. */
export type MembershipChange = Exclude<ConfigChange, { type: 'bootstrap' }>;

export interface RaftStatus {
  readonly id: MemberId;
  readonly soft: SoftState;
  readonly hard: HardState;
  readonly applied: LogIndex;
  readonly firstIndex: LogIndex;
  readonly lastIndex: LogIndex;
  readonly membership: Membership;
  /**
   * The commit index of the current leader as this member last heard it (its own when it
   * leads); 0 while no leader of this term has spoken to it.
   */
  readonly leaderCommit: LogIndex;
  /** Leader only: each member's acknowledged index. */
  readonly match: ReadonlyMap<MemberId, LogIndex>;
}

export class RaftNode {
  private readonly state: RaftState;
  private readyOutstanding = false;

  private constructor(options: RestartOptions) {
    const config = resolveRaftConfig(options.config);
    const snapshot = options.snapshot ?? EMPTY_SNAPSHOT;
    this.state = new RaftState(config, { hardState: options.hardState, snapshot });
    const log = this.state.log;
    log.append(options.entries.filter((e) => e.index > snapshot.meta.index));
    log.stableIndex = log.lastIndex();
    assert(options.hardState.commit >= snapshot.meta.index, 'commit is behind the snapshot');
    commitTo(this.state, options.hardState.commit);
    this.state.resetRandomizedElectionTicks();
  }

  /** Rebuild a member from what its storage holds. */
  static restart(options: RestartOptions): RaftNode {
    return new RaftNode(options);
  }

  /** A new member with an empty log, waiting for a leader to add and replicate to it. */
  static join(config: RaftConfigInput): RaftNode {
    const hardState: HardState = { term: TERM_ZERO, vote: null, commit: INDEX_ZERO };
    return new RaftNode({ config, hardState, entries: [] });
  }

  /**
   * A new member whose log starts with the initial voters at index 1, term 1, committed. Either
   * every initial member bootstraps with the same voters, or exactly one does and the others
   * join(): they get the entry from the first leader.
   */
  static bootstrap(config: RaftConfigInput, voters: readonly MemberId[]): RaftNode {
    assert(voters.length > 0, 'bootstrap needs at least one voter');
    const node = RaftNode.join(config);
    const term = asTerm(1);
    const data = encodeConfigChange({ type: 'bootstrap', voters });
    const entry: Entry = { term, index: asLogIndex(1), kind: 'config', data };
    node.state.term = term;
    node.state.log.append([entry]);
    commitTo(node.state, entry.index);
    return node;
  }

  step(message: Message): void {
    sendProposed(this.state);
    step(this.state, message);
  }

  tick(): void {
    sendProposed(this.state);
    tick(this.state);
  }

  /** Start an election now (tests, or an operator forcing one); ignored when not allowed. */
  campaign(): void {
    sendProposed(this.state);
    stepLocal(this.state, 'Hup');
  }

  propose(data: Uint8Array): ProposalResult {
    return this.appendProposal('normal', data);
  }

  /** One change at a time: refused while an earlier change has not committed. */
  proposeMembershipChange(change: MembershipChange): ProposalResult {
    const state = this.state;
    if (state.role === 'LEADER' && this.configChangePending()) {
      return { ok: false, reason: 'config-change-pending' };
    }
    if (state.role === 'LEADER' && applyConfigChange(state.membership, change) === null) {
      return { ok: false, reason: 'invalid-config-change' };
    }
    return this.appendProposal('config', encodeConfigChange(change));
  }

  private configChangePending(): boolean {
    const log = this.state.log;
    // Until this term's no-op commits, an older uncommitted change may still be in flight.
    if (log.committed < this.state.termStartIndex) return true;
    for (let i = log.committed + 1; i <= log.lastIndex(); i += 1) {
      if (log.entry(asLogIndex(i))?.kind === 'config') return true;
    }
    return false;
  }

  private appendProposal(kind: EntryKind, data: Uint8Array): ProposalResult {
    const state = this.state;
    if (state.role !== 'LEADER') return { ok: false, reason: 'not-leader' };
    if (state.leadTransferee !== null) return { ok: false, reason: 'transferring' };
    // One oversized entry may pass an empty budget, or it could never be proposed at all.
    const bytes = state.uncommittedBytes + data.length;
    if (state.uncommittedBytes > 0 && bytes > state.config.maxUncommittedBytes) {
      return { ok: false, reason: 'uncommitted-bytes-max' };
    }
    const index = asLogIndex(state.log.lastIndex() + 1);
    state.log.append([{ term: state.term, index, kind, data }]);
    state.uncommittedBytes = bytes;
    state.proposalsUnsent = true;
    return { ok: true, index, term: state.term };
  }

  /** Hand leadership to a voter; proposals are refused until it finishes or times out. */
  transferLeadership(to: MemberId): RequestResult {
    sendProposed(this.state);
    const state = this.state;
    if (state.role !== 'LEADER') return { ok: false, reason: 'not-leader' };
    if (!isVoter(state.membership, to)) return { ok: false, reason: 'not-a-voter' };
    if (to === state.id || state.leadTransferee === to) return { ok: true };
    state.leadTransferee = to;
    state.electionElapsedTicks = 0;
    if (state.progressOf(to).match === state.log.lastIndex()) {
      state.send({ type: 'TimeoutNow', to });
    } else {
      maybeSendAppend(state, to, true);
    }
    return { ok: true };
  }

  /** Ask for a linearizable read point; the answer arrives as a ReadState with this ctx. */
  readIndex(ctx: string): RequestResult {
    sendProposed(this.state);
    return readIndex(this.state, ctx);
  }

  /** The transport could not reach a follower: stop pipelining to it and probe instead. */
  reportUnreachable(id: MemberId): void {
    sendProposed(this.state);
    const progress = this.state.progress.get(id);
    if (progress !== undefined && progress.state === 'replicate') progress.becomeProbe();
  }

  /**
   * The transport saw `id`'s process go away: an open connection to it closed and the next
   * connect was refused. A follower of `id` forgets it and campaigns within a few ticks
   * (peer-down.ts); for any other member, and on a leader or candidate, nothing changes.
   */
  reportPeerDown(id: MemberId): void {
    sendProposed(this.state);
    onPeerDown(this.state, id);
  }

  /**
   * Messages that may leave now, before the state in the next Ready is persisted (ready.ts,
   * takeUrgentMessages); allowed while a Ready is outstanding. The rest wait for ready().
   */
  takeUrgentMessages(): Message[] {
    sendProposed(this.state);
    return takeUrgentMessages(this.state);
  }

  hasReady(): boolean {
    sendProposed(this.state);
    return hasReady(this.state);
  }

  ready(): Ready {
    sendProposed(this.state);
    assert(!this.readyOutstanding, 'advance() the previous Ready first');
    this.readyOutstanding = true;
    const ready = collectReady(this.state);
    this.state.ownEntriesSyncing = this.state.role === 'LEADER' && ready.entries.length > 0;
    return ready;
  }

  advance(ready: Ready): void {
    assert(this.readyOutstanding, 'advance() without ready()');
    this.readyOutstanding = false;
    const state = this.state;
    if (ready.hardState !== undefined) state.lastHardState = ready.hardState;
    if (ready.snapshot !== undefined && state.log.pendingSnapshot === ready.snapshot) {
      state.log.pendingSnapshot = null;
    }
    const lastEntry = ready.entries[ready.entries.length - 1];
    // Before selfStableTo, so that an Append carrying a new commit carries held entries too.
    const heldEntries = state.ownEntriesSyncing;
    state.ownEntriesSyncing = false;
    if (lastEntry !== undefined) {
      state.log.stableTo(lastEntry.index, lastEntry.term);
      selfStableTo(state, state.log.stableIndex);
    }
    if (heldEntries) releaseHeldEntries(state);
    const lastCommitted = ready.committed[ready.committed.length - 1];
    if (lastCommitted !== undefined) state.log.appliedTo(lastCommitted.index);
  }

  /**
   * The application has a snapshot of its state through `index` (applied): keep it to send to
   * lagging followers, and drop the log entries it covers. Returns what to persist.
   */
  compact(options: { index: LogIndex; snapshotData: Uint8Array }): Snapshot {
    sendProposed(this.state);
    const state = this.state;
    const term = state.log.term(options.index);
    assert(term !== undefined, 'compaction index must be in the log');
    const membership = state.membershipAt(options.index);
    const snapshot: Snapshot = {
      meta: { index: options.index, term, membership },
      data: options.snapshotData,
    };
    state.log.compact(snapshot);
    state.membershipHistory = state.membershipHistory.filter((r) => r.index > options.index);
    return snapshot;
  }

  status(): RaftStatus {
    const state = this.state;
    const match = new Map<MemberId, LogIndex>();
    for (const [id, progress] of state.progress) match.set(id, progress.match);
    return {
      id: state.id,
      soft: state.softState(),
      hard: state.hardState(),
      applied: state.log.applied,
      firstIndex: state.log.firstIndex(),
      lastIndex: state.log.lastIndex(),
      membership: state.membership,
      leaderCommit: state.role === 'LEADER' ? state.log.committed : state.leaderCommit,
      match,
    };
  }

  /** The term of an entry still in memory (for checkers and diagnostics). */
  termAt(index: LogIndex): Term | undefined {
    return this.state.log.term(index);
  }

  entryAt(index: LogIndex): Entry | undefined {
    return this.state.log.entry(index);
  }
}

/**
 * What the node asks of its environment, in one batch (etcd's Ready). The loop that consumes it
 * (cluster/raft-loop.ts, test/sim) must: 1. persist snapshot, hardState and entries, fsync when
 * mustSync; 2. only then send messages; 3. apply the snapshot, then committed entries in order;
 * 4. call advance(ready). Persisting before sending is how votes and Append acknowledgements
 * never get ahead of the disk (DESIGN.md invariant 2): every message in a Ready may depend on the
 * state in the same Ready, so none leaves before that state is durable. The few that depend on
 * nothing unpersisted are taken out earlier by takeUrgentMessages (below).
 */
import type { RaftState } from './raft-state.js';
import type {
  AppendRequest,
  Entry,
  HardState,
  MemberId,
  Message,
  ReadState,
  Snapshot,
  SoftState,
} from './types.js';

export interface Ready {
  /** Present when role or leader changed; informational, never persisted. */
  readonly softState?: SoftState;
  readonly hardState?: HardState;
  /**
   * Entries to persist. entries[0].index may be at or below what storage holds: storage then
   * drops its entries from that index on before appending (a leader overwrote them).
   */
  readonly entries: readonly Entry[];
  /** A snapshot from the leader: persist it, then replace the state machine with it. */
  readonly snapshot?: Snapshot;
  /** Entries to apply, in order; already durable on a majority. */
  readonly committed: readonly Entry[];
  readonly messages: readonly Message[];
  readonly readStates: readonly ReadState[];
  /** Whether persisting needs an fsync before messages may go. */
  readonly mustSync: boolean;
}

function sameSoftState(a: SoftState, b: SoftState): boolean {
  return a.role === b.role && a.leader === b.leader;
}

function sameHardState(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}

export function hasReady(state: RaftState): boolean {
  return (
    state.messages.length > 0 ||
    state.readStates.length > 0 ||
    state.log.pendingSnapshot !== null ||
    state.log.stableIndex < state.log.lastIndex() ||
    state.log.applied < state.log.committed ||
    !sameSoftState(state.softState(), state.lastSoftState) ||
    !sameHardState(state.hardState(), state.lastHardState)
  );
}

/**
 * The leader's Appends and heartbeats, and answers to heartbeats, need not wait for the Ready
 * that holds them to be persisted: none grants a vote or acknowledges an entry, and a leader
 * counts its own entries towards a commit only once advance() reports them durable (etcd sends
 * them the same way). They do carry the term, so they leave early only once term and vote are
 * durable. Sending them at once keeps heartbeats flowing while a disk write is slow, and lets
 * followers write entries while the leader writes its own.
 */
function mayPrecedePersist(message: Message): boolean {
  return message.type === 'Append' || message.type === 'Heartbeat' ||
    message.type === 'HeartbeatResp';
}

/** Removes and returns the messages that may be sent before the pending state is persisted. */
export function takeUrgentMessages(state: RaftState): Message[] {
  const durable = state.lastHardState;
  if (state.term !== durable.term || state.vote !== durable.vote) return [];
  if (!state.messages.some(mayPrecedePersist)) return [];
  const urgent = state.messages.filter(mayPrecedePersist);
  state.messages = state.messages.filter((m) => !mayPrecedePersist(m));
  return coalesceAppends(urgent, state.config.maxEntriesPerAppend);
}

/**
 * A leader sends one Append per proposal and an empty one per commit; a burst of them becomes
 * a burst of small Appends, each costing an encoding, a write and a Ready on the follower.
 * Consecutive Appends to one member that continue each other are merged (up to `entriesMax`
 * entries), an empty one included: it only carries a commit index, which the merged Append
 * carries as well. The answer to the merged one acknowledges them all, freeing their inflight
 * slots together.
 */
export function coalesceAppends(messages: readonly Message[], entriesMax: number): Message[] {
  const out: Message[] = [];
  /** Where in `out` the last message to each member is, while it is a mergeable Append. */
  const openAppend = new Map<MemberId, number>();
  for (const message of messages) {
    const at = openAppend.get(message.to);
    const open = at === undefined ? undefined : out[at];
    if (at !== undefined && open?.type === 'Append' && message.type === 'Append' &&
      continues(open, message) && open.entries.length + message.entries.length <= entriesMax) {
      out[at] = { ...open, entries: open.entries.concat(message.entries),
        commit: message.commit > open.commit ? message.commit : open.commit };
      continue;
    }
    if (message.type === 'Append') openAppend.set(message.to, out.length);
    else openAppend.delete(message.to);
    out.push(message);
  }
  return out;
}

/** Whether `next` starts right where `first` ends (after its last entry, or its prev). */
function continues(first: AppendRequest, next: AppendRequest): boolean {
  const last = first.entries[first.entries.length - 1];
  const endIndex = last === undefined ? first.prevIndex : last.index;
  const endTerm = last === undefined ? first.prevTerm : last.term;
  return first.term === next.term && next.prevIndex === endIndex && next.prevTerm === endTerm;
}

/** Collects the batch; messages and read states are handed over now and not kept. */
export function collectReady(state: RaftState): Ready {
  const softState = state.softState();
  const hardState = state.hardState();
  const entries = state.log.unstableEntries();
  const snapshot = state.log.pendingSnapshot;
  const hardChanged = !sameHardState(hardState, state.lastHardState);
  const voteChanged =
    hardState.term !== state.lastHardState.term || hardState.vote !== state.lastHardState.vote;
  const ready: Ready = {
    ...(sameSoftState(softState, state.lastSoftState) ? {} : { softState }),
    ...(hardChanged ? { hardState } : {}),
    entries,
    ...(snapshot === null ? {} : { snapshot }),
    committed: state.log.nextCommitted(state.config.maxCommittedPerReady),
    messages: state.messages,
    readStates: state.readStates,
    mustSync: voteChanged || entries.length > 0 || snapshot !== null,
  };
  state.lastSoftState = softState;
  state.messages = [];
  state.readStates = [];
  return ready;
}

/**
 * What the node asks of its environment, in one batch (etcd's Ready). The loop that consumes it
 * (cluster/raft-loop.ts, test/sim) must: 1. persist snapshot, hardState and entries, fsync when
 * mustSync; 2. only then send messages; 3. apply the snapshot, then committed entries in order;
 * 4. call advance(ready). Persisting before sending is how votes and Append acknowledgements
 * never get ahead of the disk (DESIGN.md invariant 2): every message in a Ready may depend on the
 * state in the same Ready, so none leaves before that state is durable.
 */
import type { RaftState } from './raft-state.js';
import type {
  Entry,
  HardState,
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

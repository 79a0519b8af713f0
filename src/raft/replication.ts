/**
 * The leader's outbound side: Appends (pipelined or probing), snapshots for followers whose
 * next entry is compacted away, heartbeats, and the commit that acknowledgements enable.
 */
import { assert } from '../assert.js';
import { becomeFollower } from './become.js';
import { maybeCommit } from './commit.js';
import { allMembers, isVoter } from './membership.js';
import type { RaftState } from './raft-state.js';
import { asLogIndex } from './types.js';
import type { LogIndex, MemberId } from './types.js';

/**
 * Send the next Append the follower's progress allows. With sendIfEmpty an Append without
 * entries still goes out (to carry the commit index or to probe). Returns whether it sent.
 */
export function maybeSendAppend(state: RaftState, to: MemberId, sendIfEmpty: boolean): boolean {
  const progress = state.progressOf(to);
  if (progress.isPaused()) return false;
  const prevIndex = asLogIndex(progress.next - 1);
  const prevTerm = state.log.term(prevIndex);
  const entries = holdsEntries(state, to) ? [] : state.log.slice({
    fromIndex: progress.next,
    toIndex: state.log.lastIndex(),
    countMax: state.config.maxEntriesPerAppend,
  });
  if (prevTerm === undefined || entries === 'compacted') {
    sendSnapshot(state, to);
    return true;
  }
  if (entries.length === 0 && !sendIfEmpty) return false;
  state.send({
    type: 'Append',
    to,
    prevIndex,
    prevTerm,
    commit: state.log.committed,
    entries,
  });
  const last = entries[entries.length - 1];
  progress.sentEntries(last === undefined ? null : last.index);
  return true;
}

/**
 * Whether new entries for `to` wait: an Append to it is unanswered and the leader's own write
 * is still syncing. Each Append costs a write here and a read, a decode, a step and often a
 * Ready on the follower; sent per event-loop turn they came 2.8 per leader fsync. Held, they
 * leave in one Append when the answer arrives (onAppendResponse) or the leader's write is
 * durable (releaseHeldEntries), whichever is first. A commit rarely waits longer for it: the
 * leader's own write of these entries starts only after its current one, and only followers
 * that together outpace the leader's disk could have made a majority without it.
 */
function holdsEntries(state: RaftState, to: MemberId): boolean {
  const progress = state.progressOf(to);
  return state.ownEntriesSyncing && progress.state === 'replicate' &&
    progress.inflights.count > 0;
}

/** The leader's write is durable (advance): entries held for any follower leave now. */
export function releaseHeldEntries(state: RaftState): void {
  assert(!state.ownEntriesSyncing, 'entries are released once the leader write is durable');
  if (state.role !== 'LEADER') return;
  for (const id of peers(state)) while (maybeSendAppend(state, id, false));
}

function sendSnapshot(state: RaftState, to: MemberId): void {
  const progress = state.progressOf(to);
  const snapshot = state.log.snapshot;
  assert(snapshot.meta.index > 0, 'a follower needs a snapshot only after compaction');
  progress.becomeSnapshot(snapshot.meta.index);
  state.send({ type: 'Snapshot', to, snapshot });
}

function peers(state: RaftState): MemberId[] {
  return allMembers(state.membership).filter((id) => id !== state.id);
}

export function bcastAppend(state: RaftState): void {
  for (const id of peers(state)) maybeSendAppend(state, id, true);
}

/** Ships entries proposed since the last call, if this member still leads. */
export function sendProposed(state: RaftState): void {
  if (!state.proposalsUnsent) return;
  state.proposalsUnsent = false;
  if (state.role !== 'LEADER') return;
  for (const id of peers(state)) maybeSendAppend(state, id, false);
}

/** Heartbeats carry the commit only as far as the follower is known to match. */
export function bcastHeartbeat(state: RaftState, ctx: string | null): void {
  for (const id of peers(state)) {
    const progress = state.progressOf(id);
    const commit = asLogIndex(Math.min(progress.match, state.log.committed));
    state.send({ type: 'Heartbeat', to: id, commit, leaderCommit: state.log.committed, ctx });
  }
}

/** Commit what acknowledgements allow; tell followers, or step down if no longer a voter. */
export function commitAndBroadcast(state: RaftState): void {
  let moved = false;
  while (state.role === 'LEADER' && maybeCommit(state)) moved = true;
  if (!moved) return;
  // Even a leader that just removed itself tells the others, so they learn of the change now.
  bcastAppend(state);
  if (!isVoter(state.membership, state.id)) becomeFollower(state, state.term, null);
}

/** The leader's own log reached storage: it counts as one more replica. */
export function selfStableTo(state: RaftState, index: LogIndex): void {
  if (state.role !== 'LEADER') return;
  if (state.progressOf(state.id).maybeUpdate(index)) commitAndBroadcast(state);
}

/**
 * Moving the commit index, and what follows from it: membership changes take effect, the
 * leader's uncommitted-bytes budget is released, and a removed leader steps down.
 */
import { assert } from '../assert.js';
import { applyConfigChange, decodeConfigChange, quorumSize } from './membership.js';
import { Progress } from './progress.js';
import type { RaftState } from './raft-state.js';
import { asLogIndex, sortedIds } from './types.js';
import type { LogIndex } from './types.js';

/** Returns whether the commit index moved. */
export function commitTo(state: RaftState, index: LogIndex): boolean {
  const before = state.log.committed;
  if (!state.log.commitTo(index)) return false;
  if (state.role === 'LEADER') releaseUncommittedBytes(state, before);
  applyCommittedMemberships(state, before);
  return true;
}

/**
 * Raft §5.4.2: the leader commits by counting replicas only for an entry of its own term;
 * older entries commit with it. Returns whether the commit index moved.
 */
export function maybeCommit(state: RaftState): boolean {
  assert(state.role === 'LEADER', 'only a leader counts replicas');
  const matches = state.membership.voters
    .map((v) => state.progress.get(v)?.match ?? 0)
    .sort((a, b) => b - a);
  const candidate = matches[quorumSize(state.membership) - 1];
  if (candidate === undefined || candidate <= state.log.committed) return false;
  const index = asLogIndex(candidate);
  if (state.log.term(index) !== state.term) return false;
  return commitTo(state, index);
}

function releaseUncommittedBytes(state: RaftState, before: LogIndex): void {
  for (let i = Math.max(before, state.termStartIndex) + 1; i <= state.log.committed; i += 1) {
    const entry = state.log.entry(asLogIndex(i));
    assert(entry !== undefined, 'committed entries of this term are in memory');
    state.uncommittedBytes -= entry.data.length;
  }
  assert(state.uncommittedBytes >= 0, 'uncommitted bytes must not go negative');
}

function applyCommittedMemberships(state: RaftState, before: LogIndex): void {
  for (let i = before + 1; i <= state.log.committed; i += 1) {
    const entry = state.log.entry(asLogIndex(i));
    if (entry === undefined || entry.kind !== 'config') continue;
    const next = applyConfigChange(state.membership, decodeConfigChange(entry.data));
    if (next === null) continue;
    state.membership = next;
    state.membershipHistory.push({ index: entry.index, membership: next });
    if (state.role === 'LEADER') syncProgressWithMembership(state);
  }
}

/** Start tracking new members (they are probed from the end of the log) and forget removed. */
export function syncProgressWithMembership(state: RaftState): void {
  const members = sortedIds([...state.membership.voters, ...state.membership.learners]);
  for (const id of [...state.progress.keys()]) {
    if (!members.includes(id)) state.progress.delete(id);
  }
  for (const id of members) {
    if (state.progress.has(id)) continue;
    const progress = new Progress(
      asLogIndex(state.log.lastIndex() + 1),
      state.config.maxInflightAppends,
    );
    // Counted as active until the first check-quorum round, so that adding a member whose
    // link is still connecting does not make the leader step down.
    progress.recentActive = true;
    state.progress.set(id, progress);
  }
}

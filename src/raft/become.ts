/**
 * Role transitions. Each asserts where it may come from, resets what belongs to the old role,
 * and leaves the state ready for the new one.
 */
import { assert } from '../assert.js';
import { syncProgressWithMembership } from './commit.js';
import type { InternalRole, RaftState } from './raft-state.js';
import { asLogIndex, asTerm, EMPTY_BYTES, INDEX_ZERO } from './types.js';
import type { MemberId, Term } from './types.js';

function reset(state: RaftState, term: Term): void {
  if (state.term !== term) {
    assert(term > state.term, 'terms only increase');
    state.term = term;
    state.vote = null;
  }
  state.leader = null;
  state.leaderCommit = INDEX_ZERO;
  state.electionElapsedTicks = 0;
  state.heartbeatElapsedTicks = 0;
  state.resetRandomizedElectionTicks();
  state.votes.clear();
  state.progress.clear();
  state.leadTransferee = null;
  state.uncommittedBytes = 0;
  state.reads.clear();
}

export function becomeFollower(state: RaftState, term: Term, leader: MemberId | null): void {
  reset(state, term);
  state.role = 'FOLLOWER';
  state.leader = leader;
}

export function becomePreCandidate(state: RaftState): void {
  assertNotLeader(state.role, 'pre-candidate');
  // A pre-vote changes neither term nor vote: a failed one leaves no trace.
  const term = state.term;
  reset(state, term);
  state.role = 'PRE_CANDIDATE';
}

export function becomeCandidate(state: RaftState): void {
  assertNotLeader(state.role, 'candidate');
  reset(state, asTerm(state.term + 1));
  state.role = 'CANDIDATE';
  state.vote = state.id;
}

export function becomeLeader(state: RaftState): void {
  assert(state.role === 'CANDIDATE', `only a candidate becomes leader, not ${state.role}`);
  const term = state.term;
  reset(state, term);
  state.role = 'LEADER';
  state.leader = state.id;
  syncProgressWithMembership(state);
  const self = state.progressOf(state.id);
  self.match = state.log.stableIndex;
  self.becomeReplicate();
  // The no-op commits every older entry with it, and tells the application when it has
  // seen everything earlier leaders committed (Raft §8).
  const index = asLogIndex(state.log.lastIndex() + 1);
  state.log.append([{ term, index, kind: 'noop', data: EMPTY_BYTES }]);
  state.termStartIndex = index;
}

function assertNotLeader(role: InternalRole, target: string): void {
  assert(role !== 'LEADER', `a leader never becomes ${target} directly`);
}

/**
 * Time, as a count of ticks. Expiring timers become local inputs (etcd's MsgHup, MsgBeat,
 * MsgCheckQuorum) handled by stepLocal, so tests can also fire them directly.
 */
import { becomeFollower } from './become.js';
import { campaign } from './campaign.js';
import { quorumSize } from './membership.js';
import type { RaftState } from './raft-state.js';
import { bcastHeartbeat, maybeSendAppend } from './replication.js';
import type { LocalInput } from './types.js';

export function tick(state: RaftState): void {
  if (state.role === 'LEADER') tickLeader(state);
  else tickElection(state);
}

function tickElection(state: RaftState): void {
  state.electionElapsedTicks += 1;
  if (!state.promotable()) return;
  if (state.electionElapsedTicks < state.randomizedElectionTicks) return;
  state.electionElapsedTicks = 0;
  stepLocal(state, 'Hup');
}

function tickLeader(state: RaftState): void {
  state.heartbeatElapsedTicks += 1;
  state.electionElapsedTicks += 1;
  if (state.electionElapsedTicks >= state.config.electionTicks) {
    state.electionElapsedTicks = 0;
    if (state.config.checkQuorum) stepLocal(state, 'CheckQuorum');
    if (state.role !== 'LEADER') return;
    // A transfer that did not finish within an election timeout is abandoned.
    state.leadTransferee = null;
  }
  retryLostSnapshots(state);
  if (state.heartbeatElapsedTicks >= state.config.heartbeatTicks) {
    state.heartbeatElapsedTicks = 0;
    stepLocal(state, 'Beat');
  }
}

/** A snapshot unanswered for an election timeout is presumed lost; probe and resend. */
function retryLostSnapshots(state: RaftState): void {
  for (const [id, progress] of state.progress) {
    if (progress.state !== 'snapshot') continue;
    progress.snapshotTicks += 1;
    if (progress.snapshotTicks < state.config.electionTicks) continue;
    progress.becomeProbe();
    maybeSendAppend(state, id, true);
  }
}

export function stepLocal(state: RaftState, input: LocalInput): void {
  switch (input) {
    case 'Hup':
      if (state.role === 'LEADER' || !state.promotable()) return;
      campaign(state, state.config.preVote ? 'pre-vote' : 'election');
      return;
    case 'Beat':
      if (state.role === 'LEADER') bcastHeartbeat(state, state.reads.lastCtx());
      return;
    case 'CheckQuorum':
      if (state.role === 'LEADER') checkQuorum(state);
      return;
  }
}

/** A leader that has not heard from a majority for an election timeout steps down. */
function checkQuorum(state: RaftState): void {
  let active = 0;
  for (const voter of state.membership.voters) {
    const progress = state.progress.get(voter);
    if (voter === state.id || progress?.recentActive === true) active += 1;
  }
  for (const [id, progress] of state.progress) progress.recentActive = id === state.id;
  if (active < quorumSize(state.membership)) becomeFollower(state, state.term, null);
}

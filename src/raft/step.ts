/**
 * The single entry point for messages from other members. Terms are settled here once for every
 * role (Raft §5.1), votes are answered here, and the rest goes to the handler of the role.
 */
import { becomeFollower } from './become.js';
import type { RaftState } from './raft-state.js';
import { stepCandidate } from './step-candidate.js';
import { stepFollower } from './step-follower.js';
import { stepLeader } from './step-leader.js';
import { INDEX_ZERO, TERM_ZERO } from './types.js';
import type { Message, VoteRequest } from './types.js';

const STEP_BY_ROLE = {
  LEADER: stepLeader,
  FOLLOWER: stepFollower,
  CANDIDATE: stepCandidate,
  PRE_CANDIDATE: stepCandidate,
} as const;

export function step(state: RaftState, message: Message): void {
  if (message.to !== state.id) return;
  if (message.term > state.term) {
    if (!settleHigherTerm(state, message)) return;
  } else if (message.term < state.term) {
    answerLowerTerm(state, message);
    return;
  }
  if (message.type === 'PreVote' || message.type === 'Vote') {
    onVoteRequest(state, message);
    return;
  }
  STEP_BY_ROLE[state.role](state, message);
}

/** Returns false when the message is to be ignored. */
function settleHigherTerm(state: RaftState, message: Message): boolean {
  if (message.type === 'PreVote' || message.type === 'Vote') {
    // Leader stickiness: while we hear from a live leader, an election is not needed, and a
    // member that thinks otherwise (e.g. just back from a partition) must not disrupt us.
    const inLease =
      state.config.checkQuorum &&
      state.leader !== null &&
      state.electionElapsedTicks < state.config.electionTicks;
    if (inLease && !message.transfer) return false;
  }
  // A pre-vote is for a term nobody has entered yet; granting it changes nothing here.
  if (message.type === 'PreVote') return true;
  if (message.type === 'PreVoteResp' && !message.reject) return true;
  const fromLeader =
    message.type === 'Append' || message.type === 'Heartbeat' || message.type === 'Snapshot';
  becomeFollower(state, message.term, fromLeader ? message.from : null);
  return true;
}

function answerLowerTerm(state: RaftState, message: Message): void {
  const guarded = state.config.checkQuorum || state.config.preVote;
  if (guarded && (message.type === 'Append' || message.type === 'Heartbeat')) {
    // A stale leader that cannot hear the new one would otherwise never learn our term: with
    // pre-vote or check-quorum nobody raises its term to its level to make it step down. Index
    // zero acknowledges nothing, should the sender be leader in our term by the time it lands.
    state.send({
      type: 'AppendResp',
      to: message.from,
      index: INDEX_ZERO,
      reject: false,
      hintIndex: INDEX_ZERO,
      hintTerm: TERM_ZERO,
    });
  } else if (message.type === 'PreVote') {
    state.send({ type: 'PreVoteResp', to: message.from, reject: true });
  }
}

function onVoteRequest(state: RaftState, message: VoteRequest): void {
  const canVote =
    state.vote === message.from ||
    (state.vote === null && state.leader === null) ||
    (message.type === 'PreVote' && message.term > state.term);
  const grant =
    canVote &&
    state.log.isUpToDate(message.lastIndex, message.lastTerm) &&
    !preCandidateOutranks(state, message);
  const type = message.type === 'PreVote' ? 'PreVoteResp' : 'VoteResp';
  if (!grant) {
    state.send({ type, to: message.from, reject: true });
    return;
  }
  // A pre-vote grant answers in the term the candidate would enter, so it counts there.
  state.send({ type, to: message.from, term: message.term, reject: false });
  if (message.type === 'Vote') {
    state.electionElapsedTicks = 0;
    state.vote = message.from;
  }
}

/**
 * Two pre-candidates with the same log that ask each other at once would each grant the other,
 * both enter the election and split the vote, and a whole election timeout is lost (the two
 * survivors of a dead leader, told at the same moment, campaigning within one round trip). Only
 * the smaller id is granted then. Safety rests on real votes, which this does not touch.
 */
function preCandidateOutranks(state: RaftState, message: VoteRequest): boolean {
  if (state.role !== 'PRE_CANDIDATE' || message.type !== 'PreVote') return false;
  const log = state.log;
  const sameLog = message.lastTerm === log.lastTerm() && message.lastIndex === log.lastIndex();
  return sameLog && state.id < message.from;
}

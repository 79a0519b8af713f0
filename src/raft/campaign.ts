/**
 * Elections: the pre-vote round (Raft dissertation §9.6) that asks whether an election could
 * win before anyone's term moves, the real round, and the tally that ends both.
 */
import { assert } from '../assert.js';
import { becomeCandidate, becomeLeader, becomePreCandidate } from './become.js';
import { quorumSize } from './membership.js';
import type { RaftState } from './raft-state.js';
import { bcastAppend } from './replication.js';
import { asTerm } from './types.js';
import type { MemberId } from './types.js';

/** 'transfer' skips the pre-vote and passes leader stickiness: the old leader asked for it. */
export type CampaignKind = 'pre-vote' | 'election' | 'transfer';

export function campaign(state: RaftState, kind: CampaignKind): void {
  assert(state.promotable(), 'only a promotable member campaigns');
  if (kind === 'pre-vote') becomePreCandidate(state);
  else becomeCandidate(state);
  const type = kind === 'pre-vote' ? 'PreVote' : 'Vote';
  const term = kind === 'pre-vote' ? asTerm(state.term + 1) : state.term;
  if (recordVote(state, state.id, true) === 'won') return;
  for (const id of state.membership.voters) {
    if (id === state.id) continue;
    state.send({
      type,
      to: id,
      term,
      lastIndex: state.log.lastIndex(),
      lastTerm: state.log.lastTerm(),
      transfer: kind === 'transfer',
    });
  }
}

export type VoteOutcome = 'won' | 'lost' | 'pending';

/** Count one vote; on a decision, move on: pre-candidate to candidate, candidate to leader. */
export function recordVote(state: RaftState, from: MemberId, granted: boolean): VoteOutcome {
  if (!state.votes.has(from)) state.votes.set(from, granted);
  const outcome = tally(state);
  if (outcome === 'won') {
    if (state.role === 'PRE_CANDIDATE') {
      campaign(state, 'election');
    } else {
      becomeLeader(state);
      bcastAppend(state);
    }
  }
  return outcome;
}

function tally(state: RaftState): VoteOutcome {
  let granted = 0;
  let rejected = 0;
  for (const voter of state.membership.voters) {
    const vote = state.votes.get(voter);
    if (vote === true) granted += 1;
    if (vote === false) rejected += 1;
  }
  const quorum = quorumSize(state.membership);
  if (granted >= quorum) return 'won';
  if (rejected > state.membership.voters.length - quorum) return 'lost';
  return 'pending';
}

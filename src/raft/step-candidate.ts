/**
 * Candidate and pre-candidate behaviour: count the answers of this round, and yield to a leader
 * of the same term as soon as one shows itself.
 */
import { becomeFollower } from './become.js';
import { recordVote } from './campaign.js';
import type { RaftState } from './raft-state.js';
import { stepFollower } from './step-follower.js';
import type { Message } from './types.js';

export function stepCandidate(state: RaftState, message: Message): void {
  switch (message.type) {
    case 'Append':
    case 'Heartbeat':
    case 'Snapshot':
      // Raft §5.2: a leader of our term exists, so this election is over.
      becomeFollower(state, message.term, message.from);
      stepFollower(state, message);
      return;
    case 'PreVoteResp':
    case 'VoteResp': {
      const expected = state.role === 'PRE_CANDIDATE' ? 'PreVoteResp' : 'VoteResp';
      if (message.type !== expected) return;
      const outcome = recordVote(state, message.from, !message.reject);
      if (outcome === 'lost') becomeFollower(state, state.term, null);
      return;
    }
    default:
      return;
  }
}

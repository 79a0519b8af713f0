/**
 * Leader behaviour: follow each follower's progress from its answers, commit what a majority
 * holds, confirm reads with heartbeat rounds, and finish a leadership transfer.
 */
import { quorumSize } from './membership.js';
import type { RaftState } from './raft-state.js';
import { commitAndBroadcast, maybeSendAppend } from './replication.js';
import { onReadIndexRequest, onReadConfirmed } from './read-index.js';
import type { AppendResponse, HeartbeatResponse, Message } from './types.js';

export function stepLeader(state: RaftState, message: Message): void {
  const progress = state.progress.get(message.from);
  if (progress === undefined) return; // not a member (any more)
  switch (message.type) {
    case 'AppendResp':
      progress.recentActive = true;
      onAppendResponse(state, message);
      return;
    case 'HeartbeatResp':
      progress.recentActive = true;
      onHeartbeatResponse(state, message);
      return;
    case 'ReadIndex':
      onReadIndexRequest(state, message.from, message.ctx);
      return;
    default:
      return;
  }
}

function onAppendResponse(state: RaftState, message: AppendResponse): void {
  const progress = state.progressOf(message.from);
  if (message.reject) {
    const hint =
      message.hintTerm > 0
        ? state.log.findConflictByTerm(message.hintIndex, message.hintTerm).index
        : message.hintIndex;
    if (!progress.maybeDecrTo(message.index, hint)) return;
    if (progress.state === 'replicate') progress.becomeProbe();
    maybeSendAppend(state, message.from, true);
    return;
  }
  if (!progress.maybeUpdate(message.index)) return;
  if (progress.state === 'probe') progress.becomeReplicate();
  else if (progress.state === 'snapshot' && progress.match + 1 >= state.log.firstIndex()) {
    progress.becomeProbe();
    progress.becomeReplicate();
  } else if (progress.state === 'replicate') progress.inflights.freeLE(message.index);
  commitAndBroadcast(state);
  // The commit may have removed this member, or this leader.
  if (state.role !== 'LEADER' || !state.progress.has(message.from)) return;
  // Keep the pipe full: send as many Appends as the inflight window allows.
  while (maybeSendAppend(state, message.from, false));
  if (message.from === state.leadTransferee && progress.match === state.log.lastIndex()) {
    state.send({ type: 'TimeoutNow', to: message.from });
  }
}

function onHeartbeatResponse(state: RaftState, message: HeartbeatResponse): void {
  const progress = state.progressOf(message.from);
  progress.probeSent = false;
  if (progress.state === 'replicate' && progress.inflights.full()) {
    // An answer made it through, so room opens for at least one more Append.
    progress.inflights.freeFirstOne();
  }
  if (progress.match < state.log.lastIndex()) maybeSendAppend(state, message.from, true);
  if (message.ctx === null) return;
  const acks = state.reads.ack(message.ctx, message.from);
  if (acks === null) return;
  // The leader itself counts as one confirmation.
  const confirmations = [...acks].filter((id) => state.membership.voters.includes(id)).length;
  if (confirmations + 1 >= quorumSize(state.membership)) onReadConfirmed(state, message.ctx);
}

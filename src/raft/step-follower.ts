/**
 * Follower (and learner) behaviour: accept the leader's log, snapshots and heartbeats, answer
 * them, and start an election at once when the leader hands over (TimeoutNow).
 */
import { campaign } from './campaign.js';
import { commitTo } from './commit.js';
import type { RaftState } from './raft-state.js';
import { asLogIndex } from './types.js';
import type { AppendRequest, Heartbeat, InstallSnapshot, LogIndex, Message } from './types.js';

export function stepFollower(state: RaftState, message: Message): void {
  switch (message.type) {
    case 'Append':
      heardFromLeader(state, message);
      learnLeaderCommit(state, message.commit);
      onAppend(state, message);
      return;
    case 'Heartbeat':
      heardFromLeader(state, message);
      learnLeaderCommit(state, message.leaderCommit);
      onHeartbeat(state, message);
      return;
    case 'Snapshot':
      heardFromLeader(state, message);
      onSnapshot(state, message);
      return;
    case 'TimeoutNow':
      if (state.promotable()) campaign(state, 'transfer');
      return;
    case 'ReadIndexResp':
      state.readStates.push({ index: message.index, ctx: message.ctx });
      return;
    default:
      return;
  }
}

function heardFromLeader(state: RaftState, message: Message): void {
  state.electionElapsedTicks = 0;
  state.leader = message.from;
}

function learnLeaderCommit(state: RaftState, commit: LogIndex): void {
  if (commit > state.leaderCommit) state.leaderCommit = commit;
}

/** Raft §5.3, with the conflict hint that lets the leader skip a term per round trip. */
export function onAppend(state: RaftState, message: AppendRequest): void {
  const log = state.log;
  if (message.prevIndex < log.committed) {
    // Everything up to our commit index is settled; tell the leader where we stand.
    replyAppend(state, message, { index: log.committed });
    return;
  }
  const lastNew = log.maybeAppend(message.prevIndex, message.prevTerm, message.entries);
  if (lastNew !== null) {
    commitTo(state, asLogIndex(Math.min(message.commit, lastNew)));
    replyAppend(state, message, { index: lastNew });
    return;
  }
  const hint = log.findConflictByTerm(
    asLogIndex(Math.min(message.prevIndex, log.lastIndex())),
    message.prevTerm,
  );
  state.send({
    type: 'AppendResp',
    to: message.from,
    index: message.prevIndex,
    reject: true,
    hintIndex: hint.index,
    hintTerm: hint.term,
  });
}

function replyAppend(state: RaftState, message: Message, at: { index: number }): void {
  const index = asLogIndex(at.index);
  state.send({
    type: 'AppendResp',
    to: message.from,
    index,
    reject: false,
    hintIndex: index,
    hintTerm: state.log.lastTerm(),
  });
}

function onHeartbeat(state: RaftState, message: Heartbeat): void {
  // The leader sends at most our known match as commit, so it is always in our log.
  commitTo(state, asLogIndex(Math.min(message.commit, state.log.lastIndex())));
  state.send({ type: 'HeartbeatResp', to: message.from, ctx: message.ctx });
}

function onSnapshot(state: RaftState, message: InstallSnapshot): void {
  const meta = message.snapshot.meta;
  if (meta.index <= state.log.committed) {
    replyAppend(state, message, { index: state.log.committed });
    return;
  }
  if (state.log.matchTerm(meta.index, meta.term)) {
    // Our log already holds the snapshot's last entry: keep the log, just commit up to it.
    commitTo(state, meta.index);
  } else {
    state.log.restore(message.snapshot);
    state.membership = meta.membership;
    state.membershipHistory = [];
  }
  replyAppend(state, message, { index: state.log.committed });
}

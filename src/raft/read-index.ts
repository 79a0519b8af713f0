/**
 * Linearizable reads without a log write (Raft dissertation §6.4). The leader records its
 * commit index, confirms with a heartbeat round that it is still leader, and then answers with
 * that index; the application serves the read once it has applied that far.
 */
import { quorumSize } from './membership.js';
import type { RaftState } from './raft-state.js';
import type { PendingRead } from './read-index-queue.js';
import { bcastHeartbeat } from './replication.js';
import type { MemberId, RequestResult } from './types.js';

export function readIndex(state: RaftState, ctx: string): RequestResult {
  if (state.role !== 'LEADER') {
    if (state.leader === null) return { ok: false, reason: 'no-leader' };
    state.send({ type: 'ReadIndex', to: state.leader, ctx });
    return { ok: true };
  }
  return onReadIndexRequest(state, state.id, ctx);
}

export function onReadIndexRequest(
  state: RaftState,
  requester: MemberId,
  ctx: string,
): RequestResult {
  // Until an entry of its term commits, a new leader does not know the true commit index.
  if (state.log.term(state.log.committed) !== state.term) {
    return { ok: false, reason: 'not-ready' };
  }
  if (state.reads.has(ctx)) return { ok: true };
  const index = state.log.committed;
  if (quorumSize(state.membership) === 1) {
    answer(state, { requester, ctx, index });
    return { ok: true };
  }
  if (state.reads.full()) return { ok: false, reason: 'pending-reads-max' };
  state.reads.add({ ctx, index, requester });
  bcastHeartbeat(state, ctx);
  return { ok: true };
}

export function onReadConfirmed(state: RaftState, ctx: string): void {
  for (const read of state.reads.releaseThrough(ctx)) answer(state, read);
}

function answer(state: RaftState, read: Omit<PendingRead, 'acks'>): void {
  if (read.requester === state.id) {
    state.readStates.push({ index: read.index, ctx: read.ctx });
  } else {
    state.send({ type: 'ReadIndexResp', to: read.requester, ctx: read.ctx, index: read.index });
  }
}

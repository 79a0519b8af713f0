/**
 * An arbiter (dbms.mode=ARBITER) votes and keeps the Raft log but no graph, so two data-bearing
 * cores and an arbiter survive the loss of either data core. It may hold entries the surviving
 * data core lacks (they were committed by the old leader and the arbiter), and then only the
 * arbiter can win an election: it leads just long enough to ship its log and hands leadership to
 * the most up-to-date data voter. Until then it refuses writes, having no graph to run them on.
 */
import type { RaftStatus } from '../raft/raft-node.js';
import { asMemberId, type MemberId, type RequestResult } from '../raft/types.js';

export interface ArbiterLeader {
  status(): Pick<RaftStatus, 'id' | 'membership' | 'match'>;
  transferLeadership(to: MemberId): RequestResult;
}

/**
 * Called while an arbiter leads: hands leadership to the data voter that holds the most of the
 * log (raft sends it the rest first). Returns the member chosen, or null when there is none.
 */
export function handOffLeadership(loop: ArbiterLeader, arbiterIds: ReadonlySet<string>):
  MemberId | null {
  const status = loop.status();
  const candidates = status.membership.voters
    .filter((id) => id !== status.id && !arbiterIds.has(id))
    .sort((a, b) => (status.match.get(b) ?? 0) - (status.match.get(a) ?? 0) || (a < b ? -1 : 1));
  const best = candidates[0];
  if (best === undefined) return null;
  return loop.transferLeadership(asMemberId(best)).ok ? best : null;
}

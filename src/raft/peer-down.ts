/**
 * The transport's evidence that a peer's process is gone: its raft port refused a connection
 * right after an open one closed (a crash, a kill, an OOM kill). A follower that loses its
 * leader this way need not sit out a whole election timeout: it forgets the leader and
 * campaigns within a few ticks. This changes timing only. Elections stay exactly as safe, and
 * pre-vote still shields a live leader, since a member that still hears from it refuses to
 * help unseat it. A partition or a hung host gives no such evidence; the election timeout
 * covers those.
 */
import { assert } from '../assert.js';
import type { RaftState } from './raft-state.js';
import type { MemberId } from './types.js';

/** Returns whether the member acted on the report (it followed `id`). */
export function onPeerDown(state: RaftState, id: MemberId): boolean {
  assert(id !== state.id, 'a member never reports itself down');
  if (state.role !== 'FOLLOWER' || state.leader !== id) return false;
  // Without a leader, leader stickiness no longer refuses pre-votes, and the routing table
  // stops offering a writer that is gone.
  state.leader = null;
  // A random few ticks, so that the survivors rarely campaign at the same instant: the first
  // pre-vote then finds the others still followers, willing to grant it.
  const ticksMax = state.config.peerDownCampaignTicksMax;
  const delayTicks = 1 + Math.floor(state.config.rng() * ticksMax);
  assert(delayTicks >= 1 && delayTicks <= ticksMax, 'campaign delay out of range');
  const campaignAt = state.randomizedElectionTicks - delayTicks;
  state.electionElapsedTicks = Math.max(state.electionElapsedTicks, campaignAt);
  return true;
}

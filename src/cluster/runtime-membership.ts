/**
 * causal_clustering.minimum_core_cluster_size_at_runtime, as Neo4j 3.5 uses it: the leader votes
 * a core out of the voting set once discovery has not heard from it for a while, so that the
 * cores still running form a smaller majority and survive further failures; but it never shrinks
 * the set below that minimum, and it removes one core at a time (each removal is a Raft
 * membership change, which itself needs a majority of the current set). A removed core that
 * comes back is seen by discovery and voted in again like any newcomer.
 */
import { assert } from '../assert.js';

/** How long a voter must be silent in discovery before the leader votes it out. */
export const VOTER_GONE_MS = 15_000;

export interface GoneVoterArgs {
  readonly voters: readonly string[];
  readonly selfId: string;
  /** When discovery last heard from a member (local ms); undefined: not since `sinceMs`. */
  readonly lastHeardMs: (id: string) => number | undefined;
  readonly nowMs: number;
  /** When this member became leader: it cannot know of silences that began earlier. */
  readonly sinceMs: number;
  readonly goneMs: number;
  readonly votersMin: number;
}

/** The voter to remove now, or null; the smallest id first so that the choice is stable. */
export function goneVoterToRemove(args: GoneVoterArgs): string | null {
  assert(args.votersMin >= 1, 'a cluster keeps at least one voter');
  assert(args.voters.includes(args.selfId), 'only a voting leader shrinks the voting set');
  if (args.voters.length <= args.votersMin) return null;
  for (const id of [...args.voters].sort()) {
    if (id === args.selfId) continue;
    const heardMs = Math.max(args.lastHeardMs(id) ?? 0, args.sinceMs);
    if (args.nowMs - heardMs >= args.goneMs) return id;
  }
  return null;
}

/**
 * Where a commit goes to become durable. Standalone it is the local log; in a cluster it is the
 * Raft group. Either way the promise resolves only after the entry is durable (on a majority, in
 * a cluster) and applied to the local graph, and entries are applied in log order.
 */
import { QuiverError } from '../errors/quiver-error.js';
import type { ChangeSet } from '../graph/changeset.js';

export type MemberRole = 'LEADER' | 'FOLLOWER' | 'CANDIDATE' | 'READ_REPLICA';

export interface Replicator {
  /**
   * Resolves with the entry's log index once committed and applied. Rejects with a QuiverError.
   * `changes` is the ChangeSet `data` encodes, which the local apply may use instead of
   * decoding `data` again; what is logged and sent is always `data`.
   */
  replicate(data: Uint8Array, changes?: ChangeSet): Promise<number>;
  /** Whether this member may accept writes now. */
  canWrite(): boolean;
  role(): MemberRole;
  /** Called when the member starts leading, so in-flight bookkeeping can be reset. */
  onLeadershipChange(listener: () => void): void;
  close(): Promise<void>;
}

/** Until a cluster member has formed or joined its cluster it takes no writes. */
export class NotReadyReplicator implements Replicator {
  replicate(): Promise<number> {
    return Promise.reject(new QuiverError('DatabaseUnavailable',
      'The database is not available yet: this member has not joined a cluster.'));
  }

  canWrite(): boolean {
    return false;
  }

  role(): MemberRole {
    return 'FOLLOWER';
  }

  onLeadershipChange(): void {
    // Leadership never changes before the member has joined.
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Neo4j's answer to a write sent to a member that does not lead; drivers then find the leader. */
export function notALeaderError(role: string): QuiverError {
  return new QuiverError('NotALeader', 'No write operations are allowed directly on this ' +
    `database. Writes must pass through the leader. The role of this server is: ${role}`);
}

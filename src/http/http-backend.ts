/**
 * What the HTTP server needs from the rest of the system. The server layer implements it; tests
 * use a small fake. Errors a client caused come back as QuiverError with a Neo4j code.
 */
import type { BeginOptions, TransactionHandle } from '../db/api.js';

export type ClusterRole = 'LEADER' | 'FOLLOWER' | 'READ_REPLICA' | 'CANDIDATE';

/** The fields of Neo4j's /db/manage/server/causalclustering/status, plus this member's role. */
export interface ClusterStatus {
  readonly memberId: string;
  readonly role: ClusterRole;
  readonly leader: string | null;
  readonly lastAppliedRaftIndex: number;
  readonly votingMembers: readonly string[];
  readonly millisSinceLastLeaderMessage: number | null;
  readonly participatingInRaftGroup: boolean;
  readonly healthy: boolean;
  readonly core: boolean;
  readonly raftCommandsPerSecond?: number;
  /** The member's Raft term (QuiverDB's addition; the console shows it). */
  readonly term?: number;
  readonly lastCommittedRaftIndex?: number;
  /** Entries the leader committed that this member has not applied; null: no leader known. */
  readonly lagBehindLeader?: number | null;
  /** A read replica's upstream member id (QuiverDB's addition). */
  readonly upstream?: string | null;
}

export interface HttpBackend {
  /**
   * Throws QuiverError Unauthorized (or AuthenticationRateLimit) when the password is wrong.
   * `peer` (the client's address) is for the security log.
   */
  authenticate(user: string, password: string, peer: string):
    Promise<{ user: string; credentialsExpired: boolean }>;
  /** `database` null means the default database; `peer` as for authenticate. */
  begin(database: string | null, options: BeginOptions, peer: string): Promise<TransactionHandle>;
  /** Resolves once every write committed so far is applied (a conflict's rerun reads them). */
  writesSettled(): Promise<void>;
  clusterStatus(): ClusterStatus;
  discovery(): { boltDirect: string; boltRouting: string; version: string };
}

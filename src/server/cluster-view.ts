/**
 * What the server layer needs to know about the cluster this member belongs to: who leads,
 * who serves reads, and each member's addresses. A standalone server is a cluster of one.
 */
import type { MemberRole } from '../db/replicator.js';

export interface MemberInfo {
  readonly id: string;
  readonly role: MemberRole | 'UNKNOWN';
  /** Bolt address clients connect to, `host:port`. */
  readonly boltAddress: string;
  readonly httpAddress: string;
  readonly groups: readonly string[];
  readonly healthy: boolean;
  /** Last log index this member applied to its graph, as it last advertised. */
  readonly appliedIndex?: number;
  /** Last log index this member knows committed, as it last advertised. */
  readonly committedIndex?: number;
  /** A voting member that keeps the log but no graph: it serves no client. */
  readonly arbiter?: boolean;
  /**
   * False while a (re)started member has not yet applied what the leader had committed when it
   * first heard from it: it routes, but is left out of the readers. Absent means true.
   */
  readonly servesReads?: boolean;
  /** The member a read replica pulls committed transactions from; null for cores or unknown. */
  readonly upstream?: string | null;
}

export interface ClusterStatus {
  readonly memberId: string;
  readonly role: MemberRole;
  readonly leader: string | null;
  readonly term: number;
  readonly lastAppliedRaftIndex: number;
  readonly votingMembers: readonly string[];
  readonly millisSinceLastLeaderMessage: number | null;
  readonly participatingInRaftGroup: boolean;
  readonly healthy: boolean;
  readonly core: boolean;
  readonly lastCommittedRaftIndex?: number;
  /** Entries the leader has committed that this member has not applied; null: no leader known. */
  readonly lagBehindLeader?: number | null;
  /** A read replica's upstream (the leader, or the member it pulls from over catchup). */
  readonly upstream?: string | null;
}

export interface ClusterView {
  readonly selfId: string;
  members(): readonly MemberInfo[];
  status(): ClusterStatus;
  routingTtlSeconds(): number;
  /** Whether followers (and the leader, if configured) serve reads. */
  readsOnLeader(): boolean;
  /**
   * False while this member, restarted, has not yet applied what the leader had committed: its
   * graph may be older than anything a client has seen (it re-applies only up to the commit
   * index it last saved), so it must not answer reads that carry no bookmark.
   */
  servesReads(): boolean;
}

export class StandaloneView implements ClusterView {
  constructor(
    readonly selfId: string,
    private readonly boltAddress: string,
    private readonly httpAddress: string,
    private readonly appliedIndex: () => number,
  ) {}

  members(): MemberInfo[] {
    const applied = this.appliedIndex();
    return [{ id: this.selfId, role: 'LEADER', boltAddress: this.boltAddress,
      httpAddress: this.httpAddress, groups: [], healthy: true, appliedIndex: applied,
      committedIndex: applied }];
  }

  status(): ClusterStatus {
    return { memberId: this.selfId, role: 'LEADER', leader: this.selfId, term: 1,
      lastAppliedRaftIndex: this.appliedIndex(), votingMembers: [this.selfId],
      millisSinceLastLeaderMessage: 0, participatingInRaftGroup: true, healthy: true, core: true,
      lastCommittedRaftIndex: this.appliedIndex(), lagBehindLeader: 0 };
  }

  routingTtlSeconds(): number {
    return 300;
  }

  readsOnLeader(): boolean {
    return true;
  }

  servesReads(): boolean {
    return true;
  }
}

/**
 * Committed entries the member has yet to apply, counted against the leader's commit index (the
 * leader's own view, which is ahead of everyone's); null when no leader or index is known.
 */
export function lagBehindLeader(members: readonly MemberInfo[], member: MemberInfo): number | null {
  const leader = members.find((m) => m.role === 'LEADER');
  const leaderCommit = leader?.committedIndex ?? leader?.appliedIndex;
  if (leaderCommit === undefined || member.appliedIndex === undefined) return null;
  return Math.max(0, leaderCommit - member.appliedIndex);
}

/** One member's replication progress, as the overview and /metrics show it. */
export interface MemberProgress {
  readonly id: string;
  readonly role: string;
  readonly appliedIndex: number | null;
  readonly committedIndex: number | null;
  readonly lagBehindLeader: number | null;
}

export function memberProgress(view: ClusterView): MemberProgress[] {
  const members = view.members();
  return members.map((m) => ({ id: m.id, role: m.role, appliedIndex: m.appliedIndex ?? null,
    committedIndex: m.committedIndex ?? null, lagBehindLeader: lagBehindLeader(members, m) }));
}

export interface RoutingServers {
  readonly writers: string[];
  readonly readers: string[];
  readonly routers: string[];
}

/** Routers are the cores; writers the leader; readers the followers and replicas. */
export function routingServers(view: ClusterView): RoutingServers {
  const members = view.members().filter((m) => m.healthy && m.arbiter !== true);
  const leader = members.filter((m) => m.role === 'LEADER').map((m) => m.boltAddress);
  const cores = members.filter((m) => m.role !== 'READ_REPLICA').map((m) => m.boltAddress);
  const followers = members.filter((m) => m.role === 'FOLLOWER' || m.role === 'READ_REPLICA')
    .filter((m) => m.servesReads !== false).map((m) => m.boltAddress);
  const readers = followers.length === 0 || view.readsOnLeader() ? [...followers, ...leader] : followers;
  return { writers: leader, readers, routers: cores };
}

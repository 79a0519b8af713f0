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
}

export interface ClusterView {
  readonly selfId: string;
  members(): readonly MemberInfo[];
  status(): ClusterStatus;
  routingTtlSeconds(): number;
  /** Whether followers (and the leader, if configured) serve reads. */
  readsOnLeader(): boolean;
}

export class StandaloneView implements ClusterView {
  constructor(
    readonly selfId: string,
    private readonly boltAddress: string,
    private readonly httpAddress: string,
    private readonly appliedIndex: () => number,
  ) {}

  members(): MemberInfo[] {
    return [{ id: this.selfId, role: 'LEADER', boltAddress: this.boltAddress,
      httpAddress: this.httpAddress, groups: [], healthy: true }];
  }

  status(): ClusterStatus {
    return { memberId: this.selfId, role: 'LEADER', leader: this.selfId, term: 1,
      lastAppliedRaftIndex: this.appliedIndex(), votingMembers: [this.selfId],
      millisSinceLastLeaderMessage: 0, participatingInRaftGroup: true, healthy: true, core: true };
  }

  routingTtlSeconds(): number {
    return 300;
  }

  readsOnLeader(): boolean {
    return true;
  }
}

export interface RoutingServers {
  readonly writers: string[];
  readonly readers: string[];
  readonly routers: string[];
}

/** Routers are the cores; writers the leader; readers the followers and replicas. */
export function routingServers(view: ClusterView): RoutingServers {
  const members = view.members().filter((m) => m.healthy);
  const leader = members.filter((m) => m.role === 'LEADER').map((m) => m.boltAddress);
  const cores = members.filter((m) => m.role !== 'READ_REPLICA').map((m) => m.boltAddress);
  const followers = members.filter((m) => m.role === 'FOLLOWER' || m.role === 'READ_REPLICA')
    .map((m) => m.boltAddress);
  const readers = followers.length === 0 || view.readsOnLeader() ? [...followers, ...leader] : followers;
  return { writers: leader, readers, routers: cores };
}

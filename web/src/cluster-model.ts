/**
 * The cluster view's data: the members `dbms.cluster.overview()` lists, joined with what each
 * member's own status endpoint says about itself. A member whose endpoint does not answer is
 * shown unreachable, whatever the overview still believes.
 */

export interface OverviewMember {
  readonly id: string;
  readonly role: string;
  readonly boltAddress: string | null;
  readonly httpAddress: string | null;
}

/** The fields of `/db/manage/server/causalclustering/status` the view uses. */
export interface MemberStatus {
  readonly memberId: string;
  readonly leader: string | null;
  /** The member's Raft term; null from a server whose status document has none. */
  readonly term: number | null;
  readonly lastAppliedRaftIndex: number;
  readonly healthy: boolean;
  readonly core: boolean;
  readonly millisSinceLastLeaderMessage: number | null;
}

export type StatusProbe =
  | { readonly kind: 'ok'; readonly status: MemberStatus }
  | { readonly kind: 'unreachable'; readonly reason: string };

export interface MemberRow {
  readonly id: string;
  readonly role: string;
  readonly boltAddress: string;
  readonly httpAddress: string;
  readonly term: number | null;
  readonly lastApplied: number | null;
  /** Entries applied by the leader and not yet by this member; null when either is unknown. */
  readonly lagEntries: number | null;
  readonly health: 'healthy' | 'unhealthy' | 'unreachable';
  readonly detail: string;
}

function addressWithScheme(addresses: readonly unknown[], scheme: string): string | null {
  for (const address of addresses) {
    if (typeof address === 'string' && address.startsWith(`${scheme}://`)) {
      return address.slice(scheme.length + 3);
    }
  }
  return null;
}

/** One overview record (fields id, addresses, role) as a member; null when malformed. */
export function parseOverviewRecord(record: Readonly<Record<string, unknown>>):
  OverviewMember | null {
  const { id, addresses, role } = record;
  if (typeof id !== 'string' || typeof role !== 'string' || !Array.isArray(addresses)) return null;
  return { id, role, boltAddress: addressWithScheme(addresses, 'bolt'),
    httpAddress: addressWithScheme(addresses, 'http') };
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function parseMemberStatus(body: unknown): MemberStatus | null {
  if (typeof body !== 'object' || body === null) return null;
  const doc = body as Record<string, unknown>;
  const applied = numberOrNull(doc['lastAppliedRaftIndex']);
  if (typeof doc['memberId'] !== 'string' || applied === null) return null;
  const leader = doc['leader'];
  return { memberId: doc['memberId'], leader: typeof leader === 'string' ? leader : null,
    term: numberOrNull(doc['term']), lastAppliedRaftIndex: applied,
    healthy: doc['healthy'] === true, core: doc['core'] !== false,
    millisSinceLastLeaderMessage: numberOrNull(doc['millisSinceLastLeaderMessage']) };
}

/** A member's role as it reports it itself. */
function ownRole(status: MemberStatus): string {
  if (!status.core) return 'READ_REPLICA';
  return status.leader === status.memberId ? 'LEADER' : 'FOLLOWER';
}

export function memberRows(members: readonly OverviewMember[],
  probes: ReadonlyMap<string, StatusProbe>): MemberRow[] {
  let leaderApplied: number | null = null;
  for (const probe of probes.values()) {
    if (probe.kind === 'ok' && probe.status.core && probe.status.leader === probe.status.memberId) {
      leaderApplied = Math.max(leaderApplied ?? 0, probe.status.lastAppliedRaftIndex);
    }
  }
  const rows = members.map((member): MemberRow => {
    const probe = probes.get(member.id);
    const base = { id: member.id, boltAddress: member.boltAddress ?? '',
      httpAddress: member.httpAddress ?? '' };
    if (probe === undefined || probe.kind === 'unreachable') {
      // What the overview still says about a dead member (often LEADER) is stale: not shown.
      return { ...base, role: 'UNKNOWN', term: null, lastApplied: null, lagEntries: null,
        health: 'unreachable', detail: probe?.reason ?? 'no HTTP address' };
    }
    const { status } = probe;
    const lag = leaderApplied === null ? null
      : Math.max(0, leaderApplied - status.lastAppliedRaftIndex);
    return { ...base, role: ownRole(status), term: status.term,
      lastApplied: status.lastAppliedRaftIndex,
      lagEntries: lag, health: status.healthy ? 'healthy' : 'unhealthy',
      detail: status.millisSinceLastLeaderMessage === null ? ''
        : `last heard from the leader ${status.millisSinceLastLeaderMessage} ms ago` };
  });
  return rows.sort((a, b) => a.id.localeCompare(b.id));
}

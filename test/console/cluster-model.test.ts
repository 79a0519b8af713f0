import { describe, expect, it } from 'vitest';
import { memberRows, parseMemberStatus, parseOverviewRecord, type MemberStatus,
  type StatusProbe } from '../../web/src/cluster-model.js';

function status(memberId: string, leader: string | null, applied: number,
  extra: Partial<MemberStatus> = {}): StatusProbe {
  return { kind: 'ok', status: { memberId, leader, term: 3, lastAppliedRaftIndex: applied,
    healthy: true, core: true, millisSinceLastLeaderMessage: 5, ...extra } };
}

const members = ['c', 'a', 'b'].map((id) => parseOverviewRecord({ id, role: 'FOLLOWER',
  addresses: [`bolt://${id}:7687`, `http://${id}:7474`] })).filter((m) => m !== null);

describe('the cluster view model', () => {
  it('reads addresses by scheme from an overview record and rejects malformed ones', () => {
    expect(members[0]).toEqual({ id: 'c', role: 'FOLLOWER', boltAddress: 'c:7687',
      httpAddress: 'c:7474' });
    expect(parseOverviewRecord({ id: 1, role: 'LEADER', addresses: [] })).toBeNull();
  });

  it('parses the status document the server serves and rejects others', () => {
    expect(parseMemberStatus({ memberId: 'a', leader: 'a', term: 2, lastAppliedRaftIndex: 7,
      healthy: true, core: true, millisSinceLastLeaderMessage: null, votingMembers: [] }))
      .toEqual({ memberId: 'a', leader: 'a', term: 2, lastAppliedRaftIndex: 7, healthy: true,
        core: true, millisSinceLastLeaderMessage: null });
    expect(parseMemberStatus({ errors: [] })).toBeNull();
    expect(parseMemberStatus('true')).toBeNull();
  });

  it('shows roles as each member reports them, with lag behind the leader', () => {
    const rows = memberRows(members, new Map([['a', status('a', 'b', 10)],
      ['b', status('b', 'b', 12)], ['c', status('c', 'b', 12, { core: false })]]));
    expect(rows.map((r) => [r.id, r.role, r.term, r.lastApplied, r.lagEntries, r.health]))
      .toEqual([['a', 'FOLLOWER', 3, 10, 2, 'healthy'], ['b', 'LEADER', 3, 12, 0, 'healthy'],
        ['c', 'READ_REPLICA', 3, 12, 0, 'healthy']]);
  });

  it('shows a member whose endpoint does not answer as unreachable, with the reason', () => {
    const rows = memberRows(members, new Map<string, StatusProbe>([
      ['a', status('a', 'b', 10)], ['b', { kind: 'unreachable', reason: 'Failed to fetch' }],
      ['c', status('c', null, 9, { healthy: false })]]));
    expect(rows.map((r) => [r.id, r.role, r.health, r.lagEntries, r.detail.slice(0, 15)]))
      .toEqual([['a', 'FOLLOWER', 'healthy', null, 'last heard from'],
        ['b', 'UNKNOWN', 'unreachable', null, 'Failed to fetch'],
        ['c', 'FOLLOWER', 'unhealthy', null, 'last heard from']]);
  });
});

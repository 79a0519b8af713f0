import { describe, expect, it } from 'vitest';
import { statusDocument } from '../../src/http/cluster-endpoints.js';
import type { ClusterStatus } from '../../src/http/http-backend.js';
import { parseMemberStatus } from '../../web/src/cluster-model.js';

const STATUS: ClusterStatus = { memberId: 'm1', role: 'LEADER', leader: 'm1',
  lastAppliedRaftIndex: 12, votingMembers: ['m2', 'm1'], millisSinceLastLeaderMessage: 0,
  participatingInRaftGroup: true, healthy: true, core: true };

describe('the cluster status document the console reads', () => {
  it('carries the Raft term when the backend reports it, and the console reads it', () => {
    const document = statusDocument({ ...STATUS, term: 4 });
    expect(document).toMatchObject({ term: 4, memberId: 'm1', votingMembers: ['m1', 'm2'] });
    expect(parseMemberStatus(JSON.parse(JSON.stringify(document)))?.term).toBe(4);
  });

  it('leaves the term out when the backend has none, which the console shows as unknown', () => {
    const document = statusDocument(STATUS);
    expect(document).not.toHaveProperty('term');
    expect(parseMemberStatus(document)?.term).toBeNull();
  });
});

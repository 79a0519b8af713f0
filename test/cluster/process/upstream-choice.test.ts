/**
 * The upstream a read replica chooses (src/cluster/upstream-choice.ts), from members' adverts:
 * Neo4j's strategies in order, a random core when none yields, and never a replica that
 * (through others) pulls from the chooser.
 */
import { describe, expect, it } from 'vitest';
import type { MemberAdvert } from '../../../src/cluster/discovery.js';
import {
  chooseUpstream, CORE_CHOICE_EVERY, followsLeaderAsLearner, parseUpstreamStrategy, pullsFrom,
  type UpstreamChoiceInput,
} from '../../../src/cluster/upstream-choice.js';

function member(id: string, fields: Partial<MemberAdvert> = {}, catchup = true): MemberAdvert {
  return { memberId: id, clusterId: 'c1', mode: 'CORE', discoveryAddress: `${id}:5000`,
    raftAddress: `${id}:7000`, boltAddress: `${id}:7687`, httpAddress: `${id}:7474`,
    groups: [], role: 'FOLLOWER', leaderId: 'core-1', term: 1, appliedIndex: 1,
    ...(catchup ? { catchupAddress: `${id}:6000` } : {}), ...fields };
}

const CORES = [member('core-1', { role: 'LEADER' }), member('core-2'), member('core-3')];
const replica = (id: string, upstreamId: string | null, groups: string[] = []): MemberAdvert =>
  member(id, { mode: 'READ_REPLICA', role: 'READ_REPLICA', upstreamId, groups });

function input(fields: Partial<UpstreamChoiceInput>): UpstreamChoiceInput {
  return { selfId: 'me', clusterId: 'c1', members: CORES, strategies: ['default'], groups: [],
    choicesBefore: 0, pick: () => 0, ...fields };
}

describe('upstream choice', () => {
  it('maps Neo4j 3.5 and 5.x names and refuses unknown ones', () => {
    expect(parseUpstreamStrategy('typically-connect-to-random-secondary'))
      .toBe('typically-connect-to-random-read-replica');
    expect(parseUpstreamStrategy('connect-to-random-primary-server'))
      .toBe('connect-to-random-core-server');
    expect(parseUpstreamStrategy('user-defined')).toBeNull();
    expect(followsLeaderAsLearner(['default'])).toBe(true);
    expect(followsLeaderAsLearner(['connect-to-random-core-server'])).toBe(false);
  });

  it('picks a random core for connect-to-random-core-server', () => {
    const chosen = chooseUpstream(input({ strategies: ['connect-to-random-core-server'],
      pick: (n) => n - 1 }));
    expect(chosen).toMatchObject({ member: { memberId: 'core-3' }, how: 'preferred' });
  });

  it('picks a replica that feeds from cores, and a core every tenth choice', () => {
    const members = [...CORES, replica('r-a', 'core-1'), replica('r-b', 'me')];
    const strategies = ['typically-connect-to-random-read-replica'] as const;
    const first = chooseUpstream(input({ members, strategies, pick: (n) => n - 1 }));
    expect(first).toMatchObject({ member: { memberId: 'r-a' }, how: 'preferred' });
    const tenth = chooseUpstream(input({ members, strategies,
      choicesBefore: CORE_CHOICE_EVERY - 1 }));
    expect(tenth?.member.mode).toBe('CORE');
  });

  it('falls back to a core when no replica fits, and avoids members that just failed', () => {
    const members = [...CORES, replica('r-a', null)];
    const chosen = chooseUpstream(input({ members, groups: ['east'],
      strategies: ['connect-randomly-to-server-group'], avoid: new Set(['core-1']) }));
    expect(chosen).toMatchObject({ member: { memberId: 'core-2' }, how: 'fallback' });
  });

  it('picks a replica of its own server groups', () => {
    const members = [...CORES, replica('r-west', 'core-1', ['west']),
      replica('r-east', 'core-2', ['east'])];
    const chosen = chooseUpstream(input({ members, groups: ['east'],
      strategies: ['connect-randomly-to-server-group'] }));
    expect(chosen).toMatchObject({ member: { memberId: 'r-east' }, how: 'preferred' });
  });

  it('never chooses an arbiter, a member of another cluster, or one without catchup', () => {
    const members = [member('arb', { arbiter: true }), member('other', { clusterId: 'c2' }),
      member('old', {}, false)];
    expect(chooseUpstream(input({ members }))).toBeNull();
  });

  it('sees a replica that pulls from us through another', () => {
    const members = [...CORES, replica('r-a', 'r-b'), replica('r-b', 'me')];
    const [, , , a] = members;
    expect(a !== undefined && pullsFrom(a, 'me', members)).toBe(true);
    expect(a !== undefined && pullsFrom(a, 'core-1', members)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { handOffLeadership, type ArbiterLeader } from '../../../src/cluster/arbiter.js';
import { asLogIndex, asMemberId, type MemberId } from '../../../src/raft/types.js';

const id = asMemberId;

function leaderOf(match: Record<string, number>, voters: string[]) {
  const asked: MemberId[] = [];
  const status: ReturnType<ArbiterLeader['status']> = {
    id: id('arbiter'), membership: { voters: voters.map(id), learners: [id('replica')] },
    match: new Map(Object.entries(match).map(([k, v]) => [id(k), asLogIndex(v)])),
  };
  const loop: ArbiterLeader = {
    status: () => status,
    transferLeadership: (to) => {
      asked.push(to);
      return { ok: true };
    },
  };
  return { loop, asked };
}

describe('an arbiter that won an election', () => {
  it('hands leadership to the data voter holding the most of the log', () => {
    const { loop, asked } = leaderOf({ a: 7, b: 9, arbiter: 10, replica: 10 },
      ['a', 'arbiter', 'b']);
    expect(handOffLeadership(loop, new Set(['arbiter']))).toBe('b');
    expect(asked).toEqual(['b']);
  });

  it('never hands leadership to another arbiter or a read replica', () => {
    const { loop, asked } = leaderOf({ a: 3, other: 10, replica: 10 },
      ['a', 'arbiter', 'other']);
    expect(handOffLeadership(loop, new Set(['arbiter', 'other']))).toBe('a');
    expect(asked).toEqual(['a']);
  });

  it('keeps leading when there is no data voter to hand to', () => {
    const { loop, asked } = leaderOf({}, ['arbiter']);
    expect(handOffLeadership(loop, new Set(['arbiter']))).toBeNull();
    expect(asked).toEqual([]);
  });
});

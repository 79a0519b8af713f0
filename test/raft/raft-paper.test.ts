/**
 * Tests named after the claims of the Raft paper (Ongaro & Ousterhout, 2014) and of the Raft
 * dissertation, each run on the real core in a RaftEnv.
 */
import { describe, expect, it } from 'vitest';
import { RaftConfigInvalid, resolveRaftConfig } from '../../src/raft/config.js';
import { RaftNode } from '../../src/raft/raft-node.js';
import { asLogIndex, asMemberId } from '../../src/raft/types.js';
import { RaftEnv } from './raft-env.js';

const id = asMemberId;
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (data: Uint8Array): string => new TextDecoder().decode(data);

function cluster(ids: string[], seed = 1): RaftEnv {
  const env = new RaftEnv(seed);
  env.bootstrapAll(ids);
  env.stabilize();
  return env;
}

function elect(env: RaftEnv, leader: string): void {
  env.node(leader).campaign();
  env.stabilize();
  expect(env.leaders()).toEqual([leader]);
}

function appliedTexts(env: RaftEnv, member: string): string[] {
  return env.member(member).applied.filter((e) => e.kind === 'normal').map((e) => text(e.data));
}

describe('Raft §5.2 leader election', () => {
  it('elects exactly one leader per term when two members campaign at once', () => {
    const env = cluster(['1', '2', '3', '4', '5']);
    env.node('1').campaign();
    env.node('5').campaign();
    env.stabilize();
    const terms = env.ids().map((m) => env.node(m).status().hard.term);
    const leaders = env.leaders();
    expect(leaders.length).toBeLessThanOrEqual(1);
    for (const leader of leaders) {
      const term = env.node(leader).status().hard.term;
      expect(terms.filter((t) => t === term).length).toBeGreaterThanOrEqual(3);
    }
  });

  it('elects a leader by timeout alone, without anyone being told to campaign', () => {
    const env = cluster(['1', '2', '3']);
    for (let tick = 0; tick < 40 && env.leaders().length === 0; tick += 1) {
      for (const member of env.ids()) env.tick(member, 1);
      env.stabilize();
    }
    expect(env.leaders()).toHaveLength(1);
  });
});

describe('Raft §5.4.1 election restriction', () => {
  it('rejects a vote for a candidate whose log is behind', () => {
    const env = cluster(['1', '2', '3']);
    elect(env, '1');
    env.partition([['3'], ['1', '2']]);
    env.node('1').propose(bytes('a'));
    env.stabilize();
    env.heal();
    env.crash(id('1'));
    // 3 missed "a": 2 holds it, so 2 refuses its vote and 3 cannot win.
    env.tick(id('3'), 10);
    env.node('3').campaign();
    env.stabilize();
    expect(env.leaders()).toEqual([]);
    env.node('2').campaign();
    env.stabilize();
    expect(env.leaders()).toEqual(['2']);
  });
});

describe('Raft §5.3 log matching', () => {
  it('overwrites a follower suffix that the new leader does not have', () => {
    const env = cluster(['1', '2', '3']);
    elect(env, '1');
    env.partition([['1'], ['2', '3']]);
    env.node('1').propose(bytes('lost-1'));
    env.node('1').propose(bytes('lost-2'));
    env.stabilize();
    env.tick(id('2'), 10);
    env.tick(id('3'), 10);
    env.node('2').campaign();
    env.stabilize();
    expect(env.leaders()).toEqual(['1', '2']); // 1 cannot know yet that it was replaced
    env.node('2').propose(bytes('kept'));
    env.stabilize();
    env.heal();
    env.tick(id('2'), 1);
    env.stabilize();
    for (const member of ['1', '2', '3']) {
      const node = env.node(member);
      const last = node.status().lastIndex;
      expect(text(node.entryAt(last)?.data ?? new Uint8Array())).toBe('kept');
      expect(appliedTexts(env, member)).toEqual(['kept']);
    }
  });
});

describe('Raft §5.4.2 committing entries from previous terms', () => {
  it('commits an old-term entry only together with an entry of the current term', () => {
    const env = cluster(['1', '2', '3']);
    elect(env, '1');
    env.partition([['1', '2'], ['3']]);
    env.node('1').propose(bytes('old'));
    env.processReady(id('1'));
    env.deliver({ to: id('2') });
    env.processReady(id('2'));
    // 2 has "old" but its acknowledgement is lost: not committed in term 2.
    env.deliver({ drop: true });
    env.heal();
    env.crash(id('1'));
    env.tick(id('2'), 10);
    env.tick(id('3'), 10);
    env.node('2').campaign();
    env.stabilize();
    expect(env.leaders()).toEqual(['2']);
    const status = env.node('2').status();
    // Committed through the new leader's no-op, which is the last entry.
    expect(status.hard.commit).toBe(status.lastIndex);
    expect(env.node('2').entryAt(status.lastIndex)?.kind).toBe('noop');
    expect(appliedTexts(env, '3')).toEqual(['old']);
  });
});

describe('Raft §6.2 check quorum and leader stickiness', () => {
  it('steps down a leader partitioned into a minority', () => {
    const env = cluster(['1', '2', '3']);
    elect(env, '1');
    env.partition([['1'], ['2', '3']]);
    // The first check sees the answers from before the cut; the second sees none.
    env.tick(id('1'), 10);
    env.stabilize();
    expect(env.node('1').status().soft.role).toBe('LEADER');
    env.tick(id('1'), 10);
    env.stabilize();
    expect(env.node('1').status().soft.role).toBe('FOLLOWER');
  });

  it('refuses proposals it cannot commit once stepped down', () => {
    const env = cluster(['1', '2', '3']);
    elect(env, '1');
    env.partition([['1'], ['2', '3']]);
    env.tick(id('1'), 20);
    expect(env.node('1').propose(bytes('x'))).toEqual({ ok: false, reason: 'not-leader' });
  });
});

describe('Raft dissertation §9.6 pre-vote', () => {
  it('stops a member rejoining from a partition from disrupting the leader', () => {
    const env = cluster(['1', '2', '3']);
    elect(env, '1');
    env.partition([['3'], ['1', '2']]);
    for (let i = 0; i < 5; i += 1) {
      env.tick(id('3'), 30);
      env.stabilize();
    }
    expect(env.node('3').status().hard.term).toBe(env.node('1').status().hard.term);
    env.heal();
    env.tick(id('3'), 30);
    env.stabilize();
    expect(env.leaders()).toEqual(['1']);
    expect(env.node('1').status().hard.term).toBe(2);
  });
});

describe('Raft dissertation §3.10 leadership transfer', () => {
  it('hands leadership to a caught-up voter', () => {
    const env = cluster(['1', '2', '3']);
    elect(env, '1');
    env.partition([['1', '2'], ['3']]);
    env.node('1').propose(bytes('a'));
    env.stabilize();
    env.heal();
    expect(env.node('1').transferLeadership(id('3'))).toEqual({ ok: true });
    expect(env.node('1').propose(bytes('b'))).toEqual({ ok: false, reason: 'transferring' });
    env.stabilize();
    expect(env.leaders()).toEqual(['3']);
    expect(appliedTexts(env, '3')).toEqual(['a']);
  });

  it('gives up a transfer to an unreachable member after an election timeout', () => {
    const env = cluster(['1', '2', '3']);
    elect(env, '1');
    env.partition([['1', '2'], ['3']]);
    env.node('1').transferLeadership(id('3'));
    env.tick(id('1'), 10);
    env.stabilize();
    expect(env.leaders()).toEqual(['1']);
    expect(env.node('1').propose(bytes('b')).ok).toBe(true);
  });
});

describe('Raft §7 log compaction', () => {
  it('brings a lagging follower up to date with a snapshot', () => {
    const env = cluster(['1', '2', '3']);
    elect(env, '1');
    env.crash(id('3'));
    for (const word of ['a', 'b', 'c']) env.node('1').propose(bytes(word));
    env.stabilize();
    const applied = env.node('1').status().applied;
    env.compact(id('1'), applied);
    expect(env.node('1').status().firstIndex).toBe(applied + 1);
    env.restart(id('3'));
    env.node('1').propose(bytes('d'));
    env.tick(id('1'), 1);
    env.stabilize();
    const follower = env.member('3');
    expect(follower.storage.snapshot?.meta.index).toBe(applied);
    expect(text(follower.storage.snapshot?.data ?? new Uint8Array())).toBe(`state@${applied}`);
    expect(appliedTexts(env, '3')).toEqual(['d']);
    expect(env.node('3').status().hard.commit).toBe(env.node('1').status().hard.commit);
  });
});

describe('Raft dissertation §4.1 membership changes', () => {
  it('adds a member with an empty log, one change at a time', () => {
    const env = cluster(['1', '2', '3']);
    env.join('4');
    env.join('5');
    elect(env, '1');
    const leader = env.node('1');
    expect(leader.proposeMembershipChange({ type: 'addVoter', member: id('4') }).ok).toBe(true);
    expect(leader.proposeMembershipChange({ type: 'addVoter', member: id('5') })).toEqual({
      ok: false,
      reason: 'config-change-pending',
    });
    env.stabilize();
    expect(env.node('4').status().membership.voters).toEqual(['1', '2', '3', '4']);
    expect(leader.proposeMembershipChange({ type: 'addVoter', member: id('5') }).ok).toBe(true);
    env.stabilize();
    expect(leader.status().membership.voters).toEqual(['1', '2', '3', '4', '5']);
  });

  it('steps down a leader that removes itself, and the rest elect a new one', () => {
    const env = cluster(['1', '2', '3']);
    elect(env, '1');
    env.node('1').proposeMembershipChange({ type: 'removeMember', member: id('1') });
    env.stabilize();
    expect(env.leaders()).toEqual([]);
    expect(env.node('2').status().membership.voters).toEqual(['2', '3']);
    env.tick(id('3'), 10);
    env.tick(id('2'), 30);
    env.stabilize();
    expect(env.leaders()).toHaveLength(1);
  });

  it('replicates to a learner without counting it for commits', () => {
    const env = cluster(['1', '2', '3']);
    env.join('4');
    elect(env, '1');
    env.node('1').proposeMembershipChange({ type: 'addLearner', member: id('4') });
    env.stabilize();
    env.partition([['1', '4'], ['2', '3']]);
    env.node('1').propose(bytes('x'));
    env.stabilize();
    expect(env.node('4').status().soft.role).toBe('LEARNER');
    expect(env.node('4').status().lastIndex).toBe(env.node('1').status().lastIndex);
    expect(appliedTexts(env, '1')).toEqual([]);
  });

  it('lets one member bootstrap and the others join with an empty log', () => {
    const env = new RaftEnv(1);
    env.bootstrapOne('1', ['1', '2', '3']);
    env.join('2');
    env.join('3');
    env.stabilize();
    elect(env, '1');
    env.node('1').propose(bytes('x'));
    env.stabilize();
    expect(appliedTexts(env, '3')).toEqual(['x']);
    expect(env.node('3').status().membership.voters).toEqual(['1', '2', '3']);
  });
});

describe('Raft dissertation §6.4 linearizable reads', () => {
  it('answers a read index after a heartbeat round confirms leadership', () => {
    const env = cluster(['1', '2', '3']);
    elect(env, '1');
    env.node('1').propose(bytes('x'));
    env.stabilize();
    expect(env.node('1').readIndex('q1')).toEqual({ ok: true });
    expect(env.member('1').readStates).toEqual([]);
    env.stabilize();
    const commit = env.node('1').status().hard.commit;
    expect(env.member('1').readStates).toEqual([{ ctx: 'q1', index: commit }]);
  });

  it('serves a follower read through the leader', () => {
    const env = cluster(['1', '2', '3']);
    elect(env, '1');
    expect(env.node('2').readIndex('q2')).toEqual({ ok: true });
    env.stabilize();
    expect(env.member('2').readStates.map((r) => r.ctx)).toEqual(['q2']);
  });

  it('never answers a read on a leader cut off from the majority', () => {
    const env = cluster(['1', '2', '3']);
    elect(env, '1');
    env.partition([['1'], ['2', '3']]);
    env.node('1').readIndex('q3');
    env.stabilize();
    env.tick(id('1'), 10);
    env.stabilize();
    expect(env.member('1').readStates).toEqual([]);
  });
});

describe('bounds', () => {
  it('drops proposals beyond the uncommitted byte budget', () => {
    const env = new RaftEnv(1, { maxUncommittedBytes: 10 });
    env.bootstrapAll(['1', '2', '3']);
    env.stabilize();
    elect(env, '1');
    env.partition([['1'], ['2', '3']]);
    expect(env.node('1').propose(bytes('12345678')).ok).toBe(true);
    expect(env.node('1').propose(bytes('12345'))).toEqual({
      ok: false,
      reason: 'uncommitted-bytes-max',
    });
  });

  it('rejects unusable settings with one sentence each', () => {
    const build = () =>
      resolveRaftConfig({ id: id('1'), rng: () => 0, electionTicks: 2, heartbeatTicks: 2 });
    expect(build).toThrow(RaftConfigInvalid);
    expect(build).toThrow(/heartbeatTicks \(2\) must be less than electionTicks \(2\)/);
  });
});

describe('restart', () => {
  it('rebuilds a member from storage and replays its committed entries', () => {
    const env = cluster(['1', '2', '3']);
    elect(env, '1');
    env.node('1').propose(bytes('a'));
    env.stabilize();
    env.crash(id('2'));
    env.restart(id('2'));
    env.stabilize();
    expect(env.node('2').status().hard.term).toBe(2);
    expect(appliedTexts(env, '2')).toEqual(['a']);
    expect(env.node('2').entryAt(asLogIndex(3))?.kind).toBe('normal');
  });
});

describe('members that must not lead', () => {
  it('never campaigns when refuseToBeLeader is set, even as the only voter', () => {
    const node = RaftNode.bootstrap(
      { id: id('1'), rng: () => 0.5, refuseToBeLeader: true },
      [id('1')],
    );
    for (let tick = 0; tick < 100; tick += 1) node.tick();
    expect(node.status().soft.role).toBe('FOLLOWER');
    expect(node.status().hard.term).toBe(1);
  });

  it('never campaigns before it knows the membership (joined, empty log)', () => {
    const node = RaftNode.join({ id: id('9'), rng: () => 0.5 });
    for (let tick = 0; tick < 100; tick += 1) node.tick();
    expect(node.status().hard.term).toBe(0);
  });
});

/**
 * RaftNode.reportPeerDown: the transport's evidence that a member's process is gone. A follower
 * of that member forgets it and campaigns within a few ticks instead of an election timeout;
 * nobody else changes, and a live leader keeps its place.
 */
import { describe, expect, it } from 'vitest';
import { RAFT_CONFIG_DEFAULTS } from '../../src/raft/config.js';
import { asMemberId } from '../../src/raft/types.js';
import { RaftEnv } from './raft-env.js';

const id = asMemberId;
const ELECTION_TICKS = 10;
const CAMPAIGN_TICKS_MAX = RAFT_CONFIG_DEFAULTS.peerDownCampaignTicksMax;

function electedCluster(seed: number): RaftEnv {
  const env = new RaftEnv(seed, { electionTicks: ELECTION_TICKS });
  env.bootstrapAll(['1', '2', '3']);
  env.stabilize();
  env.node('1').campaign();
  env.stabilize();
  expect(env.leaders()).toEqual(['1']);
  return env;
}

/**
 * One tick of every live member, each followed by delivering what it caused: members tick at
 * different instants, as on real machines, not in lockstep.
 */
function tickRound(env: RaftEnv): void {
  for (const member of env.ids()) {
    if (env.member(member).node === null) continue;
    env.tick(member, 1);
    env.stabilize();
  }
}

/** Rounds of ticks until a leader other than `old` exists. */
function ticksToNewLeader(env: RaftEnv, old: string, ticksMax = 100): number {
  for (let ticks = 1; ticks <= ticksMax; ticks += 1) {
    tickRound(env);
    if (env.leaders().some((leader) => leader !== old)) return ticks;
  }
  throw new Error(`no new leader within ${ticksMax} ticks`);
}

/** The leader dies; `told` survivors hear of it from their transport. */
function crashLeader(env: RaftEnv, told: readonly string[]): void {
  env.crash(id('1'));
  for (const member of told) env.node(member).reportPeerDown(id('1'));
  env.stabilize();
}

describe('a follower told that its leader is down', () => {
  it('forgets the leader at once, so nothing routes writes to it', () => {
    const env = electedCluster(1);
    crashLeader(env, ['2']);
    expect(env.node('2').status().soft).toEqual({ role: 'FOLLOWER', leader: null });
    expect(env.node('3').status().soft).toEqual({ role: 'FOLLOWER', leader: '1' });
  });

  it('gets a new leader elected within a few ticks, for every seed tried', () => {
    for (let seed = 1; seed <= 20; seed += 1) {
      const env = electedCluster(seed);
      crashLeader(env, ['2', '3']);
      expect(ticksToNewLeader(env, '1')).toBeLessThanOrEqual(CAMPAIGN_TICKS_MAX);
    }
  });

  it('gets one elected within a few ticks of the last report when reports come late', () => {
    for (let seed = 1; seed <= 20; seed += 1) {
      const env = electedCluster(seed);
      const lateTicks = 1 + (seed % 3);
      crashLeader(env, ['3']);
      for (let tick = 0; tick < lateTicks; tick += 1) tickRound(env);
      env.node('2').reportPeerDown(id('1'));
      const ticks = env.leaders().some((l) => l !== '1') ? 0 : ticksToNewLeader(env, '1');
      expect(ticks).toBeLessThanOrEqual(CAMPAIGN_TICKS_MAX);
    }
  });

  it('gets one elected when both survivors campaign at the same instant', () => {
    let collisions = 0;
    for (let seed = 1; seed <= 20; seed += 1) {
      const env = electedCluster(seed);
      crashLeader(env, ['2', '3']);
      // Both tick before either hears from the other: their pre-votes cross.
      for (let ticks = 1; env.leaders().every((l) => l === '1'); ticks += 1) {
        expect(ticks).toBeLessThanOrEqual(CAMPAIGN_TICKS_MAX);
        env.tick(id('2'), 1);
        env.tick(id('3'), 1);
        const bothCampaign = ['2', '3'].every((m) => env.node(m).status().soft.role !== 'FOLLOWER');
        if (bothCampaign) collisions += 1;
        env.stabilize();
      }
    }
    expect(collisions).toBeGreaterThan(0);
  });

  it('without the report, waits out the election timeout first', () => {
    for (let seed = 1; seed <= 20; seed += 1) {
      const env = electedCluster(seed);
      crashLeader(env, []);
      expect(ticksToNewLeader(env, '1')).toBeGreaterThanOrEqual(ELECTION_TICKS);
    }
  });
});

describe('a report that does not concern the leader one follows', () => {
  it('changes nothing on a follower told about another follower', () => {
    const env = electedCluster(1);
    env.node('2').reportPeerDown(id('3'));
    expect(env.node('2').hasReady()).toBe(false);
    expect(env.node('2').status().soft).toEqual({ role: 'FOLLOWER', leader: '1' });
    env.tick(id('2'), CAMPAIGN_TICKS_MAX);
    env.stabilize();
    expect(env.node('2').status().soft.role).toBe('FOLLOWER');
  });

  it('changes nothing on the leader', () => {
    const env = electedCluster(1);
    const before = env.node('1').status();
    env.node('1').reportPeerDown(id('2'));
    expect(env.node('1').hasReady()).toBe(false);
    expect(env.node('1').status()).toEqual(before);
  });

  it('changes nothing on a candidate', () => {
    const env = electedCluster(1);
    env.partition([['2'], ['1', '3']]);
    env.node('2').campaign();
    env.stabilize();
    const before = env.node('2').status();
    expect(before.soft.role).toBe('PRE_CANDIDATE');
    env.node('2').reportPeerDown(id('1'));
    expect(env.node('2').status()).toEqual(before);
  });
});

describe('a wrong report about a live leader', () => {
  it('does not unseat it: members that still hear from it refuse the pre-vote', () => {
    const env = electedCluster(1);
    const term = env.node('1').status().hard.term;
    // The leader's messages to 2 are lost, so 2 campaigns instead of hearing a heartbeat.
    env.cutOneWay('1', '2');
    env.node('2').reportPeerDown(id('1'));
    for (let tick = 0; tick < CAMPAIGN_TICKS_MAX; tick += 1) tickRound(env);
    expect(env.node('2').status().soft.role).toBe('PRE_CANDIDATE');
    expect(env.leaders()).toEqual(['1']);
    expect(env.node('3').status().soft.leader).toBe('1');
    env.heal();
    tickRound(env);
    expect(env.node('1').status().hard.term).toBe(term);
    expect(env.node('2').status().soft).toEqual({ role: 'FOLLOWER', leader: '1' });
  });
});

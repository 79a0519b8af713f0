/**
 * Messages that leave before the Ready holding them is persisted (ready.ts): which ones, and
 * how a burst of proposals becomes one Append per follower.
 */
import { describe, expect, it } from 'vitest';
import { coalesceAppends } from '../../src/raft/ready.js';
import { RaftNode } from '../../src/raft/raft-node.js';
import { asLogIndex } from '../../src/raft/types.js';
import type { AppendRequest, Entry, Message } from '../../src/raft/types.js';
import { a, b, c, settleAll, settledLeader, term } from './settled-leader.js';

function entry(index: number): Entry {
  return { term, index: asLogIndex(index), kind: 'normal', data: new Uint8Array([index]) };
}

function append(to: typeof a, prevIndex: number, indexes: number[], commit = 0): AppendRequest {
  return { type: 'Append', from: a, to, term, prevIndex: asLogIndex(prevIndex), prevTerm: term,
    commit: asLogIndex(commit), entries: indexes.map(entry) };
}

describe('urgent messages', () => {
  it('lets a leader\'s Appends leave before its own entries are persisted', () => {
    const node = settledLeader();
    expect(node.propose(new Uint8Array([1])).ok).toBe(true);
    const urgent = node.takeUrgentMessages();
    expect(urgent.map((m) => `${m.type}->${m.to}`).sort()).toEqual(['Append->b', 'Append->c']);
    // The entry itself still waits for the next Ready, and the leader does not count itself yet.
    const ready = node.ready();
    expect(ready.entries.map((e) => e.kind)).toEqual(['normal']);
    expect(ready.messages.filter((m) => m.type === 'Append')).toEqual([]);
  });

  it('holds back a candidate\'s vote requests until its new term is persisted', () => {
    const node = RaftNode.bootstrap({ id: a, rng: () => 0 }, [a, b, c]);
    settleAll(node);
    node.campaign();
    expect(node.takeUrgentMessages()).toEqual([]);
    const ready = node.ready();
    expect(ready.messages.map((m) => m.type).sort()).toEqual(['PreVote', 'PreVote']);
  });

  it('merges consecutive Appends to one member whose entries continue each other', () => {
    const merged = coalesceAppends([append(b, 4, [5], 3), append(c, 4, [5]),
      append(b, 5, [6], 4), append(b, 6, [7, 8], 4)], 64);
    expect(merged).toHaveLength(2);
    const [toB, toC] = merged as [AppendRequest, AppendRequest];
    expect(toB.entries.map((e) => e.index)).toEqual([5, 6, 7, 8]);
    expect([toB.prevIndex, toB.commit]).toEqual([4, 4]);
    expect(toC.entries.map((e) => e.index)).toEqual([5]);
  });

  it('folds a commit-only Append into the Append that continues it, either way round', () => {
    const [commitFirst] = coalesceAppends([append(b, 4, [], 4), append(b, 4, [5], 3)], 64) as
      [AppendRequest];
    expect(commitFirst.entries.map((e) => e.index)).toEqual([5]);
    expect([commitFirst.prevIndex, commitFirst.commit]).toEqual([4, 4]);
    const merged = coalesceAppends([append(b, 4, [5], 3), append(b, 5, [], 5)], 64);
    expect(merged).toHaveLength(1);
    expect((merged[0] as AppendRequest).commit).toBe(5);
    // An empty Append that does not start where the other ends stays a message of its own.
    expect(coalesceAppends([append(b, 4, [5]), append(b, 4, [], 4)], 64)).toHaveLength(2);
  });

  it('sends one Append per follower for proposals and a commit taken together', () => {
    const node = settledLeader();
    expect(node.propose(new Uint8Array([1])).ok).toBe(true);
    node.advance(node.ready());
    const index = node.status().lastIndex;
    node.takeUrgentMessages();
    node.step({ type: 'AppendResp', from: b, to: a, term, index, reject: false, hintIndex: index,
      hintTerm: term });
    expect(node.propose(new Uint8Array([2])).ok).toBe(true);
    const urgent = node.takeUrgentMessages();
    expect(urgent.map((m) => `${m.type}->${m.to}`).sort()).toEqual(['Append->b', 'Append->c']);
    const toC = urgent.find((m) => m.to === c) as AppendRequest;
    expect(toC.commit).toBe(index);
    expect(toC.entries.map((e) => e.index)).toEqual([index + 1]);
  });

  it('keeps Appends apart that do not continue, exceed the bound, or straddle a message', () => {
    const heartbeat: Message = { type: 'Heartbeat', from: a, to: b, term, commit: asLogIndex(0),
      leaderCommit: asLogIndex(0), ctx: null };
    expect(coalesceAppends([append(b, 4, [5]), append(b, 6, [7])], 64)).toHaveLength(2);
    expect(coalesceAppends([append(b, 4, [5, 6]), append(b, 6, [7])], 2)).toHaveLength(2);
    expect(coalesceAppends([append(b, 4, [5]), heartbeat, append(b, 5, [6])], 64)).toHaveLength(3);
  });
});

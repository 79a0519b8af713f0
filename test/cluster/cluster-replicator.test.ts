import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClusterReplicator, type ProposingLoop } from '../../src/cluster/cluster-replicator.js';
import { encodeChangeSet, type ChangeSet } from '../../src/graph/changeset.js';
import type { RaftStatus } from '../../src/raft/raft-node.js';
import { asLogIndex, asTerm, type ProposalResult } from '../../src/raft/types.js';

/** A raft loop that accepts every proposal at the next index of the term it is told. */
class FakeLoop implements ProposingLoop {
  lastIndex = 0;
  term = 1;

  propose(): ProposalResult {
    this.lastIndex += 1;
    return { ok: true, index: asLogIndex(this.lastIndex), term: asTerm(this.term) };
  }

  status(): RaftStatus {
    return { lastIndex: asLogIndex(this.lastIndex) } as RaftStatus;
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }
}

function changeSet(label: string): ChangeSet {
  return { nodes: [{ op: 'create', id: 0 as never, labels: [label], props: [] }], rels: [],
    schema: [] };
}

/** A leader of term 1 that has applied its no-op at index 1 and may take writes. */
function leader(): { loop: FakeLoop; machine: { appliedIndex: number }; r: ClusterReplicator } {
  const loop = new FakeLoop();
  loop.lastIndex = 1;
  const machine = { appliedIndex: 0 };
  const r = new ClusterReplicator(loop, machine, 60_000);
  r.setRole('LEADER');
  machine.appliedIndex = 1;
  r.applied(1, 1);
  return { loop, machine, r };
}

describe('the leader applies the ChangeSet it built', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('hands back the built ChangeSet for the very entry it proposed, then forgets it', async () => {
    const { machine, r } = leader();
    const built = changeSet('A');
    const data = encodeChangeSet(built);
    const committed = r.replicate(data, built);
    expect(r.builtFor({ index: 2, data })).toBe(built);
    // Equal bytes in another array are not the proposed entry (they came from elsewhere).
    expect(r.builtFor({ index: 2, data: Uint8Array.from(data) })).toBeUndefined();
    expect(r.builtFor({ index: 3, data })).toBeUndefined();
    machine.appliedIndex = 2;
    r.applied(2, 1);
    await expect(committed).resolves.toBe(2);
    expect(r.builtFor({ index: 2, data })).toBeUndefined();
  });

  it('never hands a kept ChangeSet to another leader\'s entry at the same index', async () => {
    const { machine, r } = leader();
    const mine = changeSet('Mine');
    const myData = encodeChangeSet(mine);
    const committed = r.replicate(myData, mine);
    // A new leader of term 2 overwrites index 2 with its own entry before this one commits.
    r.setRole('FOLLOWER');
    const theirs = encodeChangeSet(changeSet('Theirs'));
    expect(r.builtFor({ index: 2, data: theirs })).toBeUndefined();
    // Even the proposed bytes themselves are decoded once leadership has moved on.
    expect(r.builtFor({ index: 2, data: myData })).toBeUndefined();
    machine.appliedIndex = 2;
    r.applied(2, 2);
    await expect(committed).rejects.toMatchObject({
      code: 'Neo.TransientError.Cluster.ReplicationFailure' });
  });

  it('drops what it kept when the proposal times out', async () => {
    vi.useFakeTimers();
    const { r } = leader();
    const built = changeSet('Late');
    const data = encodeChangeSet(built);
    const committed = r.replicate(data, built);
    const outcome = expect(committed).rejects.toMatchObject({
      code: 'Neo.TransientError.Cluster.ReplicationFailure' });
    vi.advanceTimersByTime(60_000);
    await outcome;
    expect(r.builtFor({ index: 2, data })).toBeUndefined();
  });

  it('keeps nothing for a proposal made without its ChangeSet', () => {
    const { r } = leader();
    const data = encodeChangeSet(changeSet('Bytes'));
    void r.replicate(data).catch(() => undefined);
    expect(r.builtFor({ index: 2, data })).toBeUndefined();
  });
});

describe('the replication timeout', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fails each proposal at its own deadline, keeping one timer for all of them', async () => {
    vi.useFakeTimers();
    const { r } = leader();
    const outcomes: string[] = [];
    const track = (name: string, p: Promise<number>) => p.then(
      () => outcomes.push(`${name} committed`),
      (e: { code?: string }) => outcomes.push(`${name} ${e.code ?? 'error'}`));
    const first = track('first', r.replicate(encodeChangeSet(changeSet('A'))));
    vi.advanceTimersByTime(30_000);
    const second = track('second', r.replicate(encodeChangeSet(changeSet('B'))));
    const third = track('third', r.replicate(encodeChangeSet(changeSet('C'))));
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(30_000);
    await first;
    expect(outcomes).toEqual(['first Neo.TransientError.Cluster.ReplicationFailure']);
    // The third commits in time; the second's deadline comes 60 s after it was proposed.
    r.applied(4, 1);
    await third;
    vi.advanceTimersByTime(29_999);
    await Promise.resolve();
    expect(outcomes).toHaveLength(2);
    vi.advanceTimersByTime(1);
    await second;
    expect(outcomes).toEqual(['first Neo.TransientError.Cluster.ReplicationFailure',
      'third committed', 'second Neo.TransientError.Cluster.ReplicationFailure']);
    expect(vi.getTimerCount()).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/raft/progress.js';
import { asLogIndex } from '../../src/raft/types.js';

function replicatingAt(match: number): Progress {
  const progress = new Progress(asLogIndex(1), 8);
  progress.maybeUpdate(asLogIndex(match));
  progress.becomeReplicate();
  return progress;
}

describe("the leader's progress of one follower", () => {
  it('ignores a stale rejection of an append below what the follower matched', () => {
    const progress = replicatingAt(10);
    expect(progress.maybeDecrTo(asLogIndex(5), asLogIndex(5))).toBe(false);
    expect(progress.match).toBe(10);
    expect(progress.state).toBe('replicate');
  });

  it('probes again from a follower whose log ends below what it had acknowledged', () => {
    // chaos seed 106: a member's disk lost the end of a record it had synced and acknowledged.
    const progress = replicatingAt(10);
    expect(progress.maybeDecrTo(asLogIndex(10), asLogIndex(7))).toBe(true);
    expect(progress.match).toBe(7);
    expect(progress.next).toBe(8);
    expect(progress.state).toBe('probe');
  });
});

/**
 * A leader holds a follower's new entries while an Append to it is unanswered and its own
 * write is syncing (replication.ts, holdsEntries), and sends them in one Append as soon as
 * either the answer arrives or its own write is durable.
 */
import { describe, expect, it } from 'vitest';
import type { RaftNode } from '../../src/raft/raft-node.js';
import type { AppendRequest, LogIndex, MemberId, Message } from '../../src/raft/types.js';
import { a, b, c, settledLeader, term } from './settled-leader.js';

function propose(node: RaftNode): LogIndex {
  const result = node.propose(new Uint8Array([7]));
  if (!result.ok) throw new Error(`proposal refused: ${result.reason}`);
  return result.index;
}

/** Each Append of `messages` as "to:entry indexes:commit". */
function appends(messages: readonly Message[]): string[] {
  return messages.filter((m): m is AppendRequest => m.type === 'Append')
    .map((m) => `${m.to}:${m.entries.map((e) => e.index).join(',')}:${m.commit}`).sort();
}

function acknowledge(node: RaftNode, from: MemberId, index: LogIndex): void {
  node.step({ type: 'AppendResp', from, to: a, term, index, reject: false, hintIndex: index,
    hintTerm: term });
}

describe('holding Appends while the leader syncs', () => {
  it('sends entries proposed during its own sync in one Append when the sync completes', () => {
    const node = settledLeader();
    const commit = node.status().leaderCommit;
    const first = propose(node);
    // No write of the leader's is under way yet: the Append leaves at once.
    expect(appends(node.takeUrgentMessages())).toEqual([`b:${first}:${commit}`,
      `c:${first}:${commit}`]);
    const ready = node.ready();
    expect(ready.entries.map((e) => e.index)).toEqual([first]);
    const second = propose(node);
    expect(node.takeUrgentMessages()).toEqual([]);
    const third = propose(node);
    expect(node.takeUrgentMessages()).toEqual([]);
    node.advance(ready);
    expect(appends(node.takeUrgentMessages())).toEqual([`b:${second},${third}:${commit}`,
      `c:${second},${third}:${commit}`]);
  });

  it('sends a follower its held entries as soon as it answers', () => {
    const node = settledLeader();
    const commit = node.status().leaderCommit;
    const first = propose(node);
    node.takeUrgentMessages();
    const ready = node.ready();
    const second = propose(node);
    expect(node.takeUrgentMessages()).toEqual([]);
    acknowledge(node, b, first);
    expect(appends(node.takeUrgentMessages())).toEqual([`b:${second}:${commit}`]);
    node.advance(ready);
    // The leader's write makes `first` committed (a and b): c gets it with its held entry.
    expect(appends(node.takeUrgentMessages())).toEqual([`b::${first}`, `c:${second}:${first}`]);
  });

  it('tells a follower whose entries are held of a commit, without entries', () => {
    const node = settledLeader();
    const first = propose(node);
    node.takeUrgentMessages();
    const ready = node.ready();
    const second = propose(node);
    acknowledge(node, b, first);
    node.takeUrgentMessages();
    const third = propose(node);
    expect(node.takeUrgentMessages()).toEqual([]);
    // b and c hold `first`: it commits while the leader's own write is still syncing.
    acknowledge(node, c, first);
    expect(appends(node.takeUrgentMessages())).toEqual([`b::${first}`,
      `c:${second},${third}:${first}`]);
    node.advance(ready);
    expect(appends(node.takeUrgentMessages())).toEqual([`b:${third}:${first}`]);
    expect(node.status().leaderCommit).toBe(first);
  });
});

/** A leader of members a, b and c, every Ready persisted, both followers in replicate state. */
import { expect } from 'vitest';
import { RaftNode } from '../../src/raft/raft-node.js';
import { asMemberId, asTerm } from '../../src/raft/types.js';

export const [a, b, c] = [asMemberId('a'), asMemberId('b'), asMemberId('c')];
/** The leader's term: bootstrap is term 1, the election makes it 2. */
export const term = asTerm(2);

export function settleAll(node: RaftNode): void {
  while (node.hasReady()) node.advance(node.ready());
}

export function settledLeader(): RaftNode {
  const node = RaftNode.bootstrap({ id: a, rng: () => 0 }, [a, b, c]);
  settleAll(node);
  node.campaign();
  settleAll(node);
  node.step({ type: 'PreVoteResp', from: b, to: a, term, reject: false });
  settleAll(node);
  node.step({ type: 'VoteResp', from: b, to: a, term, reject: false });
  settleAll(node);
  expect(node.status().soft.role).toBe('LEADER');
  // Both followers acknowledge the leader's no-op, so it replicates to them without probing.
  const index = node.status().lastIndex;
  for (const from of [b, c]) {
    node.step({ type: 'AppendResp', from, to: a, term, index, reject: false, hintIndex: index,
      hintTerm: term });
  }
  settleAll(node);
  return node;
}

import { describe, expect, it } from 'vitest';
import { CommitGate } from '../../src/db/commit-gate.js';

const keys = (exclusive: string[], shared: string[] = []) => ({
  exclusiveKeys: new Set(exclusive), sharedKeys: new Set(shared),
});

/** One transaction's life: begin, validate, applied, end. */
function commit(gate: CommitGate, exclusive: string[]): void {
  const start = gate.begin();
  const seq = gate.validate(start, keys(exclusive));
  gate.applied(seq);
  gate.end(start);
}

describe('CommitGate', () => {
  it('fails the second of two overlapping transactions that change the same node', () => {
    const gate = new CommitGate();
    const a = gate.begin();
    const b = gate.begin();
    gate.applied(gate.validate(a, keys(['n1'])));
    expect(() => gate.validate(b, keys(['n1']))).toThrow(/conflicts/);
    gate.end(a);
    gate.end(b);
  });

  it('lets a transaction that began after a commit change the same node', () => {
    const gate = new CommitGate();
    commit(gate, ['n1']);
    const b = gate.begin();
    expect(() => gate.validate(b, keys(['n1']))).not.toThrow();
  });

  it('fails linking to a node that a concurrent transaction deleted', () => {
    const gate = new CommitGate();
    const a = gate.begin();
    const b = gate.begin();
    gate.applied(gate.validate(a, keys(['n7'])));
    expect(() => gate.validate(b, keys([], ['n7']))).toThrow(/node 7/);
  });

  it('remembers a claim while an older transaction is open and forgets it after', () => {
    const gate = new CommitGate();
    const old = gate.begin();
    for (let i = 0; i < 100; i++) commit(gate, [`n${i}`]);
    expect(gate.rememberedKeyCount()).toBe(100);
    expect(() => gate.validate(old, keys(['n50']))).toThrow(/conflicts/);
    gate.end(old);
    expect(gate.rememberedKeyCount()).toBe(0);
  });

  it('keeps a key claimed again after older claims are pruned', () => {
    const gate = new CommitGate();
    const old = gate.begin();
    commit(gate, ['n1']);
    commit(gate, ['n2']);
    const middle = gate.begin();
    commit(gate, ['n1']);
    gate.end(old);
    // n2's claim is older than every open transaction; n1's newest claim is not.
    expect(gate.rememberedKeyCount()).toBe(1);
    expect(() => gate.validate(middle, keys(['n1']))).toThrow(/node 1/);
    expect(() => gate.validate(middle, keys(['n2']))).not.toThrow();
  });
});

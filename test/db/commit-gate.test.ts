import { describe, expect, it } from 'vitest';
import { CommitGate } from '../../src/db/commit-gate.js';
import { relConflictKey, type ConflictKey } from '../../src/graph/write-tx.js';

// A node's conflict key is its id; relationships and unique values have keys of their own.
const keys = (exclusive: ConflictKey[], shared: ConflictKey[] = []) => ({
  exclusiveKeys: new Set(exclusive), sharedKeys: new Set(shared),
});

/** One transaction's life: begin, validate, applied, end. */
function commit(gate: CommitGate, exclusive: ConflictKey[]): void {
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
    gate.applied(gate.validate(a, keys([1])));
    expect(() => gate.validate(b, keys([1]))).toThrow(/conflicts/);
    gate.end(a);
    gate.end(b);
  });

  it('lets a transaction that began after a commit change the same node', () => {
    const gate = new CommitGate();
    commit(gate, [1]);
    const b = gate.begin();
    expect(() => gate.validate(b, keys([1]))).not.toThrow();
  });

  it('fails linking to a node that a concurrent transaction deleted', () => {
    const gate = new CommitGate();
    const a = gate.begin();
    const b = gate.begin();
    gate.applied(gate.validate(a, keys([7])));
    expect(() => gate.validate(b, keys([], [7]))).toThrow(/node 7/);
  });

  it('remembers a claim while an older transaction is open and forgets it after', () => {
    const gate = new CommitGate();
    const old = gate.begin();
    for (let i = 0; i < 100; i++) commit(gate, [i]);
    expect(gate.rememberedKeyCount()).toBe(100);
    expect(() => gate.validate(old, keys([50]))).toThrow(/conflicts/);
    gate.end(old);
    expect(gate.rememberedKeyCount()).toBe(0);
  });

  it('keeps a key claimed again after older claims are pruned', () => {
    const gate = new CommitGate();
    const old = gate.begin();
    commit(gate, [1]);
    commit(gate, [2]);
    const middle = gate.begin();
    commit(gate, [1]);
    gate.end(old);
    // n2's claim is older than every open transaction; n1's newest claim is not.
    expect(gate.rememberedKeyCount()).toBe(1);
    expect(() => gate.validate(middle, keys([1]))).toThrow(/node 1/);
    expect(() => gate.validate(middle, keys([2]))).not.toThrow();
  });

  it('names a relationship and a unique value in the conflict it reports', () => {
    const gate = new CommitGate();
    const a = gate.begin();
    const b = gate.begin();
    gate.applied(gate.validate(a, keys([relConflictKey(3), 'u:Person.id=1'])));
    expect(() => gate.validate(b, keys([relConflictKey(3)]))).toThrow(/relationship 3/);
    expect(() => gate.validate(b, keys(['u:Person.id=1']))).toThrow(/a unique property value/);
  });
});

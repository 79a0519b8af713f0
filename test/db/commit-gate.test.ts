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

describe('CommitGate conflict naming', () => {
  it('names the first of its own keys that conflicts, its changes before its links', () => {
    const gate = new CommitGate();
    const a = gate.begin();
    const b = gate.begin();
    gate.applied(gate.validate(a, keys([4, 9], [5])));
    expect(() => gate.validate(b, keys([3, 9, 4]))).toThrow(/node 9/);
    expect(() => gate.validate(b, keys([5], [4]))).toThrow(/node 5/);
    expect(() => gate.validate(b, keys([2], [1, 4]))).toThrow(/node 4/);
    // Both only linking to node 5 is no conflict, as neither changed it.
    expect(() => gate.validate(b, keys([2], [5]))).not.toThrow();
  });
});

describe('CommitGate with the key sets of large transactions', () => {
  const range = (from: number, count: number): number[] =>
    Array.from({ length: count }, (_, i) => from + i);

  it('finds a conflict between a large load and a small transaction either way round', () => {
    const gate = new CommitGate();
    const load = gate.begin();
    const small = gate.begin();
    gate.applied(gate.validate(load, keys([], range(0, 1000))));
    // The load only linked to node 500: deleting it conflicts, linking to it again does not.
    expect(() => gate.validate(small, keys([500]))).toThrow(/node 500/);
    expect(() => gate.validate(small, keys([], [500]))).not.toThrow();
    const later = gate.begin();
    const load2 = gate.begin();
    gate.applied(gate.validate(later, keys([7])));
    expect(() => gate.validate(load2, keys(range(2000, 300), range(0, 1000))))
      .toThrow(/node 7/);
  });

  it('names the first conflicting key of its own whatever claim holds it', () => {
    const gate = new CommitGate();
    const a = gate.begin();
    const b = gate.begin();
    const c = gate.begin();
    gate.applied(gate.validate(a, keys(range(100, 300))));
    gate.applied(gate.validate(b, keys([42])));
    expect(() => gate.validate(c, keys([1, 42, 150]))).toThrow(/node 42/);
    expect(() => gate.validate(c, keys([1, 150, 42]))).toThrow(/node 150/);
  });

  it('forgets a large claim once no transaction that began before it is open', () => {
    const gate = new CommitGate();
    const old = gate.begin();
    commit(gate, range(0, 300));
    expect(gate.rememberedKeyCount()).toBe(300);
    expect(() => gate.validate(old, keys([299]))).toThrow(/node 299/);
    gate.end(old);
    expect(gate.rememberedKeyCount()).toBe(0);
    const fresh = gate.begin();
    expect(() => gate.validate(fresh, keys([299]))).not.toThrow();
  });
});

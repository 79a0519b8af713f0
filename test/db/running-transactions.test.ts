import { describe, expect, it } from 'vitest';
import { RunningTransactions, type TrackedTransaction } from '../../src/db/database-core.js';

function tx(id: string): TrackedTransaction {
  return { id, user: 'neo4j', startedAtMs: 0, currentQuery: '', status: 'Running',
    terminate: () => undefined };
}

describe('the registry of running transactions', () => {
  it('lists what is running after removals from the middle, the end and twice', () => {
    const running = new RunningTransactions();
    const [a, b, c, d] = [tx('a'), tx('b'), tx('c'), tx('d')];
    for (const t of [a, b, c, d]) running.add(t);
    running.delete(b);
    running.delete(d);
    running.delete(d);
    expect([...running].map((t) => t.id).sort()).toEqual(['a', 'c']);
    expect(running.size).toBe(2);
  });

  it('may be changed while it is listed (a transaction terminated during SHOW)', () => {
    const running = new RunningTransactions();
    const all = ['a', 'b', 'c'].map(tx);
    for (const t of all) running.add(t);
    const seen: string[] = [];
    for (const t of running) {
      seen.push(t.id);
      running.delete(t);
    }
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(running.size).toBe(0);
  });
});

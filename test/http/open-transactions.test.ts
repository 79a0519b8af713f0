import { describe, expect, it } from 'vitest';
import type { TransactionHandle } from '../../src/db/api.js';
import { OpenTransactions } from '../../src/http/open-transactions.js';

const handle = {} as TransactionHandle;

describe('OpenTransactions', () => {
  it('expires an idle transaction after the timeout, counted from its last use', () => {
    let now = 0;
    const open = new OpenTransactions(() => now, 1000);
    const entry = open.add({ handle, user: 'neo4j', database: 'neo4j' });
    open.release(entry);
    now = 900;
    open.release(open.acquire(entry.id, 'neo4j', 'neo4j'));
    now = 1800;
    expect(open.takeExpired()).toEqual([]);
    now = 1900;
    expect(open.takeExpired()).toEqual([entry]);
    expect(() => open.acquire(entry.id, 'neo4j', 'neo4j')).toThrow(/Unrecognized transaction id/);
  });

  it('refuses other users, other databases and concurrent use', () => {
    const open = new OpenTransactions(() => 0);
    const entry = open.add({ handle, user: 'neo4j', database: 'neo4j' });
    expect(() => open.acquire(entry.id, 'neo4j', 'neo4j')).toThrow(/concurrently/);
    open.release(entry);
    expect(() => open.acquire(entry.id, 'mallory', 'neo4j')).toThrow(/Unrecognized/);
    expect(() => open.acquire(entry.id, 'neo4j', 'other')).toThrow(/Unrecognized/);
    expect(open.acquire(entry.id, 'neo4j', 'neo4j')).toBe(entry);
  });
});

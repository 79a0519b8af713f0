/**
 * A WRITE transaction builds its write layer only at its first writing statement; it must still
 * read one version from begin to end and be checked against commits made after its begin.
 */
import { describe, expect, it } from 'vitest';
import { Database } from '../../src/db/database.js';
import type { Value } from '../../src/graph/values.js';

function all(result: { next(): Value[] | null }): Value[][] {
  const rows: Value[][] = [];
  for (let r = result.next(); r !== null; r = result.next()) rows.push(r);
  return rows;
}

describe('WRITE transactions that start by reading', () => {
  it('conflict with a commit made after their begin, before their first write', async () => {
    const db = await Database.open(null);
    await db.run('CREATE (:C {id: 1, n: 0})');
    const tx = await db.begin({ mode: 'WRITE' });
    expect(all(tx.run('MATCH (c:C) RETURN c.n'))).toEqual([[0n]]);
    await db.run('MATCH (c:C) SET c.n = 10');
    // Still the version it began on, then a write of the same node: first committer wins.
    expect(all(tx.run('MATCH (c:C) SET c.n = c.n + 1 RETURN c.n'))).toEqual([[1n]]);
    await expect(tx.commit()).rejects.toMatchObject({
      code: 'Neo.TransientError.Transaction.DeadlockDetected' });
    expect((await db.run('MATCH (c:C) RETURN c.n')).records).toEqual([[10n]]);
    await db.close();
  });

  it('conflict even when the concurrent commit happened before their first statement',
    async () => {
      const db = await Database.open(null);
      await db.run('CREATE (:C {id: 1, n: 0})');
      const tx = await db.begin({ mode: 'WRITE' });
      await db.run('MATCH (c:C) SET c.n = 10');
      all(tx.run('MATCH (c:C) SET c.n = 5'));
      await expect(tx.commit()).rejects.toMatchObject({
        code: 'Neo.TransientError.Transaction.DeadlockDetected' });
      await db.close();
    });

  it('read their own writes and commit them', async () => {
    const db = await Database.open(null);
    const tx = await db.begin({ mode: 'WRITE' });
    expect(all(tx.run('MATCH (n) RETURN count(n)'))).toEqual([[0n]]);
    all(tx.run('CREATE (:P {name: "a"})'));
    expect(all(tx.run('MATCH (p:P) RETURN p.name'))).toEqual([['a']]);
    const { bookmark } = await tx.commit();
    expect(bookmark).not.toBe('');
    expect((await db.run('MATCH (p:P) RETURN p.name')).records).toEqual([['a']]);
    await db.close();
  });

  it('commit without writing anything when they only read', async () => {
    const db = await Database.open(null);
    await db.run('CREATE (:P)');
    const tx = await db.begin({ mode: 'WRITE' });
    expect(all(tx.run('RETURN 1'))).toEqual([[1n]]);
    await tx.commit();
    const again = await db.begin({ mode: 'WRITE' });
    all(again.run('MATCH (p:P) SET p.x = 1'));
    await again.commit();
    expect((await db.run('MATCH (p:P) RETURN p.x')).records).toEqual([[1n]]);
    await db.close();
  });

  it('still refuses writes in a READ transaction', async () => {
    const db = await Database.open(null);
    const tx = await db.begin({ mode: 'READ' });
    expect(() => tx.run('CREATE ()')).toThrow(/read access mode/);
    await tx.rollback();
    await db.close();
  });
});

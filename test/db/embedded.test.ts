import { describe, expect, it } from 'vitest';
import { Database } from '../../src/index.js';

describe('the embedded library', () => {
  it('commits statements whose results were never read', async () => {
    const db = await Database.open(null);
    const tx = await db.begin();
    tx.run("CREATE (:Person {name: 'Grace'})");
    await tx.commit();
    expect((await db.run('MATCH (p:Person) RETURN p.name AS name')).rows()).toEqual([{ name: 'Grace' }]);
    await db.close();
  });

  it('turns whole JS numbers into integers and other numbers into floats', async () => {
    const db = await Database.open(null);
    const r = await db.run('RETURN $a AS a, $b AS b, $c AS c', { a: 3, b: 2.5, c: 10n });
    expect(r.records[0]).toEqual([3n, 2.5, 10n]);
    await db.close();
  });

  it('refuses writes in a read transaction and leaves nothing behind after rollback', async () => {
    const db = await Database.open(null);
    const read = await db.begin({ mode: 'READ' });
    expect(() => read.run('CREATE ()')).toThrowError(/read access mode/);
    await read.rollback();
    const tx = await db.begin();
    tx.run('CREATE (), ()').next();
    await tx.rollback();
    expect((await db.run('MATCH (n) RETURN count(n) AS c')).records[0]).toEqual([0n]);
    await db.close();
  });

  it('waits for a bookmark, times out on one from the future, and refuses a malformed one', async () => {
    const db = await Database.open(null, { bookmarkReadyTimeoutMs: 100 });
    const { bookmark } = await db.run('CREATE ()');
    const tx = await db.begin({ bookmarks: [bookmark] });
    expect(tx.run('MATCH (n) RETURN count(n)').next()).toEqual([1n]);
    await tx.rollback();
    const future = bookmark.replace(/:(\d+)$/, (_, n: string) => `:${Number(n) + 5}`);
    await expect(db.begin({ bookmarks: [future] })).rejects.toMatchObject({
      code: 'Neo.TransientError.Transaction.BookmarkTimeout' });
    await expect(db.begin({ bookmarks: ['nonsense'] })).rejects.toMatchObject({
      code: 'Neo.ClientError.Transaction.InvalidBookmark' });
    await db.close();
  });
});

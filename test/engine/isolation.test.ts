/**
 * Isolation in the embedded engine: concurrent read-modify-write statements lose no update,
 * readers keep the version they started on while others commit, and a transaction that is
 * rolled back or fails leaves nothing behind, in memory or on disk.
 */
import { describe, expect, it } from 'vitest';
import { Database } from '../../src/db/database.js';
import type { Value } from '../../src/graph/values.js';
import { column, scalar, tempDbDir } from './helpers.js';

const WORKERS = 10;
const INCREMENTS_PER_WORKER = 20;

describe('transaction isolation', () => {
  it('loses no update when 10 clients increment one counter 20 times each', async () => {
    const db = await Database.open(await tempDbDir());
    await db.run('CREATE (:C {id: 1, n: 0})');
    const worker = async (): Promise<void> => {
      for (let i = 0; i < INCREMENTS_PER_WORKER; i++) {
        await db.run('MATCH (a:C {id: 1}) SET a.n = a.n + 1');
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    expect(await scalar(db, 'MATCH (a:C {id: 1}) RETURN a.n')).toBe(200n);
    await db.close();
  });

  it('surfaces a conflict to an explicit transaction instead of overwriting', async () => {
    const db = await Database.open(null);
    await db.run('CREATE (:C {id: 1, n: 0})');
    const first = await db.begin();
    const second = await db.begin();
    first.run('MATCH (a:C {id: 1}) SET a.n = a.n + 1').next();
    second.run('MATCH (a:C {id: 1}) SET a.n = a.n + 10').next();
    await first.commit();
    await expect(second.commit()).rejects.toMatchObject({
      code: 'Neo.TransientError.Transaction.DeadlockDetected' });
    expect(await scalar(db, 'MATCH (a:C {id: 1}) RETURN a.n')).toBe(1n);
    await db.close();
  });

  it('keeps a read transaction on the version it began with while others commit', async () => {
    const db = await Database.open(null);
    await db.run('UNWIND range(1, 5) AS i CREATE (:C {id: i, n: 0})');
    const reader = await db.begin({ mode: 'READ' });
    await db.run('MATCH (a:C) SET a.n = 1');
    await db.run('CREATE (:C {id: 6, n: 1})');
    const seen = reader.run('MATCH (a:C) RETURN a.id, a.n ORDER BY a.id');
    const rows: Value[][] = [];
    for (let r = seen.next(); r !== null; r = seen.next()) rows.push(r);
    expect(rows).toEqual([1n, 2n, 3n, 4n, 5n].map((id) => [id, 0n]));
    await reader.commit();
    expect(await column(db, 'MATCH (a:C) RETURN a.n')).toEqual(Array(6).fill(1n));
    await db.close();
  });

  it('keeps relationship properties of its version for a reader while they change', async () => {
    const db = await Database.open(null);
    await db.run("CREATE (:A)-[:R {w: 1, tag: 'x'}]->(:B)");
    const reader = await db.begin({ mode: 'READ' });
    await db.run('MATCH ()-[r:R]->() SET r.w = 2 REMOVE r.tag');
    const before = reader.run('MATCH ()-[r:R]->() RETURN r.w, r.tag, properties(r)').next();
    expect(before).toEqual([1n, 'x', new Map<string, Value>([['w', 1n], ['tag', 'x']])]);
    await reader.rollback();
    const after = await db.run('MATCH ()-[r:R]->() RETURN r.w, r.tag, properties(r)');
    expect(after.records).toEqual([[2n, null, new Map([['w', 2n]])]]);
    await db.close();
  });

  it('streams one consistent version even when a commit lands mid-result', async () => {
    const db = await Database.open(null);
    await db.run('UNWIND range(1, 100) AS i CREATE (:C {id: i, n: 0})');
    const reader = await db.begin({ mode: 'READ' });
    const cursor = reader.run('MATCH (a:C) RETURN a.n');
    const first = cursor.next();
    await db.run('MATCH (a:C) SET a.n = 1');
    await db.run('MATCH (a:C {id: 50}) DETACH DELETE a');
    const rest: Value[][] = [];
    for (let r = cursor.next(); r !== null; r = cursor.next()) rest.push(r);
    expect([first, ...rest]).toEqual(Array(100).fill([0n]));
    await reader.rollback();
    expect(await scalar(db, 'MATCH (a:C) RETURN sum(a.n)')).toBe(99n);
    await db.close();
  });

  it('hides uncommitted writes from others and shows them to their own transaction', async () => {
    const db = await Database.open(null);
    const writer = await db.begin();
    writer.run('CREATE (:D {v: 1})').next();
    const own = writer.run('MATCH (d:D) RETURN count(d)').next();
    expect(own).toEqual([1n]);
    expect(await scalar(db, 'MATCH (d:D) RETURN count(d)')).toBe(0n);
    await writer.commit();
    expect(await scalar(db, 'MATCH (d:D) RETURN count(d)')).toBe(1n);
    await db.close();
  });

  it('leaves nothing of a rolled-back transaction, also after a reopen', async () => {
    const dir = await tempDbDir();
    const db = await Database.open(dir);
    await db.run('CREATE (:Keep)');
    const tx = await db.begin();
    tx.run('CREATE (:Gone)-[:R]->(:Gone)').next();
    tx.run('MATCH (k:Keep) SET k.touched = true').next();
    await tx.rollback();
    expect(await scalar(db, 'MATCH (n) RETURN count(n)')).toBe(1n);
    expect(await scalar(db, 'MATCH (k:Keep) RETURN k.touched')).toBe(null);
    await db.close();
    const reopened = await Database.open(dir);
    expect(await column(reopened, 'MATCH (n) RETURN labels(n)[0]')).toEqual(['Keep']);
    expect(await scalar(reopened, 'MATCH ()-[r]->() RETURN count(r)')).toBe(0n);
    await reopened.close();
  });

  it('leaves nothing of a statement that fails half way through its rows', async () => {
    const dir = await tempDbDir();
    const db = await Database.open(dir);
    await expect(db.run('UNWIND [1, 2, 0, 4] AS x CREATE (:F {v: 10 / x})'))
      .rejects.toMatchObject({ code: 'Neo.ClientError.Statement.ArithmeticError' });
    expect(await scalar(db, 'MATCH (f:F) RETURN count(f)')).toBe(0n);
    await db.close();
    const reopened = await Database.open(dir);
    expect(await scalar(reopened, 'MATCH (n) RETURN count(n)')).toBe(0n);
    await reopened.close();
  });

  it('dooms a transaction after a failed statement: its earlier writes never commit', async () => {
    const db = await Database.open(null);
    const tx = await db.begin();
    tx.run("CREATE (:P {k: 'b'})").next();
    expect(() => tx.run("CREATE (:P {k: 'c', v: 1 / 0})").next()).toThrow(/by zero/);
    expect(() => tx.run('RETURN 1')).toThrow(/rolled back/);
    await expect(tx.commit()).rejects.toMatchObject({
      code: 'Neo.TransientError.Transaction.Terminated' });
    expect(await scalar(db, 'MATCH (p:P) RETURN count(p)')).toBe(0n);
    await db.close();
  });

  it('commits nothing of a transaction that breaks a unique constraint', async () => {
    const db = await Database.open(null);
    await db.run('CREATE CONSTRAINT u FOR (p:P) REQUIRE p.k IS UNIQUE');
    await db.run("CREATE (:P {k: 'a'})");
    const tx = await db.begin();
    tx.run("CREATE (:P {k: 'b'})").next();
    tx.run("CREATE (:P {k: 'a'})").next();
    await expect(tx.commit()).rejects.toMatchObject({
      code: 'Neo.ClientError.Schema.ConstraintValidationFailed' });
    expect(await column(db, 'MATCH (p:P) RETURN p.k')).toEqual(['a']);
    await db.close();
  });

  it('rejects a commit whose unique value a concurrent transaction took first', async () => {
    const db = await Database.open(null);
    await db.run('CREATE CONSTRAINT u FOR (p:P) REQUIRE p.k IS UNIQUE');
    const first = await db.begin();
    const second = await db.begin();
    first.run("CREATE (:P {k: 'x', by: 1})").next();
    second.run("CREATE (:P {k: 'x', by: 2})").next();
    await first.commit();
    await expect(second.commit()).rejects.toMatchObject({
      code: 'Neo.TransientError.Transaction.DeadlockDetected' });
    expect(await column(db, "MATCH (p:P {k: 'x'}) RETURN p.by")).toEqual([1n]);
    await db.close();
  });
});

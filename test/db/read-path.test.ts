/**
 * What an auto-commit statement that only reads still owes its caller, now that db.run runs it
 * without a write transaction's machinery (docs/decisions/0032): the bookmark of the version it
 * read, a fresh plan when parameter types or the schema change, errors with their codes, and
 * nothing left open afterwards.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Database } from '../../src/db/database.js';
import { operators, planOf } from '../cypher/planner/plan-helpers.js';
import { codeOfAsync } from '../helpers/error-codes.js';

let db: Database | null = null;

afterEach(async () => {
  await db?.close();
  db = null;
});

async function open(): Promise<Database> {
  db = await Database.open(null);
  return db;
}


describe('read-only auto-commit statements', () => {
  it('answer with the bookmark of the version they read, usable to begin after it', async () => {
    const d = await open();
    const written = await d.run('CREATE (:P {id: 1})');
    const read = await d.run('MATCH (p:P) RETURN p.id AS id');
    expect(read.records).toEqual([[1n]]);
    expect(read.bookmark).toBe(written.bookmark);
    const again = await d.run('MATCH (p:P) RETURN count(p)');
    expect(again.bookmark).toBe(written.bookmark);
    const later = await d.run('CREATE (:P {id: 2})');
    expect((await d.run('RETURN 1')).bookmark).toBe(later.bookmark);
    expect(later.bookmark).not.toBe(written.bookmark);
    const tx = await d.begin({ bookmarks: [read.bookmark] });
    expect(tx.run('MATCH (p:P) RETURN count(p)').next()).toEqual([2n]);
    await tx.rollback();
  });

  it('leave no transaction open, whether they succeed or fail', async () => {
    const d = await open();
    await d.run('UNWIND range(1, 3) AS i CREATE (:P {id: i})');
    await d.run('MATCH (p:P) RETURN p.id');
    expect(d.core.transactions.size).toBe(0);
    expect(await codeOfAsync(() => d.run('MATCH (p:P) RETURN 1 / (p.id - 2)')))
      .toBe('Neo.ClientError.Statement.ArithmeticError');
    expect(await codeOfAsync(() => d.run('MATCH (p:P RETURN p')))
      .toBe('Neo.ClientError.Statement.SyntaxError');
    expect(d.core.transactions.size).toBe(0);
    expect((await d.run('MATCH (p:P) RETURN count(p)')).records).toEqual([[3n]]);
  });

  it('do not make a concurrent write transaction conflict', async () => {
    const d = await open();
    await d.run('CREATE (:C {n: 0})');
    const tx = await d.begin();
    for (let i = 0; i < 5; i++) await d.run('MATCH (c:C) RETURN c.n');
    tx.run('MATCH (c:C) SET c.n = c.n + 1').next();
    await tx.commit();
    expect((await d.run('MATCH (c:C) RETURN c.n')).records).toEqual([[1n]]);
  });

  it('plan again for a parameter of another type, and still ask for a missing one',
    async () => {
      const d = await open();
      const query = 'RETURN $x + 1 AS y';
      expect((await d.run(query, { x: 1n })).records).toEqual([[2n]]);
      expect((await d.run(query, { x: 1n })).records).toEqual([[2n]]);
      expect((await d.run(query, { x: 1.5 })).records).toEqual([[2.5]]);
      expect((await d.run(query, { x: 'a' })).records).toEqual([['a1']]);
      expect(await codeOfAsync(() => d.run(query))).toBe('Neo.ClientError.Statement.ParameterMissing');
      expect(await codeOfAsync(() => d.run(query, { y: 1n })))
        .toBe('Neo.ClientError.Statement.ParameterMissing');
      expect((await d.run(query, { x: 1n })).records).toEqual([[2n]]);
    });

  it('use an index created between two runs of the same text', async () => {
    const d = await open();
    await d.run('UNWIND range(1, 50) AS i CREATE (:P {id: i, name: "p" + i})');
    const query = 'PROFILE MATCH (p:P {id: $id}) RETURN p.name AS name';
    expect(operators(await planOf(d, query, { id: 7n }))).toContain('NodeByLabelScan');
    expect(operators(await planOf(d, query, { id: 7n }))).toContain('NodeByLabelScan');
    await d.run('CREATE CONSTRAINT p_id FOR (p:P) REQUIRE p.id IS UNIQUE');
    const plan = operators(await planOf(d, query, { id: 7n }));
    expect(plan).toContain('NodeUniqueIndexSeek');
    expect(plan).not.toContain('NodeByLabelScan');
    expect((await d.run(query, { id: 7n })).records).toEqual([['p7']]);
  });

  it('still refuse to start on a closed database', async () => {
    const d = await open();
    await d.close();
    expect(await codeOfAsync(() => d.run('RETURN 1')))
      .toBe('Neo.TransientError.General.DatabaseUnavailable');
    expect(await codeOfAsync(() => d.run('RETURN (')))
      .toBe('Neo.TransientError.General.DatabaseUnavailable');
  });
});

describe('write statements through db.run', () => {
  it('still write, count their updates and move the bookmark', async () => {
    const d = await open();
    const before = await d.run('RETURN 1');
    const created = await d.run('CREATE (:P {id: 1}) RETURN 1 AS one');
    expect(created.summary.queryType).toBe('rw');
    expect(created.summary.statistics.nodesCreated).toBe(1);
    expect(created.summary.containsUpdates).toBe(true);
    expect(created.bookmark).not.toBe(before.bookmark);
    const read = await d.run('MATCH (p:P) RETURN p.id');
    expect(read.summary.queryType).toBe('r');
    expect(read.summary.containsUpdates).toBe(false);
  });

  it('lose no update when run concurrently with the same read-modify-write', async () => {
    const d = await open();
    await d.run('CREATE (:C {n: 0})');
    await Promise.all(Array.from({ length: 20 },
      () => d.run('MATCH (c:C) SET c.n = c.n + 1')));
    expect((await d.run('MATCH (c:C) RETURN c.n')).records).toEqual([[20n]]);
  });
});

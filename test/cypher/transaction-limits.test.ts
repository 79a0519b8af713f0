import { afterEach, describe, expect, it } from 'vitest';
import { TransactionBudget } from '../../src/cypher/index.js';
import { Database } from '../../src/db/database.js';
import { QuiverError } from '../../src/errors/quiver-error.js';
import { codeOfAsync } from '../helpers/error-codes.js';

const OUT_OF_MEMORY = 'Neo.TransientError.General.MemoryPoolOutOfMemoryError';
const TIMED_OUT = 'Neo.ClientError.Transaction.TransactionTimedOut';


let db: Database | null = null;

afterEach(async () => {
  await db?.close();
  db = null;
});

async function open(options: Parameters<typeof Database.open>[1]): Promise<Database> {
  db = await Database.open(null, options);
  return db;
}

describe('db.memory.transaction.max', () => {
  it('fails a sort that would hold more than the limit; the database stays usable', async () => {
    const d = await open({ transactionBytesMax: 256 * 1024 });
    const sort = 'UNWIND range(1, 20000) AS x RETURN x ORDER BY x DESC LIMIT 1';
    expect(await codeOfAsync(() => d.run(sort))).toBe(OUT_OF_MEMORY);
    expect((await d.run('RETURN 1 + 1 AS two')).records).toEqual([[2n]]);
    expect((await d.run('UNWIND range(1, 100) AS x RETURN x ORDER BY x DESC LIMIT 1')).records)
      .toEqual([[100n]]);
  });

  it('bounds aggregation groups, DISTINCT and collect', async () => {
    const d = await open({ transactionBytesMax: 256 * 1024 });
    const heavy = [
      'UNWIND range(1, 20000) AS x RETURN x, count(*) AS c',
      'UNWIND range(1, 20000) AS x RETURN DISTINCT x',
      'UNWIND range(1, 20000) AS x RETURN collect(toString(x)) AS all',
      'UNWIND range(1, 20000) AS x RETURN count(DISTINCT x) AS n',
    ];
    for (const query of heavy) expect(await codeOfAsync(() => d.run(query))).toBe(OUT_OF_MEMORY);
    expect((await d.run('UNWIND range(1, 50) AS x RETURN count(DISTINCT x % 7) AS n')).records)
      .toEqual([[7n]]);
  });

  it('gives memory back when a statement ends, so later statements in the transaction fit',
    async () => {
      const d = await open({ transactionBytesMax: 512 * 1024 });
      const tx = await d.begin();
      for (let i = 0; i < 20; i++) {
        const result = tx.run('UNWIND range(1, 2000) AS x RETURN x ORDER BY x DESC LIMIT 1');
        expect(result.next()).toEqual([2000n]);
        expect(result.next()).toBeNull();
      }
      await tx.commit();
    });
});

describe('dbms.memory.transaction.total.max', () => {
  it('is shared by open transactions and refilled when they end', async () => {
    const d = await open({ transactionTotalBytesMax: 600 * 1024 });
    const holding = 'UNWIND range(1, 3000) AS x WITH x ORDER BY x RETURN x';
    const first = await d.begin();
    const held = first.run(holding);
    expect(held.next()).toEqual([1n]); // the sort holds its rows until it is drained
    const second = await d.begin();
    expect(await codeOfAsync(async () => {
      const other = second.run(holding);
      other.next();
    })).toBe(OUT_OF_MEMORY);
    await second.rollback();
    await first.rollback();
    expect((await d.run(holding)).records).toHaveLength(3000);
  });
});

describe('db.transaction.timeout', () => {
  it('ends a runaway query with TransactionTimedOut and keeps serving', async () => {
    const d = await open({ transactionTimeoutMs: 100 });
    await d.run('UNWIND range(1, 300) AS i CREATE (:N {i: i})');
    const runaway = 'MATCH (a:N), (b:N), (c:N) RETURN count(*) AS n';
    expect(await codeOfAsync(() => d.run(runaway))).toBe(TIMED_OUT);
    expect((await d.run('MATCH (n:N) RETURN count(n) AS n')).records).toEqual([[300n]]);
  });

  it('takes a per-transaction timeout over the database default', async () => {
    const d = await open({ transactionTimeoutMs: null });
    await d.run('UNWIND range(1, 300) AS i CREATE (:N {i: i})');
    const tx = await d.begin({ timeoutMs: 50 });
    expect(await codeOfAsync(async () => {
      const result = tx.run('MATCH (a:N), (b:N), (c:N) RETURN count(*) AS n');
      result.next();
    })).toBe(TIMED_OUT);
    await tx.rollback();
  });

  it('fails the next statement of a transaction whose time is up', () => {
    let nowMs = 1000;
    const budget = new TransactionBudget({ deadlineMs: 1100, bytesMax: null, pool: null,
      clock: () => nowMs });
    expect(() => budget.checkDeadline()).not.toThrow();
    nowMs = 1101;
    let code = '';
    try {
      budget.checkDeadline();
    } catch (e) {
      code = e instanceof QuiverError ? e.code : 'not a QuiverError';
    }
    expect(code).toBe(TIMED_OUT);
  });
});

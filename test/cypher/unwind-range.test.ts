/**
 * UNWIND over range() counts instead of building the list first; what a user sees must be
 * exactly what unwinding the built list gives: values, steps, empty ranges, nulls and errors.
 */
import { describe, expect, it } from 'vitest';
import { Database } from '../../src/db/database.js';
import type { Value } from '../../src/graph/values.js';

async function unwound(db: Database, args: string): Promise<Value[]> {
  const r = await db.run(`UNWIND range(${args}) AS x RETURN x`);
  return r.records.map((rec) => rec[0] ?? null);
}

async function listed(db: Database, args: string): Promise<Value[]> {
  const r = await db.run(`RETURN range(${args}) AS xs`);
  const list = r.records[0]?.[0];
  return Array.isArray(list) ? list : [];
}

async function errorOf(db: Database, query: string, params: Record<string, unknown>):
  Promise<string> {
  try {
    await db.run(query, params);
  } catch (e) {
    return `${(e as { code?: string }).code ?? ''}: ${(e as Error).message}`;
  }
  return 'no error';
}

describe('UNWIND range()', () => {
  it('gives the same rows as unwinding the list range() returns', async () => {
    const db = await Database.open(null);
    for (const args of ['1, 5', '0, 10, 3', '10, 1, -3', '5, 5', '5, 1', '1, 5, -1', '-3, 3, 2',
      '9223372036854775800, 9223372036854775807', '0, 0, -1']) {
      expect(await unwound(db, args), args).toEqual(await listed(db, args));
    }
    expect(await unwound(db, '10, 1, -3')).toEqual([10n, 7n, 4n, 1n]);
    expect(await unwound(db, '5, 1')).toEqual([]);
    const r = await db.run('WITH 2 AS a, 6 AS b UNWIND range(a, b) AS x RETURN x');
    expect(r.records.map((rec) => rec[0])).toEqual([2n, 3n, 4n, 5n, 6n]);
    await db.close();
  });

  it('gives no rows for a null argument, per input row', async () => {
    const db = await Database.open(null);
    const r = await db.run('UNWIND [1, null, 3] AS n UNWIND range(1, n) AS x RETURN n, x');
    expect(r.records).toEqual([[1n, 1n], [3n, 1n], [3n, 2n], [3n, 3n]]);
    expect(await unwound(db, 'null, 3')).toEqual([]);
    await db.close();
  });

  it('fails as range() does: zero step, wrong types, too many elements', async () => {
    const db = await Database.open(null);
    // Parameters, so the arguments are only known when the statement runs.
    for (const params of [{ a: 1, b: 5, c: 0 }, { a: 'a', b: 5, c: 1 }, { a: 1, b: 2.5, c: 1 },
      { a: 0, b: 100_000_000, c: 1 }]) {
      const viaUnwind = await errorOf(db, 'UNWIND range($a, $b, $c) AS x RETURN x', params);
      expect(viaUnwind, JSON.stringify(params)).not.toBe('no error');
      expect(viaUnwind).toBe(await errorOf(db, 'RETURN range($a, $b, $c) AS xs', params));
    }
    await db.close();
  });

  it('streams a million rows in order', async () => {
    const db = await Database.open(null);
    const tx = await db.begin({ mode: 'READ' });
    const result = tx.run('UNWIND range(1, 1000000) AS x RETURN x');
    expect(result.next()).toEqual([1n]);
    let last: Value = null;
    let rows = 1;
    for (let r = result.next(); r !== null; r = result.next()) {
      last = r[0] ?? null;
      rows++;
    }
    expect(rows).toBe(1_000_000);
    expect(last).toBe(1_000_000n);
    await tx.rollback();
    await db.close();
  });
});

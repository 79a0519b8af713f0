/**
 * Walking a node's relationships, small or hub-sized (a hub's list is read in slices): every
 * relationship is found once, in each direction and by type, a self-loop once when walked both
 * ways, and a transaction keeps seeing the relationships of the version it began on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/db/database.js';

/** Sizes on both sides of the slice (64) and past two slices. */
const OUT_DEGREE = 150;
const IN_DEGREE = 70;
const SMALL_DEGREE = 5;

let db: Database;

beforeAll(async () => {
  db = await Database.open(null);
  await db.run('CREATE (:Hub {id: 0}), (:Hub {id: 1})');
  await db.run('MATCH (h:Hub {id: 0}) UNWIND range(1, $n) AS i ' +
    'CREATE (h)-[:KNOWS {i: i}]->(:P {i: i})', { n: OUT_DEGREE });
  await db.run('MATCH (h:Hub {id: 0}) UNWIND range(1, $n) AS i ' +
    'CREATE (h)<-[:LIKES {i: i}]-(:Q {i: i})', { n: IN_DEGREE });
  await db.run('MATCH (h:Hub {id: 0}) CREATE (h)-[:SELF]->(h)');
  await db.run('MATCH (h:Hub {id: 1}) UNWIND range(1, $n) AS i ' +
    'CREATE (h)-[:KNOWS]->(:P {i: i}), (h)-[:SELF]->(h)', { n: SMALL_DEGREE });
});

afterAll(async () => {
  await db.close();
});

async function count(query: string, params: Record<string, unknown> = {}): Promise<bigint> {
  const value = (await db.run(query, params)).records[0]?.[0];
  if (typeof value !== 'bigint') throw new Error(`not a count: ${String(value)}`);
  return value;
}

describe('a node\'s relationships', () => {
  it('are each found once from a hub, by direction and by type', async () => {
    const hub = 'MATCH (h:Hub {id: 0})';
    expect(await count(`${hub}-[r]->() RETURN count(r)`)).toBe(BigInt(OUT_DEGREE + 1));
    expect(await count(`${hub}<-[r]-() RETURN count(r)`)).toBe(BigInt(IN_DEGREE + 1));
    expect(await count(`${hub}-[r]-() RETURN count(r)`))
      .toBe(BigInt(OUT_DEGREE + IN_DEGREE + 1));
    expect(await count(`${hub}-[r]-() RETURN count(DISTINCT r)`))
      .toBe(BigInt(OUT_DEGREE + IN_DEGREE + 1));
    expect(await count(`${hub}-[r:KNOWS]-() RETURN count(r)`)).toBe(BigInt(OUT_DEGREE));
    expect(await count(`${hub}-[r:LIKES|SELF]-() RETURN count(r)`)).toBe(BigInt(IN_DEGREE + 1));
    expect(await count(`${hub}-[r:KNOWS]->(p) RETURN sum(p.i)`))
      .toBe(BigInt((OUT_DEGREE * (OUT_DEGREE + 1)) / 2));
  });

  it('are each found once from a small node, self-loops once when walked both ways',
    async () => {
      const small = 'MATCH (h:Hub {id: 1})';
      expect(await count(`${small}-[r]->() RETURN count(r)`)).toBe(BigInt(2 * SMALL_DEGREE));
      expect(await count(`${small}-[r]-() RETURN count(r)`)).toBe(BigInt(2 * SMALL_DEGREE));
      expect(await count(`${small}<-[r]-() RETURN count(r)`)).toBe(BigInt(SMALL_DEGREE));
      expect(await count(`${small}-[r:NOPE]-() RETURN count(r)`)).toBe(0n);
    });

  it('are told apart by direction and type when one statement walks a node twice',
    async () => {
      const both = await db.run('MATCH (h:Hub {id: 1})-[:KNOWS]->(x), (h)-[:SELF]->(y) ' +
        'RETURN count(*) AS pairs');
      expect(both.records).toEqual([[BigInt(SMALL_DEGREE * SMALL_DEGREE)]]);
      const sides = await db.run('MATCH (h:Hub {id: 1})-[r]->() WITH h, count(r) AS outs ' +
        'MATCH (h)<-[r]-() RETURN outs, count(r) AS ins');
      expect(sides.records).toEqual([[BigInt(2 * SMALL_DEGREE), BigInt(SMALL_DEGREE)]]);
    });

  it('stop being read where a LIMIT stops', async () => {
    const rows = await db.run('MATCH (:Hub {id: 0})-[r:KNOWS]->(p) RETURN p.i LIMIT 3');
    expect(rows.records).toHaveLength(3);
  });

  it('stay as they were for a transaction that began before some were deleted', async () => {
    const before = await db.begin({ mode: 'READ' });
    await db.run('MATCH (:Hub {id: 0})-[r:KNOWS]->() WHERE r.i > 100 DELETE r');
    expect(await count('MATCH (:Hub {id: 0})-[r:KNOWS]->() RETURN count(r)')).toBe(100n);
    const old = before.run('MATCH (:Hub {id: 0})-[r:KNOWS]->() RETURN count(r)').next();
    expect(old).toEqual([BigInt(OUT_DEGREE)]);
    await before.rollback();
    await db.run('MATCH (p:P) WHERE p.i > 100 AND NOT (p)--() DELETE p');
    expect(await count('MATCH (:Hub {id: 0})-[r:KNOWS]->() RETURN count(r)')).toBe(100n);
  });
});

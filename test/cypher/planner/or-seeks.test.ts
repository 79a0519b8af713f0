/**
 * A WHERE that ORs equalities an index can answer (`t.name = $x OR c.name = $x`) is matched
 * once per side, each from its own seek, and each row is returned once; a pattern
 * comprehension's WHERE reaches the matcher the same way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../../src/db/database.js';
import { dbHits, planOf } from './plan-helpers.js';

let db: Database;

/** Tags t0..t899 typed by class i % 3: root, mid (a subclass of root), leaf (of mid). */
beforeAll(async () => {
  db = await Database.open(null);
  await db.run('CREATE INDEX tag_name FOR (t:Tag) ON (t.name)');
  await db.run('CREATE INDEX class_name FOR (c:Class) ON (c.name)');
  await db.run('CREATE (r:Class {name: "root"})<-[:SUB]-(m:Class {name: "mid"})' +
    '<-[:SUB]-(:Class {name: "leaf"})');
  await db.run('MATCH (c:Class) WITH collect(c) AS cs UNWIND range(0, 899) AS i ' +
    'WITH cs, i, ["root", "mid", "leaf"][i % 3] AS name ' +
    'UNWIND [c IN cs WHERE c.name = name] AS c CREATE (:Tag {name: "t" + i})-[:HAS_TYPE]->(c)');
  // A tag named like a class: its rows meet the other side's at (tag "mid", class "mid").
  await db.run('MATCH (c:Class {name: "leaf"}) CREATE (:Tag {name: "mid"})-[:HAS_TYPE]->(c)');
});

afterAll(async () => {
  await db.close();
});

const HIERARCHY = 'MATCH (t:Tag)-[:HAS_TYPE|SUB*0..]->(c:Class) ' +
  'WHERE t.name = $x OR c.name = $x ';

describe('OR of seekable equalities', () => {
  it('returns each row once where both sides hold', async () => {
    const result = await db.run(`${HIERARCHY}RETURN count(*) AS n`, { x: 'mid' });
    // 600 tags of mid and leaf, the tag "mid" under mid, and the tag "mid" at leaf and root.
    expect(result.records).toEqual([[603n]]);
    const mine = await db.run(`${HIERARCHY}AND t.name = "mid" RETURN c.name ORDER BY c.name`,
      { x: 'mid' });
    expect(mine.records).toEqual([['leaf'], ['mid'], ['root']]);
  });

  it('seeks each side instead of walking up from every tag', async () => {
    const query = `${HIERARCHY}RETURN c.name ORDER BY c.name`;
    expect((await db.run(query, { x: 't5' })).records).toEqual([['leaf'], ['mid'], ['root']]);
    const profiled = await planOf(db, `PROFILE ${query}`, { x: 't5' });
    // Without the split: 901 tags scanned, each walked up its hierarchy.
    expect(dbHits(profiled)).toBeLessThan(100);
  });

  it('keeps an OR it cannot seek on both sides as one filtered match', async () => {
    const result = await db.run('MATCH (t:Tag) WHERE t.name = "t1" OR t.name ENDS WITH "99" ' +
      'RETURN t.name ORDER BY t.name');
    expect(result.records).toEqual([['t1'], ['t199'], ['t299'], ['t399'], ['t499'], ['t599'],
      ['t699'], ['t799'], ['t899'], ['t99']]);
  });
});

describe('pattern comprehension WHERE', () => {
  it('seeks the nodes its predicate names, one per side of an OR', async () => {
    const query = 'MATCH (a:Tag {name: "t1"}) ' +
      'RETURN [(b:Tag)-[:HAS_TYPE]->(c) WHERE b.name = a.name OR b.name = "t2" | ' +
      'b.name + ":" + c.name] AS found';
    const result = await db.run(query);
    expect([...(result.records[0]?.[0] as string[])].sort()).toEqual(['t1:mid', 't2:leaf']);
    const profiled = await planOf(db, `PROFILE ${query}`);
    expect(dbHits(profiled)).toBeLessThan(100);
  });

  it('seeks on a relationship end named by startNode()', async () => {
    const query = 'MATCH (:Tag {name: "t4"})-[r:HAS_TYPE]->() ' +
      'RETURN [(b:Tag) WHERE b.name = startNode(r).name | b.name] AS found';
    expect((await db.run(query)).records).toEqual([[['t4']]]);
    expect(dbHits(await planOf(db, `PROFILE ${query}`))).toBeLessThan(100);
  });
});

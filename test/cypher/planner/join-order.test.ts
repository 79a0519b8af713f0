import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanDescription } from '../../../src/cypher/index.js';
import { Database } from '../../../src/db/database.js';
import { dbHits, find, planOf } from './plan-helpers.js';

let db: Database;

beforeAll(async () => {
  db = await Database.open(null);
  await db.run('CREATE CONSTRAINT person_id FOR (p:Person) REQUIRE p.id IS UNIQUE');
  await db.run('UNWIND range(0, 499) AS i CREATE (:Person {id: i, group: i % 5})');
  await db.run('MATCH (a:Person), (b:Person) WHERE b.id = (a.id + 1) % 500 ' +
    'CREATE (a)-[:KNOWS]->(b)');
  await db.run('CREATE (:Tag {name: "t"})');
});

afterAll(async () => {
  await db.close();
});

/** The leaves of the plan from left to right: the order the patterns are matched in. */
function leaves(p: PlanDescription): string[] {
  if (p.children.length === 0) return [p.operatorType.replace('@neo4j', '')];
  return p.children.flatMap(leaves);
}

describe('join order of comma-separated patterns', () => {
  it('matches the pattern with an index seek first, whatever the text order', async () => {
    const p = await planOf(db, 'EXPLAIN MATCH (a:Person), (b:Person {id: 3}) RETURN a, b');
    expect(leaves(p)).toEqual(['NodeUniqueIndexSeek', 'NodeByLabelScan']);
    const product = find(p, 'CartesianProduct');
    expect(product?.children[0]?.identifiers).toEqual(['b']);
  });

  it('starts a pattern joined through a shared variable from the bound node', async () => {
    const query = 'MATCH (a:Person)-[:KNOWS]->(b), (b)-[:KNOWS]->(c:Person {id: 7}) ' +
      'RETURN a.id, b.id';
    const result = await db.run(query);
    expect(result.records).toEqual([[5n, 6n]]);
    const p = await planOf(db, `EXPLAIN ${query}`);
    expect(leaves(p)).toEqual(['NodeUniqueIndexSeek']);
    const profiled = await planOf(db, `PROFILE ${query}`);
    // Text order would scan 500 persons and walk each one's relationships first.
    expect(dbHits(profiled)).toBeLessThan(60);
  });

  it('puts a small label before a large one in a cartesian product', async () => {
    const p = await planOf(db, 'EXPLAIN MATCH (a:Person), (t:Tag) RETURN a, t');
    expect(leaves(p)).toEqual(['NodeByLabelScan', 'NodeByLabelScan']);
    expect(find(p, 'CartesianProduct')?.children[0]?.identifiers).toEqual(['t']);
  });

  it('seeks a unique index by range under its own operator name', async () => {
    const p = await planOf(db, 'EXPLAIN MATCH (a:Person), (b:Person) WHERE b.id < 3 RETURN a, b');
    const seek = find(p, 'NodeUniqueIndexSeekByRange');
    expect(seek?.args.get('Details')).toBe('UNIQUE b:Person(id) WHERE id < 3');
    expect(leaves(p)[0]).toBe('NodeUniqueIndexSeekByRange');
  });

  it('gives the same rows as the text order', async () => {
    const query = 'MATCH (x:Person)-[:KNOWS]->(y), (z:Person {group: 1}), (t:Tag) ' +
      'WHERE y.id = z.id RETURN x.id, y.id, z.id, t.name ORDER BY x.id';
    const result = await db.run(query);
    expect(result.records.length).toBe(100);
    expect(result.records[0]).toEqual([0n, 1n, 1n, 't']);
    expect(result.records[99]).toEqual([495n, 496n, 496n, 't']);
  });
});

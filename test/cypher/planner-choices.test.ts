import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareQuery, type PlanDescription } from '../../src/cypher/index.js';
import { Database } from '../../src/db/database.js';

let db: Database;

beforeAll(async () => {
  db = await Database.open(null);
  await db.run('CREATE CONSTRAINT person_id FOR (p:Person) REQUIRE p.id IS UNIQUE');
  await db.run('CREATE INDEX person_age FOR (p:Person) ON (p.age)');
  await db.run('UNWIND range(0, 499) AS i CREATE (:Person {id: i, age: i % 50, name: "p" + i})');
  // One hub everybody follows, and a ring of KNOWS.
  await db.run('CREATE (:Hub {id: 0})');
  await db.run('MATCH (h:Hub), (p:Person) CREATE (p)-[:FOLLOWS]->(h)');
  await db.run('MATCH (a:Person), (b:Person) WHERE b.id = (a.id + 1) % 500 ' +
    'CREATE (a)-[:KNOWS]->(b)');
});

afterAll(async () => {
  await db.close();
});

async function plan(query: string, params: Record<string, unknown> = {}):
  Promise<PlanDescription> {
  const result = await db.run(query, params);
  const described = result.summary.plan;
  if (described === null || described === undefined) throw new Error('no plan');
  return described as PlanDescription;
}

function flatten(p: PlanDescription): PlanDescription[] {
  return [p, ...p.children.flatMap(flatten)];
}

function operators(p: PlanDescription): string[] {
  return flatten(p).map((o) => o.operatorType.replace('@neo4j', ''));
}

describe('EXPLAIN', () => {
  it('seeks a unique index for an equality and estimates one row', async () => {
    const p = await plan('EXPLAIN MATCH (p:Person {id: $id}) RETURN p.name', { id: 7 });
    const seek = flatten(p).find((o) => o.operatorType === 'NodeUniqueIndexSeek@neo4j');
    expect(seek?.args.get('EstimatedRows')).toBe(1);
    expect(seek?.args.get('Details')).toContain('Person(id)');
    expect(seek?.identifiers).toEqual(['p']);
    expect(p.operatorType).toBe('ProduceResults@neo4j');
    expect(p.args.get('planner')).toBe('COST');
  });

  it('seeks a range index for IN and for an equality in WHERE', async () => {
    expect(operators(await plan('EXPLAIN MATCH (p:Person) WHERE p.age IN [1, 2] RETURN p')))
      .toContain('NodeIndexSeek');
    expect(operators(await plan('EXPLAIN MATCH (p:Person) WHERE p.age = 3 RETURN p')))
      .toContain('NodeIndexSeek');
    expect(operators(await plan('EXPLAIN MATCH (p:Person) WHERE p.name = "p3" RETURN p')))
      .toContain('NodeByLabelScan');
  });

  it('estimates a label scan from the label count and an expansion from sampled degrees',
    async () => {
      // Both ways: a type scan cannot start it (it reads each relationship one way).
      const p = await plan('EXPLAIN MATCH (p:Person)-[:KNOWS]-(q) RETURN q');
      const scan = flatten(p).find((o) => o.operatorType === 'NodeByLabelScan@neo4j');
      expect(scan?.args.get('EstimatedRows')).toBe(500);
      const expand = flatten(p).find((o) => o.operatorType === 'Expand(All)@neo4j');
      expect(expand?.args.get('EstimatedRows')).toBe(1000);
    });

  it('scans a relationship type when only scans could start the pattern', async () => {
    const p = await plan('EXPLAIN MATCH (p:Person)-[:KNOWS]->(q) RETURN q');
    const scan = flatten(p).find((o) => o.operatorType === 'DirectedRelationshipTypeScan@neo4j');
    expect(scan?.args.get('EstimatedRows')).toBe(500);
    expect(scan?.args.get('Details')).toBe('(p:Person)-[:KNOWS]->(q)');
    expect(operators(p)).not.toContain('NodeByLabelScan');
    // A seek, however many relationships the type has, starts where it can.
    const seeking = operators(
      await plan('EXPLAIN MATCH (p:Person {id: 3})-[:KNOWS]->(q) RETURN q'));
    expect(seeking).toContain('NodeUniqueIndexSeek');
    expect(seeking).not.toContain('DirectedRelationshipTypeScan');
  });

  it('starts from the side with fewer relationships to walk', async () => {
    // From the hub, 500 FOLLOWS to look through; from the person, one.
    const p = await plan('EXPLAIN MATCH (h:Hub {id: 0}), (p:Person {id: 3}) ' +
      'MATCH (p:Person)-[:FOLLOWS]->(h:Hub) RETURN p.id');
    const expand = flatten(p).find((o) => o.operatorType.startsWith('Expand('));
    expect(expand?.operatorType).toBe('Expand(Into)@neo4j');
    expect(expand?.args.get('Details')).toBe('(p:Person)-[:FOLLOWS]->(h:Hub)');
  });
});

describe('PROFILE', () => {
  it('reports rows and database hits per operator, and the answer', async () => {
    const result = await db.run('PROFILE MATCH (p:Person {id: 3})-[:KNOWS]->(q) RETURN q.id');
    expect(result.records).toEqual([[4n]]);
    const p = result.summary.plan as PlanDescription;
    expect(p.rows).toBe(1);
    const all = flatten(p);
    expect(all.every((o) => typeof o.rows === 'number' && typeof o.dbHits === 'number'))
      .toBe(true);
    expect(all.reduce((sum, o) => sum + (o.dbHits ?? 0), 0)).toBeGreaterThan(0);
    expect(operators(p)).toContain('NodeUniqueIndexSeek');
  });

  it('costs fewer database hits with an index seek than with a scan', async () => {
    const hits = async (query: string): Promise<number> => flatten(await plan(query))
      .reduce((sum, o) => sum + (o.dbHits ?? 0), 0);
    const seek = await hits('PROFILE MATCH (p:Person) WHERE p.age = 3 RETURN count(p)');
    const scan = await hits('PROFILE MATCH (p:Person) WHERE p.name = "p3" RETURN count(p)');
    expect(seek * 5).toBeLessThan(scan);
  });

  it('walks from the cheaper end: few hits for a hub relationship checked from the leaf',
    async () => {
      const p = await plan('PROFILE MATCH (h:Hub {id: 0}), (p:Person {id: 3}) ' +
        'MATCH (p)-[:FOLLOWS]->(h) RETURN p.id');
      const total = flatten(p).reduce((sum, o) => sum + (o.dbHits ?? 0), 0);
      expect(total).toBeLessThan(100);
    });
});

describe('the plan cache', () => {
  it('keeps one plan per query text and parameter types', () => {
    const text = 'MATCH (p:Person) WHERE p.id = $x RETURN p';
    const int = prepareQuery(text, new Map([['x', 1n]]));
    expect(prepareQuery(text, new Map([['x', 2n]]))).toBe(int);
    expect(prepareQuery(text, new Map([['x', 'a']]))).not.toBe(int);
  });

  it('drops plans when the schema changes, and later plans use the new index', async () => {
    const text = 'EXPLAIN MATCH (p:Person) WHERE p.name = "p3" RETURN p';
    const before = prepareQuery(text);
    expect(operators(await plan(text))).toContain('NodeByLabelScan');
    await db.run('CREATE INDEX person_name FOR (p:Person) ON (p.name)');
    expect(prepareQuery(text)).not.toBe(before);
    expect(operators(await plan(text))).toContain('NodeIndexSeek');
    await db.run('DROP INDEX person_name');
    expect(operators(await plan(text))).toContain('NodeByLabelScan');
  });
});

/**
 * A pattern started by a relationship type scan (DirectedRelationshipTypeScan): the planner
 * picks it when only scans could start the pattern and it costs least, and it must give what
 * the row path gives, in the same order, whether the id walk (a committed version, READ), the
 * row operators (a write transaction's reader, PROFILE) or naive planning reads it.
 */
import { describe, expect, it } from 'vitest';
import { executeQuery, prepareQuery } from '../../src/cypher/index.js';
import type { Value } from '../../src/graph/values.js';
import { TestGraph, simplify } from './harness.js';

/**
 * Twenty people in three cities and a town; one lives in two places, one nowhere; ages are
 * integers, floats or missing. A ring of KNOWS, a self-loop and a city that LIVES_IN a person.
 */
function people(): TestGraph {
  const g = new TestGraph();
  g.run(`CREATE (:City {name: 'Oslo'}), (:City {name: 'Rome'}), (:City {name: 'Oslo'}),
    (:Town {name: 'Bree'})`);
  g.run(`UNWIND range(0, 19) AS i
    CREATE (:Person {id: i, age: CASE i % 4 WHEN 0 THEN i WHEN 1 THEN i + 0.5 WHEN 2 THEN null
      ELSE 40 - i END})`);
  g.run(`MATCH (p:Person) WHERE p.id < 19
    MATCH (c) WHERE (c:City OR c:Town) AND id(c) = p.id % 4 CREATE (p)-[:LIVES_IN]->(c)`);
  g.run(`MATCH (p:Person {id: 5}), (c:City {name: 'Rome'}) CREATE (p)-[:LIVES_IN]->(c)`);
  g.run(`MATCH (a:Person), (b:Person) WHERE b.id = (a.id + 1) % 20 CREATE (a)-[:KNOWS]->(b)`);
  g.run(`MATCH (a:Person {id: 3}) CREATE (a)-[:KNOWS]->(a)`);
  g.run(`MATCH (c:City {name: 'Rome'}), (p:Person {id: 19}) CREATE (c)-[:LIVES_IN]->(p)`);
  return g;
}

function operators(g: TestGraph, query: string): string[] {
  const plan = g.run(`EXPLAIN ${query}`, {}, 'READ').summary.plan;
  const flat = (p: typeof plan): string[] => p === null || p === undefined ? []
    : [p.operatorType.replace('@neo4j', ''), ...p.children.flatMap((c) => flat(c))];
  return flat(plan);
}

/** Rows under naive planning: the first node's label scan, whatever it costs. */
function naive(g: TestGraph, query: string): unknown[][] {
  const view = g.store.openView();
  try {
    const cursor = executeQuery(prepareQuery(query), { graph: view, params: new Map(),
      procedures: g.procedures, statementTimeMs: 0, random: () => 0.5, importDir: null,
      naivePlanning: true });
    const rows: Value[][] = [];
    for (let row = cursor.next(); row !== null; row = cursor.next()) rows.push(row);
    return rows.map((row) => row.map(simplify));
  } finally {
    view.close();
  }
}

function sorted(rows: unknown[][]): string[] {
  return rows.map((row) => JSON.stringify(row, (_, v: unknown) =>
    typeof v === 'bigint' ? `${v}n` : v)).sort();
}

/** The rows on a committed version and in a write transaction, which must be the same. */
function bothWays(g: TestGraph, query: string): unknown[][] {
  const read = g.run(query, {}, 'READ').rows.map((row) => row.map(simplify));
  expect(g.run(query).rows.map((row) => row.map(simplify))).toEqual(read);
  return read;
}

describe('a pattern started by a relationship type scan', () => {
  it('is planned when only label scans could start it, and not once a seek can', () => {
    const g = people();
    const query = 'MATCH (p:Person)-[:LIVES_IN]->(c:City) RETURN c.name, count(*), avg(p.age)';
    expect(operators(g, query)).toContain('DirectedRelationshipTypeScan');
    expect(operators(g, query)).not.toContain('NodeByLabelScan');
    g.run('CREATE INDEX person_id FOR (p:Person) ON (p.id)');
    expect(operators(g, 'MATCH (p:Person {id: 4})-[:LIVES_IN]->(c:City) RETURN c.name'))
      .not.toContain('DirectedRelationshipTypeScan');
  });

  it('aggregates by the id walk what the row path gives, in the same order', () => {
    const g = people();
    const rows = bothWays(g,
      'MATCH (p:Person)-[:LIVES_IN]->(c:City) RETURN c.name, count(*), avg(p.age), sum(p.age)');
    const reference = g.run(`MATCH (p:Person)-[:LIVES_IN]->(c:City)
      WITH c.name AS name, p.age AS age RETURN name, count(*), avg(age), sum(age)`, {}, 'READ')
      .rows.map((row) => row.map(simplify));
    expect(rows).toEqual(reference);
    // Naive planning reads the rows in another order: an average may differ in its last bit,
    // the exact sums (integers and halves) may not.
    const exact = (r: unknown[]): unknown[] => [r[0], r[1], r[3]];
    expect(sorted(rows.map(exact))).toEqual(sorted(naive(g,
      'MATCH (p:Person)-[:LIVES_IN]->(c:City) RETURN c.name, count(*), avg(p.age), sum(p.age)')
      .map(exact)));
    // People 0..18 in cities 0..2 by id % 4 (3 is the town), and person 5 in Rome too.
    expect(sorted(rows.map((row) => row.slice(0, 2)))).toEqual(sorted([['Oslo', 10], ['Rome', 6]]));
  });

  it('reads each relationship from its end for an incoming pattern', () => {
    const g = people();
    const query = 'MATCH (c:City)<-[:LIVES_IN]-(p:Person) RETURN c.name, collect(p.id)';
    expect(operators(g, query)).toContain('DirectedRelationshipTypeScan');
    const rows = bothWays(g, query);
    expect(sorted(rows.map((r) => [r[0], (r[1] as bigint[]).length])))
      .toEqual(sorted(naive(g, query).map((r) => [r[0], (r[1] as bigint[]).length])));
  });

  it('walks on from both ends of the scanned relationship', () => {
    const g = people();
    for (const query of [
      'MATCH (c:City)<-[:LIVES_IN]-(p:Person)-[:KNOWS]->(q:Person) RETURN c.name, p.id, q.id',
      'MATCH (q:Person)<-[:KNOWS]-(p:Person)-[:LIVES_IN]->(c:City) RETURN q.id, p.id, c.name',
      'MATCH (a)-[:KNOWS]->(a) RETURN a.id',
      'MATCH (p:Person)-[r:LIVES_IN|KNOWS]->(x:City) RETURN p.id, type(r), x.name',
      'MATCH (x)-[:LIVES_IN]->(y)-[:LIVES_IN]->(z) RETURN x.id, y.name, z.name',
    ]) {
      expect(sorted(bothWays(g, query)), query).toEqual(sorted(naive(g, query)));
    }
    expect(bothWays(g, 'MATCH (a)-[:KNOWS]->(a) RETURN a.id')).toEqual([[3]]);
  });

  it('sees a write transaction own changes: what it created, not what it deleted', () => {
    const g = people();
    const rows = g.run(`MATCH (p:Person {id: 19}), (c:City {name: 'Rome'})
      CREATE (p)-[:LIVES_IN]->(c)
      WITH count(*) AS created
      MATCH (:Person {id: 0})-[r:LIVES_IN]->() DELETE r
      WITH count(*) AS deleted
      MATCH (p:Person)-[:LIVES_IN]->(c:City) RETURN c.name, count(*)`).rows;
    expect(sorted(rows)).toEqual(sorted([['Oslo', 9n], ['Rome', 7n]]));
    expect(sorted(g.run('MATCH (p:Person)-[:LIVES_IN]->(c:City) RETURN c.name, count(*)', {},
      'READ').rows)).toEqual(sorted([['Oslo', 9n], ['Rome', 7n]]));
    expect(operators(g, 'MATCH (p:Person)-[:LIVES_IN]->(c:City) RETURN c.name, count(*)'))
      .toContain('DirectedRelationshipTypeScan');
  });
});

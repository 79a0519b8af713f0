/**
 * Aggregations whose keys read one entity (grouped by the entity's id) and aggregations over a
 * single-chain MATCH (walked over ids) against the row-at-a-time path they replace. The row
 * path is reached through a WITH that copies each key into a plain value per row, which no
 * shortcut applies to; the id walk runs only on a committed version (READ here), while a write
 * transaction's reader takes the general operators with entity grouping.
 */
import { describe, expect, it } from 'vitest';
import {
  executeQuery, prepareQuery, TransactionBudget, NO_LIMITS, type ExecutionContext,
} from '../../src/cypher/index.js';
import type { GraphReader } from '../../src/graph/types.js';
import { WriteTx } from '../../src/graph/write-tx.js';
import type { Value } from '../../src/graph/values.js';
import { codeOf } from '../helpers/error-codes.js';
import { TestGraph } from './harness.js';

/**
 * Cities that share names, a node with two labels, a city without a name, people without an
 * age and with float ages, KNOWS both ways and a self-loop, LIVES_IN from a city and a town.
 */
function town(): TestGraph {
  const g = new TestGraph();
  g.run(`CREATE (oslo:City {name: 'Oslo'}), (oslo2:City:Capital {name: 'Oslo'}),
      (rome:City:Capital {name: 'Rome'}), (nameless:City), (ghost:Town {name: 'Oslo'}),
      (ann:Person {name: 'Ann', age: 30}), (bob:Person {name: 'Bob', age: 41.5}),
      (cy:Person {name: 'Cy'}), (dee:Person:Admin {name: 'Dee', age: 7}),
      (eve:Person {name: 'Eve', age: 30.0}), (fay:Person {name: 'Fay', age: 12})
    CREATE (ann)-[:LIVES_IN {since: 2001}]->(oslo), (bob)-[:LIVES_IN]->(oslo2),
      (cy)-[:LIVES_IN {since: 1999}]->(rome), (dee)-[:LIVES_IN]->(oslo),
      (eve)-[:LIVES_IN]->(nameless), (fay)-[:LIVES_IN]->(ghost), (rome)-[:LIVES_IN]->(fay),
      (dee)-[:LIVES_IN]->(rome), (ghost)-[:LIVES_IN]->(oslo)
    CREATE (ann)-[:KNOWS]->(bob), (bob)-[:KNOWS]->(ann), (cy)-[:KNOWS]->(cy),
      (dee)-[:KNOWS]->(ann), (eve)-[:KNOWS]->(dee), (ann)-[:KNOWS]->(eve)`);
  return g;
}

/** The rows of `query` on a committed version, in a write transaction, and of `reference`. */
function expectSameAs(g: TestGraph, query: string, reference: string,
  params: Record<string, Value> = {}): Value[][] {
  const expected = g.run(reference, params, 'READ').rows;
  expect(g.run(query, params, 'READ').rows).toEqual(expected);
  expect(g.run(query, params).rows).toEqual(expected);
  return expected;
}

describe('aggregation grouped by the entity its keys read', () => {
  it('merges cities that share a name, in the order first seen, with exact averages', () => {
    const g = town();
    const rows = expectSameAs(g,
      `MATCH (p:Person)-[:LIVES_IN]->(c:City) RETURN c.name, count(*), avg(p.age)`,
      `MATCH (p:Person)-[:LIVES_IN]->(c:City) WITH c.name AS name, p.age AS age
       RETURN name, count(*), avg(age)`);
    // The average is a running mean: its last bit follows the order the plan reads rows in,
    // which expectSameAs has checked is the row path's.
    expect(rows.map(([name, count]) => [name, count])).toEqual([['Oslo', 3n], ['Rome', 2n],
      [null, 1n]]);
    expect(rows.map((row) => row[2])).toEqual([expect.closeTo(26.1667, 4), 7, 30]);
  });

  it('gives the top groups of the benchmark query as the row path does', () => {
    expectSameAs(town(),
      `MATCH (p:Person)-[:LIVES_IN]->(c:City) RETURN c.name, count(*), avg(p.age)
       ORDER BY count(*) DESC LIMIT 2`,
      `MATCH (p:Person)-[:LIVES_IN]->(c:City) WITH c.name AS name, p.age AS age
       RETURN name, count(*), avg(age) ORDER BY count(*) DESC LIMIT 2`);
  });

  it('groups by the node itself, by expressions of it, and by several keys of it', () => {
    const g = town();
    expectSameAs(g, `MATCH (p:Person)-[:LIVES_IN]->(c) RETURN c, count(p), collect(p.name)`,
      `MATCH (p:Person)-[:LIVES_IN]->(c) WITH c AS c, p AS p, p.name AS name
       RETURN c, count(p), collect(name)`);
    expectSameAs(g, `MATCH (c:City)<-[:LIVES_IN]-(p) RETURN c.name + '!' AS n,
        labels(c) AS l, sum(p.age), min(p.age), max(p.name)`,
      `MATCH (c:City)<-[:LIVES_IN]-(p) WITH c.name + '!' AS n, labels(c) AS l, p.age AS age,
        p.name AS name RETURN n, l, sum(age), min(age), max(name)`);
  });

  it('groups by a relationship and reads its properties', () => {
    expectSameAs(town(), `MATCH (:Person)-[r:LIVES_IN]->(c) RETURN r.since, count(*), count(c)`,
      `MATCH (:Person)-[r:LIVES_IN]->(c) WITH r.since AS since, c AS c
       RETURN since, count(*), count(c)`);
  });

  it('keeps DISTINCT inside aggregates, and literal arguments', () => {
    expectSameAs(town(),
      `MATCH (p:Person)-[:KNOWS]-(q) RETURN p.name, count(DISTINCT q), count(1),
         collect(DISTINCT q.age), sum(2.5)`,
      `MATCH (p:Person)-[:KNOWS]-(q) WITH p.name AS name, q AS q, q.age AS age
       RETURN name, count(DISTINCT q), count(1), collect(DISTINCT age), sum(2.5)`);
  });

  it('aggregates without keys, and gives one row over no matches', () => {
    const g = town();
    const rows = expectSameAs(g,
      `MATCH (p:Person)-[:LIVES_IN]->(:City) RETURN count(*), sum(p.age), avg(p.age)`,
      `MATCH (p:Person)-[:LIVES_IN]->(:City) WITH p.age AS age
       RETURN count(*), sum(age), avg(age)`);
    expect(rows).toEqual([[6n, 115.5, 23.1]]);
    expect(g.run(`MATCH (:Nobody)-[:LIVES_IN]->(c) RETURN count(*), max(c.name)`, {}, 'READ')
      .rows).toEqual([[0n, null]]);
    expect(g.run(`MATCH (:Person)-[:NEVER]->(c) RETURN c.name, count(*)`, {}, 'READ').rows)
      .toEqual([]);
  });
});

describe('aggregation over a chain walked by ids', () => {
  it('follows relationships both ways, reporting a self-loop once', () => {
    expectSameAs(town(), `MATCH (a:Person)-[:KNOWS]-(b) RETURN b.name, count(*)`,
      `MATCH (a:Person)-[:KNOWS]-(b) WITH b.name AS name RETURN name, count(*)`);
  });

  it('checks label expressions on every node, the start included', () => {
    const g = town();
    expectSameAs(g, `MATCH (p:Person&!Admin)-[:LIVES_IN]->(c:City|Town) RETURN c.name, count(*)`,
      `MATCH (p:Person&!Admin)-[:LIVES_IN]->(c:City|Town) WITH c.name AS n RETURN n, count(*)`);
    expectSameAs(g, `MATCH (c:Capital)<-[:LIVES_IN]-(p:Person) RETURN c.name, collect(p.name)`,
      `MATCH (c:Capital)<-[:LIVES_IN]-(p:Person) WITH c.name AS n, p.name AS m
       RETURN n, collect(m)`);
  });

  it('never uses a relationship twice and honours a variable that comes back', () => {
    const g = town();
    const rows = expectSameAs(g,
      `MATCH (a:Person)-[:KNOWS]-(b)-[:KNOWS]-(c) RETURN a.name, count(*), collect(c.name)`,
      `MATCH (a:Person)-[:KNOWS]-(b)-[:KNOWS]-(c) WITH a.name AS n, c.name AS m
       RETURN n, count(*), collect(m)`);
    expect(rows.length).toBeGreaterThan(0);
    expectSameAs(g, `MATCH (a)-[:KNOWS]->(b)-[:KNOWS]->(a) RETURN a.name, count(*)`,
      `MATCH (a)-[:KNOWS]->(b)-[:KNOWS]->(a) WITH a.name AS n RETURN n, count(*)`);
    expectSameAs(g, `MATCH (x:Person)-[:LIVES_IN]->(c)<-[:LIVES_IN]-(y) RETURN c.name,
        count(*), collect(x.name + y.name)`,
      `MATCH (x:Person)-[:LIVES_IN]->(c)<-[:LIVES_IN]-(y) WITH c.name AS n,
        x.name + y.name AS m RETURN n, count(*), collect(m)`);
  });

  it('keeps the rows a WHERE of property comparisons keeps', () => {
    const g = town();
    const rows = expectSameAs(g,
      `MATCH (p:Person) WHERE p.age > $min AND p.name <> 'Bob' RETURN count(p), collect(p.name)`,
      `MATCH (p:Person) WITH p WHERE p.age > $min AND p.name <> 'Bob'
       RETURN count(p), collect(p.name)`, { min: 7n });
    expect(rows).toEqual([[3n, ['Ann', 'Eve', 'Fay']]]);
    expectSameAs(g, `MATCH (p:Person) WHERE 30 = p.age AND p.name >= 'A' RETURN count(*)`,
      `MATCH (p:Person) WITH p WHERE 30 = p.age AND p.name >= 'A' RETURN count(*)`);
    expect(expectSameAs(g, `MATCH (p:Person) WHERE 10 < p.age RETURN collect(p.name)`,
      `MATCH (p:Person) WITH p WHERE 10 < p.age RETURN collect(p.name)`))
      .toEqual([[['Ann', 'Bob', 'Eve', 'Fay']]]);
    expectSameAs(g, `MATCH (p:Person) WHERE p.age > 'x' RETURN count(*)`,
      `MATCH (p:Person) WITH p WHERE p.age > 'x' RETURN count(*)`);
    expectSameAs(g, `MATCH (p:Person)-[:LIVES_IN]->(c:City) WHERE c.name = $city
        AND p.age >= 7 AND p.shoe IS NULL RETURN c.name, count(*), avg(p.age)`,
      `MATCH (p:Person)-[:LIVES_IN]->(c:City) WITH p, c WHERE c.name = $city
        AND p.age >= 7 AND p.shoe IS NULL RETURN c.name, count(*), avg(p.age)`, { city: 'Oslo' });
    expectSameAs(g, `MATCH (p:Person)-[:KNOWS]->(q) WHERE p.age > 10 OR q.name = 'Dee'
        RETURN q.name, count(*)`,
      `MATCH (p:Person)-[:KNOWS]->(q) WITH p, q WHERE p.age > 10 OR q.name = 'Dee'
        RETURN q.name, count(*)`);
  });

  it('compares encoded properties with fixed values as the row path does, for every kind',
    () => {
      const g = new TestGraph();
      g.run(`UNWIND [7, 30, 30.0, -0.0, 0, 31.5, 2^53, 9007199254740993, -9007199254740993,
          'Zürich', 'Oslo', '', [30], true, null, 0.0/0.0] AS v
        CREATE (:Person {v: v, city: CASE WHEN v = 30 THEN 'Zürich' ELSE 'Oslo' END})`);
      // Updated nodes keep their properties in a map, not encoded.
      g.run(`MATCH (p:Person) WHERE p.v = 7 OR p.v = 'Oslo' SET p.city = 'Zürich', p.w = 1`);
      const fixed: Value[] = [30n, 30, 31.5, -0, 0n, 9007199254740993n, -9007199254740993n,
        Number.NaN, 'Zürich', 'Oslo', 'Zur', '', true, [30n]];
      for (const op of ['=', '<>', '<', '<=', '>', '>=']) {
        for (const x of fixed) {
          for (const [left, right] of [['p.v', '$x'], ['$x', 'p.v'], ['p.city', '$x']]) {
            expectSameAs(g, `MATCH (p:Person) WHERE ${left} ${op} ${right} RETURN count(*)`,
              `MATCH (p:Person) WITH p WHERE ${left} ${op} ${right} RETURN count(*)`, { x });
          }
        }
      }
      expect(g.run(`MATCH (p:Person) WHERE p.city = $x RETURN count(*)`, { x: 'Zürich' },
        'READ').rows).toEqual([[4n]]);
      expect(g.run(`MATCH (p:Person) WHERE p.v >= $x RETURN count(*)`, { x: 30n },
        'READ').rows).toEqual([[5n]]);
    });

  it('reports every operator of the plan under PROFILE with its rows', () => {
    const g = town();
    const plan = g.run(`PROFILE MATCH (p:Person)-[:LIVES_IN]->(c:City)
      RETURN c.name, count(*)`, {}, 'READ').summary.plan;
    const aggregation = plan?.children[0];
    expect(aggregation?.operatorType).toBe('EagerAggregation@neo4j');
    expect(aggregation?.rows).toBe(3);
    expect(aggregation?.children[0]?.rows).toBe(6);
  });

  it('fails as the row path does when a key cannot be evaluated', () => {
    const g = town();
    const query = `MATCH (p:Person)-[:LIVES_IN]->(c) RETURN c.name.x, count(*)`;
    expect(codeOf(() => g.run(query, {}, 'READ'))).toBe(codeOf(() =>
      g.run(`MATCH (p:Person)-[:LIVES_IN]->(c) WITH c.name AS n RETURN n.x, count(*)`)));
  });
});

/**
 * People with ages that make a running mean depend on its order (a large value, then small
 * ones), nulls, floats, and a Person who is also an Admin; cities sharing names; more people
 * than cities, so a walk reads the people's properties ahead into columns.
 */
function crowd(): TestGraph {
  const g = new TestGraph();
  g.run(`CREATE (:City {name: 'Oslo', size: 3}), (:City {name: 'Rome', size: 2.5}),
    (:City:Capital {name: 'Oslo'}), (:City {name: 'Lima', size: 'big'})`);
  g.run(`MATCH (c:City) WITH collect(c) AS cities
    UNWIND range(0, 59) AS i
    WITH cities[i % 4] AS c, i, CASE i % 7 WHEN 0 THEN 1.0e16 WHEN 1 THEN null
      WHEN 2 THEN 0.1 * i ELSE i END AS age
    CREATE (p:Person {age: age, name: 'p' + i})-[:LIVES_IN]->(c)
    FOREACH (x IN CASE WHEN i % 5 = 0 THEN [1] ELSE [] END | SET p:Admin)`);
  return g;
}

describe('columns read ahead and typed aggregates', () => {
  const q4 = `MATCH (p:Person)-[:LIVES_IN]->(c:City) RETURN c.name, count(*), avg(p.age),
    count(p.age), count(p) ORDER BY count(*) DESC`;

  it('gives the averages of the row path to the last bit, grouping cities by name', () => {
    const rows = expectSameAs(crowd(), q4, `MATCH (p:Person)-[:LIVES_IN]->(c:City)
      WITH c.name AS n, p.age AS age, p AS p RETURN n, count(*), avg(age), count(age),
      count(p) ORDER BY count(*) DESC`);
    expect(rows.map((r) => r[0])).toEqual(['Oslo', 'Rome', 'Lima']);
    expect(rows[0]?.[1]).toBe(30n);
  });

  it('reads the far end ahead, walking from either end and either direction', () => {
    const g = crowd();
    expectSameAs(g, `MATCH (c:City)<-[:LIVES_IN]-(p:Person&!Admin) RETURN p.name, count(*),
      count(c.size), max(c.size)`, `MATCH (c:City)<-[:LIVES_IN]-(p:Person&!Admin)
      WITH p.name AS n, c.size AS s RETURN n, count(*), count(s), max(s)`);
    expectSameAs(g, `MATCH (p:Person)-[:LIVES_IN]->(c:City) WHERE c.size < 3
      RETURN p.age, avg(c.size), sum(c.size)`, `MATCH (p:Person)-[:LIVES_IN]->(c:City)
      WITH p.age AS a, c.size AS s WHERE s < 3 RETURN a, avg(s), sum(s)`);
    expectSameAs(g, `MATCH (c:City)<-[:LIVES_IN]-(p:Admin:Person) RETURN c, avg(p.age),
      min(p.age), collect(p.name)`, `MATCH (c:City)<-[:LIVES_IN]-(p:Admin:Person)
      WITH c AS c, p.age AS a, p.name AS n RETURN c, avg(a), min(a), collect(n)`);
  });

  it('fails as the row path does on a value avg cannot take', () => {
    const g = crowd();
    const walked = `MATCH (p:Person)-[:LIVES_IN]->(c:City) RETURN p.name, avg(c.size)`;
    const rowPath = `MATCH (p:Person)-[:LIVES_IN]->(c:City) WITH p.name AS n, c.size AS s
      RETURN n, avg(s)`;
    expect(codeOf(() => g.run(walked, {}, 'READ'))).toBe('Neo.ClientError.Statement.TypeError');
    expect(codeOf(() => g.run(walked, {}, 'READ'))).toBe(codeOf(() => g.run(rowPath)));
  });

  it('takes integers beyond 2^53 exactly', () => {
    const g = crowd();
    g.run(`MATCH (p:Person {name: 'p3'}) SET p.age = 9007199254740993`);
    expectSameAs(g, `MATCH (p:Person)-[:LIVES_IN]->(c:City) RETURN c.name, avg(p.age),
      sum(p.age), max(p.age)`, `MATCH (p:Person)-[:LIVES_IN]->(c:City)
      WITH c.name AS n, p.age AS a RETURN n, avg(a), sum(a), max(a)`);
  });

  it('reads an older version ahead as that version saw it', () => {
    const g = crowd();
    const before = g.run(q4, {}, 'READ').rows;
    const view = g.store.openView();
    try {
      g.run(`MATCH (p:Person) WHERE p.name IN ['p4', 'p5'] REMOVE p:Person`);
      g.run(`MATCH (p:Person {name: 'p6'}) SET p.age = 1000`);
      g.run(`MATCH (p:Person {name: 'p8'}) DETACH DELETE p`);
      g.run(`MATCH (c:City {name: 'Rome'}) REMOVE c:City`);
      expect(execute(view, q4)).toEqual(before);
      expect(g.run(q4, {}, 'READ').rows).not.toEqual(before);
    } finally {
      view.close();
    }
  });

  it('gathers many start nodes in a run, splitting a node\'s relationships over two', () => {
    const g = new TestGraph();
    // 255 people after the first have two relationships each: the first run of 256 matches
    // ends between a person's two, after a match that made a group.
    g.run(`CREATE (p:Person {name: 'p0'})-[:R]->(:City {name: 'u0'})`);
    g.run(`CREATE (s:City {name: 'S'}) WITH s UNWIND range(1, 299) AS i
      CREATE (p:Person {name: 'p' + i})-[:R]->(s) CREATE (p)-[:R]->(:City {name: 'u' + i})`);
    const rows = expectSameAs(g, `MATCH (p:Person)-[:R]->(c) RETURN c.name, collect(p.name)`,
      `MATCH (p:Person)-[:R]->(c) WITH c.name AS n, p.name AS m RETURN n, collect(m)`);
    expect(rows).toContainEqual(['u128', ['p128']]);
  });

  it('counts the same under PROFILE, which runs the operators', () => {
    const g = crowd();
    const profiled = g.run(`PROFILE ${q4}`, {}, 'READ');
    expect(profiled.rows).toEqual(g.run(q4, {}, 'READ').rows);
    let operator = profiled.summary.plan ?? undefined;
    while (operator !== undefined && operator.operatorType !== 'EagerAggregation@neo4j') {
      operator = operator.children[0];
    }
    expect(operator?.rows).toBe(3);
    expect(operator?.children[0]?.rows).toBe(60);
  });
});

function execute(graph: GraphReader, query: string, bytesMax: number | null = null): Value[][] {
  const ctx: ExecutionContext = { graph, params: new Map(), procedures: new TestGraph().procedures,
    statementTimeMs: 0, random: () => 0.5, importDir: null,
    budget: new TransactionBudget({ ...NO_LIMITS, bytesMax }) };
  const cursor = executeQuery(prepareQuery(query), ctx);
  const rows: Value[][] = [];
  for (let row = cursor.next(); row !== null; row = cursor.next()) rows.push(row);
  return rows;
}

describe('what a transaction sees', () => {
  const query = `MATCH (p:Person)-[:LIVES_IN]->(c:City) RETURN c.name, count(*), sum(p.age)`;

  it('counts nodes created and deleted earlier in the same open transaction', () => {
    const g = town();
    const view = g.store.openView();
    let next = 1000;
    const tx = new WriteTx(view, { nodeId: () => next++, relId: () => next++ });
    try {
      execute(tx, `MATCH (c:City {name: 'Rome'}) CREATE (:Person {age: 1})-[:LIVES_IN]->(c),
        (:Person {age: 2.5})-[:LIVES_IN]->(:City {name: 'Oslo'})`);
      execute(tx, `MATCH (p:Person {name: 'Dee'}) DETACH DELETE p`);
      execute(tx, `MATCH (c:City {name: 'Oslo'})<-[r]-(:Person {name: 'Bob'}) DELETE r`);
      const rows = execute(tx, query);
      expect(rows).toEqual(execute(tx, `MATCH (p:Person)-[:LIVES_IN]->(c:City)
        WITH c.name AS name, p.age AS age RETURN name, count(*), sum(age)`));
      expect(rows).toEqual([['Oslo', 2n, 32.5], ['Rome', 2n, 1n], [null, 1n, 30.0]]);
    } finally {
      view.close();
    }
  });

  it('reads the version its view was opened at, not changes committed since', () => {
    const g = town();
    const before = g.run(query, {}, 'READ').rows;
    const view = g.store.openView();
    try {
      g.run(`MATCH (c:City {name: 'Rome'}) CREATE (:Person {age: 5})-[:LIVES_IN]->(c)`);
      g.run(`MATCH (p:Person {name: 'Ann'}) DETACH DELETE p`);
      expect(execute(view, query)).toEqual(before);
      expect(g.run(query, {}, 'READ').rows).not.toEqual(before);
    } finally {
      view.close();
    }
  });

  it('reads as it goes when the memory limit leaves no room for columns', () => {
    const g = new TestGraph();
    g.run(`CREATE (c:City {name: 'Oslo'}) WITH c UNWIND range(1, 3000) AS i
      CREATE (:Person {age: i % 90})-[:LIVES_IN]->(c)`);
    const view = g.store.openView();
    try {
      const q4 = `MATCH (p:Person)-[:LIVES_IN]->(c:City) RETURN c.name, count(*), avg(p.age)`;
      const rows = execute(view, `MATCH (p:Person)-[:LIVES_IN]->(c:City)
        WITH c.name AS n, p.age AS a RETURN n, count(*), avg(a)`);
      expect(rows[0]?.[1]).toBe(3000n);
      expect(execute(view, q4)).toEqual(rows);
      expect(execute(view, q4, 20_000)).toEqual(rows);
    } finally {
      view.close();
    }
  });

  it('stays within the memory budget however many groups there are', () => {
    const g = new TestGraph();
    g.run(`UNWIND range(1, 2000) AS i CREATE (:Person {id: i})-[:LIVES_IN]->(:City {id: i})`);
    const view = g.store.openView();
    try {
      const grouped = `MATCH (p:Person)-[:LIVES_IN]->(c:City) RETURN c, count(*)`;
      expect(execute(view, grouped)).toHaveLength(2000);
      expect(codeOf(() => execute(view, grouped, 100_000)))
        .toBe('Neo.TransientError.General.MemoryPoolOutOfMemoryError');
    } finally {
      view.close();
    }
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { executeQuery, prepareQuery } from '../../src/cypher/index.js';
import { Node, Path, Relationship } from '../../src/graph/values.js';
import { TestGraph } from './harness.js';
import { codeOf } from '../helpers/error-codes.js';


let g: TestGraph;

beforeEach(() => {
  g = new TestGraph();
  g.run("CREATE (a:P {n: 1})-[:R {w: 1}]->(b:P {n: 2})-[:R {w: 2}]->(c:P {n: 3})" +
    '-[:R {w: 3}]->(d:P:Last {n: 4})');
});

describe('reading', () => {
  it('matches a chain and projects properties', () => {
    expect(g.values('MATCH (a:P)-[r:R]->(b) WHERE r.w >= 2 RETURN a.n, b.n ORDER BY a.n'))
      .toEqual([[2, 3], [3, 4]]);
  });

  it('returns materialized nodes, relationships and paths with element ids', () => {
    const [row] = g.run('MATCH p = (a {n: 1})-[r]->(b) RETURN a, r, p').rows;
    const [a, r, p] = row ?? [];
    expect(a).toBeInstanceOf(Node);
    expect((a as Node).elementId).toMatch(/^4:quiver:\d+$/);
    expect((a as Node).labels).toEqual(['P']);
    expect(r).toBeInstanceOf(Relationship);
    expect((r as Relationship).elementId).toMatch(/^5:quiver:\d+$/);
    expect((r as Relationship).startElementId).toBe((a as Node).elementId);
    expect(p).toBeInstanceOf(Path);
    expect((p as Path).nodes).toHaveLength(2);
  });

  it('expands variable-length patterns in both directions with bounds', () => {
    expect(g.values('MATCH (a {n: 1})-[*2..3]->(x) RETURN x.n ORDER BY x.n')).toEqual([[3], [4]]);
    expect(g.values('MATCH (x)-[rs*]->(d:Last) RETURN x.n, size(rs) ORDER BY x.n'))
      .toEqual([[1, 3], [2, 2], [3, 1]]);
    expect(g.values('MATCH p = (x {n: 1})-[*0..1]->(y) RETURN length(p) ORDER BY length(p)'))
      .toEqual([[0], [1]]);
  });

  it('keeps relationships unique within one MATCH', () => {
    expect(g.values('MATCH (a)-[r1]-(b)-[r2]-(c) WHERE a.n = 1 RETURN c.n')).toEqual([[3]]);
  });

  it('finds shortest paths', () => {
    g.run('MATCH (a {n: 1}), (d {n: 4}) CREATE (a)-[:SHORT]->(d)');
    expect(g.values('MATCH p = shortestPath((a {n: 1})-[*]->(d {n: 4})) RETURN length(p)'))
      .toEqual([[1]]);
    expect(g.values('MATCH p = allShortestPaths((a {n: 1})-[:R*]->(d {n: 4})) RETURN length(p)'))
      .toEqual([[3]]);
  });

  it('pads OPTIONAL MATCH with nulls', () => {
    expect(g.values('MATCH (d:Last) OPTIONAL MATCH (d)-->(x) RETURN d.n, x')).toEqual([[4, null]]);
  });

  it('filters with pattern predicates and label tests', () => {
    expect(g.values('MATCH (a:P) WHERE NOT (a)-->() RETURN a.n')).toEqual([[4]]);
    expect(g.values('MATCH (a) WHERE a:Last|Other RETURN a.n')).toEqual([[4]]);
    expect(g.values('MATCH (a:P&!Last) RETURN count(a)')).toEqual([[3]]);
  });

  it('evaluates EXISTS, COUNT and COLLECT subqueries and pattern comprehensions', () => {
    expect(g.values('MATCH (a {n: 2}) RETURN EXISTS { (a)-->() }, COUNT { (a)-[*]->() }, ' +
      'COLLECT { MATCH (a)-->(b) RETURN b.n }, [(a)<--(x) | x.n]')).toEqual([[true, 2, [3], [1]]]);
  });

  it('uses an index seek when one exists and gives the same answer', () => {
    const before = g.values('MATCH (n:P {n: 3}) RETURN n.n');
    g.run('CREATE INDEX FOR (n:P) ON (n.n)');
    expect(g.values('MATCH (n:P) WHERE n.n = $v RETURN n.n', { v: 3n })).toEqual(before);
  });
});

describe('projection', () => {
  it('groups by the non-aggregate columns', () => {
    expect(g.values('MATCH (n:P) RETURN n.n % 2 AS parity, count(*) AS c, collect(n.n) AS ns ' +
      'ORDER BY parity')).toEqual([[0, 2, [2, 4]], [1, 2, [1, 3]]]);
  });

  it('aggregates over no rows into one row without grouping keys', () => {
    expect(g.values('MATCH (n:Nothing) RETURN count(n), sum(n.x), collect(n)'))
      .toEqual([[0, 0, []]]);
    expect(g.values('MATCH (n:Nothing) RETURN n.x, count(n)')).toEqual([]);
  });

  it('applies DISTINCT inside aggregates and to rows', () => {
    expect(g.values('UNWIND [1, 1, 2, null] AS x RETURN count(DISTINCT x), count(x), count(*)'))
      .toEqual([[2, 3, 4]]);
    expect(g.values('UNWIND [1, 1, 2] AS x RETURN DISTINCT x ORDER BY x')).toEqual([[1], [2]]);
  });

  it('orders with ORDER BY on earlier variables and aggregates, then skips and limits', () => {
    expect(g.values('MATCH (n:P) RETURN n.n AS v ORDER BY n.n DESC SKIP 1 LIMIT 2'))
      .toEqual([[3], [2]]);
    expect(g.values('UNWIND [1, 2, 2, 3, 3, 3] AS x RETURN x, count(*) ORDER BY count(*) DESC ' +
      'LIMIT 1')).toEqual([[3, 3]]);
  });

  it('sorts mixed types in Cypher order with nulls last', () => {
    expect(g.values("UNWIND [null, 'a', 2, 1.5, true] AS x RETURN x ORDER BY x"))
      .toEqual([['a'], [true], [1.5], [2], [null]]);
  });

  it('filters WITH ... WHERE after the projection', () => {
    expect(g.values('MATCH (n:P) WITH n.n AS v WHERE v > 2 RETURN collect(v)')).toEqual([[[3, 4]]]);
  });

  it('returns * in name order and names columns after their text', () => {
    const result = g.run('WITH 1 AS b, 2 AS a RETURN *, a + b');
    expect(result.fields).toEqual(['a', 'b', 'a + b']);
    expect(result.rows).toEqual([[2n, 1n, 3n]]);
  });

  it('combines UNION (distinct) and UNION ALL', () => {
    expect(g.values('RETURN 1 AS x UNION RETURN 1 AS x')).toEqual([[1]]);
    expect(g.values('RETURN 1 AS x UNION ALL RETURN 1 AS x')).toEqual([[1], [1]]);
  });

  it('runs CALL subqueries per row, with both import styles', () => {
    expect(g.values('UNWIND [1, 2] AS x CALL { WITH x RETURN x * 10 AS y } RETURN x, y'))
      .toEqual([[1, 10], [2, 20]]);
    expect(g.values('UNWIND [1, 2] AS x ' +
      'CALL (x) { UNWIND range(1, x) AS i RETURN count(i) AS c } ' +
      'RETURN x, c')).toEqual([[1, 1], [2, 2]]);
  });
});

describe('writing', () => {
  it('reports statistics and the query type', () => {
    const result = g.run("CREATE (x:New {a: 1, b: 'two'})-[:T]->(:New) RETURN x.a");
    expect(result.summary.queryType).toBe('rw');
    expect(result.summary.statistics).toMatchObject({ nodesCreated: 2, relationshipsCreated: 1,
      propertiesSet: 2, labelsAdded: 2 });
    expect(g.run('CREATE ()').summary.queryType).toBe('w');
    expect(g.run('MATCH (n) RETURN n').summary.queryType).toBe('r');
    expect(g.run('CREATE INDEX i FOR (n:X) ON (n.y)').summary.queryType).toBe('s');
  });

  it('does not see its own creations while scanning (no endless MATCH ... CREATE)', () => {
    g.run('MATCH (n:P) CREATE (:P {n: n.n + 10})');
    expect(g.values('MATCH (n:P) RETURN count(n)')).toEqual([[8]]);
  });

  it('merges the whole pattern and runs ON CREATE / ON MATCH', () => {
    expect(g.values('MERGE (n:P {n: 1}) ON MATCH SET n.seen = true RETURN n.seen'))
      .toEqual([[true]]);
    expect(g.values("MERGE (n:P {n: 9}) ON CREATE SET n.created = 'yes' RETURN n.created"))
      .toEqual([['yes']]);
    expect(g.values('UNWIND [5, 5, 6] AS v MERGE (m:M {v: v}) RETURN count(*)')).toEqual([[3]]);
    expect(g.values('MATCH (m:M) RETURN count(m)')).toEqual([[2]]);
    g.run('MATCH (a {n: 1}), (b {n: 4}) MERGE (a)-[:LINK]->(b) MERGE (a)-[:LINK]->(b)');
    expect(g.values('MATCH ()-[r:LINK]->() RETURN count(r)')).toEqual([[1]]);
  });

  it('sets and removes properties and labels', () => {
    g.run("MATCH (n {n: 1}) SET n:Q, n.x = 1, n += {y: 2}, n['z'] = 3");
    expect(g.values('MATCH (n:Q) RETURN n.n, n.x, n.y, n.z')).toEqual([[1, 1, 2, 3]]);
    g.run('MATCH (n:Q) SET n = {only: true} REMOVE n:Q');
    expect(g.values('MATCH (n {only: true}) RETURN properties(n), labels(n)'))
      .toEqual([[{ only: true }, ['P']]]);
  });

  it('deletes relationships, detaches nodes, and refuses to orphan relationships', () => {
    g.run('MATCH (d:Last) DETACH DELETE d');
    expect(g.values('MATCH (n) RETURN count(n)')).toEqual([[3]]);
    g.run('MATCH ()-[r {w: 2}]->() DELETE r');
    expect(g.values('MATCH ()-[r]->() RETURN count(r)')).toEqual([[1]]);
    expect(codeOf(() => g.run('MATCH (n {n: 1}) DELETE n')))
      .toBe('Neo.ClientError.Schema.ConstraintValidationFailed');
  });

  it('runs FOREACH bodies for each element', () => {
    g.run('FOREACH (i IN range(1, 3) | CREATE (:F {i: i}))');
    expect(g.values('MATCH (f:F) RETURN sum(f.i)')).toEqual([[6]]);
  });

  it('refuses writes through a read-only graph', () => {
    expect(codeOf(() => g.run('CREATE ()', {}, 'READ')))
      .toBe('Neo.ClientError.Statement.AccessMode');
  });
});

describe('procedures, schema and SHOW', () => {
  it('calls procedures standalone and with YIELD', () => {
    const standalone = g.run('CALL db.labels()');
    expect(standalone.fields).toEqual(['label']);
    expect(g.values('CALL db.labels() YIELD label WHERE label <> "P" RETURN label'))
      .toEqual([['Last']]);
    expect(codeOf(() =>
      g.run('CALL no.such()'))).toBe('Neo.ClientError.Procedure.ProcedureNotFound');
  });

  it('creates, shows and drops indexes and constraints', () => {
    g.run('CREATE INDEX byN FOR (n:P) ON (n.n)');
    g.run('CREATE CONSTRAINT uq FOR (n:U) REQUIRE n.k IS UNIQUE');
    expect(g.values('SHOW INDEXES YIELD name, labelsOrTypes, properties WHERE name = "byN"'))
      .toEqual([['byN', ['P'], ['n']]]);
    expect(g.values('SHOW CONSTRAINTS YIELD name, type')).toEqual([['uq',
      'NODE_PROPERTY_UNIQUENESS']]);
    g.run('DROP INDEX byN');
    expect(g.values('SHOW INDEXES YIELD name WHERE name = "byN"')).toEqual([]);
  });
});

describe('EXPLAIN and PROFILE', () => {
  it('plans without running under EXPLAIN', () => {
    const result = g.run('EXPLAIN MATCH (n:P) CREATE (:X) RETURN n');
    expect(result.rows).toEqual([]);
    expect(result.summary.plan?.operatorType).toBe('ProduceResults@neo4j');
    expect(g.values('MATCH (x:X) RETURN count(x)')).toEqual([[0]]);
  });

  it('counts rows per operator under PROFILE', () => {
    const result = g.run('PROFILE MATCH (n:P) RETURN n.n');
    expect(result.rows).toHaveLength(4);
    expect(result.summary.plan?.rows).toBe(4);
  });
});

describe('LOAD CSV', () => {
  it('reads files inside the import directory only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quiver-csv-'));
    writeFileSync(join(dir, 'people.csv'), 'name,age\nAnn,30\nBob,\n');
    g.importDir = dir;
    expect(g.values("LOAD CSV WITH HEADERS FROM 'file:///people.csv' AS row " +
      'RETURN row.name, row.age'))
      .toEqual([['Ann', '30'], ['Bob', null]]);
    expect(g.values("LOAD CSV FROM 'file:///people.csv' AS row RETURN row[0] SKIP 1"))
      .toEqual([['Ann'], ['Bob']]);
    expect(codeOf(() => g.run("LOAD CSV FROM 'file:///../etc/passwd' AS row RETURN row")))
      .toBe('Neo.ClientError.Statement.ExternalResourceFailed');
    g.importDir = null;
    expect(codeOf(() => g.run("LOAD CSV FROM 'file:///people.csv' AS row RETURN row")))
      .toBe('Neo.ClientError.Statement.ExternalResourceFailed');
  });
});

describe('errors', () => {
  it('names an undefined variable with its position', () => {
    expect(() => prepareQuery('MATCH (n) RETURN m'))
      .toThrow(/Variable `m` not defined \(line 1, column 18/);
  });

  it('rejects misuse the way Neo4j does', () => {
    const semantic = 'Neo.ClientError.Statement.SemanticError';
    expect(codeOf(() => prepareQuery('RETURN *'))).toBe(semantic);
    expect(codeOf(() => prepareQuery('MATCH (n) WHERE count(n) > 1 RETURN n'))).toBe(semantic);
    expect(codeOf(() => prepareQuery('MATCH (n)'))).toBe(semantic);
    expect(codeOf(() => prepareQuery('WITH 1 + 1 RETURN 1'))).toBe(semantic);
    expect(codeOf(() => prepareQuery('MATCH (a) CREATE (a:L)'))).toBe(semantic);
    expect(codeOf(() => prepareQuery('CREATE (a)-[:R]-(b)'))).toBe(semantic);
    expect(codeOf(() => prepareQuery('RETURN nosuchfunction(1)')))
      .toBe('Neo.ClientError.Statement.SyntaxError');
  });

  it('reports missing parameters, type errors and arithmetic errors with codes', () => {
    expect(codeOf(() => g.run('RETURN $p'))).toBe('Neo.ClientError.Statement.ParameterMissing');
    expect(codeOf(() => g.run('RETURN 1 / 0'))).toBe('Neo.ClientError.Statement.ArithmeticError');
    expect(codeOf(() => g.run('RETURN $p AND true', { p: 1n })))
      .toBe('Neo.ClientError.Statement.TypeError');
    // Neo4j reports a bad LIMIT as a syntax error, whether written or passed as a parameter.
    expect(codeOf(() => g.run('RETURN 1 LIMIT $n', { n: -1n })))
      .toBe('Neo.ClientError.Statement.SyntaxError');
  });

  it('caches prepared queries by text', () => {
    expect(prepareQuery('RETURN 42 AS answer')).toBe(prepareQuery('RETURN 42 AS answer'));
  });

  it('does work only as records are pulled', () => {
    let produced = 0;
    g.procedures.register({
      name: 'test.counting', mode: 'READ', description: 'yields 1, 2, ... and counts',
      inputs: [], outputs: [{ name: 'i', type: 'INTEGER' }],
      *invoke() {
        for (let i = 1n; i <= 1_000_000n; i++) {
          produced++;
          yield [i];
        }
      },
    });
    const view = g.store.openView();
    const cursor = executeQuery(prepareQuery('CALL test.counting() YIELD i RETURN i * 2 AS d'), {
      graph: view, params: new Map(), procedures: g.procedures, statementTimeMs: 0,
      random: () => 0, importDir: null,
    });
    expect(cursor.next()).toEqual([2n]);
    expect(cursor.next()).toEqual([4n]);
    expect(produced).toBe(2);
    view.close();
  });
});

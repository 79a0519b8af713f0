/**
 * The bench's load statements (`UNWIND $rows AS r MATCH (a:Person {id: r.src}) MATCH (b:Person
 * {id: r.dst}) CREATE (a)-[:KNOWS {since: r.since}]->(b)`) give what a user expects whatever
 * the rows hold: a relationship per pair of ends found, none when an end is missing, one per
 * match when an id is on several nodes, and the same graph with or without the index the
 * seeks use. Seeks after the same transaction wrote nodes find those nodes. (TestGraph's
 * values() gives integers as numbers.)
 */
import { describe, expect, it } from 'vitest';
import { Database } from '../../src/index.js';
import type { Value } from '../../src/graph/values.js';
import { TestGraph } from './harness.js';

const LOAD_KNOWS = 'UNWIND $rows AS r MATCH (a:Person {id: r.src}) MATCH (b:Person {id: r.dst}) ' +
  'CREATE (a)-[:KNOWS {since: r.since}]->(b)';
const KNOWS_PAIRS =
  'MATCH (a)-[k:KNOWS]->(b) RETURN a.id, b.id, k.since ORDER BY a.id, b.id, k.since';

function row(src: Value, dst: Value, since: Value = 2000n): Map<string, Value> {
  return new Map<string, Value>([['src', src], ['dst', dst], ['since', since]]);
}

function persons(graph: TestGraph, ids: readonly Value[]): void {
  const rows = ids.map((id) => new Map<string, Value>([['id', id]]));
  graph.run('UNWIND $rows AS r CREATE (:Person {id: r.id})', { rows });
}

describe('loading relationships through UNWIND batches', () => {
  it('creates one relationship per row whose ends exist, with its property', () => {
    const graph = new TestGraph();
    graph.run('CREATE CONSTRAINT person_id FOR (p:Person) REQUIRE p.id IS UNIQUE');
    persons(graph, [1n, 2n, 3n]);
    const result = graph.run(LOAD_KNOWS, { rows: [row(1n, 2n, 1999n), row(2n, 3n), row(3n, 1n),
      row(1n, 2n, 2001n)] });
    expect(result.summary.statistics.relationshipsCreated).toBe(4);
    expect(result.summary.statistics.propertiesSet).toBe(4);
    expect(graph.values(KNOWS_PAIRS)).toEqual([[1, 2, 1999], [1, 2, 2001],
      [2, 3, 2000], [3, 1, 2000]]);
  });

  it('skips rows with a missing, null or map end, and matches 1.0 to the integer 1', () => {
    const graph = new TestGraph();
    graph.run('CREATE CONSTRAINT person_id FOR (p:Person) REQUIRE p.id IS UNIQUE');
    persons(graph, [1n, 2n]);
    const rows = [row(1n, 99n), row(null, 2n), row(new Map([['id', 1n]]), 2n), row(1.0, 2n),
      row(2n, '1')];
    const result = graph.run(LOAD_KNOWS, { rows });
    expect(result.summary.statistics.relationshipsCreated).toBe(1);
    expect(graph.values(KNOWS_PAIRS)).toEqual([[1, 2, 2000]]);
  });

  it('creates a relationship per matched pair when an id is on several nodes', () => {
    const graph = new TestGraph();
    graph.run('CREATE INDEX person_id FOR (p:Person) ON (p.id)');
    persons(graph, [1n, 1n, 2n]);
    const result = graph.run(LOAD_KNOWS, { rows: [row(1n, 2n), row(2n, 1n)] });
    expect(result.summary.statistics.relationshipsCreated).toBe(4);
    expect(graph.values('MATCH (:Person {id: 2})-[k:KNOWS]-() RETURN count(k)')).toEqual([[4]]);
  });

  it('builds the same graph with and without the index the seeks use', () => {
    const indexed = new TestGraph();
    const plain = new TestGraph();
    indexed.run('CREATE CONSTRAINT person_id FOR (p:Person) REQUIRE p.id IS UNIQUE');
    const ids: Value[] = [1n, 2n, 3n, 'x', true, 4.5];
    const rows = ids.flatMap((src) => ids.map((dst, i) => row(src, dst, BigInt(i))));
    rows.push(row(0n / 1n, 5n), row(0.0 / 0.0, 1n), row([1n], 2n));
    for (const graph of [indexed, plain]) {
      persons(graph, ids);
      graph.run(LOAD_KNOWS, { rows });
    }
    const pairs = indexed.values(KNOWS_PAIRS);
    expect(pairs).toHaveLength(ids.length * ids.length);
    expect(pairs).toEqual(plain.values(KNOWS_PAIRS));
  });

  it('finds the ends the same statement created before its MATCH', () => {
    const graph = new TestGraph();
    graph.run('CREATE CONSTRAINT person_id FOR (p:Person) REQUIRE p.id IS UNIQUE');
    persons(graph, [1n]);
    graph.run('UNWIND [2, 3] AS i CREATE (:Person {id: i}) WITH i ' +
      'MATCH (a:Person {id: i}) MATCH (b:Person {id: i - 1}) CREATE (a)-[:KNOWS {since: i}]->(b)');
    expect(graph.values(KNOWS_PAIRS)).toEqual([[2, 1, 2], [3, 2, 3]]);
  });
});

describe('loading in one explicit transaction', () => {
  it('seeks the nodes an earlier statement of the transaction created or changed', async () => {
    const db = await Database.open(null);
    await db.run('CREATE CONSTRAINT person_id FOR (p:Person) REQUIRE p.id IS UNIQUE');
    await db.run('CREATE (:Person {id: 1}), (:Person {id: 2})');
    const tx = await db.begin();
    tx.run('UNWIND [3, 4] AS i CREATE (:Person {id: i})').next();
    tx.run('MATCH (p:Person {id: 2}) SET p.id = 20').next();
    const rows = [row(1n, 3n), row(4n, 20n), row(4n, 2n), row(3n, 4n)];
    const load = tx.run(LOAD_KNOWS, new Map([['rows', rows]]));
    expect(load.next()).toBeNull();
    expect(load.summary().statistics.relationshipsCreated).toBe(3);
    await tx.commit();
    const pairs = (await db.run('MATCH (a)-[:KNOWS]->(b) RETURN a.id AS a, b.id AS b ' +
      'ORDER BY a, b')).rows();
    expect(pairs).toEqual([{ a: 1n, b: 3n }, { a: 3n, b: 4n }, { a: 4n, b: 20n }]);
    await db.close();
  });
});

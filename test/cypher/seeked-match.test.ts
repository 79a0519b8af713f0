/**
 * A node found by an index seek on its pattern's only label and property is bound without
 * reading it again, and a single node pattern is matched without a walk. What a user sees must
 * stay what a scan gives: the same rows with or without the index, for values the index keys
 * differently from Cypher's equality (NaN, 1 and 1.0, lists), for nodes the same transaction
 * changed, under OPTIONAL MATCH, with a path variable, and with relationships kept unique.
 */
import { describe, expect, it } from 'vitest';
import type { Value } from '../../src/graph/values.js';
import { codeOf } from '../helpers/error-codes.js';
import { TestGraph } from './harness.js';

const SEED = [
  'CREATE (:P {id: 1, tag: "a"}), (:P {id: 1.0, tag: "b"}), (:P:Q {id: 2, tag: "c"})',
  'CREATE (:Q {id: 2, tag: "d"}), (:P {id: 0.0 / 0.0, tag: "nan"}), (:P {id: "1", tag: "s"})',
  'CREATE (:P {id: [1, 2], tag: "list"}), (:P {tag: "none"})',
  'CREATE (:P {id: true, tag: "t"}), (:P {id: 3, tag: "e"})',
];

function graphs(): { indexed: TestGraph; plain: TestGraph } {
  const indexed = new TestGraph();
  const plain = new TestGraph();
  indexed.run('CREATE INDEX FOR (n:P) ON (n.id)');
  for (const statement of SEED) {
    indexed.run(statement);
    plain.run(statement);
  }
  return { indexed, plain };
}

function sortedTags(graph: TestGraph, query: string, params: Record<string, Value> = {}):
  unknown[] {
  return graph.values(query, params).map((row) => row[0]).sort();
}

describe('a node pattern found by an index seek', () => {
  const queries: [string, Record<string, Value>][] = [
    ['MATCH (n:P {id: $v}) RETURN n.tag', { v: 1n }],
    ['MATCH (n:P {id: $v}) RETURN n.tag', { v: 1.0 }],
    ['MATCH (n:P {id: $v}) RETURN n.tag', { v: '1' }],
    ['MATCH (n:P {id: $v}) RETURN n.tag', { v: true }],
    ['MATCH (n:P {id: $v}) RETURN n.tag', { v: Number.NaN }],
    ['MATCH (n:P {id: 0.0 / 0.0}) RETURN n.tag', {}],
    ['MATCH (n:P {id: $v}) RETURN n.tag', { v: [1n, 2n] }],
    ['MATCH (n:P {id: $v}) RETURN n.tag', { v: [1.0, 2.0] }],
    ['MATCH (n:P {id: [1.0, 2]}) RETURN n.tag', {}],
    ['MATCH (n:P {id: $v}) RETURN n.tag', { v: null }],
    ['MATCH (n:P:Q {id: $v}) RETURN n.tag', { v: 2n }],
    ['MATCH (n:P {id: $v, tag: "a"}) RETURN n.tag', { v: 1n }],
    ['MATCH (n:P {id: $v} WHERE n.tag <> "a") RETURN n.tag', { v: 1n }],
    ['MATCH (n:P) WHERE n.id = $v RETURN n.tag', { v: 2n }],
    ['UNWIND [1, 2, 3, 4, null, 0.0 / 0.0] AS v MATCH (n:P {id: v}) RETURN n.tag', {}],
    ['UNWIND [1, 2, 9] AS v OPTIONAL MATCH (n:P {id: v}) RETURN coalesce(n.tag, "-")', {}],
    ['MATCH p = (n:P {id: $v}) RETURN n.tag + ":" + toString(length(p))', { v: 3n }],
  ];
  it.each(queries)('answers %s as a scan does (%o)', (query, params) => {
    const { indexed, plain } = graphs();
    expect(sortedTags(indexed, query, params)).toEqual(sortedTags(plain, query, params));
  });

  it('finds equal numbers and never NaN', () => {
    const { indexed } = graphs();
    expect(sortedTags(indexed, 'MATCH (n:P {id: $v}) RETURN n.tag', { v: 1n }))
      .toEqual(['a', 'b']);
    expect(sortedTags(indexed, 'MATCH (n:P {id: $v}) RETURN n.tag', { v: Number.NaN }))
      .toEqual([]);
  });

  it('sees what the same statement changed before it seeks', () => {
    const { indexed } = graphs();
    const changed = indexed.values('MATCH (n:P {id: 3}) SET n.id = 4 ' +
      'WITH count(*) AS c MATCH (m:P {id: 3}) RETURN count(m)');
    expect(changed).toEqual([[0]]);
    const unlabelled = indexed.values('MATCH (n:P {id: 4}) REMOVE n:P ' +
      'WITH count(*) AS c MATCH (m:P {id: 4}) RETURN count(m)');
    expect(unlabelled).toEqual([[0]]);
    const created = indexed.values('CREATE (:P {id: 7}) WITH 1 AS x ' +
      'MATCH (m:P {id: 7}) RETURN count(m)');
    expect(created).toEqual([[1]]);
    const deleted = indexed.values('MATCH (n:P {id: 7}) DELETE n ' +
      'WITH count(*) AS c MATCH (m:P {id: 7}) RETURN count(m)');
    expect(deleted).toEqual([[0]]);
  });
});

describe('a load through UNWIND with a unique constraint', () => {
  it('connects exactly the rows whose two ends exist', () => {
    const graph = new TestGraph();
    graph.run('CREATE CONSTRAINT FOR (p:Person) REQUIRE p.id IS UNIQUE');
    graph.run('UNWIND range(0, 99) AS i CREATE (:Person {id: i})');
    const rows: Value[] = [];
    for (let i = 0; i < 300; i++) {
      rows.push(new Map<string, Value>([['src', BigInt((i * 7) % 110)],
        ['dst', BigInt((i * 13) % 105)], ['since', BigInt(i)]]));
    }
    const load = 'UNWIND $rows AS r MATCH (a:Person {id: r.src}) MATCH (b:Person {id: r.dst}) ' +
      'CREATE (a)-[:KNOWS {since: r.since}]->(b)';
    const created = graph.run(load, { rows }).summary;
    const expected = rows.filter((r) => {
      const row = r as Map<string, bigint>;
      return (row.get('src') ?? 999n) < 100n && (row.get('dst') ?? 999n) < 100n;
    });
    expect(created.statistics.relationshipsCreated).toBe(expected.length);
    const stored = graph.values('MATCH (a)-[k:KNOWS]->(b) RETURN a.id, b.id, k.since ' +
      'ORDER BY k.since');
    expect(stored).toEqual(expected.map((r) => {
      const row = r as Map<string, bigint>;
      return [row.get('src'), row.get('dst'), row.get('since')].map(Number);
    }));
  });
});

describe('relationship uniqueness', () => {
  it('holds within one MATCH across its patterns, not across two MATCH clauses', () => {
    const graph = new TestGraph();
    graph.run('CREATE (:N {id: 1})-[:R]->(:N {id: 2})');
    expect(graph.values('MATCH (a)-[r]->(b), (c)-[s]->(d) RETURN count(*)')).toEqual([[0]]);
    expect(graph.values('MATCH (a)-[r]->(b) MATCH (c)-[s]->(d) RETURN count(*)'))
      .toEqual([[1]]);
    expect(graph.values('MATCH (a)-[r]-(b)-[s]-(c) RETURN count(*)')).toEqual([[0]]);
    expect(graph.values('MATCH (a:N {id: 1}), (b:N {id: 2}) RETURN count(*)')).toEqual([[1]]);
  });
});

describe('a list property under a uniqueness constraint', () => {
  it('refuses [1.0, 2.0] beside [1, 2], which Cypher calls equal', () => {
    const graph = new TestGraph();
    graph.run('CREATE CONSTRAINT FOR (n:L) REQUIRE n.id IS UNIQUE');
    graph.run('CREATE (:L {id: [1, 2]})');
    expect(codeOf(() => graph.run('CREATE (:L {id: [1.0, 2.0]})')))
      .toBe('Neo.ClientError.Schema.ConstraintValidationFailed');
    expect(graph.values('MATCH (n:L) RETURN count(n)')).toEqual([[1]]);
  });
});

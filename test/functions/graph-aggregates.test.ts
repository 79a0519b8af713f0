import { describe, expect, it } from 'vitest';
import { distinctAggregator } from '../../src/cypher/functions/aggregates.js';
import {
  allFunctions, lookupAggregate, lookupFunction,
} from '../../src/cypher/functions/registry.js';
import { tckLiteral } from '../../src/cypher/values/format.js';
import { StatusCode } from '../../src/errors/status-codes.js';
import {
  Node, NodeRef, PathRef, Relationship, RelRef, type Value,
} from '../../src/graph/values.js';
import { call, context, FakeGraph, map } from './helpers.js';

const graph = new FakeGraph()
  .addNode(0, ['A'], { name: 'a', num: 1n })
  .addNode(1, ['B', 'C'], {})
  .addRel(7, 'T', 0, 1, { x: 1n });
const ctx = context(graph);

describe('entity functions', () => {
  it('reads ids, element ids, labels, types and endpoints', () => {
    expect(call('id', [new NodeRef(0)], ctx)).toBe(0n);
    expect(call('elementId', [new NodeRef(3)], ctx)).toBe('4:quiver:3');
    expect(call('elementId', [new RelRef(7)], ctx)).toBe('5:quiver:7');
    expect(call('labels', [new NodeRef(1)], ctx)).toEqual(['B', 'C']);
    expect(call('type', [new RelRef(7)], ctx)).toBe('T');
    expect(call('startNode', [new RelRef(7)], ctx)).toEqual(new NodeRef(0));
    expect(call('endNode', [new RelRef(7)], ctx)).toEqual(new NodeRef(1));
  });

  it('accepts materialized entities as well', () => {
    const n = new Node(5, ['X'], map({ p: 1n }), '4:quiver:5');
    const r = new Relationship(9, 'R', 5, 6, map({}), '5:quiver:9', '4:quiver:5', '4:quiver:6');
    expect(call('labels', [n], ctx)).toEqual(['X']);
    expect(call('keys', [n], ctx)).toEqual(['p']);
    expect(call('type', [r], ctx)).toBe('R');
    expect(call('elementId', [r], ctx)).toBe('5:quiver:9');
  });

  it('reads keys and properties of entities and maps', () => {
    expect(call('keys', [new NodeRef(0)], ctx)).toEqual(['name', 'num']);
    expect(call('properties', [new RelRef(7)], ctx)).toEqual(map({ x: 1n }));
    expect(call('keys', [map({ a: null })], ctx)).toEqual(['a']);
  });

  it('takes paths apart', () => {
    const path = new PathRef([new NodeRef(0), new NodeRef(1)], [new RelRef(7)]);
    expect(call('length', [path], ctx)).toBe(1n);
    expect(call('nodes', [path], ctx)).toEqual([new NodeRef(0), new NodeRef(1)]);
    expect(call('relationships', [path], ctx)).toEqual([new RelRef(7)]);
    expect(tckLiteral(path, graph)).toBe("<(:A {name: 'a', num: 1})-[:T {x: 1}]->(:B:C)>");
    const back = new PathRef([new NodeRef(1), new NodeRef(0)], [new RelRef(7)]);
    expect(tckLiteral(back, graph)).toBe("<(:B:C)<-[:T {x: 1}]-(:A {name: 'a', num: 1})>");
  });

  it('fails on the wrong kind of entity', () => {
    expect(() => call('type', [new NodeRef(0)], ctx))
      .toThrow(expect.objectContaining({ code: StatusCode.TypeError }));
    expect(() => call('length', ['abc'], ctx)).toThrow(/'length\(\)'/);
  });
});

describe('scalar functions', () => {
  it('names value types as valueType() does', () => {
    expect(call('valueType', [1n])).toBe('INTEGER NOT NULL');
    expect(call('valueType', [null])).toBe('NULL');
    expect(call('valueType', [['a', 'b']])).toBe('LIST<STRING NOT NULL> NOT NULL');
    expect(call('valueType', [call('datetime', [])])).toBe('ZONED DATETIME NOT NULL');
    expect(call('valueType', [[]])).toBe('LIST<NOTHING> NOT NULL');
  });

  it('derives a version 4 UUID from the statement\'s random source', () => {
    const uuid = call('randomUUID', [], context(graph, [0.1, 0.9, 0.5]));
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(call('randomUUID', [], context(graph, [0.1, 0.9, 0.5]))).toBe(uuid);
  });

  it('answers nullIf', () => {
    expect(call('nullIf', [1n, 1.0])).toBeNull();
    expect(call('nullIf', [1n, 2n])).toBe(1n);
  });
});

function aggregate(name: string, values: Value[], extra: Value[] = []): Value {
  const def = lookupAggregate(name.toLowerCase());
  if (def === undefined) throw new Error(`no aggregate ${name}`);
  const agg = def.create(extra);
  for (const v of values) agg.add(v);
  return agg.result();
}

describe('aggregating functions', () => {
  it('skips nulls in count, sum, avg, min, max and collect', () => {
    expect(aggregate('count', [33n, null, 42n])).toBe(2n);
    expect(aggregate('sum', [33n, null, 42n])).toBe(75n);
    expect(aggregate('avg', [1n, null, 2n])).toBe(1.5);
    expect(aggregate('max', [1n, 2n, 0n, null, -1n])).toBe(2n);
    expect(aggregate('min', [1n, 2n, 0n, null, -1n])).toBe(-1n);
    expect(aggregate('collect', [null, 1n, null])).toEqual([1n]);
  });

  it('answers for no values as Cypher does', () => {
    expect(aggregate('count', [])).toBe(0n);
    expect(aggregate('sum', [])).toBe(0n);
    expect(aggregate('avg', [null])).toBeNull();
    expect(aggregate('min', [])).toBeNull();
    expect(aggregate('collect', [])).toEqual([]);
    expect(aggregate('stDev', [])).toBe(0);
    expect(aggregate('percentileCont', [], [0.5])).toBeNull();
  });

  it('orders mixed values for min and max', () => {
    expect(aggregate('max', [1n, 2.0, 5n, null, 3.2, 0.1])).toBe(5n);
    expect(aggregate('min', [1n, 2.0, 5n, null, 3.2, 0.1])).toBe(0.1);
    expect(aggregate('max', ['a', 'b', 'B', null, 'abc', 'abc1'])).toBe('b');
    expect(aggregate('min', ['a', 'b', 'B', null, 'abc', 'abc1'])).toBe('B');
    expect(aggregate('max', [[1n], [2n], [2n, 1n]])).toEqual([2n, 1n]);
    expect(aggregate('max', [1n, 'a', null, [1n, 2n], 0.2, 'b'])).toBe(1n);
    expect(aggregate('min', [1n, 'a', null, [1n, 2n], 0.2, 'b'])).toEqual([1n, 2n]);
  });

  it('sums without losing integers and mixes in floats', () => {
    const values: Value[] = [];
    for (let i = 1_000_000n; i < 1_003_000n; i++) values.push(i);
    expect(aggregate('sum', values)).toBe(3004498500n);
    expect(aggregate('sum', [1n, 0.5])).toBe(1.5);
    expect(() => aggregate('sum', [9223372036854775807n, 1n])).toThrow(/long overflow/);
    expect(() => aggregate('sum', ['a'])).toThrow(expect.objectContaining({
      code: StatusCode.TypeError }));
  });

  it('sums and averages durations', () => {
    const d = (s: string) => call('duration', [s]);
    expect(aggregate('sum', [d('P1D'), d('PT1H')])).toEqual(d('P1DT1H'));
    expect(aggregate('avg', [d('PT1H'), d('PT3H')])).toEqual(d('PT2H'));
  });

  it.each([[0.0, 10.0, 10.0], [0.5, 20.0, 20.0], [1.0, 30.0, 30.0], [0.25, 15.0, 10.0]])(
    'computes percentile %d: continuous %d, discrete %d', (p, cont, disc) => {
      expect(aggregate('percentileCont', [10.0, 20.0, 30.0], [p])).toBe(cont);
      expect(aggregate('percentileDisc', [10.0, 20.0, 30.0], [p])).toBe(disc);
    });

  it.each([1000n, -1n, 1.1])('rejects percentile %o', (p) => {
    expect(() => aggregate('percentileDisc', [10.0], [p]))
      .toThrow(expect.objectContaining({ code: StatusCode.ArgumentError }));
    expect(() => aggregate('percentileCont', [10.0], [p]))
      .toThrow(expect.objectContaining({ code: StatusCode.ArgumentError }));
  });

  it('computes sample and population standard deviations', () => {
    expect(aggregate('stDev', [98n, 99n, 100n])).toBe(1);
    expect(aggregate('stDevP', [2n, 4n, 4n, 4n, 5n, 5n, 7n, 9n])).toBe(2);
  });

  it('counts equivalent values once under DISTINCT', () => {
    const def = lookupAggregate('count');
    expect(def).toBeDefined();
    const count = distinctAggregator(def!.create([]));
    for (const v of [1n, 1.0, null, 2n, null]) count.add(v);
    expect(count.result()).toBe(2n);
  });
});

describe('registry', () => {
  it('finds functions by lower-case qualified name', () => {
    expect(lookupFunction('tolower')?.name).toBe('toLower');
    expect(lookupFunction('date.truncate')?.minArgs).toBe(1);
    expect(lookupFunction('point.distance')?.maxArgs).toBe(2);
    expect(lookupFunction('nosuchfunction')).toBeUndefined();
  });

  it('lists every function once with a signature and description', () => {
    const all = allFunctions();
    expect(new Set(all.map((f) => f.name.toLowerCase())).size).toBe(all.length);
    for (const f of all) {
      expect(f.signature.startsWith(`${f.name}(`)).toBe(true);
      expect(f.description.length).toBeGreaterThan(0);
      expect(f.minArgs).toBeLessThanOrEqual(f.maxArgs);
    }
  });
});

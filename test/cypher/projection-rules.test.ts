import { beforeEach, describe, expect, it } from 'vitest';
import { prepareQuery } from '../../src/cypher/index.js';
import { QuiverError } from '../../src/errors/quiver-error.js';
import { TestGraph } from './harness.js';

function errorOf(run: () => unknown): QuiverError {
  try {
    run();
  } catch (e) {
    if (e instanceof QuiverError) return e;
    throw e;
  }
  throw new Error('expected a QuiverError');
}

const compileCode = (query: string): string => errorOf(() => prepareQuery(query)).code;
const SYNTAX = 'Neo.ClientError.Statement.SyntaxError';
const SEMANTIC = 'Neo.ClientError.Statement.SemanticError';

let g: TestGraph;

beforeEach(() => {
  g = new TestGraph();
  g.run('CREATE (:A {num: 1, num2: 4}), (:A {num: 5, num2: 2}), (:A {num: 9, num2: 0}), ' +
    '(:A {num: 3, num2: 3}), (:A {num: 7, num2: 1})');
});

describe('aggregation and ORDER BY', () => {
  it('rejects an aggregate in ORDER BY of a projection that does not aggregate', () => {
    expect(compileCode('MATCH (n) RETURN n.num ORDER BY max(n.num2)')).toBe(SEMANTIC);
    expect(compileCode('MATCH (n) WITH n.num AS foo ORDER BY count(1) RETURN foo'))
      .toBe(SEMANTIC);
  });

  it('sorts by aggregates and grouping keys the projection computed', () => {
    expect(g.values('MATCH (a:A) WITH a.num2 % 3 AS mod, sum(a.num + a.num2) AS s ' +
      'ORDER BY sum(a.num + a.num2) LIMIT 2 RETURN mod, s')).toEqual([[2, 7], [1, 13]]);
    expect(g.values('MATCH (a:A) RETURN a.num2 AS k, count(*) AS c ' +
      'ORDER BY a.num2 + count(*) DESC')).toEqual([[4, 1], [3, 1], [2, 1], [1, 1], [0, 1]]);
  });

  it('rejects sorting by an aggregate over variables the projection dropped', () => {
    expect(compileCode('MATCH (a:A) WITH a.num2 % 3 AS mod, min(a.num) AS m ' +
      'ORDER BY sum(a.num) RETURN mod, m')).toBe(SEMANTIC);
  });

  it('rejects implicit grouping keys inside an aggregating expression', () => {
    expect(compileCode('MATCH (me)--(you) RETURN me.age + you.age, ' +
      'me.age + you.age + count(*)')).toBe(SEMANTIC);
    expect(compileCode('MATCH (me)--(you) WITH me.age + you.age AS g, count(*) AS c ' +
      'ORDER BY me.age + you.age + count(*) RETURN *')).toBe(SEMANTIC);
    expect(g.values('MATCH (a:A) RETURN a.num2 % 3 AS k, a, a.num + count(*) AS c')
      .length).toBe(5);
  });

  it('rejects a random function inside an aggregate', () => {
    expect(compileCode('RETURN count(rand())')).toBe(SYNTAX);
  });
});

describe('SKIP and LIMIT', () => {
  it('rejects negative and fractional literals while compiling', () => {
    expect(compileCode('MATCH (n) RETURN n SKIP -1')).toBe(SYNTAX);
    expect(compileCode('MATCH (n) RETURN n LIMIT 1.5')).toBe(SYNTAX);
  });

  it('rejects bad parameter values with the same code when run', () => {
    expect(errorOf(() => g.run('MATCH (n) RETURN n SKIP $s', { s: -1n })).code).toBe(SYNTAX);
    expect(errorOf(() => g.run('MATCH (n) RETURN n LIMIT $l', { l: 1.5 })).code).toBe(SYNTAX);
  });

  it('still performs every update when LIMIT cuts the result short', () => {
    expect(g.values('MATCH (a:A) SET a.seen = true RETURN a LIMIT 0')).toEqual([]);
    expect(g.values('MATCH (a:A) WHERE a.seen RETURN count(a)')).toEqual([[5]]);
    expect(g.values('CREATE (n:B) RETURN n LIMIT 0')).toEqual([]);
    expect(g.values('MATCH (b:B) RETURN count(b)')).toEqual([[1]]);
  });
});

describe('WITH', () => {
  it('lets WHERE read variables bound before the WITH', () => {
    expect(g.values('MATCH (a:A) WITH a.num AS num WHERE a.num2 = 3 RETURN num'))
      .toEqual([[3]]);
    expect(g.values('MATCH (a:A) WITH DISTINCT a.num2 % 2 AS odd WHERE a.num = 5 RETURN odd'))
      .toEqual([[0]]);
  });

  it('filters on an OPTIONAL MATCH variable dropped by the WITH', () => {
    g.run('MATCH (x:A {num: 1}), (y:A {num: 5}) CREATE (x)-[:T]->(y)');
    expect(g.values('MATCH (x:A {num: 1}), (o:A) WHERE o <> x OPTIONAL MATCH (x)-[r]->(o) ' +
      'WITH o WHERE r IS NULL RETURN o.num ORDER BY o.num')).toEqual([[3], [7], [9]]);
  });

  it('accepts WITH * with nothing in scope, unlike RETURN *', () => {
    g.run('MATCH (:A) CREATE () WITH * CREATE ()');
    expect(g.values('MATCH (n) WHERE NOT n:A RETURN count(n)')).toEqual([[10]]);
    expect(compileCode('MATCH () RETURN *')).toBe(SEMANTIC);
  });
});

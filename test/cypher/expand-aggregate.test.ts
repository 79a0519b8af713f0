import { describe, expect, it } from 'vitest';
import { codeOf } from '../helpers/error-codes.js';
import { TestGraph } from './harness.js';

function people(): TestGraph {
  const g = new TestGraph();
  g.run(`CREATE (a:City {name: 'Oslo'}), (b:City {name: 'Rome'}), (c:Town {name: 'Oslo'})
    CREATE (:Person {age: 30})-[:LIVES_IN]->(a), (:Person {age: 41})-[:LIVES_IN]->(a)
    CREATE (p:Person {age: 50})-[:LIVES_IN]->(b), (p)-[:KNOWS]->(b), (p)-[:LIVES_IN]->(c)`);
  return g;
}

describe('one-hop expansion into an aggregation', () => {
  it('groups by the reached node, counting only relationships of the type asked', () => {
    const rows = people().values(`MATCH (p:Person)-[:LIVES_IN]->(c:City)
      RETURN c.name, count(*), avg(p.age) ORDER BY count(*) DESC`);
    expect(rows).toEqual([['Oslo', 2, 35.5], ['Rome', 1, 50]]);
  });

  it('keeps groups of equal-looking keys of different kinds apart, in the order first seen', () => {
    const rows = new TestGraph().values(`UNWIND ['1', 1, '1', null, 1.0, 'x', null, 1] AS k
      RETURN k, count(*)`);
    expect(rows).toEqual([['1', 2], [1, 3], [null, 2], ['x', 1]]);
  });

  it('still builds a path through an anonymous relationship', () => {
    expect(people().values(`MATCH path = (:Person {age: 30})-[:LIVES_IN]->(:City)
      RETURN length(path), type(relationships(path)[0])`)).toEqual([[1, 'LIVES_IN']]);
  });

  it('never uses one relationship twice across the chains of one MATCH', () => {
    const g = people();
    expect(g.values(`MATCH (p:Person {age: 50})-[:LIVES_IN]->(x), (p)-[:LIVES_IN]->(y)
      RETURN count(*)`)).toEqual([[2]]);
    expect(g.values(`MATCH (p:Person {age: 50})-->(x), (p)-->(y) RETURN count(*)`))
      .toEqual([[6]]);
  });

  it('averages integers and floats together, and refuses to mix numbers and durations', () => {
    const g = new TestGraph();
    expect(g.values('UNWIND [1, 2.5, null, 4] AS x RETURN avg(x)')).toEqual([[2.5]]);
    expect(codeOf(() => g.run(`UNWIND [1, duration('P1D')] AS x RETURN avg(x)`)))
      .toBe('Neo.ClientError.Statement.TypeError');
    expect(codeOf(() => g.run(`UNWIND [duration('P1D'), 1] AS x RETURN avg(x)`)))
      .toBe('Neo.ClientError.Statement.TypeError');
    expect(g.values(`UNWIND [duration('P1D'), null, duration('P3D')] AS x
      RETURN toString(avg(x))`)).toEqual([['P2D']]);
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import type { Value } from '../../src/graph/values.js';
import { TestGraph } from './harness.js';
import { codeOf } from '../helpers/error-codes.js';


const SYNTAX = 'Neo.ClientError.Statement.SyntaxError';
let g: TestGraph;
let calls: Value[][];

beforeEach(() => {
  g = new TestGraph();
  calls = [];
  g.run("CREATE ({name: 'a'}), ({name: 'b'})");
  g.procedures.register({
    name: 'test.touch', mode: 'READ', description: 'records its call, yields nothing',
    inputs: [], outputs: [],
    invoke: (args) => {
      calls.push(args);
      return [];
    },
  });
  g.procedures.register({
    name: 'test.half', mode: 'READ', description: 'halves a float',
    inputs: [{ name: 'in', type: 'FLOAT' }], outputs: [{ name: 'out', type: 'FLOAT' }],
    invoke: (args) => [[typeof args[0] === 'number' ? args[0] / 2 : null]],
  });
});

describe('procedure calls', () => {
  it('passes each row through a procedure that yields nothing', () => {
    expect(g.values('MATCH (n) CALL test.touch() RETURN n.name ORDER BY n.name'))
      .toEqual([['a'], ['b']]);
    expect(calls).toHaveLength(2);
  });

  it('reports a wrong number of arguments as a syntax error', () => {
    expect(codeOf(() => g.run('CALL test.half()'))).toBe(SYNTAX);
    expect(codeOf(() => g.run('CALL test.half(1, 2) YIELD out RETURN out'))).toBe(SYNTAX);
    expect(codeOf(() => g.run('MATCH (n:Missing) CALL test.half(1, 2) YIELD out RETURN out')))
      .toBe(SYNTAX);
  });

  it('checks argument types and turns an INTEGER into a FLOAT', () => {
    expect(codeOf(() => g.run('CALL test.half(true)'))).toBe(SYNTAX);
    const result = g.run('CALL test.half(3)');
    expect(result.rows).toEqual([[1.5]]);
  });

  it('takes implicit arguments from parameters only when the call stands alone', () => {
    expect(g.run('CALL test.half', { in: 5 }).rows).toEqual([[2.5]]);
    expect(codeOf(() => g.run('CALL test.half YIELD out RETURN out', { in: 5 }))).toBe(SYNTAX);
  });
});

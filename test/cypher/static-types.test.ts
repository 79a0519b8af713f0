import { describe, expect, it } from 'vitest';
import { prepareQuery } from '../../src/cypher/index.js';
import { QuiverError } from '../../src/errors/quiver-error.js';
import { TestGraph } from './harness.js';

const SYNTAX = 'Neo.ClientError.Statement.SyntaxError';
const SEMANTIC = 'Neo.ClientError.Statement.SemanticError';
const TYPE = 'Neo.ClientError.Statement.TypeError';

/** The status code of the error that planning `query` raises. */
function compileError(query: string): string {
  try {
    prepareQuery(query);
  } catch (e) {
    if (e instanceof QuiverError) return e.code;
    throw e;
  }
  throw new Error(`expected ${query} to be rejected`);
}

describe('variable type conflicts', () => {
  it('rejects a relationship or path variable reused as a node', () => {
    expect(compileError('MATCH ()-[r]-() MATCH (r) RETURN r')).toBe(SYNTAX);
    expect(compileError('MATCH ()-[r]->(r) RETURN r')).toBe(SYNTAX);
    expect(compileError('MATCH r = ()-->(), (r) RETURN r')).toBe(SYNTAX);
    expect(compileError('MATCH ()-[r*]-()-[]-(r) RETURN r')).toBe(SYNTAX);
  });

  it('rejects a node variable reused as a relationship', () => {
    expect(compileError('MATCH (r) MATCH ()-[r]-() RETURN r')).toBe(SYNTAX);
  });

  it('rejects matching a variable that holds a value', () => {
    expect(compileError('WITH 123 AS n MATCH (n) RETURN n')).toBe(SYNTAX);
    expect(compileError('WITH {x: 1} AS r MATCH ()-[r]-() RETURN r')).toBe(SYNTAX);
    expect(compileError('MATCH (n) WITH [n] AS users MATCH (users)-->(m) RETURN m'))
      .toBe(SYNTAX);
  });

  it('still lets a node variable be matched again, and unknown types through', () => {
    const g = new TestGraph();
    g.run('CREATE (:A)-[:T]->(:B)');
    expect(g.values('MATCH (a:A) MATCH (a)-[r]->(b) MATCH ()-[r]->(b) RETURN labels(b)'))
      .toEqual([[['B']]]);
    expect(g.values('MATCH (a:A) WITH a AS x MATCH (x)-->(b) RETURN labels(b)'))
      .toEqual([[['B']]]);
    expect(g.values('UNWIND [1] AS i MATCH (n:A) RETURN count(n)')).toEqual([[1]]);
  });

  it('rejects one relationship variable for two relationships of a pattern', () => {
    expect(compileError('MATCH (a)-[r]->()-[r]->(a) RETURN r')).toBe(SYNTAX);
  });
});

describe('operand and argument types', () => {
  it('rejects non-boolean literals under NOT, AND, OR and XOR before running', () => {
    expect(compileError('RETURN NOT 1')).toBe(SYNTAX);
    expect(compileError("RETURN 'foo' AND true")).toBe(SYNTAX);
    expect(compileError('RETURN false OR [true]')).toBe(SYNTAX);
    expect(compileError('RETURN {} XOR null')).toBe(SYNTAX);
  });

  it('accepts null and values only known at run time', () => {
    const g = new TestGraph();
    expect(g.values('RETURN NOT null, null AND true, $p OR false', { p: true }))
      .toEqual([[null, null, true]]);
  });

  it('checks function arguments against the declared signature, even over an empty graph', () => {
    expect(compileError('MATCH (r) RETURN type(r)')).toBe(SYNTAX);
    expect(compileError('MATCH (n) RETURN length(n)')).toBe(SYNTAX);
    expect(compileError('MATCH p = ()-->() RETURN labels(p)')).toBe(SYNTAX);
    expect(compileError("RETURN properties('Cypher')")).toBe(SYNTAX);
    expect(new TestGraph().values('RETURN sqrt(4), toUpper(null)')).toEqual([[2, null]]);
  });

  it('rejects reading a property of a path (syntax) or of a plain value (type)', () => {
    expect(compileError('MATCH p = (n)-->() WHERE p.name = 1 RETURN p')).toBe(SYNTAX);
    expect(compileError('WITH 123 AS x RETURN x.num')).toBe(TYPE);
  });

  it('rejects deleting what is not a node, relationship or path', () => {
    expect(compileError('MATCH () DELETE 1 + 1')).toBe(SYNTAX);
    expect(compileError('MATCH (n) DELETE n:Person')).toBe(SYNTAX);
  });
});

describe('updating clauses', () => {
  it('rejects re-creating or re-labelling a bound node', () => {
    expect(compileError('MATCH (a) CREATE (a)')).toBe(SEMANTIC);
    expect(compileError('CREATE (n:Foo)-[:T1]->(), (n:Bar)-[:T2]->()'))
      .toBe(SEMANTIC);
    expect(compileError('MATCH (a) MERGE (a)')).toBe(SEMANTIC);
    expect(compileError('CREATE (a:Foo) MERGE (a)-[r:KNOWS]->(a:Bar)'))
      .toBe(SEMANTIC);
  });

  it('refuses parameter maps in MATCH and MERGE patterns but not in CREATE', () => {
    expect(compileError('MATCH (n $param) RETURN n')).toBe(SYNTAX);
    expect(compileError('MERGE ()-[r:T $param]->()')).toBe(SYNTAX);
    const g = new TestGraph();
    g.run('CREATE (n:P $props)', { props: new Map([['x', 1n]]) });
    expect(g.values('MATCH (n:P) RETURN n.x')).toEqual([[1]]);
  });

  it('refuses an EXISTS subquery that updates the graph', () => {
    expect(compileError('MATCH (n) WHERE exists { CREATE (m) } RETURN n')).toBe(SYNTAX);
  });
});

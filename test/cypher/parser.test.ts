import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Clause, Expr, Statement } from '../../src/cypher/ast.js';
import { parseStatement } from '../../src/cypher/parser/parser.js';
import { treeDepthMax } from '../../src/cypher/parser/tree-depth.js';
import { QuiverError } from '../../src/errors/quiver-error.js';

function clauses(text: string): Clause[] {
  const body = parseStatement(text).body;
  if (body.kind !== 'query' || body.query.kind !== 'single') throw new Error('not a single query');
  return body.query.clauses;
}

function returned(text: string): Expr {
  const last = clauses(`RETURN ${text}`)[0];
  if (last?.kind !== 'return') throw new Error('no RETURN');
  const item = last.projection.items[0];
  if (item === undefined) throw new Error('no item');
  return item.expr;
}

function syntaxErrorOf(text: string): QuiverError {
  try {
    parseStatement(text);
  } catch (e) {
    if (e instanceof QuiverError) return e;
    throw e;
  }
  throw new Error(`expected a syntax error for: ${text}`);
}

/** Drops offsets so that expected trees can be written compactly. */
function shape(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) =>
    (key === 'offset' ? undefined : typeof v === 'bigint' ? `${v}n` : v)));
}

describe('literals', () => {
  it('reads decimal, hex and octal integers as bigint', () => {
    expect(returned('42')).toMatchObject({ kind: 'literal', value: 42n });
    expect(returned('0x1F')).toMatchObject({ value: 31n });
    expect(returned('0o17')).toMatchObject({ value: 15n });
  });

  it('keeps the minimum 64-bit integer representable and rejects one beyond the maximum', () => {
    expect(returned('-9223372036854775808')).toMatchObject({ value: -9223372036854775808n });
    expect(syntaxErrorOf('RETURN 9223372036854775808').message).toContain('integer is too large');
  });

  it('reads floats in every form', () => {
    expect(returned('1.5')).toMatchObject({ value: 1.5 });
    expect(returned('.5')).toMatchObject({ value: 0.5 });
    expect(returned('1e3')).toMatchObject({ value: 1000 });
    expect(returned('2.5E-1')).toMatchObject({ value: 0.25 });
  });

  it('unescapes strings in both quote styles', () => {
    expect(returned(String.raw`'a\'b\n\u00e9'`)).toMatchObject({ value: "a'b\né" });
    expect(returned(String.raw`"say \"hi\"\t"`)).toMatchObject({ value: 'say "hi"\t' });
  });

  it('reads booleans, null, lists and maps case-insensitively', () => {
    expect(shape(returned('[TRUE, false, NuLL, {a: 1, `b c`: [] }]'))).toEqual({
      kind: 'list', items: [
        { kind: 'literal', value: true }, { kind: 'literal', value: false },
        { kind: 'literal', value: null },
        { kind: 'map', entries: [['a', { kind: 'literal', value: '1n' }],
          ['b c', { kind: 'list', items: [] }]] },
      ],
    });
  });

  it('reads named and numbered parameters', () => {
    expect(returned('$name')).toMatchObject({ kind: 'param', name: 'name' });
    expect(returned('$0')).toMatchObject({ kind: 'param', name: '0' });
  });
});

describe('operator precedence', () => {
  it('binds * tighter than + and ^ tighter than *', () => {
    expect(shape(returned('1 + 2 * 3 ^ 2'))).toMatchObject({
      op: '+', right: { op: '*', right: { op: '^' } },
    });
  });

  it('makes ^ left-associative as Neo4j does', () => {
    expect(shape(returned('2 ^ 3 ^ 2'))).toMatchObject({ op: '^', left: { op: '^' } });
  });

  it('orders OR < XOR < AND < NOT < comparison', () => {
    expect(shape(returned('a OR b XOR c AND NOT d = 1'))).toMatchObject({
      op: 'OR', right: { op: 'XOR', right: { op: 'AND', right: { kind: 'not',
        operand: { kind: 'compare' } } } },
    });
  });

  it('keeps chained comparisons together', () => {
    expect(shape(returned('1 < x <= 3'))).toMatchObject({
      kind: 'compare', ops: ['<', '<='], operands: [{}, { kind: 'var', name: 'x' }, {}],
    });
  });

  it('reads the string and null predicates', () => {
    expect(returned("x STARTS WITH 'a'")).toMatchObject({ op: 'STARTS WITH' });
    expect(returned("x ends with 'a'")).toMatchObject({ op: 'ENDS WITH' });
    expect(returned("x CONTAINS 'a'")).toMatchObject({ op: 'CONTAINS' });
    expect(returned("x =~ 'a.*'")).toMatchObject({ op: '=~' });
    expect(returned('x IN [1]')).toMatchObject({ op: 'IN' });
    expect(returned('x IS NOT NULL')).toMatchObject({ kind: 'isNull', negated: true });
    expect(returned('x IS :: INTEGER')).toMatchObject({ kind: 'isType', typeName: 'INTEGER' });
  });
});

describe('postfix and special expressions', () => {
  it('reads property access, index, slices and label tests', () => {
    expect(shape(returned('n.a.b'))).toMatchObject({ kind: 'prop', key: 'b',
      target: { kind: 'prop', key: 'a' } });
    expect(returned('l[0]')).toMatchObject({ kind: 'index' });
    expect(returned('l[1..]')).toMatchObject({ kind: 'slice', to: null });
    expect(returned('l[..2]')).toMatchObject({ kind: 'slice', from: null });
    expect(shape(returned('n:A|B'))).toMatchObject({ kind: 'hasLabels',
      labels: { kind: 'or', items: [{ name: 'A' }, { name: 'B' }] } });
  });

  it('reads function calls with namespaces, DISTINCT and count(*)', () => {
    expect(returned('date.truncate("day", d)')).toMatchObject({ kind: 'call',
      name: 'date.truncate', displayName: 'date.truncate' });
    expect(returned('count(DISTINCT x)')).toMatchObject({ name: 'count', distinct: true });
    expect(returned('COUNT(*)')).toMatchObject({ kind: 'countStar' });
  });

  it('reads CASE in both forms', () => {
    expect(returned('CASE x WHEN 1 THEN 2 ELSE 3 END')).toMatchObject({ kind: 'case',
      subject: { name: 'x' } });
    expect(returned('CASE WHEN x THEN 2 END')).toMatchObject({ kind: 'case', subject: null,
      otherwise: null });
  });

  it('reads comprehensions, quantifiers and reduce', () => {
    expect(returned('[x IN l WHERE x > 1 | x * 2]')).toMatchObject({ kind: 'listComp',
      variable: 'x' });
    expect(returned('[(a)-->(b) WHERE b.x | b.y]')).toMatchObject({ kind: 'patternComp' });
    expect(returned('all(x IN l WHERE x > 0)')).toMatchObject({ kind: 'quantified',
      quantifier: 'all' });
    expect(returned('reduce(s = 0, x IN l | s + x)')).toMatchObject({ kind: 'reduce',
      accumulator: 's', variable: 'x' });
  });

  it('reads subquery expressions and map projections', () => {
    expect(returned('EXISTS { (a)-->(b) }')).toMatchObject({ kind: 'subquery', mode: 'exists' });
    expect(returned('COUNT { MATCH (a)-->(b) RETURN b }')).toMatchObject({ mode: 'count' });
    expect(returned('COLLECT { MATCH (b) RETURN b.x }')).toMatchObject({ mode: 'collect' });
    expect(shape(returned('n {.a, .*, k: 1, v}'))).toMatchObject({ kind: 'mapProjection',
      items: [{ kind: 'property', key: 'a' }, { kind: 'allProperties' },
        { kind: 'entry', key: 'k' }, { kind: 'variable', name: 'v' }] });
  });

  it('tells a pattern predicate from a parenthesised expression', () => {
    expect(returned('(a)-[:R]->(b)')).toMatchObject({ kind: 'pattern' });
    expect(returned('(a)')).toMatchObject({ kind: 'var', name: 'a' });
    expect(returned('(1 + 2) * 3')).toMatchObject({ op: '*' });
  });
});

describe('patterns', () => {
  it('reads labels, properties, directions and variable lengths', () => {
    const [match] = clauses('MATCH p = (a:A:B {x: 1})<-[r:R|S*2..5]-(b)-->(c) RETURN p');
    expect(shape(match)).toMatchObject({
      kind: 'match', patterns: [{
        variable: 'p',
        start: { variable: 'a', labels: { kind: 'and' } },
        steps: [
          { rel: { variable: 'r', types: ['R', 'S'], direction: 'in', length: { min: 2,
            max: 5 } } },
          { rel: { variable: null, direction: 'out', length: null } },
        ],
      }],
    });
  });

  it('reads the shapes of variable length', () => {
    const lengthOf = (rel: string): unknown => {
      const [m] = clauses(`MATCH (a)-[${rel}]->(b) RETURN a`);
      return m?.kind === 'match' && m.patterns[0]?.steps[0]?.kind === 'rel'
        ? m.patterns[0].steps[0].rel.length : undefined;
    };
    expect(lengthOf('*')).toEqual({ min: null, max: null });
    expect(lengthOf('*3')).toEqual({ min: 3, max: 3 });
    expect(lengthOf('*..3')).toEqual({ min: null, max: 3 });
    expect(lengthOf('*2..')).toEqual({ min: 2, max: null });
  });

  it('reads quantified relationships and quantified path patterns', () => {
    const [m] = clauses('MATCH (a)-[:R]->{1,3}(b), (c) ((:X)-[:S]->()){2} (d) RETURN a');
    expect(shape(m)).toMatchObject({ patterns: [
      { steps: [{ kind: 'rel', rel: { length: { min: 1, max: 3 } } }] },
      { steps: [{ kind: 'quantified', group: { min: 2, max: 2 } }] },
    ] });
  });

  it('reads shortestPath and allShortestPaths', () => {
    const [m] = clauses('MATCH p = allShortestPaths((a)-[*]-(b)) RETURN p');
    expect(m).toMatchObject({ patterns: [{ variable: 'p', shortest: 'all' }] });
  });

  it('reads a node predicate inside the pattern', () => {
    const [m] = clauses('MATCH (n:Person WHERE n.age > 3) RETURN n');
    expect(m).toMatchObject({ patterns: [{ start: { where: { kind: 'compare' } } }] });
  });
});

describe('clauses', () => {
  it('reads projection details', () => {
    const [, ret] = clauses('MATCH (n) RETURN DISTINCT n.name AS name, count(*) ' +
      'ORDER BY name DESC, count(*) SKIP 1 LIMIT $l');
    expect(ret).toMatchObject({ kind: 'return', projection: {
      distinct: true, items: [{ name: 'name', aliased: true }, { name: 'count(*)' }],
      orderBy: [{ descending: true }, { descending: false }],
      skip: { value: 1n }, limit: { kind: 'param' },
    } });
  });

  it('names an unaliased column after its source text', () => {
    const [ret] = clauses('RETURN  n.name ,  1+2');
    expect(ret).toMatchObject({ projection: { items: [{ name: 'n.name' }, { name: '1+2' }] } });
  });

  it('reads MERGE with ON CREATE and ON MATCH', () => {
    const [merge] = clauses('MERGE (n:A {k: 1}) ON CREATE SET n.c = 1 ON MATCH SET n.m = 2, n:B');
    expect(merge).toMatchObject({ kind: 'merge', onCreate: [{ kind: 'setProperty', key: 'c' }],
      onMatch: [{ kind: 'setProperty', key: 'm' }, { kind: 'setLabels', labels: ['B'] }] });
  });

  it('reads every SET and REMOVE form', () => {
    const [set, remove] = clauses('SET n = {a: 1}, n += $m, n.x = 2, n:L:M, n[k] = 3 ' +
      'REMOVE n.x, n:L');
    expect(set).toMatchObject({ items: [{ kind: 'replaceProperties' }, { kind: 'mergeProperties' },
      { kind: 'setProperty' }, { kind: 'setLabels', labels: ['L', 'M'] },
      { kind: 'setDynamicProperty' }] });
    expect(remove).toMatchObject({ items: [{ kind: 'removeProperty', key: 'x' },
      { kind: 'removeLabels', labels: ['L'] }] });
  });

  it('reads DELETE, DETACH DELETE, UNWIND and FOREACH', () => {
    const cs = clauses('UNWIND [1] AS x DETACH DELETE a FOREACH (y IN [1] | CREATE (:N {y: y}))');
    expect(cs.map((c) => c.kind)).toEqual(['unwind', 'delete', 'foreach']);
    expect(cs[1]).toMatchObject({ detach: true });
  });

  it('reads CALL subqueries with and without an import list', () => {
    expect(clauses('CALL { MATCH (n) RETURN n } RETURN n')[0]).toMatchObject({
      kind: 'subquery', importing: null });
    expect(clauses('WITH 1 AS x CALL (x) { RETURN x + 1 AS y } RETURN y')[1]).toMatchObject({
      kind: 'subquery', importing: ['x'] });
    expect(clauses('WITH 1 AS x CALL (*) { RETURN x AS z } RETURN z')[1]).toMatchObject({
      importAll: true });
  });

  it('reads procedure calls with YIELD and WHERE, and standalone', () => {
    expect(clauses('CALL db.labels() YIELD label AS l WHERE l <> "x" RETURN l')[0]).toMatchObject({
      kind: 'callProcedure', name: 'db.labels', args: [], yields: [{ name: 'label', alias: 'l' }],
      where: { kind: 'compare' } });
    expect(clauses('CALL db.labels')[0]).toMatchObject({ args: null, yields: null });
  });

  it('reads LOAD CSV', () => {
    expect(clauses("LOAD CSV WITH HEADERS FROM 'file:///a.csv' AS row FIELDTERMINATOR ';' " +
      'RETURN row')[0]).toMatchObject({ kind: 'loadCsv', withHeaders: true, variable: 'row',
      fieldTerminator: ';' });
  });

  it('reads UNION and UNION ALL and refuses mixing them', () => {
    const body = parseStatement('RETURN 1 AS x UNION ALL RETURN 2 AS x').body;
    expect(body).toMatchObject({ query: { kind: 'union', all: true } });
    expect(syntaxErrorOf('RETURN 1 AS x UNION RETURN 2 AS x UNION ALL RETURN 3 AS x').message)
      .toContain('UNION');
  });

  it('reads EXPLAIN and PROFILE prefixes', () => {
    expect(parseStatement('EXPLAIN MATCH (n) RETURN n').mode).toBe('explain');
    expect(parseStatement('profile RETURN 1').mode).toBe('profile');
  });

  it('skips comments of both kinds', () => {
    expect(clauses('MATCH (n) // a comment\n/* another\n one */ RETURN n')).toHaveLength(2);
  });
});

describe('schema and SHOW commands', () => {
  const body = (text: string): Statement['body'] => parseStatement(text).body;

  it('reads index creation for nodes and relationships', () => {
    expect(body('CREATE INDEX idx IF NOT EXISTS FOR (n:Person) ON (n.name, n.age)')).toEqual({
      kind: 'createIndex', name: 'idx', indexKind: 'RANGE', ifNotExists: true,
      target: { entity: 'NODE', variable: 'n', labelOrType: 'Person', properties: ['name', 'age'] },
    });
    expect(body('CREATE TEXT INDEX FOR ()-[r:KNOWS]-() ON (r.since)')).toMatchObject({
      name: null, indexKind: 'TEXT', target: { entity: 'RELATIONSHIP', labelOrType: 'KNOWS' } });
  });

  it('reads constraints in the 5.x and the older form', () => {
    expect(body('CREATE CONSTRAINT c FOR (p:Person) REQUIRE p.name IS UNIQUE')).toMatchObject({
      kind: 'createConstraint', name: 'c', requirement: 'UNIQUE' });
    expect(body('CREATE CONSTRAINT IF NOT EXISTS FOR (p:P) REQUIRE (p.a, p.b) IS NODE KEY'))
      .toMatchObject({ requirement: 'NODE_KEY', ifNotExists: true,
        target: { properties: ['a', 'b'] } });
    expect(body('CREATE CONSTRAINT ON (p:P) ASSERT p.a IS NOT NULL')).toMatchObject({
      requirement: 'NOT_NULL' });
  });

  it('reads DROP and SHOW', () => {
    expect(body('DROP INDEX idx IF EXISTS')).toEqual({ kind: 'dropIndex', name: 'idx',
      ifExists: true });
    expect(body('DROP CONSTRAINT c')).toEqual({ kind: 'dropConstraint', name: 'c',
      ifExists: false });
    expect(body('SHOW INDEXES YIELD name, type WHERE type = "RANGE" RETURN name')).toMatchObject({
      kind: 'show', what: 'INDEXES', yields: [{ name: 'name' }, { name: 'type' }],
      rest: [{ kind: 'return' }] });
    expect(body('SHOW ALL CONSTRAINTS')).toMatchObject({ what: 'CONSTRAINTS' });
  });
});

describe('syntax errors', () => {
  it('points at a misspelt keyword as Neo4j does', () => {
    const error = syntaxErrorOf('RETRN 1');
    expect(error.code).toBe('Neo.ClientError.Statement.SyntaxError');
    expect(error.message).toMatch(/^Invalid input 'RETRN': expected .*'RETURN'/);
    expect(error.message).toContain('(line 1, column 1 (offset: 0))\n"RETRN 1"\n ^');
  });

  it('reports line and column on a later line', () => {
    const error = syntaxErrorOf('MATCH (n)\nRETURN n.');
    expect(error.message).toContain("Invalid input '': expected a property key");
    expect(error.message).toContain('(line 2, column 10 (offset: 19))\n"RETURN n."\n          ^');
  });

  it('rejects unterminated strings and stray characters', () => {
    expect(syntaxErrorOf("RETURN 'abc").message).toContain('(line 1, column 8 (offset: 7))');
    expect(syntaxErrorOf('RETURN 1 #').message).toContain("Invalid input '#'");
  });

  it('rejects trailing input after a complete statement', () => {
    expect(syntaxErrorOf('RETURN 1 2').message).toContain("Invalid input '2'");
  });

  it('bounds nesting depth instead of overflowing the stack', () => {
    const deep = `RETURN ${'['.repeat(5000)}${']'.repeat(5000)}`;
    expect(syntaxErrorOf(deep).message).toContain('nested too deeply');
  });

  it('bounds the depth a long chain of operators builds, and allows a thousand links', () => {
    // Read in a loop, but `1 + 1 + ...` is a tree as deep as the chain: the passes after the
    // parser would overflow near 3,000 levels.
    for (const link of [' + 1', ' OR true', '.a', '[0]']) {
      expect(syntaxErrorOf(`RETURN x${link.repeat(5000)}`).message)
        .toContain(`nested too deeply (more than ${treeDepthMax} levels`);
      expect(() => parseStatement(`RETURN x${link.repeat(1000)}`)).not.toThrow();
    }
  });
});

describe('datasets', () => {
  it('parses every statement of the movies dataset', () => {
    const text = readFileSync('/work/shared/datasets/movies.cypher', 'utf8');
    const statements = text.split(';').map((s) => s.trim()).filter((s) => s.length > 0);
    for (const statement of statements) expect(() => parseStatement(statement)).not.toThrow();
    expect(statements.length).toBeGreaterThan(4);
  });
});

import neo4j from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { evaluateLiteral, parseParamArgument } from '../../../src/cli/shell/cypher-literal.js';

describe('evaluateLiteral', () => {
  it('reads integers as driver Integers and decimals as floats', () => {
    expect(evaluateLiteral('42')).toEqual({ ok: true, value: neo4j.int(42) });
    expect(evaluateLiteral('-9007199254740993')).toEqual(
      { ok: true, value: neo4j.int('-9007199254740993') });
    expect(evaluateLiteral('0x1F')).toEqual({ ok: true, value: neo4j.int(31) });
    expect(evaluateLiteral('1.5e3')).toEqual({ ok: true, value: 1500 });
  });

  it('reads strings, booleans, null, lists and maps', () => {
    expect(evaluateLiteral("'it\\'s'")).toEqual({ ok: true, value: "it's" });
    expect(evaluateLiteral('"a\\nb"')).toEqual({ ok: true, value: 'a\nb' });
    expect(evaluateLiteral('TRUE')).toEqual({ ok: true, value: true });
    expect(evaluateLiteral('null')).toEqual({ ok: true, value: null });
    expect(evaluateLiteral("[1, 'x', [], {a: null, `b c`: [2.5]}]")).toEqual({ ok: true,
      value: [neo4j.int(1), 'x', [], { a: null, 'b c': [2.5] }] });
  });

  it('leaves expressions to the server', () => {
    expect(evaluateLiteral("date('2020-01-01')")).toEqual({ ok: false });
    expect(evaluateLiteral('1 + 2')).toEqual({ ok: false });
    expect(evaluateLiteral("'unterminated")).toEqual({ ok: false });
    expect(evaluateLiteral('[1, 2')).toEqual({ ok: false });
  });
});

describe('parseParamArgument', () => {
  it('accepts the arrow, colon and space forms and backquoted names', () => {
    expect(parseParamArgument('x => 1')).toEqual({ name: 'x', expression: '1' });
    expect(parseParamArgument('x: [1, 2]')).toEqual({ name: 'x', expression: '[1, 2]' });
    expect(parseParamArgument("name 'Robin'")).toEqual({ name: 'name', expression: "'Robin'" });
    expect(parseParamArgument('`my param` => 2')).toEqual({ name: 'my param', expression: '2' });
    expect(parseParamArgument('=> 1')).toBeNull();
  });
});

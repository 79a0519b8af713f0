import { describe, expect, it } from 'vitest';
import { STATEMENTS_PER_RUN_MAX, splitStatements } from '../../web/src/statements.js';

describe('splitting the editor into statements and commands', () => {
  it('runs several statements separated by semicolons, in order', () => {
    expect(splitStatements('CREATE (a:A);\nMATCH (n) RETURN n;  ')).toEqual([
      { kind: 'cypher', text: 'CREATE (a:A)' }, { kind: 'cypher', text: 'MATCH (n) RETURN n' }]);
  });

  it('does not split at a semicolon inside strings, identifiers or comments', () => {
    const text = "RETURN 'a;b' AS `x;y`, \"c\\\";d\" // e;f\n /* g;h */ AS z; RETURN 2";
    const units = splitStatements(text);
    expect(units).toHaveLength(2);
    expect(units[0]).toEqual({ kind: 'cypher', text: text.slice(0, text.indexOf('AS z') + 4) });
    expect(units[1]).toEqual({ kind: 'cypher', text: 'RETURN 2' });
  });

  it('drops units that are only comments', () => {
    expect(splitStatements('// nothing here;\n/* nor here */;')).toEqual([]);
  });

  it('reads :param in both spellings, :params and :clear, one per line', () => {
    expect(splitStatements(':param name => "Keanu"\n:param born: 1964\n:params\n' +
      ':params clear\n:clear\nMATCH (p {name: $name}) RETURN p')).toEqual([
      { kind: 'param', name: 'name', expression: '"Keanu"' },
      { kind: 'param', name: 'born', expression: '1964' },
      { kind: 'params' }, { kind: 'clear-params' }, { kind: 'clear-frames' },
      { kind: 'cypher', text: 'MATCH (p {name: $name}) RETURN p' }]);
  });

  it('names an unknown command instead of sending it to the server', () => {
    expect(splitStatements(':play movies')).toEqual(
      [{ kind: 'unknown-command', text: ':play movies' }]);
  });

  it('refuses more statements than it will run at once', () => {
    expect(() => splitStatements('RETURN 1;'.repeat(STATEMENTS_PER_RUN_MAX + 1)))
      .toThrow(RangeError);
    expect(splitStatements('RETURN 1;'.repeat(STATEMENTS_PER_RUN_MAX)))
      .toHaveLength(STATEMENTS_PER_RUN_MAX);
  });
});

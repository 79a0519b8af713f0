import { describe, expect, it } from 'vitest';
import {
  StatementSplitter, splitStatements, type ShellInput,
} from '../../../src/cli/shell/statement-splitter.js';

const cypher = (text: string): ShellInput => ({ kind: 'cypher', text });
const command = (name: string, argument = ''): ShellInput => ({ kind: 'command', name, argument });

describe('splitStatements', () => {
  it('splits on semicolons and drops them', () => {
    expect(splitStatements('RETURN 1;\nRETURN 2;'))
      .toEqual([cypher('RETURN 1'), cypher('RETURN 2')]);
  });

  it('keeps semicolons inside strings, backticks and comments', () => {
    const text = "RETURN 'a;b' AS `x;y`, \"c;d\" // e;f\n, 1 /* g;\nh */;";
    expect(splitStatements(text)).toEqual([
      cypher("RETURN 'a;b' AS `x;y`, \"c;d\" // e;f\n, 1 /* g;\nh */")]);
  });

  it('honours backslash escapes inside strings', () => {
    expect(splitStatements("RETURN 'it\\'s;' AS x; RETURN 2;")).toEqual([
      cypher("RETURN 'it\\'s;' AS x"), cypher('RETURN 2')]);
  });

  it('skips comments and blank statements between statements', () => {
    expect(splitStatements('// intro\n/* block */ ;; RETURN 1;\n// outro\n')).toEqual([
      cypher('RETURN 1')]);
  });

  it('reads a line starting with a colon as a command, with or without a semicolon', () => {
    expect(splitStatements(":param x => 'a;b'\n:help;\nRETURN $x;\n  :exit")).toEqual([
      command(':param', "x => 'a;b'"), command(':help'), cypher('RETURN $x'), command(':exit'),
    ]);
  });

  it('does not take a colon inside a statement for a command', () => {
    expect(splitStatements('RETURN {a:\n:1};')).toEqual([cypher('RETURN {a:\n:1}')]);
  });

  it('runs text after the last semicolon as a final statement', () => {
    expect(splitStatements('RETURN 1; RETURN 2')).toEqual([cypher('RETURN 1'), cypher('RETURN 2')]);
  });
});

describe('StatementSplitter fed line by line', () => {
  it('reports an unfinished statement until its semicolon arrives', () => {
    const splitter = new StatementSplitter();
    splitter.feed('MATCH (n)\n');
    expect(splitter.take()).toEqual([]);
    expect(splitter.incomplete()).toBe(true);
    splitter.feed("WHERE n.name = ';\n");
    expect(splitter.take()).toEqual([]);
    splitter.feed("' RETURN n; RETURN 2;\n");
    expect(splitter.take()).toEqual([cypher("MATCH (n)\nWHERE n.name = ';\n' RETURN n"),
      cypher('RETURN 2')]);
    expect(splitter.incomplete()).toBe(false);
  });

  it('treats a comment-only line as nothing pending', () => {
    const splitter = new StatementSplitter();
    splitter.feed('// just a note\n');
    expect(splitter.incomplete()).toBe(false);
    expect(splitter.finish()).toEqual([]);
  });
});

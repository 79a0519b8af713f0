/**
 * Splits shell input into Cypher statements and shell commands the way cypher-shell does:
 * a statement ends at `;` outside quotes (`'`, `"`, `` ` ``) and comments (`//…`, `/*…*\/`);
 * `\` escapes the next character; a line starting with `:` at a statement boundary is a
 * command that ends with its line (a trailing `;` is dropped). Comments between statements are
 * skipped, comments inside one are kept. Input may arrive in pieces (interactive lines).
 */
import { assert } from '../../assert.js';

export type ShellInput =
  | { readonly kind: 'cypher'; readonly text: string }
  | { readonly kind: 'command'; readonly name: string; readonly argument: string };

type State = 'code' | 'single' | 'double' | 'backtick' | 'line-comment' | 'block-comment';

const QUOTE_STATE: Readonly<Record<string, State>> = {
  "'": 'single', '"': 'double', '`': 'backtick',
};
const QUOTE_CHAR: Readonly<Partial<Record<State, string>>> = {
  single: "'", double: '"', backtick: '`',
};

/** One statement may not grow past this; the shell reports it rather than buffering forever. */
export const STATEMENT_CHARS_MAX = 16 * 1024 * 1024;

export class StatementTooLong extends Error {
  override name = 'StatementTooLong';
}

export function parseCommand(line: string): ShellInput {
  const text = line.trim().replace(/;+$/, '').trimEnd();
  assert(text.startsWith(':'), 'a shell command starts with a colon');
  const space = text.search(/\s/);
  const name = space < 0 ? text : text.slice(0, space);
  return { kind: 'command', name, argument: space < 0 ? '' : text.slice(space + 1).trim() };
}

export class StatementSplitter {
  private buffer = '';
  private state: State = 'code';
  /** Index in buffer up to which characters are classified. */
  private scanned = 0;
  /** Whether anything but whitespace and comments was scanned in the current statement. */
  private contentSeen = false;
  private readonly done: ShellInput[] = [];

  feed(text: string): void {
    this.buffer += text;
    if (this.buffer.length > STATEMENT_CHARS_MAX) {
      this.reset();
      throw new StatementTooLong(`A statement is longer than ${STATEMENT_CHARS_MAX} characters`);
    }
    this.scan();
  }

  /** Statements and commands completed so far, oldest first. */
  take(): ShellInput[] {
    return this.done.splice(0, this.done.length);
  }

  /** True while a statement has started but not ended (the prompt shows a continuation). */
  incomplete(): boolean {
    return stripComments(this.buffer).trim() !== '';
  }

  /** At end of input, text after the last `;` runs as a final statement (cypher-shell 5). */
  finish(): ShellInput[] {
    if (this.state === 'line-comment') this.state = 'code';
    const rest = this.buffer.trim();
    if (stripComments(rest).trim() !== '') this.emit(rest);
    this.reset();
    return this.take();
  }

  reset(): void {
    this.buffer = '';
    this.state = 'code';
    this.scanned = 0;
    this.contentSeen = false;
  }

  private emit(text: string): void {
    const statement = stripLeadingComments(text);
    if (statement.startsWith(':')) this.done.push(parseCommand(statement));
    else this.done.push({ kind: 'cypher', text: statement });
  }

  private cut(end: number): void {
    this.emit(this.buffer.slice(0, end).trim());
    this.buffer = this.buffer.slice(end + 1);
    this.scanned = 0;
    this.contentSeen = false;
  }

  private scan(): void {
    while (this.scanned < this.buffer.length) {
      const at = this.scanned;
      const char = this.buffer[at] ?? '';
      if (this.state === 'code' && (char === ';' || char === ':') && !this.contentSeen) {
        if (char === ';') {
          this.buffer = this.buffer.slice(at + 1);
          this.scanned = 0;
          continue;
        }
        // A command is one line, whatever quotes it holds; wait until the line is complete.
        const lineEnd = this.buffer.indexOf('\n', at);
        if (lineEnd < 0) return;
        this.cut(lineEnd);
        continue;
      }
      if (this.state === 'code' && char === ';') {
        this.cut(at);
        continue;
      }
      this.scanned = this.step(at, char);
    }
  }

  /** Advances over one character (two for escapes and comment markers); returns the index. */
  private step(at: number, char: string): number {
    const next = this.buffer[at + 1];
    switch (this.state) {
      case 'code':
        if (char === '\\') return at + 2;
        if (!/\s/.test(char) && !(char === '/' && (next === '/' || next === '*'))) {
          this.contentSeen = true;
        }
        if (char === '/' && next === '/') this.state = 'line-comment';
        else if (char === '/' && next === '*') this.state = 'block-comment';
        else if (QUOTE_STATE[char] !== undefined) this.state = QUOTE_STATE[char] ?? 'code';
        return this.state === 'line-comment' || this.state === 'block-comment' ? at + 2 : at + 1;
      case 'line-comment':
        if (char === '\n') this.state = 'code';
        return at + 1;
      case 'block-comment':
        if (char === '*' && next === '/') {
          this.state = 'code';
          return at + 2;
        }
        return at + 1;
      case 'single': case 'double': case 'backtick':
        if (char === '\\') return at + 2;
        if (char === QUOTE_CHAR[this.state]) this.state = 'code';
        return at + 1;
    }
  }
}

const COMMENT_OR_QUOTED =
  /('(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|`[^`]*`)|\/\/[^\n]*|\/\*[\s\S]*?(\*\/|$)/g;

/** Comment text removed (strings untouched): used to tell blank input from a statement. */
export function stripComments(text: string): string {
  return text.replace(COMMENT_OR_QUOTED, (_match, quoted: string | undefined) => quoted ?? ' ');
}

/** Comments between statements are not part of the next one. */
export function stripLeadingComments(text: string): string {
  return text.replace(/^(\s+|\/\/[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/, '').trimEnd();
}

/** Splits a whole text (a piped stdin, a -f file) into statements and commands. */
export function splitStatements(text: string): ShellInput[] {
  const splitter = new StatementSplitter();
  splitter.feed(text);
  return [...splitter.take(), ...splitter.finish()];
}

/**
 * Cursor over the token list with the small vocabulary every parsing layer uses: look at a
 * keyword or punctuation without consuming it, accept it if present, expect it or fail with a
 * Neo4j-shaped syntax error that lists what would have been accepted.
 */
import { QuiverError } from '../../errors/quiver-error.js';
import { tokenize, type Token } from '../lexer.js';
import { syntaxError } from '../syntax-error.js';

/** Nesting depth bound: deeper input is rejected instead of overflowing the JS stack. */
export const parseDepthMax = 500;

export class TokenStream {
  protected readonly tokens: Token[];
  protected pos = 0;
  protected depth = 0;
  private speculating = 0;

  constructor(protected readonly text: string) {
    this.tokens = tokenize(text);
  }

  protected peek(ahead = 0): Token {
    const index = Math.min(this.pos + ahead, this.tokens.length - 1);
    const token = this.tokens[index];
    if (token === undefined) throw new Error('token stream is empty');
    return token;
  }

  protected advance(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.pos++;
    return token;
  }

  /** End offset of the last consumed token, for slicing source text. */
  protected get previousEnd(): number {
    return this.tokens[this.pos - 1]?.end ?? 0;
  }

  protected isKeyword(word: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'ident' && token.text.toUpperCase() === word;
  }

  protected acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.pos++;
    return true;
  }

  protected acceptKeywords(...words: string[]): boolean {
    for (let i = 0; i < words.length; i++) {
      if (!this.isKeyword(words[i] ?? '', i)) return false;
    }
    this.pos += words.length;
    return true;
  }

  protected expectKeyword(word: string): void {
    if (!this.acceptKeyword(word)) throw this.unexpected([`'${word}'`]);
  }

  protected isPunct(p: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'punct' && token.text === p;
  }

  protected acceptPunct(p: string): boolean {
    if (!this.isPunct(p)) return false;
    this.pos++;
    return true;
  }

  protected expectPunct(p: string): void {
    if (!this.acceptPunct(p)) throw this.unexpected([`'${p}'`]);
  }

  protected isName(ahead = 0): boolean {
    const kind = this.peek(ahead).kind;
    return kind === 'ident' || kind === 'quoted';
  }

  /** A symbolic name: an identifier (keywords included) or a `quoted` one. */
  protected name(what = 'an identifier'): string {
    if (!this.isName()) throw this.unexpected([what]);
    return this.advance().text;
  }

  protected unexpected(expected: string[]): QuiverError {
    const token = this.peek();
    const found = token.kind === 'eof' ? '' : this.text.slice(token.offset, token.end);
    return this.errorAt(token.offset, `Invalid input '${found}': expected ${joinOr(expected)}`);
  }

  protected errorAt(offset: number, message: string): QuiverError {
    // While speculating, the message would be thrown away: skip the O(text) formatting.
    if (this.speculating > 0) return SPECULATION_FAILED;
    return syntaxError(this.text, offset, message);
  }

  /** Runs a nested parse with a depth bound. */
  protected nested<T>(parse: () => T): T {
    if (this.depth >= parseDepthMax) {
      throw this.errorAt(this.peek().offset,
        `Query nested too deeply (more than ${parseDepthMax})`);
    }
    this.depth++;
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  /** Tries a parse; on a syntax error rewinds and returns null. */
  protected attempt<T>(parse: () => T): T | null {
    const saved = this.pos;
    const savedDepth = this.depth;
    this.speculating++;
    try {
      return parse();
    } catch (error) {
      if (error !== SPECULATION_FAILED) throw error;
      this.pos = saved;
      this.depth = savedDepth;
      return null;
    } finally {
      this.speculating--;
    }
  }
}

/** Thrown instead of a formatted error inside attempt(); never escapes the parser. */
const SPECULATION_FAILED = new QuiverError('SyntaxError', 'speculative parse failed');

function joinOr(items: string[]): string {
  if (items.length <= 1) return items[0] ?? 'something else';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] ?? ''}`;
}

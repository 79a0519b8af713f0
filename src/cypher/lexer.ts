/**
 * Cypher tokenizer. Keywords are not special here: they are identifiers the parser compares
 * case-insensitively, because almost every Cypher keyword is also a legal variable or key name.
 */
import { syntaxError } from './syntax-error.js';

export type TokenKind =
  | 'ident' // plain identifier or keyword
  | 'quoted' // `backtick identifier`
  | 'int'
  | 'float'
  | 'string'
  | 'param'
  | 'punct'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Identifier name, unescaped string, digits, parameter name or the punctuation itself. */
  readonly text: string;
  readonly offset: number;
  readonly end: number;
}

const PUNCT3 = new Set(['...']);
const PUNCT2 = new Set(['<>', '<=', '>=', '=~', '+=', '..', '::', '||', '!=']);
const PUNCT1 = new Set('()[]{},.:;|&!%*+-/^<>='.split(''));

/** Tokens are bounded so that a hostile query cannot make the parser allocate without limit. */
export const queryTokensMax = 1_000_000;

function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

// ASCII is decided by char code; the Unicode classes are consulted only beyond it.
function isIdentStart(c: string): boolean {
  const code = c.charCodeAt(0);
  return code < 128 ? isAsciiLetter(code) : /\p{L}/u.test(c);
}

function isIdentPart(c: string): boolean {
  const code = c.charCodeAt(0);
  if (code < 128) return isAsciiLetter(code) || (code >= 48 && code <= 57);
  return /[\p{L}\p{N}]/u.test(c);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

export function tokenize(text: string): Token[] {
  const lexer = new Lexer(text);
  const tokens: Token[] = [];
  for (;;) {
    const token = lexer.next();
    tokens.push(token);
    if (token.kind === 'eof') return tokens;
    if (tokens.length > queryTokensMax) {
      throw syntaxError(text, token.offset, `Query too long: more than ${queryTokensMax} tokens`);
    }
  }
}

class Lexer {
  private pos = 0;

  constructor(private readonly text: string) {}

  next(): Token {
    this.skipSpaceAndComments();
    const start = this.pos;
    const c = this.text[start];
    if (c === undefined) return { kind: 'eof', text: '', offset: start, end: start };
    if (c === '"' || c === "'") return this.string(c);
    if (c === '`') return this.quoted();
    if (isDigit(c) || (c === '.' && isDigit(this.text[start + 1]))) return this.number();
    if (c === '$') return this.param();
    if (isIdentStart(c)) return this.ident();
    for (const [set, size] of [[PUNCT3, 3], [PUNCT2, 2], [PUNCT1, 1]] as const) {
      const candidate = this.text.slice(start, start + size);
      if (set.has(candidate)) {
        this.pos += size;
        return { kind: 'punct', text: candidate, offset: start, end: this.pos };
      }
    }
    throw syntaxError(this.text, start, `Invalid input '${c}'`);
  }

  private skipSpaceAndComments(): void {
    const t = this.text;
    for (;;) {
      const c = t[this.pos];
      if (c === undefined) return;
      if (c === ' ' || c === '\n' || c === '\t' || c === '\r' || /\s/u.test(c)) {
        this.pos++;
      } else if (c === '/' && t[this.pos + 1] === '/') {
        const eol = t.indexOf('\n', this.pos);
        this.pos = eol < 0 ? t.length : eol + 1;
      } else if (c === '/' && t[this.pos + 1] === '*') {
        const close = t.indexOf('*/', this.pos + 2);
        if (close < 0) throw syntaxError(t, this.pos, 'Failed to parse comment: missing */');
        this.pos = close + 2;
      } else {
        return;
      }
    }
  }

  private ident(): Token {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.text.length && isIdentPart(this.text[this.pos] ?? '')) this.pos++;
    return { kind: 'ident', text: this.text.slice(start, this.pos), offset: start, end: this.pos };
  }

  private quoted(): Token {
    const start = this.pos;
    let name = '';
    this.pos++;
    for (;;) {
      const close = this.text.indexOf('`', this.pos);
      if (close < 0) throw syntaxError(this.text, start, 'Failed to parse quoted name: missing `');
      name += this.text.slice(this.pos, close);
      this.pos = close + 1;
      // A doubled backtick inside a quoted name stands for one backtick.
      if (this.text[this.pos] !== '`') break;
      name += '`';
      this.pos++;
    }
    return { kind: 'quoted', text: name, offset: start, end: this.pos };
  }

  private param(): Token {
    const start = this.pos;
    this.pos++;
    const c = this.text[this.pos];
    let name: string;
    if (c === '`') {
      name = this.quoted().text;
    } else if (c !== undefined && isIdentPart(c)) {
      const from = this.pos;
      while (this.pos < this.text.length && isIdentPart(this.text[this.pos] ?? '')) this.pos++;
      name = this.text.slice(from, this.pos);
    } else {
      throw syntaxError(this.text, this.pos,
        `Invalid input '${c ?? ''}': expected a parameter name`);
    }
    return { kind: 'param', text: name, offset: start, end: this.pos };
  }

  private number(): Token {
    const start = this.pos;
    const t = this.text;
    if (t[start] === '0' && /[xXoO]/.test(t[start + 1] ?? '')) {
      this.pos += 2;
      while (/[0-9a-zA-Z_]/.test(t[this.pos] ?? '')) this.pos++;
      return { kind: 'int', text: t.slice(start, this.pos), offset: start, end: this.pos };
    }
    let isFloat = false;
    this.digits();
    if (t[this.pos] === '.' && isDigit(t[this.pos + 1])) {
      isFloat = true;
      this.pos++;
      this.digits();
    }
    if (/[eE]/.test(t[this.pos] ?? '')) {
      const signed = /[+-]/.test(t[this.pos + 1] ?? '');
      if (isDigit(t[this.pos + (signed ? 2 : 1)])) {
        isFloat = true;
        this.pos += signed ? 2 : 1;
        this.digits();
      }
    }
    if (isIdentStart(t[this.pos] ?? '0')) {
      throw syntaxError(t, start, `Invalid input '${t.slice(start, this.pos + 1)}'`);
    }
    const kind = isFloat ? 'float' : 'int';
    return { kind, text: t.slice(start, this.pos), offset: start, end: this.pos };
  }

  private digits(): void {
    while (isDigit(this.text[this.pos]) || this.text[this.pos] === '_') this.pos++;
  }

  private string(quote: string): Token {
    const start = this.pos;
    const t = this.text;
    let out = '';
    this.pos++;
    for (;;) {
      const c = t[this.pos];
      if (c === undefined) throw syntaxError(t, start, 'Failed to parse string literal');
      this.pos++;
      if (c === quote) break;
      if (c !== '\\') {
        out += c;
        continue;
      }
      out += this.escape(start);
    }
    return { kind: 'string', text: out, offset: start, end: this.pos };
  }

  private escape(stringStart: number): string {
    const t = this.text;
    const e = t[this.pos];
    this.pos++;
    switch (e) {
      case 't': return '\t';
      case 'b': return '\b';
      case 'n': return '\n';
      case 'r': return '\r';
      case 'f': return '\f';
      case "'": return "'";
      case '"': return '"';
      case '\\': return '\\';
      case 'u':
      case 'U': {
        const size = e === 'u' ? 4 : 8;
        const hex = t.slice(this.pos, this.pos + size);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== size) {
          throw syntaxError(t, this.pos - 2,
            `Invalid input '\\${e}${hex}': invalid unicode escape`);
        }
        this.pos += size;
        return String.fromCodePoint(Number.parseInt(hex, 16));
      }
      default:
        if (e === undefined) throw syntaxError(t, stringStart, 'Failed to parse string literal');
        // Neo4j keeps an unknown escape as the backslash and the character.
        return `\\${e}`;
    }
  }
}

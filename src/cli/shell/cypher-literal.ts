/**
 * Evaluates Cypher literals locally for `:param` (numbers, strings, booleans, null, lists,
 * maps), producing values the driver sends with the right types (integers as driver Integers,
 * not floats). Anything else is not a literal, and the shell asks the server instead.
 */
import neo4j from 'neo4j-driver';

const NESTING_DEPTH_MAX = 64;

class NotALiteral extends Error {}

const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '\\': '\\', "'": "'", '"': '"',
};

class LiteralReader {
  private index = 0;

  constructor(private readonly text: string) {}

  readAll(): unknown {
    const value = this.value(0);
    this.skipSpace();
    if (this.index !== this.text.length) throw new NotALiteral();
    return value;
  }

  private skipSpace(): void {
    while (/\s/.test(this.text[this.index] ?? '')) this.index += 1;
  }

  private value(depth: number): unknown {
    if (depth > NESTING_DEPTH_MAX) throw new NotALiteral();
    this.skipSpace();
    const char = this.text[this.index];
    if (char === "'" || char === '"') return this.string(char);
    if (char === '[') return this.list(depth);
    if (char === '{') return this.map(depth);
    return this.atom();
  }

  private string(quote: string): string {
    let out = '';
    for (this.index += 1; this.index < this.text.length; this.index += 1) {
      const char = this.text[this.index] ?? '';
      if (char === quote) {
        this.index += 1;
        return out;
      }
      if (char !== '\\') {
        out += char;
        continue;
      }
      const next = this.text[++this.index] ?? '';
      if (next === 'u') {
        out += String.fromCharCode(parseInt(this.text.slice(this.index + 1, this.index + 5), 16));
        this.index += 4;
      } else {
        out += ESCAPES[next] ?? next;
      }
    }
    throw new NotALiteral();
  }

  private list(depth: number): unknown[] {
    const items: unknown[] = [];
    this.index += 1;
    this.skipSpace();
    if (this.text[this.index] === ']') {
      this.index += 1;
      return items;
    }
    for (;;) {
      items.push(this.value(depth + 1));
      this.skipSpace();
      const char = this.text[this.index++];
      if (char === ']') return items;
      if (char !== ',') throw new NotALiteral();
    }
  }

  private key(): string {
    this.skipSpace();
    if (this.text[this.index] === '`') {
      const end = this.text.indexOf('`', this.index + 1);
      if (end < 0) throw new NotALiteral();
      const name = this.text.slice(this.index + 1, end);
      this.index = end + 1;
      return name;
    }
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.index));
    if (match === null) throw new NotALiteral();
    this.index += match[0].length;
    return match[0];
  }

  private map(depth: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    this.index += 1;
    this.skipSpace();
    if (this.text[this.index] === '}') {
      this.index += 1;
      return map;
    }
    for (;;) {
      const key = this.key();
      this.skipSpace();
      if (this.text[this.index++] !== ':') throw new NotALiteral();
      map[key] = this.value(depth + 1);
      this.skipSpace();
      const char = this.text[this.index++];
      if (char === '}') return map;
      if (char !== ',') throw new NotALiteral();
    }
  }

  private atom(): unknown {
    const match = /^[^\s,\]}]+/.exec(this.text.slice(this.index));
    if (match === null) throw new NotALiteral();
    this.index += match[0].length;
    return atomValue(match[0]);
  }
}

function atomValue(word: string): unknown {
  const lower = word.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (/^-?\d+$/.test(word)) return neo4j.int(word);
  if (/^-?0x[0-9a-f]+$/i.test(word)) {
    const negative = word.startsWith('-');
    const value = BigInt(word.replace('-', ''));
    return neo4j.int((negative ? -value : value).toString());
  }
  if (/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(word)) return Number(word);
  throw new NotALiteral();
}

/** `{ ok: true, value }` for a literal; `{ ok: false }` for anything the server must evaluate. */
export function evaluateLiteral(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: new LiteralReader(text).readAll() };
  } catch (thrown) {
    if (thrown instanceof NotALiteral || thrown instanceof RangeError ||
      thrown instanceof SyntaxError) return { ok: false };
    throw thrown;
  }
}

const PARAM_ARGUMENT = /^(`(?:[^`]|``)+`|[A-Za-z_][A-Za-z0-9_]*)\s*(=>|:)?\s*([\s\S]+)$/;

/** `:param name => expr`, `name: expr`, `name expr`; the name may be backquoted. */
export function parseParamArgument(argument: string): { name: string; expression: string } | null {
  const match = PARAM_ARGUMENT.exec(argument.trim());
  if (match === null) return null;
  const rawName = match[1] ?? '';
  const name = rawName.startsWith('`') ? rawName.slice(1, -1).replace(/``/g, '`') : rawName;
  return { name, expression: (match[3] ?? '').trim() };
}

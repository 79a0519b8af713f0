/**
 * Expected cells (TCK literal notation) and actual values are both turned into one canonical
 * string, so comparing results is comparing strings. Maps and labels are sorted; integers and
 * floats stay distinct; `unorderedLists` sorts list elements for the "ignoring element order" steps.
 */
import {
  CypherDate, DateTime, Duration, LocalDateTime, LocalTime, Node, Path, Point, Relationship, Time,
  type Value,
} from '../../src/graph/values.js';
import { formatValue } from '../../src/cypher/values/format.js';

export interface CanonOptions {
  readonly unorderedLists: boolean;
}

function canonFloat(n: number): string {
  if (Number.isNaN(n)) return 'f:NaN';
  if (n === Infinity) return 'f:Inf';
  if (n === -Infinity) return 'f:-Inf';
  return `f:${Object.is(n, -0) ? 0 : n}`;
}

function list(items: string[], o: CanonOptions): string {
  return `[${(o.unorderedLists ? [...items].sort() : items).join(',')}]`;
}

function map(entries: [string, string][]): string {
  return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}:${v}`).join(',')}}`;
}

function node(labels: readonly string[], props: string): string {
  return `(${[...labels].sort().map((l) => `:${l}`).join('')} ${props})`;
}

// ---- actual values ------------------------------------------------------------------------

export function canonActual(v: Value, o: CanonOptions): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean': return String(v);
    case 'bigint': return `i:${v}`;
    case 'number': return canonFloat(v);
    case 'string': return `s:${JSON.stringify(v)}`;
    default: break;
  }
  if (Array.isArray(v)) return list(v.map((x) => canonActual(x, o)), o);
  if (v instanceof Map) return map([...v].map(([k, x]) => [k, canonActual(x, o)]));
  if (v instanceof Node) return node(v.labels, canonProps(v.properties, o));
  if (v instanceof Relationship) return `[:${v.type} ${canonProps(v.properties, o)}]`;
  if (v instanceof Path) return canonPath(v, o);
  if (v instanceof CypherDate || v instanceof LocalTime || v instanceof Time ||
    v instanceof LocalDateTime || v instanceof DateTime || v instanceof Duration ||
    v instanceof Point) return `s:${JSON.stringify(formatValue(v))}`;
  return `?${String(v)}`;
}

function canonProps(props: ReadonlyMap<string, Value>, o: CanonOptions): string {
  return map([...props].map(([k, x]) => [k, canonActual(x, o)]));
}

function canonPath(p: Path, o: CanonOptions): string {
  let out = `<${canonActual(p.nodes[0] ?? null, o)}`;
  p.rels.forEach((r, i) => {
    const from = p.nodes[i];
    const forward = from !== undefined && r.startId === from.id;
    out += `${forward ? '-' : '<-'}${canonActual(r, o)}${forward ? '->' : '-'}` +
      canonActual(p.nodes[i + 1] ?? null, o);
  });
  return `${out}>`;
}

// ---- expected cells -----------------------------------------------------------------------

class Cursor {
  at = 0;
  constructor(readonly s: string) {}
  ws(): void { while (/\s/.test(this.s[this.at] ?? '')) this.at++; }
  peek(): string { this.ws(); return this.s[this.at] ?? ''; }
  eat(t: string): boolean {
    this.ws();
    if (this.s.startsWith(t, this.at)) { this.at += t.length; return true; }
    return false;
  }
  expect(t: string): void {
    if (!this.eat(t)) throw new Error(`expected ${t} at ${this.at} in ${this.s}`);
  }
}

export function canonExpected(cell: string, o: CanonOptions): string {
  const c = new Cursor(cell);
  const v = parseValue(c, o);
  c.ws();
  if (c.at !== cell.length) throw new Error(`trailing text in ${cell}`);
  return v;
}

function parseValue(c: Cursor, o: CanonOptions): string {
  const ch = c.peek();
  if (ch === "'") return `s:${JSON.stringify(parseString(c))}`;
  if (ch === '[') return parseListOrRel(c, o);
  if (ch === '{') return parseMap(c, o);
  if (ch === '(') return parseNode(c, o);
  if (ch === '<') return parsePath(c, o);
  const word = /^(-?[0-9][0-9a-fA-FxXoO._eE+-]*|-?Inf|NaN|true|false|null)/.exec(c.s.slice(c.at));
  if (!word) throw new Error(`cannot parse value at ${c.at} in ${c.s}`);
  c.at += word[0].length;
  return canonWord(word[0]);
}

function canonWord(w: string): string {
  if (w === 'true' || w === 'false' || w === 'null') return w;
  if (w === 'NaN') return 'f:NaN';
  if (w === 'Inf') return 'f:Inf';
  if (w === '-Inf') return 'f:-Inf';
  if (/^-?\d+$/.test(w)) return `i:${BigInt(w)}`;
  return canonFloat(Number(w));
}

function parseString(c: Cursor): string {
  c.expect("'");
  let out = '';
  for (;;) {
    const ch = c.s[c.at++];
    if (ch === undefined) throw new Error('unterminated string');
    if (ch === '\\') { out += c.s[c.at++] ?? ''; continue; }
    if (ch === "'") return out;
    out += ch;
  }
}

function parseListOrRel(c: Cursor, o: CanonOptions): string {
  c.expect('[');
  if (c.peek() === ':') return parseRelBody(c, o);
  const items: string[] = [];
  while (!c.eat(']')) {
    items.push(parseValue(c, o));
    c.eat(',');
  }
  return list(items, o);
}

function parseRelBody(c: Cursor, o: CanonOptions): string {
  c.expect(':');
  const type = parseName(c);
  const props = c.peek() === '{' ? parseMap(c, o) : '{}';
  c.expect(']');
  return `[:${type} ${props}]`;
}

function parseName(c: Cursor): string {
  c.ws();
  if (c.s[c.at] === '`') {
    const end = c.s.indexOf('`', c.at + 1);
    const name = c.s.slice(c.at + 1, end);
    c.at = end + 1;
    return name;
  }
  const m = /^[\p{L}_][\p{L}\p{N}_]*/u.exec(c.s.slice(c.at));
  if (!m) throw new Error(`expected a name at ${c.at} in ${c.s}`);
  c.at += m[0].length;
  return m[0];
}

function parseMap(c: Cursor, o: CanonOptions): string {
  c.expect('{');
  const entries: [string, string][] = [];
  while (!c.eat('}')) {
    const key = parseName(c);
    c.expect(':');
    entries.push([key, parseValue(c, o)]);
    c.eat(',');
  }
  return map(entries);
}

function parseNode(c: Cursor, o: CanonOptions): string {
  c.expect('(');
  const labels: string[] = [];
  while (c.eat(':')) labels.push(parseName(c));
  const props = c.peek() === '{' ? parseMap(c, o) : '{}';
  c.expect(')');
  return node(labels, props);
}

function parsePath(c: Cursor, o: CanonOptions): string {
  c.expect('<');
  let out = `<${parseNode(c, o)}`;
  while (!c.eat('>')) {
    const back = c.eat('<-');
    if (!back) c.expect('-');
    c.expect('[');
    const rel = parseRelBody(c, o);
    const forward = c.eat('->');
    if (!forward) c.expect('-');
    out += `${back ? '<-' : '-'}${rel}${forward ? '->' : '-'}${parseNode(c, o)}`;
  }
  return `${out}>`;
}

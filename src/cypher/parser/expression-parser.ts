/**
 * Expressions, by precedence from loosest to tightest as in openCypher (and Neo4j 5):
 * OR, XOR, AND, NOT, comparison (chained), string/list/null predicates, + - ||, * / %, ^
 * (left-associative), unary + -, postfix (property, index, slice, label test), atoms.
 */
import type {
  CaseWhen, CompareOp, Expr, LabelExpr, MapProjectionItem, PathPattern, Query, Quantifier,
} from '../ast.js';
import { TokenStream } from './token-stream.js';

const COMPARE_OPS: ReadonlySet<string> = new Set(['=', '<>', '!=', '<', '<=', '>', '>=']);
const INT64_MAX = 9223372036854775807n;

export abstract class ExpressionParser extends TokenStream {
  protected abstract parsePathPattern(): PathPattern;
  protected abstract parseLabelExpression(): LabelExpr;
  protected abstract parseSubqueryBody(): Query;

  parseExpression(): Expr {
    return this.nested(() => this.parseOr());
  }

  private parseOr(): Expr {
    let left = this.parseXor();
    while (this.isKeyword('OR')) {
      const offset = this.advance().offset;
      left = { kind: 'binary', offset, op: 'OR', left, right: this.parseXor() };
    }
    return left;
  }

  private parseXor(): Expr {
    let left = this.parseAnd();
    while (this.isKeyword('XOR')) {
      const offset = this.advance().offset;
      left = { kind: 'binary', offset, op: 'XOR', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.isKeyword('AND')) {
      const offset = this.advance().offset;
      left = { kind: 'binary', offset, op: 'AND', left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): Expr {
    if (this.isKeyword('NOT')) {
      const offset = this.advance().offset;
      return { kind: 'not', offset, operand: this.nested(() => this.parseNot()) };
    }
    return this.parseComparison();
  }

  private parseComparison(): Expr {
    const first = this.parsePredicates();
    const ops: CompareOp[] = [];
    const operands = [first];
    while (this.peek().kind === 'punct' && COMPARE_OPS.has(this.peek().text)) {
      const text = this.advance().text;
      ops.push((text === '!=' ? '<>' : text) as CompareOp);
      operands.push(this.parsePredicates());
    }
    if (ops.length === 0) return first;
    return { kind: 'compare', offset: first.offset, ops, operands };
  }

  /** STARTS WITH, ENDS WITH, CONTAINS, IN, =~, IS [NOT] NULL, IS [NOT] :: TYPE. */
  private parsePredicates(): Expr {
    let left = this.parseAdditive();
    for (;;) {
      const offset = this.peek().offset;
      if (this.acceptKeywords('STARTS', 'WITH')) {
        left = { kind: 'binary', offset, op: 'STARTS WITH', left, right: this.parseAdditive() };
      } else if (this.acceptKeywords('ENDS', 'WITH')) {
        left = { kind: 'binary', offset, op: 'ENDS WITH', left, right: this.parseAdditive() };
      } else if (this.acceptKeyword('CONTAINS')) {
        left = { kind: 'binary', offset, op: 'CONTAINS', left, right: this.parseAdditive() };
      } else if (this.acceptKeyword('IN')) {
        left = { kind: 'binary', offset, op: 'IN', left, right: this.parseAdditive() };
      } else if (this.acceptPunct('=~')) {
        left = { kind: 'binary', offset, op: '=~', left, right: this.parseAdditive() };
      } else if (this.isKeyword('IS')) {
        left = this.parseIsSuffix(left);
      } else if (this.acceptPunct('::')) {
        left = { kind: 'isType', offset, operand: left, typeName: this.parseTypeName(),
          negated: false };
      } else {
        return left;
      }
    }
  }

  private parseIsSuffix(operand: Expr): Expr {
    const offset = this.advance().offset;
    const negated = this.acceptKeyword('NOT');
    if (this.acceptKeyword('NULL')) return { kind: 'isNull', offset, operand, negated };
    if (this.acceptPunct('::') || this.acceptKeyword('TYPED')) {
      return { kind: 'isType', offset, operand, typeName: this.parseTypeName(), negated };
    }
    throw this.unexpected(["'NULL'", "'::'"]);
  }

  /** A type as written after `::`, normalised to upper case with single spaces. */
  private parseTypeName(): string {
    const parts: string[] = [this.name('a type').toUpperCase()];
    if (parts[0] === 'ANY' && this.isPunct('<')) {
      this.advance();
      parts.push('<', this.parseTypeUnion(), '>');
    } else if ((parts[0] === 'LIST' || parts[0] === 'ARRAY') && this.acceptPunct('<')) {
      parts.push('<', this.parseTypeName(), '>');
      this.expectPunct('>');
    }
    if (this.isKeyword('NOT') && this.isKeyword('NULL', 1)) {
      this.pos += 2;
      parts.push(' NOT NULL');
    }
    return parts.join('');
  }

  private parseTypeUnion(): string {
    const names = [this.parseTypeName()];
    while (this.acceptPunct('|')) names.push(this.parseTypeName());
    this.expectPunct('>');
    return names.join(' | ');
  }

  private parseAdditive(): Expr {
    let left = this.parseMultiplicative();
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'punct' || (token.text !== '+' && token.text !== '-' &&
        token.text !== '||')) {
        return left;
      }
      this.advance();
      const op = token.text === '-' ? '-' : '+';
      left = { kind: 'binary', offset: token.offset, op, left, right: this.parseMultiplicative() };
    }
  }

  private parseMultiplicative(): Expr {
    let left = this.parsePower();
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'punct' || !['*', '/', '%'].includes(token.text)) return left;
      this.advance();
      const op = token.text as '*' | '/' | '%';
      left = { kind: 'binary', offset: token.offset, op, left, right: this.parsePower() };
    }
  }

  private parsePower(): Expr {
    let left = this.parseUnary();
    while (this.isPunct('^')) {
      const offset = this.advance().offset;
      left = { kind: 'binary', offset, op: '^', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): Expr {
    const token = this.peek();
    if (token.kind === 'punct' && (token.text === '-' || token.text === '+')) {
      this.advance();
      const next = this.peek();
      if (token.text === '-' && (next.kind === 'int' || next.kind === 'float')) {
        // Fold the sign into the literal so that -9223372036854775808 is representable.
        this.advance();
        const literal = this.numberLiteral(next.kind, next.text, next.offset, true);
        return this.parsePostfix(literal);
      }
      const operand = this.nested(() => this.parseUnary());
      return token.text === '-' ? { kind: 'negate', offset: token.offset, operand } : operand;
    }
    return this.parsePostfix(this.parseAtom());
  }

  protected parsePostfix(atom: Expr): Expr {
    let expr = atom;
    for (;;) {
      const offset = this.peek().offset;
      if (this.acceptPunct('.')) {
        expr = { kind: 'prop', offset, target: expr, key: this.name('a property key') };
      } else if (this.isPunct('[')) {
        expr = this.parseSubscript(expr);
      } else if (this.isPunct(':') && this.isName(1)) {
        this.advance();
        expr = { kind: 'hasLabels', offset, target: expr, labels: this.parseLabelExpression() };
      } else {
        return expr;
      }
    }
  }

  private parseSubscript(target: Expr): Expr {
    const offset = this.advance().offset;
    if (this.acceptPunct('..')) {
      const to = this.isPunct(']') ? null : this.parseExpression();
      this.expectPunct(']');
      return { kind: 'slice', offset, target, from: null, to };
    }
    const index = this.parseExpression();
    if (this.acceptPunct('..')) {
      const to = this.isPunct(']') ? null : this.parseExpression();
      this.expectPunct(']');
      return { kind: 'slice', offset, target, from: index, to };
    }
    this.expectPunct(']');
    return { kind: 'index', offset, target, index };
  }

  protected numberLiteral(kind: 'int' | 'float', raw: string, offset: number,
    negative: boolean): Expr {
    const digits = raw.replace(/_/g, '');
    if (kind === 'float') {
      const value = Number(digits);
      if (!Number.isFinite(value)) throw this.errorAt(offset, `floating point number is too large`);
      return { kind: 'literal', offset, value: negative ? -value : value };
    }
    let value: bigint;
    try {
      value = /^0[oO]/.test(digits) ? BigInt(`0o${digits.slice(2)}`) : BigInt(digits);
    } catch {
      throw this.errorAt(offset, `Invalid input '${raw}': invalid integer literal`);
    }
    if (negative) value = -value;
    if (value > INT64_MAX || value < -INT64_MAX - 1n) {
      throw this.errorAt(offset, `integer is too large`);
    }
    return { kind: 'literal', offset, value };
  }

  private parseAtom(): Expr {
    const token = this.peek();
    switch (token.kind) {
      case 'int':
      case 'float':
        this.advance();
        return this.numberLiteral(token.kind, token.text, token.offset, false);
      case 'string':
        this.advance();
        return { kind: 'literal', offset: token.offset, value: token.text };
      case 'param':
        this.advance();
        return { kind: 'param', offset: token.offset, name: token.text };
      case 'punct':
        return this.parsePunctAtom();
      case 'ident':
      case 'quoted':
        return this.parseNameAtom();
      case 'eof':
        throw this.unexpected(['an expression']);
    }
  }

  private parsePunctAtom(): Expr {
    const token = this.peek();
    if (token.text === '[') return this.parseBracketAtom();
    if (token.text === '{') return this.parseMapLiteral();
    if (token.text === '(') {
      const pattern = this.attempt(() => this.parsePatternAtom());
      if (pattern !== null) return pattern;
      this.advance();
      const inner = this.parseExpression();
      this.expectPunct(')');
      return inner;
    }
    throw this.unexpected(['an expression']);
  }

  /** `(a)-->(b)` as a predicate: only with at least one relationship, else it is `(expr)`. */
  private parsePatternAtom(): Expr {
    const offset = this.peek().offset;
    const pattern = this.parsePathPattern();
    if (pattern.steps.length === 0) throw this.errorAt(offset, 'not a pattern');
    return { kind: 'pattern', offset, pattern };
  }

  protected parseMapLiteral(): Expr {
    const offset = this.peek().offset;
    this.expectPunct('{');
    const entries: [string, Expr][] = [];
    if (!this.isPunct('}')) {
      do {
        const key = this.name('a property key');
        this.expectPunct(':');
        entries.push([key, this.parseExpression()]);
      } while (this.acceptPunct(','));
    }
    this.expectPunct('}');
    return { kind: 'map', offset, entries };
  }

  private parseBracketAtom(): Expr {
    const offset = this.advance().offset;
    if (this.isName() && this.isKeyword('IN', 1)) {
      const variable = this.name();
      this.advance();
      const source = this.parseExpression();
      const where = this.acceptKeyword('WHERE') ? this.parseExpression() : null;
      const map = this.acceptPunct('|') ? this.parseExpression() : null;
      this.expectPunct(']');
      return { kind: 'listComp', offset, variable, source, where, map };
    }
    const comprehension = this.attempt(() => this.parsePatternComprehension(offset));
    if (comprehension !== null) return comprehension;
    const items: Expr[] = [];
    if (!this.isPunct(']')) {
      do items.push(this.parseExpression());
      while (this.acceptPunct(','));
    }
    this.expectPunct(']');
    return { kind: 'list', offset, items };
  }

  private parsePatternComprehension(offset: number): Expr {
    if (!this.isPunct('(') && !(this.isName() && this.isPunct('=', 1))) {
      throw this.unexpected(['a pattern']);
    }
    const pattern = this.parsePathPattern();
    const where = this.acceptKeyword('WHERE') ? this.parseExpression() : null;
    this.expectPunct('|');
    const map = this.parseExpression();
    this.expectPunct(']');
    return { kind: 'patternComp', offset, pattern, where, map };
  }

  private parseNameAtom(): Expr {
    const token = this.peek();
    if (token.kind === 'ident') {
      const special = this.parseKeywordAtom(token.text.toUpperCase());
      if (special !== null) return special;
    }
    // Function names may be dotted: `date.truncate(...)`; otherwise a dotted name is property
    // access.
    let ahead = 1;
    while (this.isPunct('.', ahead) && this.isName(ahead + 1)) ahead += 2;
    if (this.isPunct('(', ahead)) return this.parseFunctionCall(ahead);
    this.advance();
    const variable: Expr = { kind: 'var', offset: token.offset, name: token.text };
    if (this.isPunct('{')) return this.parseMapProjection(token.text, token.offset);
    return variable;
  }

  private parseKeywordAtom(word: string): Expr | null {
    const offset = this.peek().offset;
    switch (word) {
      case 'TRUE': this.advance(); return { kind: 'literal', offset, value: true };
      case 'FALSE': this.advance(); return { kind: 'literal', offset, value: false };
      case 'NULL': this.advance(); return { kind: 'literal', offset, value: null };
      case 'INF': case 'INFINITY':
        this.advance(); return { kind: 'literal', offset, value: Infinity };
      case 'NAN': this.advance(); return { kind: 'literal', offset, value: NaN };
      case 'CASE': return this.parseCase();
      case 'EXISTS': case 'COUNT': case 'COLLECT':
        if (this.isPunct('{', 1)) return this.parseSubqueryExpression(word);
        if (word === 'COUNT' && this.isPunct('(', 1) && this.isPunct('*', 2) && this.isPunct(')',
          3)) {
          this.pos += 4;
          return { kind: 'countStar', offset };
        }
        return null;
      case 'ALL': case 'ANY': case 'NONE': case 'SINGLE':
        if (this.isPunct('(', 1) && this.isName(2) && this.isKeyword('IN', 3)) {
          return this.parseQuantified(word.toLowerCase() as Quantifier);
        }
        return null;
      case 'REDUCE':
        return this.isPunct('(', 1) ? this.parseReduce() : null;
      case 'SHORTESTPATH': case 'ALLSHORTESTPATHS':
        if (!this.isPunct('(', 1)) return null;
        return { kind: 'shortestPath', offset, pattern: this.parsePathPattern() };
      default:
        return null;
    }
  }

  private parseFunctionCall(nameTokens: number): Expr {
    const offset = this.peek().offset;
    const parts: string[] = [];
    for (let i = 0; i < nameTokens; i += 2) {
      parts.push(this.advance().text);
      if (i + 1 < nameTokens) this.advance();
    }
    this.expectPunct('(');
    const distinct = this.acceptKeyword('DISTINCT');
    const args: Expr[] = [];
    if (!this.isPunct(')')) {
      do args.push(this.parseExpression());
      while (this.acceptPunct(','));
    }
    this.expectPunct(')');
    const displayName = parts.join('.');
    return { kind: 'call', offset, name: displayName.toLowerCase(), displayName, args, distinct };
  }

  private parseMapProjection(target: string, offset: number): Expr {
    this.expectPunct('{');
    const items: MapProjectionItem[] = [];
    if (!this.isPunct('}')) {
      do items.push(this.parseMapProjectionItem());
      while (this.acceptPunct(','));
    }
    this.expectPunct('}');
    return { kind: 'mapProjection', offset, target, items };
  }

  private parseMapProjectionItem(): MapProjectionItem {
    if (this.acceptPunct('.')) {
      if (this.acceptPunct('*')) return { kind: 'allProperties' };
      return { kind: 'property', key: this.name('a property key') };
    }
    const name = this.name('a map projection item');
    if (this.acceptPunct(':')) return { kind: 'entry', key: name, value: this.parseExpression() };
    return { kind: 'variable', name };
  }

  private parseCase(): Expr {
    const offset = this.advance().offset;
    const subject = this.isKeyword('WHEN') ? null : this.parseExpression();
    const whens: CaseWhen[] = [];
    while (this.acceptKeyword('WHEN')) {
      const when = this.parseExpression();
      this.expectKeyword('THEN');
      whens.push({ when, then: this.parseExpression() });
    }
    if (whens.length === 0) throw this.unexpected(["'WHEN'"]);
    const otherwise = this.acceptKeyword('ELSE') ? this.parseExpression() : null;
    this.expectKeyword('END');
    return { kind: 'case', offset, subject, whens, otherwise };
  }

  private parseSubqueryExpression(word: string): Expr {
    const offset = this.advance().offset;
    this.expectPunct('{');
    const query = this.nested(() => this.parseSubqueryBody());
    this.expectPunct('}');
    const mode = word === 'EXISTS' ? 'exists' : word === 'COUNT' ? 'count' : 'collect';
    return { kind: 'subquery', offset, mode, query };
  }

  private parseQuantified(quantifier: Quantifier): Expr {
    const offset = this.advance().offset;
    this.expectPunct('(');
    const variable = this.name();
    this.expectKeyword('IN');
    const source = this.parseExpression();
    this.expectKeyword('WHERE');
    const where = this.parseExpression();
    this.expectPunct(')');
    return { kind: 'quantified', offset, quantifier, variable, source, where };
  }

  private parseReduce(): Expr {
    const offset = this.advance().offset;
    this.expectPunct('(');
    const accumulator = this.name();
    this.expectPunct('=');
    const init = this.parseExpression();
    this.expectPunct(',');
    const variable = this.name();
    this.expectKeyword('IN');
    const source = this.parseExpression();
    this.expectPunct('|');
    const body = this.parseExpression();
    this.expectPunct(')');
    return { kind: 'reduce', offset, accumulator, init, variable, source, body };
  }
}

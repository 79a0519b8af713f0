/**
 * Reading, projecting and updating clauses, and queries built from them (UNION, subqueries).
 */
import type {
  Clause, Expr, Projection, Query, RemoveItem, ReturnItem, SetItem, SingleQuery, SortItem,
  YieldItem,
} from '../ast.js';
import { PatternParser } from './pattern-parser.js';

const CLAUSE_STARTS = [
  "'MATCH'", "'OPTIONAL'", "'WITH'", "'RETURN'", "'UNWIND'", "'CREATE'", "'MERGE'", "'SET'",
  "'REMOVE'", "'DELETE'", "'DETACH'", "'FOREACH'", "'CALL'", "'LOAD'", "'UNION'",
];

export abstract class ClauseParser extends PatternParser {
  /** A query up to a closing `}` or the end of input. */
  parseQuery(): Query {
    const first = this.parseSingleQuery();
    if (!this.isKeyword('UNION')) return first;
    const parts = [first];
    let all: boolean | null = null;
    while (this.isKeyword('UNION')) {
      const offset = this.advance().offset;
      const isAll = this.acceptKeyword('ALL');
      if (!isAll) this.acceptKeyword('DISTINCT');
      if (all !== null && all !== isAll) {
        throw this.errorAt(offset, 'Invalid combination of UNION and UNION ALL');
      }
      all = isAll;
      parts.push(this.parseSingleQuery());
    }
    return { kind: 'union', all: all ?? false, parts };
  }

  protected parseSubqueryBody(): Query {
    // EXISTS { (a)-->(b) WHERE ... } is shorthand for a MATCH.
    if (this.isPunct('(') || (this.isName() && this.isPunct('=', 1))) {
      const offset = this.peek().offset;
      const patterns = this.parsePatternList();
      const where = this.acceptKeyword('WHERE') ? this.parseExpression() : null;
      return { kind: 'single', clauses: [{ kind: 'match', offset, optional: false, patterns,
        where }] };
    }
    return this.parseQuery();
  }

  private parseSingleQuery(): SingleQuery {
    const clauses: Clause[] = [];
    for (;;) {
      const clause = this.parseClause();
      if (clause === null) break;
      clauses.push(clause);
    }
    if (clauses.length === 0) throw this.unexpected(CLAUSE_STARTS);
    return { kind: 'single', clauses };
  }

  private parseClause(): Clause | null {
    const token = this.peek();
    if (token.kind !== 'ident') return null;
    const offset = token.offset;
    switch (token.text.toUpperCase()) {
      case 'MATCH': this.advance(); return this.parseMatch(offset, false);
      case 'OPTIONAL':
        this.advance();
        this.expectKeyword('MATCH');
        return this.parseMatch(offset, true);
      case 'WITH': return this.parseWith();
      case 'RETURN':
        this.advance();
        return { kind: 'return', offset, projection: this.parseProjection() };
      case 'UNWIND': return this.parseUnwind();
      case 'CREATE':
        this.advance();
        return { kind: 'create', offset, patterns: this.parsePatternList() };
      case 'MERGE': return this.parseMerge();
      case 'SET':
        this.advance();
        return { kind: 'set', offset, items: this.parseSetItems() };
      case 'REMOVE': return this.parseRemove();
      case 'DELETE': case 'DETACH': case 'NODETACH': return this.parseDelete();
      case 'FOREACH': return this.parseForeach();
      case 'CALL': return this.parseCall();
      case 'LOAD': return this.parseLoadCsv();
      default: return null;
    }
  }

  private parseMatch(offset: number, optional: boolean): Clause {
    const patterns = this.parsePatternList();
    const where = this.acceptKeyword('WHERE') ? this.parseExpression() : null;
    return { kind: 'match', offset, optional, patterns, where };
  }

  private parseWith(): Clause {
    const offset = this.advance().offset;
    const projection = this.parseProjection();
    const where = this.acceptKeyword('WHERE') ? this.parseExpression() : null;
    return { kind: 'with', offset, projection, where };
  }

  protected parseProjection(): Projection {
    const distinct = this.acceptKeyword('DISTINCT');
    const star = this.acceptPunct('*');
    const items: ReturnItem[] = [];
    if (!star || this.acceptPunct(',')) {
      do items.push(this.parseReturnItem());
      while (this.acceptPunct(','));
    }
    const orderBy = this.acceptKeywords('ORDER', 'BY') ? this.parseSortItems() : [];
    const skip = this.acceptKeyword('SKIP') || this.acceptKeyword('OFFSET')
      ? this.parseExpression() : null;
    const limit = this.acceptKeyword('LIMIT') ? this.parseExpression() : null;
    return { distinct, star, items, orderBy, skip, limit };
  }

  private parseReturnItem(): ReturnItem {
    const start = this.peek().offset;
    const expr = this.parseExpression();
    if (this.acceptKeyword('AS')) return { expr, name: this.name('an alias'), aliased: true };
    const name = expr.kind === 'var' ? expr.name : this.text.slice(start, this.previousEnd);
    return { expr, name, aliased: false };
  }

  private parseSortItems(): SortItem[] {
    const items: SortItem[] = [];
    do {
      const expr = this.parseExpression();
      let descending = false;
      if (this.acceptKeyword('DESC') || this.acceptKeyword('DESCENDING')) descending = true;
      else if (!this.acceptKeyword('ASC')) this.acceptKeyword('ASCENDING');
      items.push({ expr, descending });
    } while (this.acceptPunct(','));
    return items;
  }

  private parseUnwind(): Clause {
    const offset = this.advance().offset;
    const expr = this.parseExpression();
    this.expectKeyword('AS');
    return { kind: 'unwind', offset, expr, variable: this.name() };
  }

  private parseMerge(): Clause {
    const offset = this.advance().offset;
    const pattern = this.parsePathPattern();
    const onCreate: SetItem[] = [];
    const onMatch: SetItem[] = [];
    while (this.isKeyword('ON')) {
      this.advance();
      const target = this.acceptKeyword('CREATE') ? onCreate : (this.expectKeyword('MATCH'),
        onMatch);
      this.expectKeyword('SET');
      target.push(...this.parseSetItems());
    }
    return { kind: 'merge', offset, pattern, onCreate, onMatch };
  }

  private parseSetItems(): SetItem[] {
    const items: SetItem[] = [];
    do items.push(this.parseSetItem());
    while (this.acceptPunct(','));
    return items;
  }

  private parseSetItem(): SetItem {
    const offset = this.peek().offset;
    if (this.isName() && (this.isPunct(':', 1) || this.isKeyword('IS', 1))) {
      const variable = this.name();
      return { kind: 'setLabels', variable, labels: this.parseLabelList() };
    }
    const target = this.parseUpdateTarget();
    if (target.kind === 'var' && (this.isPunct('=') || this.isPunct('+='))) {
      const merge = this.advance().text === '+=';
      const value = this.parseExpression();
      return merge ? { kind: 'mergeProperties', variable: target.name, value }
        : { kind: 'replaceProperties', variable: target.name, value };
    }
    this.expectPunct('=');
    const value = this.parseExpression();
    if (target.kind === 'prop') return { kind: 'setProperty', target: target.target,
      key: target.key, value };
    if (target.kind === 'index') {
      return { kind: 'setDynamicProperty', target: target.target, key: target.index, value };
    }
    throw this.errorAt(offset, 'Invalid input: expected a property, a variable or labels to set');
  }

  /** A variable or parenthesised expression followed by property or index lookups. */
  private parseUpdateTarget(): Expr {
    const token = this.peek();
    let expr: Expr;
    if (this.acceptPunct('(')) {
      expr = this.parseExpression();
      this.expectPunct(')');
    } else {
      expr = { kind: 'var', offset: token.offset, name: this.name('a variable') };
    }
    for (;;) {
      const offset = this.peek().offset;
      if (this.acceptPunct('.')) {
        expr = { kind: 'prop', offset, target: expr, key: this.name('a property key') };
      } else if (this.acceptPunct('[')) {
        const index = this.parseExpression();
        this.expectPunct(']');
        expr = { kind: 'index', offset, target: expr, index };
      } else {
        return expr;
      }
    }
  }

  private parseLabelList(): string[] {
    const labels: string[] = [];
    if (this.acceptKeyword('IS')) {
      labels.push(this.name('a label'));
      while (this.acceptPunct('&')) labels.push(this.name('a label'));
      return labels;
    }
    while (this.acceptPunct(':')) labels.push(this.name('a label'));
    return labels;
  }

  private parseRemove(): Clause {
    const offset = this.advance().offset;
    const items: RemoveItem[] = [];
    do {
      if (this.isName() && (this.isPunct(':', 1) || this.isKeyword('IS', 1))) {
        const variable = this.name();
        items.push({ kind: 'removeLabels', variable, labels: this.parseLabelList() });
        continue;
      }
      const target = this.parseUpdateTarget();
      if (target.kind !== 'prop') throw this.errorAt(target.offset,
        'Invalid input: expected a property');
      items.push({ kind: 'removeProperty', target: target.target, key: target.key });
    } while (this.acceptPunct(','));
    return { kind: 'remove', offset, items };
  }

  private parseDelete(): Clause {
    const offset = this.peek().offset;
    const detach = this.acceptKeyword('DETACH');
    if (!detach) this.acceptKeyword('NODETACH');
    this.expectKeyword('DELETE');
    const exprs: Expr[] = [];
    do exprs.push(this.parseExpression());
    while (this.acceptPunct(','));
    return { kind: 'delete', offset, detach, exprs };
  }

  private parseForeach(): Clause {
    const offset = this.advance().offset;
    this.expectPunct('(');
    const variable = this.name();
    this.expectKeyword('IN');
    const source = this.parseExpression();
    this.expectPunct('|');
    const body: Clause[] = [];
    for (;;) {
      const clause = this.nested(() => this.parseClause());
      if (clause === null) break;
      body.push(clause);
    }
    if (body.length === 0) throw this.unexpected(["'CREATE'", "'MERGE'", "'SET'", "'DELETE'"]);
    this.expectPunct(')');
    return { kind: 'foreach', offset, variable, source, body };
  }

  private parseCall(): Clause {
    const offset = this.advance().offset;
    if (this.isPunct('{')) return this.parseCallSubquery(offset, null, false);
    if (this.isPunct('(')) {
      this.advance();
      if (this.acceptPunct('*')) {
        this.expectPunct(')');
        return this.parseCallSubquery(offset, [], true);
      }
      const names: string[] = [];
      if (!this.isPunct(')')) {
        do names.push(this.name('a variable'));
        while (this.acceptPunct(','));
      }
      this.expectPunct(')');
      return this.parseCallSubquery(offset, names, false);
    }
    return this.parseProcedureCall(offset);
  }

  private parseCallSubquery(offset: number, importing: string[] | null,
    importAll: boolean): Clause {
    this.expectPunct('{');
    const query = this.nested(() => this.parseQuery());
    this.expectPunct('}');
    if (this.acceptKeyword('IN')) {
      throw this.errorAt(this.previousEnd, 'CALL { ... } IN TRANSACTIONS is not supported');
    }
    return { kind: 'subquery', offset, importing, importAll, query };
  }

  private parseProcedureCall(offset: number): Clause {
    const parts = [this.name('a procedure name')];
    while (this.acceptPunct('.')) parts.push(this.name('a procedure name'));
    let args: Expr[] | null = null;
    if (this.acceptPunct('(')) {
      args = [];
      if (!this.isPunct(')')) {
        do args.push(this.parseExpression());
        while (this.acceptPunct(','));
      }
      this.expectPunct(')');
    }
    const { yields, yieldStar, where } = this.parseYield();
    return { kind: 'callProcedure', offset, name: parts.join('.'), args, yields, yieldStar, where };
  }

  protected parseYield(): { yields: YieldItem[] | null; yieldStar: boolean; where: Expr | null } {
    if (!this.acceptKeyword('YIELD')) return { yields: null, yieldStar: false, where: null };
    if (this.acceptPunct('*')) return { yields: null, yieldStar: true, where: null };
    const yields: YieldItem[] = [];
    do {
      const name = this.name('a field name');
      yields.push({ name, alias: this.acceptKeyword('AS') ? this.name('an alias') : name });
    } while (this.acceptPunct(','));
    const where = this.acceptKeyword('WHERE') ? this.parseExpression() : null;
    return { yields, yieldStar: false, where };
  }

  private parseLoadCsv(): Clause {
    const offset = this.advance().offset;
    this.expectKeyword('CSV');
    const withHeaders = this.acceptKeywords('WITH', 'HEADERS');
    this.expectKeyword('FROM');
    const url = this.parseExpression();
    this.expectKeyword('AS');
    const variable = this.name();
    let fieldTerminator: string | null = null;
    if (this.acceptKeyword('FIELDTERMINATOR')) {
      const token = this.advance();
      if (token.kind !== 'string') throw this.errorAt(token.offset, 'expected a string');
      fieldTerminator = token.text;
    }
    return { kind: 'loadCsv', offset, withHeaders, url, variable, fieldTerminator };
  }
}

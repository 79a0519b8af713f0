/**
 * Entry point of the parser: one statement (EXPLAIN/PROFILE prefix, schema command, SHOW
 * command or query), optionally ended by `;`.
 */
import type {
  ConstraintRequirement, IndexTarget, SchemaCommand, ShowCommand, ShowWhat, Statement,
  StatementBody,
} from '../ast.js';
import { ClauseParser } from './clause-parser.js';
import { checkTreeDepth } from './tree-depth.js';

const SHOW_WHAT: Record<string, ShowWhat> = {
  INDEX: 'INDEXES', INDEXES: 'INDEXES', CONSTRAINT: 'CONSTRAINTS', CONSTRAINTS: 'CONSTRAINTS',
  PROCEDURE: 'PROCEDURES', PROCEDURES: 'PROCEDURES', FUNCTION: 'FUNCTIONS', FUNCTIONS: 'FUNCTIONS',
};
const INDEX_KINDS = ['RANGE', 'TEXT', 'POINT', 'LOOKUP', 'FULLTEXT', 'VECTOR', 'BTREE'];

/** Parses one Cypher statement; throws QuiverError('SyntaxError') on bad input. */
export function parseStatement(text: string): Statement {
  const statement = new StatementParser(text).parseStatement();
  checkTreeDepth(statement);
  return statement;
}

class StatementParser extends ClauseParser {
  parseStatement(): Statement {
    const mode = this.acceptKeyword('EXPLAIN') ? 'explain'
      : this.acceptKeyword('PROFILE') ? 'profile' : 'run';
    const body = this.parseBody();
    this.acceptPunct(';');
    if (this.peek().kind !== 'eof') throw this.unexpected(["';'", 'end of input']);
    return { text: this.text, mode, body };
  }

  private parseBody(): StatementBody {
    if (this.isKeyword('CREATE') && this.isSchemaCreate()) return this.parseSchemaCreate();
    if (this.isKeyword('DROP')) return this.parseDrop();
    if (this.isKeyword('SHOW')) return this.parseShow();
    return { kind: 'query', query: this.parseQuery() };
  }

  private isSchemaCreate(): boolean {
    if (this.isKeyword('INDEX', 1) || this.isKeyword('CONSTRAINT', 1)) return true;
    const kind = this.peek(1);
    return kind.kind === 'ident' && INDEX_KINDS.includes(kind.text.toUpperCase()) &&
      this.isKeyword('INDEX', 2);
  }

  private parseSchemaCreate(): SchemaCommand {
    this.advance();
    if (this.acceptKeyword('CONSTRAINT')) return this.parseCreateConstraint();
    let indexKind: 'RANGE' | 'TEXT' = 'RANGE';
    const kindToken = this.peek();
    if (!this.isKeyword('INDEX')) {
      const word = this.advance().text.toUpperCase();
      if (word === 'TEXT') indexKind = 'TEXT';
      else if (word !== 'RANGE' && word !== 'BTREE') {
        throw this.errorAt(kindToken.offset, `${word} indexes are not supported`);
      }
    }
    this.expectKeyword('INDEX');
    const { name, ifNotExists } = this.parseSchemaName();
    if (this.acceptKeyword('ON')) {
      // Neo4j 3.x form: CREATE INDEX ON :Label(prop, ...)
      this.expectPunct(':');
      const labelOrType = this.name('a label');
      this.expectPunct('(');
      const properties = [this.name('a property key')];
      while (this.acceptPunct(',')) properties.push(this.name('a property key'));
      this.expectPunct(')');
      const target: IndexTarget = { entity: 'NODE', variable: '', labelOrType, properties };
      return { kind: 'createIndex', name, indexKind, ifNotExists, target };
    }
    this.expectKeyword('FOR');
    const target = this.parseSchemaTarget();
    this.expectKeyword('ON');
    target.properties = this.parsePropertyList(target.variable);
    this.skipOptions();
    return { kind: 'createIndex', name, indexKind, ifNotExists, target };
  }

  private parseSchemaName(): { name: string | null; ifNotExists: boolean } {
    let name: string | null = null;
    if (this.isName() && !this.isKeyword('FOR') && !this.isKeyword('ON') &&
      !(this.isKeyword('IF') && this.isKeyword('NOT', 1))) {
      name = this.name();
    }
    const ifNotExists = this.acceptKeywords('IF', 'NOT', 'EXISTS');
    return { name, ifNotExists };
  }

  /** `(n:Label)` or `()-[r:TYPE]-()` (any arrow direction). */
  private parseSchemaTarget(): IndexTarget {
    if (this.isPunct('(') && this.isPunct(')', 1)) {
      this.pos += 2;
      this.acceptPunct('<');
      this.expectPunct('-');
      this.expectPunct('[');
      const variable = this.name('a variable');
      this.expectPunct(':');
      const labelOrType = this.name('a relationship type');
      this.expectPunct(']');
      this.expectPunct('-');
      this.acceptPunct('>');
      this.expectPunct('(');
      this.expectPunct(')');
      return { entity: 'RELATIONSHIP', variable, labelOrType, properties: [] };
    }
    this.expectPunct('(');
    const variable = this.name('a variable');
    this.expectPunct(':');
    const labelOrType = this.name('a label');
    this.expectPunct(')');
    return { entity: 'NODE', variable, labelOrType, properties: [] };
  }

  /** `(n.a, n.b)` or `n.a`; every property must be on the pattern's variable. */
  private parsePropertyList(variable: string): string[] {
    const parenthesised = this.acceptPunct('(');
    const properties: string[] = [];
    do {
      const token = this.peek();
      const owner = this.name('a variable');
      if (owner !== variable) {
        throw this.errorAt(token.offset, `Variable \`${owner}\` not defined`);
      }
      this.expectPunct('.');
      properties.push(this.name('a property key'));
    } while (this.acceptPunct(','));
    if (parenthesised) this.expectPunct(')');
    return properties;
  }

  private skipOptions(): void {
    if (this.acceptKeyword('OPTIONS')) this.parseMapLiteral();
  }

  private parseCreateConstraint(): SchemaCommand {
    const { name, ifNotExists } = this.parseSchemaName();
    if (!this.acceptKeyword('FOR')) this.expectKeyword('ON');
    const target = this.parseSchemaTarget();
    if (!this.acceptKeyword('REQUIRE')) this.expectKeyword('ASSERT');
    target.properties = this.parsePropertyList(target.variable);
    const requirement = this.parseRequirement(target.entity);
    this.skipOptions();
    return { kind: 'createConstraint', name, ifNotExists, target, requirement };
  }

  private parseRequirement(entity: IndexTarget['entity']): ConstraintRequirement {
    this.expectKeyword('IS');
    if (this.acceptKeyword('UNIQUE')) return 'UNIQUE';
    if (this.acceptKeywords('NOT', 'NULL')) return 'NOT_NULL';
    if (this.acceptKeyword('NODE')) {
      this.expectKeyword('KEY');
      return 'NODE_KEY';
    }
    if (this.acceptKeyword('RELATIONSHIP') || this.acceptKeyword('REL')) {
      this.expectKeyword('KEY');
      return 'REL_KEY';
    }
    if (this.acceptKeyword('KEY')) return entity === 'NODE' ? 'NODE_KEY' : 'REL_KEY';
    throw this.unexpected(["'UNIQUE'", "'NOT NULL'", "'NODE KEY'"]);
  }

  private parseDrop(): SchemaCommand {
    this.advance();
    const isIndex = this.acceptKeyword('INDEX');
    if (!isIndex) this.expectKeyword('CONSTRAINT');
    const name = this.name(isIndex ? 'an index name' : 'a constraint name');
    const ifExists = this.acceptKeywords('IF', 'EXISTS');
    return isIndex ? { kind: 'dropIndex', name, ifExists }
      : { kind: 'dropConstraint', name, ifExists };
  }

  private parseShow(): ShowCommand {
    this.advance();
    // Qualifiers such as ALL, RANGE, UNIQUE, BUILT IN, USER DEFINED do not narrow our output.
    let what: ShowWhat | undefined;
    for (let skipped = 0; skipped < 4 && what === undefined; skipped++) {
      const word = this.name('INDEXES, CONSTRAINTS, PROCEDURES or FUNCTIONS').toUpperCase();
      what = SHOW_WHAT[word];
    }
    if (what === undefined) throw this.unexpected(["'INDEXES'", "'CONSTRAINTS'", "'PROCEDURES'"]);
    const { yields, yieldStar, where: yieldWhere } = this.parseYield();
    const where = yieldWhere ?? (this.acceptKeyword('WHERE') ? this.parseExpression() : null);
    const rest = this.isKeyword('RETURN') || this.isKeyword('WITH')
      ? this.parseQuery() : null;
    const restClauses = rest === null ? [] : rest.kind === 'single' ? rest.clauses : null;
    if (restClauses === null) throw this.errorAt(this.peek().offset, 'UNION is not allowed here');
    return { kind: 'show', what, yields, yieldStar, where, rest: restClauses };
  }
}

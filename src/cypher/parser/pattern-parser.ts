/**
 * Graph patterns: `p = (a:A|B {k: 1})-[r:T*1..3]->(b WHERE b.x > 1)`, quantified relationships
 * (`-[:T]->{1,3}`, `-->+`), quantified path patterns (`(a) ((x)-->(y)){2} (b)`), label
 * expressions and shortestPath / allShortestPaths.
 */
import type {
  LabelExpr, NodePattern, PathPattern, PatternStep, QuantifiedPattern, RelDirection, RelPattern,
  VarLength,
} from '../ast.js';
import { ExpressionParser } from './expression-parser.js';

/**
 * Steps one path pattern may have. A match walks a path one step deeper on the JS stack per
 * relationship, and overflows it between 2,000 and 3,000; a path that long is only ever written
 * by a program, which can split it.
 */
export const pathStepsMax = 1000;

export abstract class PatternParser extends ExpressionParser {
  parsePatternList(): PathPattern[] {
    const patterns = [this.parsePathPattern()];
    while (this.acceptPunct(',')) patterns.push(this.parsePathPattern());
    return patterns;
  }

  protected parsePathPattern(): PathPattern {
    const offset = this.peek().offset;
    let variable: string | null = null;
    if (this.isName() && this.isPunct('=', 1)) {
      variable = this.name();
      this.advance();
    }
    const shortest = this.isKeyword('SHORTESTPATH') ? 'single'
      : this.isKeyword('ALLSHORTESTPATHS') ? 'all' : null;
    if (shortest !== null) {
      this.advance();
      this.expectPunct('(');
      const inner = this.parseChain(offset, variable);
      this.expectPunct(')');
      return { ...inner, shortest };
    }
    return this.parseChain(offset, variable);
  }

  private parseChain(offset: number, variable: string | null): PathPattern {
    return this.nested(() => {
      const start = this.parseNodePattern();
      const steps: PatternStep[] = [];
      for (;;) {
        const atRel = this.isPunct('-') || (this.isPunct('<') && this.isPunct('-', 1));
        if (!atRel && !(this.isPunct('(') && this.isPunct('(', 1))) {
          return { offset, variable, shortest: null, start, steps };
        }
        if (steps.length === pathStepsMax) {
          throw this.errorAt(this.peek().offset,
            `Pattern too long (more than ${pathStepsMax} relationships in one path)`);
        }
        if (atRel) {
          steps.push({ kind: 'rel', rel: this.parseRelPattern(), node: this.parseNodePattern() });
        } else {
          const group = this.parseQuantifiedGroup();
          steps.push({ kind: 'quantified', group, node: this.parseNodePattern() });
        }
      }
    });
  }

  private parseQuantifiedGroup(): QuantifiedPattern {
    const offset = this.advance().offset;
    const inner = this.parseChain(this.peek().offset, null);
    if (inner.steps.length === 0) throw this.unexpected(["'-'"]);
    this.expectPunct(')');
    const quantifier = this.parseQuantifier();
    if (quantifier === null) throw this.unexpected(["'{'", "'+'", "'*'"]);
    return { offset, inner, min: quantifier.min ?? 0, max: quantifier.max };
  }

  /** `{m,n}`, `{m,}`, `{,n}`, `{n}`, `+`, `*` after a group or a relationship. */
  private parseQuantifier(): VarLength | null {
    if (this.acceptPunct('+')) return { min: 1, max: null };
    if (this.acceptPunct('*')) return { min: 0, max: null };
    if (!this.isPunct('{') || !(this.peek(1).kind === 'int' || this.isPunct(',', 1))) return null;
    this.advance();
    const min = this.peek().kind === 'int' ? this.smallInt() : 0;
    let max: number | null = min;
    if (this.acceptPunct(',')) max = this.peek().kind === 'int' ? this.smallInt() : null;
    this.expectPunct('}');
    return { min, max };
  }

  private smallInt(): number {
    const token = this.advance();
    const value = Number(token.text.replace(/_/g, ''));
    if (!Number.isSafeInteger(value)) throw this.errorAt(token.offset, 'integer is too large');
    return value;
  }

  protected parseNodePattern(): NodePattern {
    const offset = this.peek().offset;
    this.expectPunct('(');
    const variable = this.isName() && !this.isKeyword('WHERE') ? this.name() : null;
    const labels = this.acceptPunct(':') || this.acceptKeyword('IS') ? this.parseLabelExpression()
      : null;
    const properties = this.parseInlineProperties();
    const where = this.acceptKeyword('WHERE') ? this.parseExpression() : null;
    if (!this.isPunct(')')) throw this.unexpected(["')'", "':'", "'{'", "'WHERE'"]);
    this.advance();
    return { offset, variable, labels, properties, where };
  }

  private parseInlineProperties(): NodePattern['properties'] {
    if (this.isPunct('{')) return this.parseMapLiteral();
    const token = this.peek();
    if (token.kind === 'param') {
      this.advance();
      return { kind: 'param', offset: token.offset, name: token.text };
    }
    return null;
  }

  private parseRelPattern(): RelPattern {
    const offset = this.peek().offset;
    const pointsLeft = this.acceptPunct('<');
    this.expectPunct('-');
    let variable: string | null = null;
    let types: string[] = [];
    let length: VarLength | null = null;
    let properties: RelPattern['properties'] = null;
    let where: RelPattern['where'] = null;
    if (this.acceptPunct('[')) {
      variable = this.isName() && !this.isKeyword('WHERE') ? this.name() : null;
      if (this.acceptPunct(':') || this.acceptKeyword('IS')) types = this.parseRelTypes();
      if (this.acceptPunct('*')) length = this.parseRange();
      properties = this.parseInlineProperties();
      where = this.acceptKeyword('WHERE') ? this.parseExpression() : null;
      this.expectPunct(']');
    }
    this.expectPunct('-');
    const pointsRight = this.acceptPunct('>');
    const quantifier = this.parseQuantifier();
    if (quantifier !== null) {
      if (length !== null) throw this.errorAt(offset, 'A relationship cannot be quantified twice');
      length = quantifier;
    }
    const direction: RelDirection = pointsLeft === pointsRight ? 'both' : pointsLeft ? 'in' : 'out';
    return { offset, variable, types, direction, properties, length, where };
  }

  private parseRelTypes(): string[] {
    const types = [this.name('a relationship type')];
    while (this.acceptPunct('|')) {
      this.acceptPunct(':');
      types.push(this.name('a relationship type'));
    }
    return types;
  }

  /** After `*`: nothing, `n`, `n..`, `..m`, `n..m`. */
  private parseRange(): VarLength {
    const min = this.peek().kind === 'int' ? this.smallInt() : null;
    if (!this.acceptPunct('..')) return min === null ? { min: null, max: null } : { min, max: min };
    const max = this.peek().kind === 'int' ? this.smallInt() : null;
    return { min, max };
  }

  /** `A`, `A:B`, `A&B`, `A|B`, `!A`, `%`, parenthesised; `:` binds like `&`. */
  protected parseLabelExpression(): LabelExpr {
    return this.nested(() => {
      const items = [this.parseLabelConjunction()];
      while (this.isPunct('|')) {
        this.advance();
        this.acceptPunct(':');
        items.push(this.parseLabelConjunction());
      }
      return items.length === 1 && items[0] !== undefined ? items[0] : { kind: 'or', items };
    });
  }

  private parseLabelConjunction(): LabelExpr {
    const items = [this.parseLabelAtom()];
    while (this.acceptPunct('&') || this.acceptPunct(':')) items.push(this.parseLabelAtom());
    return items.length === 1 && items[0] !== undefined ? items[0] : { kind: 'and', items };
  }

  private parseLabelAtom(): LabelExpr {
    if (this.acceptPunct('!')) return { kind: 'not', item: this.parseLabelAtom() };
    if (this.acceptPunct('%')) return { kind: 'wildcard' };
    if (this.acceptPunct('(')) {
      const inner = this.parseLabelExpression();
      this.expectPunct(')');
      return inner;
    }
    return { kind: 'label', name: this.name('a label') };
  }
}

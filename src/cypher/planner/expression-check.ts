/**
 * Semantic checks of one expression against the variables in scope: undefined variables,
 * unknown functions, aggregation where it is not allowed or nested, and the operand and
 * argument types that are known before running. Errors carry the position in the same format
 * as syntax errors.
 */
import { QuiverError } from '../../errors/quiver-error.js';
import type { StatusCodeName } from '../../errors/status-codes.js';
import type { Expr, PathPattern, Query } from '../ast.js';
import { childExpressions } from '../expr-walk.js';
import { lookupAggregate, lookupFunction } from '../functions/registry.js';
import { describeAt } from '../syntax-error.js';
import { argumentTypeMismatch } from './argument-types.js';
import { inferType, mayBe, staticTypeName, type ReadonlyScope, type Scope, type StaticType } from
  './static-types.js';

export interface CheckContext {
  readonly text: string;
  /** Plans a nested query (EXISTS/COUNT/COLLECT) in the given scope; supplied by the planner. */
  readonly checkSubquery: (query: Query, scope: ReadonlyScope) => void;
}

export function semanticError(ctx: CheckContext, offset: number, message: string,
  code: StatusCodeName = 'SemanticError'): QuiverError {
  return new QuiverError(code, describeAt(ctx.text, offset, message));
}

export function isAggregateCall(expr: Expr): boolean {
  if (expr.kind === 'countStar') return true;
  return expr.kind === 'call' && lookupAggregate(expr.name) !== undefined &&
    lookupFunction(expr.name) === undefined;
}

export function containsAggregate(expr: Expr): boolean {
  return isAggregateCall(expr) || childExpressions(expr).some(containsAggregate);
}

export function typeMismatch(ctx: CheckContext, offset: number, expected: string,
  actual: StaticType, code: StatusCodeName = 'SyntaxError'): QuiverError {
  return semanticError(ctx, offset,
    `Type mismatch: expected ${expected} but was ${staticTypeName(actual)}`, code);
}

/** Fails unless `expr` may be one of `allowed` at run time. */
export function expectType(expr: Expr, scope: ReadonlyScope, ctx: CheckContext,
  allowed: readonly StaticType[]): void {
  const actual = inferType(expr, scope);
  if (!mayBe(actual, allowed)) {
    throw typeMismatch(ctx, expr.offset, allowed.map(staticTypeName).join(' or '), actual);
  }
}

/** What a property may be read from; the temporal and spatial types are 'any' statically. */
const PROPERTY_HOLDERS: readonly StaticType[] = ['map', 'node', 'relationship'];
const PROPERTY_HOLDER_NAMES = 'Map, Node, Relationship, Point, Duration, Date, Time, ' +
  'LocalTime, LocalDateTime or DateTime';

/** Operand types of the boolean operators, which Neo4j checks before running. */
function checkOperandTypes(expr: Expr, scope: ReadonlyScope, ctx: CheckContext): void {
  if (expr.kind === 'not') expectType(expr.operand, scope, ctx, ['boolean']);
  if (expr.kind === 'binary' && (expr.op === 'AND' || expr.op === 'OR' || expr.op === 'XOR')) {
    expectType(expr.left, scope, ctx, ['boolean']);
    expectType(expr.right, scope, ctx, ['boolean']);
  }
  if (expr.kind === 'prop') {
    const actual = inferType(expr.target, scope);
    // As the TCK has it: reading a property of a path is a syntax error, of a value a type error.
    if (!mayBe(actual, PROPERTY_HOLDERS)) {
      throw typeMismatch(ctx, expr.target.offset, PROPERTY_HOLDER_NAMES, actual,
        actual === 'path' ? 'SyntaxError' : 'TypeError');
    }
  }
}

export function checkExpression(expr: Expr, scope: ReadonlyScope, ctx: CheckContext,
  aggregatesAllowed = false): void {
  checkOperandTypes(expr, scope, ctx);
  switch (expr.kind) {
    case 'var':
      if (!scope.has(expr.name)) {
        throw semanticError(ctx, expr.offset, `Variable \`${expr.name}\` not defined`);
      }
      return;
    case 'countStar':
      if (!aggregatesAllowed) throw invalidAggregate(ctx, expr.offset, 'count(*)');
      return;
    case 'call':
      checkCall(expr, scope, ctx, aggregatesAllowed);
      return;
    case 'listComp': case 'quantified': {
      checkExpression(expr.source, scope, ctx, aggregatesAllowed);
      const inner = new Map(scope).set(expr.variable, 'any');
      for (const e of childExpressions(expr).slice(1)) checkExpression(e, inner, ctx);
      return;
    }
    case 'reduce': {
      checkExpression(expr.init, scope, ctx, aggregatesAllowed);
      checkExpression(expr.source, scope, ctx, aggregatesAllowed);
      checkExpression(expr.body,
        new Map(scope).set(expr.accumulator, 'any').set(expr.variable, 'any'), ctx);
      return;
    }
    case 'patternComp': case 'pattern': {
      const inner = checkPattern(expr.pattern, scope, ctx);
      for (const e of childExpressions(expr)) checkExpression(e, inner, ctx);
      return;
    }
    case 'shortestPath':
      checkPattern(expr.pattern, scope, ctx);
      return;
    case 'subquery':
      ctx.checkSubquery(expr.query, scope);
      return;
    case 'mapProjection':
      if (!scope.has(expr.target)) {
        throw semanticError(ctx, expr.offset, `Variable \`${expr.target}\` not defined`);
      }
      for (const item of expr.items) {
        if (item.kind === 'variable' && !scope.has(item.name)) {
          throw semanticError(ctx, expr.offset, `Variable \`${item.name}\` not defined`);
        }
      }
      break;
    default:
      break;
  }
  for (const child of childExpressions(expr)) checkExpression(child, scope, ctx, aggregatesAllowed);
}

function invalidAggregate(ctx: CheckContext, offset: number, name: string): QuiverError {
  return semanticError(ctx, offset, `Invalid use of aggregating function ${name} in this context`);
}

function containsRandom(expr: Expr): boolean {
  if (expr.kind === 'call' && (expr.name === 'rand' || expr.name === 'randomuuid')) return true;
  return childExpressions(expr).some(containsRandom);
}

function checkCall(expr: Extract<Expr, { kind: 'call' }>, scope: ReadonlyScope,
  ctx: CheckContext, aggregatesAllowed: boolean): void {
  if (isAggregateCall(expr)) {
    if (!aggregatesAllowed) throw invalidAggregate(ctx, expr.offset, `${expr.displayName}(...)`);
    for (const arg of expr.args) {
      if (containsAggregate(arg)) {
        throw semanticError(ctx, arg.offset,
          "Can't use aggregate functions inside of aggregate functions.");
      }
      if (containsRandom(arg)) {
        throw semanticError(ctx, arg.offset, "Can't use non-deterministic (random) functions " +
          'inside of aggregate functions.', 'SyntaxError');
      }
      checkExpression(arg, scope, ctx);
    }
    return;
  }
  if (lookupFunction(expr.name) === undefined && expr.name !== 'exists') {
    throw semanticError(ctx, expr.offset, `Unknown function '${expr.displayName}'`,
      'UnknownFunction');
  }
  if (expr.distinct) {
    throw semanticError(ctx, expr.offset,
      `Invalid use of DISTINCT with function '${expr.displayName}'`);
  }
  for (const arg of expr.args) checkExpression(arg, scope, ctx, aggregatesAllowed);
  const mismatch = argumentTypeMismatch(expr, scope);
  if (mismatch !== null) throw semanticError(ctx, expr.offset, mismatch, 'SyntaxError');
}

/** Checks a pattern's inner expressions; returns the scope extended by its variables. */
export function checkPattern(pattern: PathPattern, scope: ReadonlyScope,
  ctx: CheckContext): Scope {
  const inner = new Map(scope);
  const nodes = [pattern.start, ...pattern.steps.map((s) => s.node)];
  const bind = (name: string | null, type: StaticType): void => {
    if (name !== null && !inner.has(name)) inner.set(name, type);
  };
  for (const node of nodes) bind(node.variable, 'node');
  for (const step of pattern.steps) {
    if (step.kind === 'rel') bind(step.rel.variable, step.rel.length === null ? 'relationship'
      : 'list');
  }
  bind(pattern.variable, 'path');
  checkPatternExpressions(pattern, inner, ctx);
  return inner;
}

/**
 * The property maps and WHERE predicates of a pattern's nodes and relationships, in a scope
 * that already holds the pattern's own variables. A clause's patterns are checked in the
 * clause's scope itself: a copy per pattern would make a CREATE of thousands of parts
 * quadratic in their number.
 */
export function checkPatternExpressions(pattern: PathPattern, scope: ReadonlyScope,
  ctx: CheckContext): void {
  for (const node of [pattern.start, ...pattern.steps.map((s) => s.node)]) {
    if (node.properties !== null) checkExpression(node.properties, scope, ctx);
    if (node.where !== null) checkExpression(node.where, scope, ctx);
  }
  for (const step of pattern.steps) {
    if (step.kind !== 'rel') continue;
    if (step.rel.properties !== null) checkExpression(step.rel.properties, scope, ctx);
    if (step.rel.where !== null) checkExpression(step.rel.where, scope, ctx);
  }
}

/**
 * Semantic checks of one expression against the variables in scope: undefined variables,
 * unknown functions, aggregation where it is not allowed or nested. Errors carry the position
 * in the same format as syntax errors.
 */
import { QuiverError } from '../../errors/quiver-error.js';
import type { StatusCodeName } from '../../errors/status-codes.js';
import type { Expr, PathPattern, Query } from '../ast.js';
import { childExpressions } from '../expr-walk.js';
import { lookupAggregate, lookupFunction } from '../functions/registry.js';
import { describeAt } from '../syntax-error.js';

export interface CheckContext {
  readonly text: string;
  /** Plans a nested query (EXISTS/COUNT/COLLECT) in the given scope; supplied by the planner. */
  readonly checkSubquery: (query: Query, scope: ReadonlySet<string>) => void;
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

export function checkExpression(expr: Expr, scope: ReadonlySet<string>, ctx: CheckContext,
  aggregatesAllowed = false): void {
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
      const inner = new Set(scope).add(expr.variable);
      for (const e of childExpressions(expr).slice(1)) checkExpression(e, inner, ctx);
      return;
    }
    case 'reduce': {
      checkExpression(expr.init, scope, ctx, aggregatesAllowed);
      checkExpression(expr.source, scope, ctx, aggregatesAllowed);
      checkExpression(expr.body, new Set(scope).add(expr.accumulator).add(expr.variable), ctx);
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

function checkCall(expr: Extract<Expr, { kind: 'call' }>, scope: ReadonlySet<string>,
  ctx: CheckContext, aggregatesAllowed: boolean): void {
  if (isAggregateCall(expr)) {
    if (!aggregatesAllowed) throw invalidAggregate(ctx, expr.offset, `${expr.displayName}(...)`);
    for (const arg of expr.args) {
      if (containsAggregate(arg)) {
        throw semanticError(ctx, arg.offset,
          "Can't use aggregate functions inside of aggregate functions.");
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
}

/** Checks a pattern's inner expressions; returns the scope extended by its variables. */
export function checkPattern(pattern: PathPattern, scope: ReadonlySet<string>,
  ctx: CheckContext): Set<string> {
  const inner = new Set(scope);
  const nodes = [pattern.start, ...pattern.steps.map((s) => s.node)];
  for (const node of nodes) if (node.variable !== null) inner.add(node.variable);
  for (const step of pattern.steps) {
    if (step.kind === 'rel' && step.rel.variable !== null) inner.add(step.rel.variable);
  }
  if (pattern.variable !== null) inner.add(pattern.variable);
  for (const node of nodes) {
    if (node.properties !== null) checkExpression(node.properties, inner, ctx);
    if (node.where !== null) checkExpression(node.where, inner, ctx);
  }
  for (const step of pattern.steps) {
    if (step.kind !== 'rel') continue;
    if (step.rel.properties !== null) checkExpression(step.rel.properties, inner, ctx);
    if (step.rel.where !== null) checkExpression(step.rel.where, inner, ctx);
  }
  return inner;
}

/**
 * Neo4j's compile-time rules around aggregation in WITH and RETURN: the non-aggregated parts
 * of an aggregating item may only use grouping keys (else the grouping would be ambiguous),
 * ORDER BY after an aggregation sees only the projected columns, and SKIP / LIMIT take a
 * constant non-negative integer.
 */
import type { Expr, Projection } from '../ast.js';
import { childExpressions, mapChildren, sameExpression } from '../expr-walk.js';
import {
  checkExpression, containsAggregate, isAggregateCall, semanticError, type CheckContext,
} from './expression-check.js';
import type { ReadonlyScope } from './static-types.js';

interface GroupingKeys {
  exprs: Expr[];
  variables: Set<string>;
}

/** Fails when an aggregating item reads a variable that is not a grouping key. */
export function checkAggregationKeys(projection: Projection, visible: readonly string[],
  scope: ReadonlyScope, ctx: CheckContext): void {
  const exprs = projection.items.filter((i) => !containsAggregate(i.expr)).map((i) => i.expr);
  const variables = new Set(projection.star ? visible : []);
  for (const e of exprs) if (e.kind === 'var') variables.add(e.name);
  const keys: GroupingKeys = { exprs, variables };
  for (const item of projection.items) {
    if (containsAggregate(item.expr)) checkImplicitKeys(item.expr, keys, scope, ctx);
  }
}

function checkImplicitKeys(expr: Expr, keys: GroupingKeys, scope: ReadonlyScope,
  ctx: CheckContext): void {
  if (isAggregateCall(expr)) return;
  if ((expr.kind === 'var' || expr.kind === 'prop') &&
    keys.exprs.some((k) => sameExpression(k, expr))) return;
  if (expr.kind === 'var') {
    if (scope.has(expr.name) && !keys.variables.has(expr.name)) {
      throw semanticError(ctx, expr.offset, `Aggregation expression reads \`${expr.name}\` ` +
        'outside its aggregate functions, but it is not a grouping key, which makes the ' +
        'grouping ambiguous; project it in a preceding WITH (AmbiguousAggregationExpression)');
    }
    return;
  }
  for (const child of childExpressions(expr)) checkImplicitKeys(child, keys, scope, ctx);
}

/**
 * Rewrites an ORDER BY item of an aggregating projection in terms of the projected columns
 * and checks what is left: aggregates over old variables that were not projected are errors.
 */
export function checkSortAfterAggregation(sort: Expr, projection: Projection,
  scope: ReadonlyScope, projected: ReadonlyScope, ctx: CheckContext): Expr {
  const rewritten = useProjectedColumns(sort, projection, true);
  const aggregates: Expr[] = [];
  checkExpression(withoutAggregates(rewritten, aggregates), projected, ctx);
  for (const aggregate of aggregates) {
    checkExpression(aggregate, scope, ctx, true);
    for (const name of variablesIn(aggregate, scope)) {
      if (!projected.has(name)) {
        throw semanticError(ctx, aggregate.offset, `Variable \`${name}\` not defined: after ` +
          'an aggregation, ORDER BY sees only the projected columns');
      }
    }
  }
  return rewritten;
}

/** Whole items, aggregates and property reads that a projection computed become its columns. */
function useProjectedColumns(expr: Expr, projection: Projection, whole: boolean): Expr {
  if (whole || expr.kind === 'var' || expr.kind === 'prop' || isAggregateCall(expr)) {
    const same = projection.items.find((i) => sameExpression(i.expr, expr));
    if (same !== undefined) return { kind: 'var', offset: expr.offset, name: same.name };
  }
  return mapChildren(expr, (child) => useProjectedColumns(child, projection, false));
}

function withoutAggregates(expr: Expr, aggregates: Expr[]): Expr {
  if (isAggregateCall(expr)) {
    aggregates.push(expr);
    return { kind: 'literal', offset: expr.offset, value: null };
  }
  return mapChildren(expr, (child) => withoutAggregates(child, aggregates));
}

function variablesIn(expr: Expr, scope: ReadonlyScope, out = new Set<string>()): Set<string> {
  if (expr.kind === 'var' && scope.has(expr.name)) out.add(expr.name);
  for (const child of childExpressions(expr)) variablesIn(child, scope, out);
  return out;
}

function isNegativeOrFloat(expr: Expr): string | null {
  if (expr.kind === 'negate' && expr.operand.kind === 'literal') {
    const v = expr.operand.value;
    return typeof v === 'bigint' || typeof v === 'number' ? `-${String(v)}` : null;
  }
  if (expr.kind !== 'literal') return null;
  const v = expr.value;
  if (typeof v === 'bigint') return v < 0n ? String(v) : null;
  return typeof v === 'number' ? String(v) : null;
}

/** SKIP and LIMIT: a constant expression; a literal must be a non-negative integer. */
export function checkCount(expr: Expr, what: 'SKIP' | 'LIMIT', ctx: CheckContext): Expr {
  checkExpression(expr, new Map(), ctx);
  const shown = isNegativeOrFloat(expr);
  if (shown !== null) {
    throw semanticError(ctx, expr.offset, `Invalid input. '${shown}' is not a valid value. ` +
      `Must be a non-negative integer. (${what})`, 'SyntaxError');
  }
  return expr;
}

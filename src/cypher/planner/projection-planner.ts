/**
 * Plans WITH and RETURN: projection or aggregation, DISTINCT, ORDER BY, SKIP, LIMIT, and the
 * WHERE of a WITH. Aggregate calls are lifted out of the item expressions into hidden columns
 * that the aggregation fills; what remains is evaluated per group.
 */
import type { Expr, FunctionCall, Projection } from '../ast.js';
import { mapChildren, sameExpression } from '../expr-walk.js';
import { AggregateOp } from '../exec/operators/aggregation.js';
import {
  DistinctOp, LimitOp, ProjectOp, SkipOp, SortOp,
  type AggregateSpec, type ProjectItem, type SortKey,
} from '../exec/operators/projection.js';
import type { Operator } from '../exec/operators/operator.js';
import { FilterOp } from '../exec/operators/read.js';
import { HIDDEN_PREFIX, isHidden } from '../exec/state.js';
import { checkAggregationKeys, checkCount, checkSortAfterAggregation } from
  './aggregation-check.js';
import {
  checkExpression, containsAggregate, isAggregateCall, semanticError, type CheckContext,
} from './expression-check.js';
import { inferType, type ReadonlyScope, type Scope } from './static-types.js';

export interface ProjectionClause {
  source: Operator;
  projection: Projection;
  /** The WHERE of a WITH; always null for RETURN. */
  where: Expr | null;
  scope: ReadonlyScope;
  clause: 'WITH' | 'RETURN';
  offset: number;
  /**
   * The input updates the graph: LIMIT must still pull every row for its side effects, and an
   * aggregation evaluates its keys on every row (an entity may change between two of its rows).
   */
  drainAfterLimit: boolean;
}

export interface PlannedProjection {
  op: Operator;
  scope: Scope;
  fields: string[];
}

let hiddenCounter = 0;

function hidden(kind: string): string {
  hiddenCounter = (hiddenCounter + 1) % Number.MAX_SAFE_INTEGER;
  return `${HIDDEN_PREFIX}${kind}${hiddenCounter}`;
}

function liftAggregates(expr: Expr, aggregates: AggregateSpec[]): Expr {
  if (isAggregateCall(expr)) {
    const name = hidden('agg');
    aggregates.push({ name, call: expr.kind === 'call' ? (expr as FunctionCall) : null });
    return { kind: 'var', offset: expr.offset, name };
  }
  return mapChildren(expr, (child) => liftAggregates(child, aggregates));
}

/** The columns a projection produces, with their static types, after checking its items. */
function projectedScope(p: ProjectionClause, ctx: CheckContext, visible: string[]): Scope {
  const { projection, scope, clause } = p;
  const out: Scope = new Map();
  if (projection.star) for (const name of visible) out.set(name, scope.get(name) ?? 'any');
  for (const item of projection.items) {
    checkExpression(item.expr, scope, ctx, true);
    if (clause === 'WITH' && !item.aliased && item.expr.kind !== 'var') {
      throw semanticError(ctx, item.expr.offset, 'Expression in WITH must be aliased (use AS)');
    }
    if (out.has(item.name) && !(projection.star && item.expr.kind === 'var' &&
      item.expr.name === item.name)) {
      throw semanticError(ctx, item.expr.offset,
        'Multiple result columns with the same name are not supported');
    }
    out.set(item.name, inferType(item.expr, scope));
  }
  return out;
}

export function planProjection(p: ProjectionClause, ctx: CheckContext): PlannedProjection {
  const { projection, scope } = p;
  const visible = [...scope.keys()].filter((name) => !isHidden(name)).sort();
  if (p.clause === 'RETURN' && projection.star && visible.length === 0) {
    throw semanticError(ctx, p.offset,
      'RETURN * is not allowed when there are no variables in scope');
  }
  const newScope = projectedScope(p, ctx, visible);
  const fields = [...newScope.keys()];
  const aggregating = projection.items.some((i) => containsAggregate(i.expr));
  if (aggregating) checkAggregationKeys(projection, visible, scope, ctx);
  const aggregates: AggregateSpec[] = [];
  const sortKeys: SortKey[] = projection.orderBy.map((sort) => {
    const expr = aggregating ? checkSortAfterAggregation(sort.expr, projection, scope, newScope,
      ctx) : sortExpression(sort.expr, p, newScope, ctx);
    return { name: hidden('sort'), expr: liftAggregates(expr, aggregates),
      descending: sort.descending };
  });
  // A WITH's WHERE may read variables of before the WITH too (when they still exist per row).
  const computed = [...sortKeys];
  let filter: Expr | null = null;
  if (p.where !== null && !aggregating) {
    checkExpression(p.where, new Map([...scope, ...newScope]), ctx);
    const name = hidden('where');
    computed.push({ name, expr: p.where, descending: false });
    filter = { kind: 'var', offset: p.where.offset, name };
  } else if (p.where !== null) {
    checkExpression(p.where, newScope, ctx);
    filter = p.where;
  }
  let op = aggregating
    ? aggregationOp(p, visible, aggregates, sortKeys)
    : new ProjectOp(p.source, projection.items.map((i) => ({ name: i.name, expr: i.expr })),
      projection.star, computed);
  // WHERE filters what SKIP and LIMIT leave; without them it goes first, before DISTINCT
  // keeps one row of each group (the WHERE may read variables the DISTINCT does not see).
  const filterFirst = projection.skip === null && projection.limit === null;
  if (filter !== null && filterFirst) op = new FilterOp(op, filter);
  if (projection.distinct) op = new DistinctOp(op, fields);
  if (sortKeys.length > 0) op = new SortOp(op, sortKeys);
  if (projection.skip !== null) op = new SkipOp(op, checkCount(projection.skip, 'SKIP', ctx));
  if (projection.limit !== null) {
    op = new LimitOp(op, checkCount(projection.limit, 'LIMIT', ctx), p.drainAfterLimit);
  }
  if (filter !== null && !filterFirst) op = new FilterOp(op, filter);
  return { op, scope: newScope, fields };
}

/** ORDER BY of a projection without aggregation: no aggregates, sees old names unless DISTINCT. */
function sortExpression(sort: Expr, p: ProjectionClause, newScope: Scope,
  ctx: CheckContext): Expr {
  const same = p.projection.items.find((i) => sameExpression(i.expr, sort));
  const expr: Expr = same !== undefined ? { kind: 'var', offset: sort.offset, name: same.name }
    : sort;
  const sortScope = p.projection.distinct ? newScope : new Map([...p.scope, ...newScope]);
  checkExpression(expr, sortScope, ctx);
  return expr;
}

function aggregationOp(p: ProjectionClause, visible: string[], aggregates: AggregateSpec[],
  sortKeys: SortKey[]): Operator {
  const projection = p.projection;
  const keys: ProjectItem[] = [];
  if (projection.star) {
    for (const name of visible) keys.push({ name, expr: { kind: 'var', offset: 0, name } });
  }
  const outputs: ProjectItem[] = [];
  for (const item of projection.items) {
    if (containsAggregate(item.expr)) {
      outputs.push({ name: item.name, expr: liftAggregates(item.expr, aggregates) });
    } else {
      keys.push({ name: item.name, expr: item.expr });
    }
  }
  return new AggregateOp(p.source, keys, aggregates, outputs, sortKeys, p.drainAfterLimit);
}

/**
 * Plans WITH and RETURN: projection or aggregation, DISTINCT, ORDER BY, SKIP, LIMIT, and the
 * WHERE of a WITH. Aggregate calls are lifted out of the item expressions into hidden columns
 * that the aggregation fills; what remains is evaluated per group.
 */
import type { Expr, FunctionCall, Projection } from '../ast.js';
import { mapChildren, sameExpression } from '../expr-walk.js';
import {
  AggregateOp, DistinctOp, LimitOp, ProjectOp, SkipOp, SortOp,
  type AggregateSpec, type ProjectItem, type SortKey,
} from '../exec/operators/projection.js';
import type { Operator } from '../exec/operators/operator.js';
import { FilterOp } from '../exec/operators/read.js';
import { HIDDEN_PREFIX, isHidden } from '../exec/state.js';
import {
  checkExpression, containsAggregate, isAggregateCall, semanticError, type CheckContext,
} from './expression-check.js';

export interface PlannedProjection {
  op: Operator;
  scope: Set<string>;
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

export function planProjection(source: Operator, projection: Projection, where: Expr | null,
  scope: ReadonlySet<string>, clause: 'WITH' | 'RETURN', ctx: CheckContext,
  offset: number): PlannedProjection {
  const visible = [...scope].filter((name) => !isHidden(name)).sort();
  if (projection.star && visible.length === 0) {
    throw semanticError(ctx, offset,
      `${clause} * is not allowed when there are no variables in scope`);
  }
  const fields = projection.star ? [...visible] : [];
  for (const item of projection.items) {
    checkExpression(item.expr, scope, ctx, true);
    if (clause === 'WITH' && !item.aliased && item.expr.kind !== 'var') {
      throw semanticError(ctx, item.expr.offset, 'Expression in WITH must be aliased (use AS)');
    }
    if (fields.includes(item.name) && !(projection.star && item.expr.kind === 'var' &&
      item.expr.name === item.name)) {
      throw semanticError(ctx, item.expr.offset,
        'Multiple result columns with the same name are not supported');
    }
    if (!fields.includes(item.name)) fields.push(item.name);
  }
  const newScope = new Set(fields);
  const aggregating = projection.items.some((i) => containsAggregate(i.expr)) ||
    projection.orderBy.some((s) => containsAggregate(s.expr));
  const sortScope = aggregating || projection.distinct ? newScope : new Set([...scope, ...fields]);
  const aggregates: AggregateSpec[] = [];
  const sortKeys: SortKey[] = projection.orderBy.map((sort) => {
    const same = projection.items.find((i) => sameExpression(i.expr, sort.expr));
    const expr: Expr = same !== undefined ? { kind: 'var', offset: sort.expr.offset,
      name: same.name }
      : sort.expr;
    checkExpression(expr, aggregating ? new Set([...sortScope, ...scope]) : sortScope, ctx,
      aggregating);
    return { name: hidden('sort'), expr: liftAggregates(expr, aggregates),
      descending: sort.descending };
  });
  let op = aggregating
    ? aggregationOp(source, projection, visible, aggregates, sortKeys)
    : new ProjectOp(source, projection.items.map((i) => ({ name: i.name, expr: i.expr })),
      projection.star, sortKeys);
  if (projection.distinct) op = new DistinctOp(op, fields);
  if (sortKeys.length > 0) op = new SortOp(op, sortKeys);
  for (const [expr, make] of [[projection.skip, SkipOp], [projection.limit, LimitOp]] as const) {
    if (expr === null) continue;
    checkExpression(expr, new Set(), ctx);
    op = new make(op, expr);
  }
  if (where !== null) {
    checkExpression(where, newScope, ctx);
    op = new FilterOp(op, where);
  }
  return { op, scope: newScope, fields };
}

function aggregationOp(source: Operator, projection: Projection, visible: string[],
  aggregates: AggregateSpec[], sortKeys: SortKey[]): Operator {
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
  return new AggregateOp(source, keys, aggregates, outputs, sortKeys);
}

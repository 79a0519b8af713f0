/**
 * Label expressions (`A&B`, `A|B`, `!A`, `%`) checked against a node's labels or against a
 * relationship's single type.
 */
import type { LabelExpr } from '../ast.js';

/** `hasAny` may be a function: whether any label is present is then asked only for `%`. */
export function labelsMatch(expr: LabelExpr, has: (label: string) => boolean,
  hasAny: boolean | (() => boolean)): boolean {
  switch (expr.kind) {
    case 'label': return has(expr.name);
    case 'and': return expr.items.every((item) => labelsMatch(item, has, hasAny));
    case 'or': return expr.items.some((item) => labelsMatch(item, has, hasAny));
    case 'not': return !labelsMatch(expr.item, has, hasAny);
    case 'wildcard': return typeof hasAny === 'function' ? hasAny() : hasAny;
  }
}

/** The labels a CREATE or MERGE adds: only conjunctions of plain labels make sense there. */
export function plainLabels(expr: LabelExpr | null): string[] | null {
  if (expr === null) return [];
  if (expr.kind === 'label') return [expr.name];
  if (expr.kind !== 'and') return null;
  const labels: string[] = [];
  for (const item of expr.items) {
    const inner = plainLabels(item);
    if (inner === null) return null;
    labels.push(...inner);
  }
  return labels;
}

/** The single label a seek or scan can start from, when the expression requires one. */
export function requiredLabels(expr: LabelExpr | null): string[] {
  if (expr === null) return [];
  if (expr.kind === 'label') return [expr.name];
  if (expr.kind === 'and') return expr.items.flatMap(requiredLabels);
  return [];
}

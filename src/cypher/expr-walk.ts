/**
 * Generic traversal of expression trees: the direct sub-expressions of a node, and a rebuild
 * with each of them replaced. Patterns and subqueries inside expressions are not entered: they
 * have their own scope and are handled by whoever needs them.
 */
import type { Expr } from './ast.js';

export function childExpressions(expr: Expr): Expr[] {
  switch (expr.kind) {
    case 'literal': case 'param': case 'var': case 'countStar': case 'pattern':
    case 'subquery': case 'shortestPath':
      return [];
    case 'prop': return [expr.target];
    case 'index': return [expr.target, expr.index];
    case 'slice': return [expr.target, ...nonNull(expr.from, expr.to)];
    case 'list': return expr.items;
    case 'map': return expr.entries.map(([, v]) => v);
    case 'binary': return [expr.left, expr.right];
    case 'compare': return expr.operands;
    case 'not': case 'negate': case 'isNull': case 'isType': return [expr.operand];
    case 'hasLabels': return [expr.target];
    case 'case':
      return [...nonNull(expr.subject), ...expr.whens.flatMap((w) => [w.when, w.then]),
        ...nonNull(expr.otherwise)];
    case 'call': return expr.args;
    case 'listComp': return [expr.source, ...nonNull(expr.where, expr.map)];
    case 'quantified': return [expr.source, expr.where];
    case 'reduce': return [expr.init, expr.source, expr.body];
    case 'patternComp': return [...nonNull(expr.where), expr.map];
    case 'mapProjection':
      return expr.items.flatMap((item) => (item.kind === 'entry' ? [item.value] : []));
  }
}

function nonNull(...items: (Expr | null)[]): Expr[] {
  return items.filter((e): e is Expr => e !== null);
}

/** Rebuilds `expr` with every direct sub-expression passed through `f`. */
export function mapChildren(expr: Expr, f: (e: Expr) => Expr): Expr {
  const m = (e: Expr | null): Expr | null => (e === null ? null : f(e));
  switch (expr.kind) {
    case 'literal': case 'param': case 'var': case 'countStar': case 'pattern':
    case 'subquery': case 'shortestPath':
      return expr;
    case 'prop': return { ...expr, target: f(expr.target) };
    case 'index': return { ...expr, target: f(expr.target), index: f(expr.index) };
    case 'slice': return { ...expr, target: f(expr.target), from: m(expr.from), to: m(expr.to) };
    case 'list': return { ...expr, items: expr.items.map(f) };
    case 'map': return { ...expr, entries: expr.entries.map(([k, v]) => [k, f(v)]) };
    case 'binary': return { ...expr, left: f(expr.left), right: f(expr.right) };
    case 'compare': return { ...expr, operands: expr.operands.map(f) };
    case 'not': case 'negate': case 'isNull': case 'isType':
      return { ...expr, operand: f(expr.operand) };
    case 'hasLabels': return { ...expr, target: f(expr.target) };
    case 'case':
      return { ...expr, subject: m(expr.subject), otherwise: m(expr.otherwise),
        whens: expr.whens.map((w) => ({ when: f(w.when), then: f(w.then) })) };
    case 'call': return { ...expr, args: expr.args.map(f) };
    case 'listComp': return { ...expr, source: f(expr.source), where: m(expr.where),
      map: m(expr.map) };
    case 'quantified': return { ...expr, source: f(expr.source), where: f(expr.where) };
    case 'reduce': return { ...expr, init: f(expr.init), source: f(expr.source),
      body: f(expr.body) };
    case 'patternComp': return { ...expr, where: m(expr.where), map: f(expr.map) };
    case 'mapProjection':
      return { ...expr, items: expr.items.map((item) =>
        (item.kind === 'entry' ? { ...item, value: f(item.value) } : item)) };
  }
}

/** Structural equality ignoring source offsets (ORDER BY count(*) matching RETURN count(*)). */
export function sameExpression(a: Expr, b: Expr): boolean {
  return JSON.stringify(a, stripOffsets) === JSON.stringify(b, stripOffsets);
}

function stripOffsets(key: string, value: unknown): unknown {
  if (key === 'offset') return undefined;
  return typeof value === 'bigint' ? `${value}n` : value;
}

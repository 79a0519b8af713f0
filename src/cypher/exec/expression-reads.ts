/**
 * What an expression depends on, for operators that evaluate it once and reuse the answer: the
 * variables it reads, and whether two evaluations on the same row may differ.
 */
import type { Expr } from '../ast.js';
import { childExpressions } from '../expr-walk.js';

/** Expressions that bind variables of their own: which names they read is not simple. */
const SCOPING_KINDS: ReadonlySet<Expr['kind']> = new Set<Expr['kind']>(['listComp',
  'quantified', 'reduce', 'patternComp', 'pattern', 'subquery', 'mapProjection',
  'shortestPath']);

/** Functions whose every call may answer differently (lower-case, as calls are named). */
const NONDETERMINISTIC_CALLS: ReadonlySet<string> = new Set(['rand', 'randomuuid']);

/** The variables `expr` reads, into `into`; false (and `into` partial) when it cannot tell. */
function collectReads(expr: Expr, into: Set<string>): boolean {
  if (SCOPING_KINDS.has(expr.kind)) return false;
  if (expr.kind === 'var') {
    into.add(expr.name);
    return true;
  }
  return childExpressions(expr).every((e) => collectReads(e, into));
}

/** The variables `expr` reads, or null when it binds names of its own. */
export function variablesRead(expr: Expr): Set<string> | null {
  const read = new Set<string>();
  return collectReads(expr, read) ? read : null;
}

/** True when evaluating `expr` twice on one row may give two answers. */
function isNondeterministic(expr: Expr): boolean {
  if (expr.kind === 'call' && NONDETERMINISTIC_CALLS.has(expr.name)) return true;
  return childExpressions(expr).some(isNondeterministic);
}

/**
 * What the values of `exprs` depend on: nothing the row holds ('constant'), one variable
 * ('variable'), or more than that ('row'). Only the first two let an operator evaluate them
 * once for many rows.
 */
export type Dependence =
  | { readonly kind: 'constant' }
  | { readonly kind: 'variable'; readonly name: string }
  | { readonly kind: 'row' };

export function dependenceOf(exprs: readonly Expr[]): Dependence {
  const read = new Set<string>();
  for (const expr of exprs) {
    if (isNondeterministic(expr) || !collectReads(expr, read)) return { kind: 'row' };
  }
  const [only] = read;
  if (only === undefined) return { kind: 'constant' };
  return read.size === 1 ? { kind: 'variable', name: only } : { kind: 'row' };
}

/**
 * What the planner knows about a value's type before running: enough to reject, at compile
 * time as Neo4j does, a node pattern over a variable that holds a relationship or a number,
 * `NOT 1`, `DELETE 1 + 1` or `labels(path)`. Unknown is 'any', which every check accepts.
 */
import type { Expr } from '../ast.js';

export type StaticType =
  | 'any' | 'null' | 'boolean' | 'integer' | 'float' | 'string' | 'list' | 'map'
  | 'node' | 'relationship' | 'path';

/** The variables visible to a clause, each with what the planner knows of its type. */
export type Scope = Map<string, StaticType>;
export type ReadonlyScope = ReadonlyMap<string, StaticType>;

const TYPE_NAMES: Record<StaticType, string> = {
  any: 'Any', null: 'Null', boolean: 'Boolean', integer: 'Integer', float: 'Float',
  string: 'String', list: 'List<T>', map: 'Map', node: 'Node', relationship: 'Relationship',
  path: 'Path',
};

export function staticTypeName(type: StaticType): string {
  return TYPE_NAMES[type];
}

/** Whether a value of static type `actual` may turn out to be one of `allowed` at run time. */
export function mayBe(actual: StaticType, allowed: readonly StaticType[]): boolean {
  return actual === 'any' || actual === 'null' || allowed.includes(actual);
}

function literalType(value: unknown): StaticType {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'bigint') return 'integer';
  if (typeof value === 'number') return 'float';
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Map) return 'map';
  return 'any';
}

function arithmeticType(op: string, left: StaticType, right: StaticType): StaticType {
  const numeric = (t: StaticType): boolean => t === 'integer' || t === 'float';
  if (numeric(left) && numeric(right)) {
    return left === 'integer' && right === 'integer' && op !== '^' ? 'integer' : 'float';
  }
  if (op === '+' && left === 'string' && right === 'string') return 'string';
  if (op === '+' && (left === 'list' || right === 'list')) return 'list';
  return 'any';
}

const BOOLEAN_KINDS: ReadonlySet<Expr['kind']> = new Set([
  'not', 'isNull', 'isType', 'hasLabels', 'compare', 'quantified',
]);

const BOOLEAN_OPS: ReadonlySet<string> = new Set([
  'AND', 'OR', 'XOR', 'IN', 'STARTS WITH', 'ENDS WITH', 'CONTAINS', '=~',
]);

/** The static type of `expr` in `scope`; 'any' where it depends on data. */
export function inferType(expr: Expr, scope: ReadonlyScope): StaticType {
  if (BOOLEAN_KINDS.has(expr.kind)) return 'boolean';
  switch (expr.kind) {
    case 'literal': return literalType(expr.value);
    case 'var': return scope.get(expr.name) ?? 'any';
    case 'list': case 'listComp': case 'patternComp': return 'list';
    case 'map': case 'mapProjection': return 'map';
    case 'countStar': return 'integer';
    case 'shortestPath': return expr.pattern.shortest === 'all' ? 'list' : 'path';
    case 'subquery':
      return expr.mode === 'exists' ? 'boolean' : expr.mode === 'count' ? 'integer' : 'list';
    case 'binary':
      if (BOOLEAN_OPS.has(expr.op)) return 'boolean';
      return arithmeticType(expr.op, inferType(expr.left, scope), inferType(expr.right, scope));
    case 'negate': {
      const operand = inferType(expr.operand, scope);
      return operand === 'integer' || operand === 'float' ? operand : 'any';
    }
    default: return 'any';
  }
}

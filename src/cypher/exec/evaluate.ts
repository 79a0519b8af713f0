/**
 * Expression evaluation against one row. Aggregating calls never reach this point: projection
 * replaces them with hidden variables holding the group's results.
 */
import { QuiverError } from '../../errors/quiver-error.js';
import { NodeRef, Node, RelRef, Relationship, type Value } from '../../graph/values.js';
import type { Expr, FunctionCall, MapProjectionItem } from '../ast.js';
import { lookupFunction } from '../functions/registry.js';
import { add, div, mod, mul, negate, pow, sub } from '../values/arithmetic.js';
import { cypherEquals } from '../values/compare.js';
import { typeName } from '../values/type-names.js';
import { labelsMatch } from './label-match.js';
import { extendRow, type ExecState, type Row } from './state.js';
import {
  and, asBoolean, compare, inList, or, propertiesOf, propertyOf, regexMatch, slice,
  stringPredicate, subscript, xor,
} from './value-ops.js';
import { matchesType } from './type-test.js';

export function evaluate(expr: Expr, row: Row, state: ExecState): Value {
  switch (expr.kind) {
    case 'literal': return expr.value;
    case 'param': return parameter(expr.name, state);
    case 'var': return variable(expr.name, row);
    case 'prop': return propertyOf(state.graph, evaluate(expr.target, row, state), expr.key);
    case 'index':
      return subscript(state.graph, evaluate(expr.target, row, state),
        evaluate(expr.index, row, state));
    case 'slice':
      return slice(evaluate(expr.target, row, state),
        expr.from === null ? undefined : evaluate(expr.from, row, state),
        expr.to === null ? undefined : evaluate(expr.to, row, state));
    // Loops in functions of their own: an arrow here would capture row and state, and V8 would
    // then allocate that context on every call of evaluate, whatever the expression.
    case 'list': return evaluateItems(expr.items, row, state);
    case 'map': return evaluateEntries(expr.entries, row, state);
    case 'binary': return binary(expr, row, state);
    case 'compare': return compareChain(expr, row, state);
    case 'not': {
      const value = asBoolean(evaluate(expr.operand, row, state), 'NOT');
      return value === null ? null : !value;
    }
    case 'negate': return negate(evaluate(expr.operand, row, state));
    case 'isNull': return (evaluate(expr.operand, row, state) === null) !== expr.negated;
    case 'isType':
      return matchesType(evaluate(expr.operand, row, state), expr.typeName) !== expr.negated;
    case 'hasLabels': return hasLabels(expr, row, state);
    case 'case': return caseExpression(expr, row, state);
    case 'call': return callFunction(expr, row, state);
    default: return evaluateScoped(expr, row, state);
  }
}

function evaluateItems(items: readonly Expr[], row: Row, state: ExecState): Value[] {
  const out: Value[] = [];
  for (const item of items) out.push(evaluate(item, row, state));
  return out;
}

function evaluateEntries(entries: readonly (readonly [string, Expr])[], row: Row,
  state: ExecState): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const [key, value] of entries) out.set(key, evaluate(value, row, state));
  return out;
}

/** Expressions that introduce variables or run patterns and subqueries. */
function evaluateScoped(expr: Expr, row: Row, state: ExecState): Value {
  switch (expr.kind) {
    case 'listComp': {
      const list = iterableList(evaluate(expr.source, row, state));
      if (list === null) return null;
      const out: Value[] = [];
      for (const item of list) {
        const inner = extendRow(row, expr.variable, item);
        if (expr.where !== null && evaluate(expr.where, inner, state) !== true) continue;
        out.push(expr.map === null ? item : evaluate(expr.map, inner, state));
      }
      return out;
    }
    case 'quantified': return quantified(expr, row, state);
    case 'reduce': {
      let acc = evaluate(expr.init, row, state);
      const list = iterableList(evaluate(expr.source, row, state));
      if (list === null) return null;
      for (const item of list) {
        const inner = extendRow(extendRow(row, expr.accumulator, acc), expr.variable, item);
        acc = evaluate(expr.body, inner, state);
      }
      return acc;
    }
    case 'patternComp': {
      const out: Value[] = [];
      for (const match of state.subqueries.matchPattern(expr.pattern, row, state,
        expr.where)) {
        if (expr.where !== null && evaluate(expr.where, match, state) !== true) continue;
        out.push(evaluate(expr.map, match, state));
      }
      return out;
    }
    case 'pattern': {
      for (const _match of state.subqueries.matchPattern(expr.pattern, row, state)) return true;
      return false;
    }
    case 'subquery': return subquery(expr, row, state);
    case 'mapProjection': return mapProjection(expr.target, expr.items, row, state);
    default:
      throw new QuiverError('SyntaxError',
        `${expr.kind === 'countStar' ? 'count(*)' : expr.kind} is not allowed in this context`);
  }
}

function parameter(name: string, state: ExecState): Value {
  const value = state.params.get(name);
  if (value === undefined) {
    throw new QuiverError('ParameterMissing', `Expected parameter(s): ${name}`);
  }
  return value;
}

function variable(name: string, row: Row): Value {
  const value = row.get(name);
  if (value === undefined) {
    throw new QuiverError('SemanticError', `Variable \`${name}\` not defined`);
  }
  return value;
}

function iterableList(value: Value): Value[] | null {
  if (value === null) return null;
  if (Array.isArray(value)) return value;
  throw new QuiverError('TypeError', `Type mismatch: expected List<T> but was ${typeName(value)}`);
}

function binary(expr: Extract<Expr, { kind: 'binary' }>, row: Row, state: ExecState): Value {
  const op = expr.op;
  if (op === 'AND' || op === 'OR' || op === 'XOR') {
    const left = asBoolean(evaluate(expr.left, row, state), op);
    // Short-circuit only where the answer is already known, as three-valued logic allows.
    if (op === 'AND' && left === false) return false;
    if (op === 'OR' && left === true) return true;
    const right = asBoolean(evaluate(expr.right, row, state), op);
    return op === 'AND' ? and(left, right) : op === 'OR' ? or(left, right) : xor(left, right);
  }
  const left = evaluate(expr.left, row, state);
  const right = evaluate(expr.right, row, state);
  switch (op) {
    case '+': return add(left, right);
    case '-': return sub(left, right);
    case '*': return mul(left, right);
    case '/': return div(left, right);
    case '%': return mod(left, right);
    case '^': return pow(left, right);
    case 'IN': return inList(left, right);
    case '=~': return regexMatch(left, right);
    default: return stringPredicate(op, left, right);
  }
}

function compareChain(expr: Extract<Expr, { kind: 'compare' }>, row: Row,
  state: ExecState): Value {
  let result: boolean | null = true;
  let left = evaluate(expr.operands[0] as Expr, row, state);
  for (let i = 0; i < expr.ops.length; i++) {
    const right = evaluate(expr.operands[i + 1] as Expr, row, state);
    result = and(result, compare(expr.ops[i] ?? '=', left, right));
    if (result === false) return false;
    left = right;
  }
  return result;
}

function hasLabels(expr: Extract<Expr, { kind: 'hasLabels' }>, row: Row, state: ExecState): Value {
  const target = evaluate(expr.target, row, state);
  if (target === null) return null;
  const graph = state.graph;
  if (target instanceof NodeRef) {
    return labelsMatch(expr.labels, (l) => graph.hasLabel(target.id, l),
      graph.nodeLabels(target.id).length > 0);
  }
  if (target instanceof RelRef) {
    const type = graph.relType(target.id);
    return labelsMatch(expr.labels, (t) => t === type, true);
  }
  if (target instanceof Node) {
    return labelsMatch(expr.labels, (l) => target.labels.includes(l), target.labels.length > 0);
  }
  if (target instanceof Relationship) return labelsMatch(expr.labels, (t) => t === target.type,
    true);
  throw new QuiverError('TypeError',
    `Type mismatch: expected Node or Relationship but was ${typeName(target)}`);
}

function caseExpression(expr: Extract<Expr, { kind: 'case' }>, row: Row, state: ExecState): Value {
  const subject = expr.subject === null ? undefined : evaluate(expr.subject, row, state);
  for (const { when, then } of expr.whens) {
    const candidate = evaluate(when, row, state);
    const hit = subject === undefined ? candidate === true : cypherEquals(subject,
      candidate) === true;
    if (hit) return evaluate(then, row, state);
  }
  return expr.otherwise === null ? null : evaluate(expr.otherwise, row, state);
}

function callFunction(expr: FunctionCall, row: Row, state: ExecState): Value {
  if (expr.name === 'exists' && expr.args.length === 1 && expr.args[0]?.kind === 'prop') {
    return evaluate(expr.args[0], row, state) !== null;
  }
  const def = lookupFunction(expr.name);
  if (def === undefined) {
    throw new QuiverError('UnknownFunction', `Unknown function '${expr.displayName}'`);
  }
  if (expr.args.length < def.minArgs || expr.args.length > def.maxArgs) {
    throw new QuiverError('SyntaxError',
      `Function ${expr.displayName} takes ${def.minArgs === def.maxArgs ? def.minArgs :
        `${def.minArgs} to ${def.maxArgs}`} arguments, got ${expr.args.length}`);
  }
  const args = expr.args.map((arg) => evaluate(arg, row, state));
  return def.call(args, state.functions);
}

function quantified(expr: Extract<Expr, { kind: 'quantified' }>, row: Row,
  state: ExecState): Value {
  const list = iterableList(evaluate(expr.source, row, state));
  if (list === null) return null;
  let trues = 0;
  let nulls = 0;
  for (const item of list) {
    const result = asBoolean(evaluate(expr.where, extendRow(row, expr.variable, item), state),
      expr.quantifier);
    if (result === true) trues++;
    else if (result === null) nulls++;
    if (expr.quantifier === 'any' && trues > 0) return true;
    if (expr.quantifier === 'none' && trues > 0) return false;
    if (expr.quantifier === 'single' && trues > 1) return false;
    if (expr.quantifier === 'all' && result === false) return false;
  }
  switch (expr.quantifier) {
    case 'all': return nulls > 0 ? null : true;
    case 'any': return nulls > 0 ? null : false;
    case 'none': return nulls > 0 ? null : true;
    case 'single': return nulls > 0 ? null : trues === 1;
  }
}

function subquery(expr: Extract<Expr, { kind: 'subquery' }>, row: Row, state: ExecState): Value {
  const rows = state.subqueries.runQuery(expr.query, row, state);
  if (expr.mode === 'exists') {
    for (const _row of rows) return true;
    return false;
  }
  if (expr.mode === 'count') {
    let count = 0n;
    for (const _row of rows) count++;
    return count;
  }
  const out: Value[] = [];
  for (const inner of rows) {
    const values = [...inner.values()];
    out.push(values[0] ?? null);
  }
  return out;
}

function mapProjection(target: string, items: MapProjectionItem[], row: Row,
  state: ExecState): Value {
  const subject = variable(target, row);
  if (subject === null) return null;
  const out = new Map<string, Value>();
  for (const item of items) {
    switch (item.kind) {
      case 'property': out.set(item.key, propertyOf(state.graph, subject, item.key)); break;
      case 'allProperties':
        for (const [k, v] of propertiesOf(state.graph, subject) ?? []) out.set(k, v);
        break;
      case 'variable': out.set(item.name, variable(item.name, row)); break;
      case 'entry': out.set(item.key, evaluate(item.value, row, state)); break;
    }
  }
  return out;
}

/** Used by WHERE: anything but true filters the row out. */
export function isTrue(expr: Expr | null, row: Row, state: ExecState): boolean {
  if (expr === null) return true;
  return asBoolean(evaluate(expr, row, state), 'WHERE') === true;
}

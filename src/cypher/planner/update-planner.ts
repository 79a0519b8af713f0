/**
 * Plans the updating clauses (CREATE, MERGE, SET, REMOVE, DELETE, FOREACH) and checks what
 * Neo4j rejects before running: re-declaring a bound variable with labels, relationships
 * without exactly one type or direction, variable-length relationships in CREATE.
 */
import { assert } from '../../assert.js';
import type { Clause, PathPattern, RemoveItem, SetItem } from '../ast.js';
import type { Operator } from '../exec/operators/operator.js';
import {
  CreateOp, DeleteOp, ForeachOp, MergeOp, RemoveOp, SetOp,
} from '../exec/operators/write.js';
import { chainSpec } from '../exec/pattern-spec.js';
import { checkExpression, semanticError } from './expression-check.js';
import type { Planner } from './planner.js';

type UpdateClause = Extract<Clause, { kind: 'create' | 'merge' | 'set' | 'remove' | 'delete' |
  'foreach' }>;

export function isUpdateClause(clause: Clause): clause is UpdateClause {
  return ['create', 'merge', 'set', 'remove', 'delete', 'foreach'].includes(clause.kind);
}

export function planUpdate(clause: Clause, op: Operator, scope: Set<string>, planner: Planner,
  planBody: (body: Clause[], scope: Set<string>) => Operator): Operator {
  assert(isUpdateClause(clause), `not an update clause: ${clause.kind}`);
  switch (clause.kind) {
    case 'create':
      for (const pattern of clause.patterns) checkCreatable(pattern, scope, planner, 'CREATE');
      for (const pattern of clause.patterns) planner.bindPattern(pattern, scope);
      return new CreateOp(op, clause.patterns.map(chainSpec));
    case 'merge': {
      checkCreatable(clause.pattern, scope, planner, 'MERGE');
      planner.bindPattern(clause.pattern, scope);
      for (const item of [...clause.onCreate, ...clause.onMatch]) checkSet(item, scope, planner);
      return new MergeOp(op, chainSpec(clause.pattern), clause.onCreate, clause.onMatch);
    }
    case 'set':
      for (const item of clause.items) checkSet(item, scope, planner);
      return new SetOp(op, clause.items);
    case 'remove':
      for (const item of clause.items) checkRemove(item, scope, planner);
      return new RemoveOp(op, clause.items);
    case 'delete':
      for (const expr of clause.exprs) checkExpression(expr, scope, planner);
      return new DeleteOp(op, clause.exprs, clause.detach);
    case 'foreach': {
      checkExpression(clause.source, scope, planner);
      const inner = new Set(scope).add(clause.variable);
      for (const c of clause.body) {
        if (!isUpdateClause(c)) {
          throw semanticError(planner, c.offset,
            `Invalid use of ${c.kind.toUpperCase()} inside FOREACH`);
        }
      }
      return new ForeachOp(op, clause.variable, clause.source, planBody(clause.body, inner));
    }
  }
}

function checkCreatable(pattern: PathPattern, scope: ReadonlySet<string>, planner: Planner,
  clause: 'CREATE' | 'MERGE'): void {
  if (pattern.shortest !== null) {
    throw semanticError(planner, pattern.offset, `${clause} does not support shortestPath`);
  }
  const nodes = [pattern.start, ...pattern.steps.map((s) => s.node)];
  const seen = new Set<string>();
  for (const node of nodes) {
    if (node.variable === null) continue;
    const bound = scope.has(node.variable) || seen.has(node.variable);
    if (bound && (node.labels !== null || node.properties !== null) &&
      (clause === 'CREATE' || !seen.has(node.variable))) {
      throw semanticError(planner, node.offset, `Can't create node \`${node.variable}\` with ` +
        'labels or properties here. The variable is already declared in this context');
    }
    seen.add(node.variable);
  }
  for (const step of pattern.steps) {
    if (step.kind !== 'rel') {
      throw semanticError(planner, step.group.offset,
        `${clause} does not support quantified paths`);
    }
    const rel = step.rel;
    if (rel.variable !== null && scope.has(rel.variable)) {
      throw semanticError(planner, rel.offset,
        `Can't create relationship \`${rel.variable}\`: variable already declared`);
    }
    if (rel.types.length !== 1) {
      throw semanticError(planner, rel.offset,
        `Exactly one relationship type must be specified for ${clause}. Did you forget to ` +
        "prefix your relationship type with a ':'?");
    }
    if (rel.length !== null) {
      throw semanticError(planner, rel.offset,
        `Variable length relationships cannot be used in ${clause}`);
    }
    if (clause === 'CREATE' && rel.direction === 'both') {
      throw semanticError(planner, rel.offset,
        'Only directed relationships are supported in CREATE');
    }
  }
}

function checkSet(item: SetItem, scope: ReadonlySet<string>, planner: Planner): void {
  switch (item.kind) {
    case 'setProperty':
      checkExpression(item.target, scope, planner);
      checkExpression(item.value, scope, planner);
      return;
    case 'setDynamicProperty':
      checkExpression(item.target, scope, planner);
      checkExpression(item.key, scope, planner);
      checkExpression(item.value, scope, planner);
      return;
    case 'replaceProperties': case 'mergeProperties':
      checkExpression({ kind: 'var', offset: 0, name: item.variable }, scope, planner);
      checkExpression(item.value, scope, planner);
      return;
    case 'setLabels':
      checkExpression({ kind: 'var', offset: 0, name: item.variable }, scope, planner);
  }
}

function checkRemove(item: RemoveItem, scope: ReadonlySet<string>, planner: Planner): void {
  if (item.kind === 'removeProperty') checkExpression(item.target, scope, planner);
  else checkExpression({ kind: 'var', offset: 0, name: item.variable }, scope, planner);
}

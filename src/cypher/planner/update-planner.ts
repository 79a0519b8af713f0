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
import { checkExpression, expectType, semanticError } from './expression-check.js';
import type { Planner } from './planner.js';
import type { ReadonlyScope, Scope } from './static-types.js';

type UpdateClause = Extract<Clause, { kind: 'create' | 'merge' | 'set' | 'remove' | 'delete' |
  'foreach' }>;

export function isUpdateClause(clause: Clause): clause is UpdateClause {
  return ['create', 'merge', 'set', 'remove', 'delete', 'foreach'].includes(clause.kind);
}

export function planUpdate(clause: Clause, op: Operator, scope: Scope, planner: Planner,
  planBody: (body: Clause[], scope: Scope) => Operator): Operator {
  assert(isUpdateClause(clause), `not an update clause: ${clause.kind}`);
  switch (clause.kind) {
    case 'create': {
      const seen = new Set<string>();
      for (const pattern of clause.patterns) {
        checkCreatable(pattern, { scope, seen, planner, clause: 'CREATE' });
      }
      const clauseRels = new Set<string>();
      for (const pattern of clause.patterns) planner.bindPattern(pattern, scope, clauseRels);
      return new CreateOp(op, clause.patterns.map(chainSpec));
    }
    case 'merge': {
      planner.rejectParameterMaps(clause.pattern, 'MERGE');
      checkCreatable(clause.pattern, { scope, seen: new Set(), planner, clause: 'MERGE' });
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
      for (const expr of clause.exprs) {
        if (expr.kind === 'hasLabels') {
          throw semanticError(planner, expr.offset,
            'DELETE removes nodes, relationships and paths; use REMOVE to drop a label or type',
            'SyntaxError');
        }
        checkExpression(expr, scope, planner);
        expectType(expr, scope, planner, ['node', 'relationship', 'path', 'list']);
      }
      return new DeleteOp(op, clause.exprs, clause.detach);
    case 'foreach': {
      checkExpression(clause.source, scope, planner);
      const inner = new Map(scope).set(clause.variable, 'any');
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

interface CreatableCheck {
  scope: ReadonlyScope;
  /** Node variables the clause's earlier patterns introduce. */
  seen: Set<string>;
  planner: Planner;
  clause: 'CREATE' | 'MERGE';
}

/** A bound node may be reused to anchor a new relationship, but not re-created or re-labelled. */
function checkCreatableNodes(pattern: PathPattern, check: CreatableCheck): void {
  const { scope, seen, planner, clause } = check;
  const nodes = [pattern.start, ...pattern.steps.map((s) => s.node)];
  for (const node of nodes) {
    if (node.variable === null) continue;
    const bound = scope.has(node.variable) || seen.has(node.variable);
    if (bound && (node.labels !== null || node.properties !== null)) {
      throw semanticError(planner, node.offset, `Can't create node \`${node.variable}\` with ` +
        'labels or properties here. The variable is already declared in this context');
    }
    if (bound && nodes.length === 1) {
      throw semanticError(planner, node.offset,
        `Variable \`${node.variable}\` already declared: ${clause} cannot create it again`);
    }
    seen.add(node.variable);
  }
}

function checkCreatable(pattern: PathPattern, check: CreatableCheck): void {
  const { scope, planner, clause } = check;
  if (pattern.shortest !== null) {
    throw semanticError(planner, pattern.offset, `${clause} does not support shortestPath`);
  }
  checkCreatableNodes(pattern, check);
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

function checkSet(item: SetItem, scope: ReadonlyScope, planner: Planner): void {
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

function checkRemove(item: RemoveItem, scope: ReadonlyScope, planner: Planner): void {
  if (item.kind === 'removeProperty') checkExpression(item.target, scope, planner);
  else checkExpression({ kind: 'var', offset: 0, name: item.variable }, scope, planner);
}

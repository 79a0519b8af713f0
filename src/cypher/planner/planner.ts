/**
 * Turns a parsed statement into an operator tree, checking scope as it goes (each clause sees
 * the variables the clauses before it bound, with their static types; WITH and RETURN replace
 * them). The choice of where each pattern starts is made by the matcher at run time, from the
 * graph's statistics.
 */
import type { Clause, Expr, PathPattern, Query, SingleQuery, Statement } from '../ast.js';
import { Argument, type Operator } from '../exec/operators/operator.js';
import {
  FilterOp, MatchOp, OptionalOp, SubqueryOp, UnionOp, UnwindOp,
} from '../exec/operators/read.js';
import { ProjectOp } from '../exec/operators/projection.js';
import { LoadCsvOp, ProcedureCallOp } from '../exec/operators/call.js';
import { SchemaOp, ShowOp, SHOW_COLUMNS } from '../exec/operators/schema.js';
import { chainSpec, seekHints, shareLabels } from '../exec/pattern-spec.js';
import {
  checkExpression, checkPatternExpressions, semanticError, type CheckContext,
} from './expression-check.js';
import { planProjection } from './projection-planner.js';
import { planUpdate, isUpdateClause } from './update-planner.js';
import { staticTypeName, type ReadonlyScope, type Scope, type StaticType } from
  './static-types.js';

export interface Plan {
  root: Operator;
  fields: string[];
  writes: boolean;
  schema: boolean;
  /** A standalone `CALL proc` without YIELD: its columns are the procedure's outputs. */
  procedureColumns: string | null;
}

export interface QueryPlan {
  op: Operator;
  fields: string[];
  returns: boolean;
}

/** Plans of subqueries inside expressions, found by the executor from the syntax tree. */
export const subqueryPlans = new WeakMap<Query, Operator>();

export class Planner implements CheckContext {
  writes = false;

  constructor(readonly text: string) {}

  /** EXISTS { MATCH ... } and COUNT { MATCH ... } need not end with RETURN. */
  readonly checkSubquery = (query: Query, scope: ReadonlyScope): void => {
    const writesBefore = this.writes;
    this.writes = false;
    subqueryPlans.set(query, this.planQuery(query, new Map(scope), true).op);
    if (this.writes) {
      const first = query.kind === 'single' ? query.clauses[0] : query.parts[0]?.clauses[0];
      throw semanticError(this, first?.offset ?? 0,
        'A subquery expression (EXISTS, COUNT or COLLECT) cannot update the graph', 'SyntaxError');
    }
    this.writes = writesBefore;
  };

  /** The query's only clause when it is a procedure call: it may take implicit arguments. */
  private standaloneCall: Clause | null = null;

  planStatement(statement: Statement): Plan {
    const body = statement.body;
    if (body.kind === 'query') {
      const only = body.query.kind === 'single' && body.query.clauses.length === 1
        ? body.query.clauses[0] : undefined;
      if (only?.kind === 'callProcedure') this.standaloneCall = only;
      const planned = this.planQuery(body.query, new Map());
      const standaloneCall = only?.kind === 'callProcedure' && only.yields === null;
      return { root: planned.op, fields: planned.fields, writes: this.writes, schema: false,
        procedureColumns: standaloneCall ? only.name : null };
    }
    if (body.kind === 'show') {
      const columns = [...SHOW_COLUMNS[body.what]];
      let op: Operator = new ShowOp(body.what);
      let scope: Scope = new Map(columns.map((c) => [c, 'any']));
      let fields = columns;
      if (body.yields !== null) {
        for (const y of body.yields) {
          if (!scope.has(y.name)) throw semanticError(this, 0,
            `Variable \`${y.name}\` not defined`);
        }
        op = new ProjectOp(op, body.yields.map((y) => ({ name: y.alias,
          expr: { kind: 'var', offset: 0, name: y.name } as Expr })), false, []);
        fields = body.yields.map((y) => y.alias);
        scope = new Map(fields.map((f) => [f, 'any']));
      }
      if (body.where !== null) {
        checkExpression(body.where, scope, this);
        op = new FilterOp(op, body.where);
      }
      if (body.rest.length > 0) {
        const planned = this.planClauses(body.rest, op, scope);
        return { root: planned.op, fields: planned.fields, writes: false, schema: false,
          procedureColumns: null };
      }
      return { root: op, fields, writes: false, schema: false, procedureColumns: null };
    }
    return { root: new SchemaOp(body), fields: [], writes: true, schema: true,
      procedureColumns: null };
  }

  planQuery(query: Query, scope: Scope, openEnded = false): QueryPlan {
    if (query.kind === 'single') return this.planSingle(query, scope, openEnded);
    const parts = query.parts.map((part) => this.planSingle(part, new Map(scope), openEnded));
    const fields = parts[0]?.fields ?? [];
    for (const part of parts) {
      if (part.fields.join('\u0000') !== fields.join('\u0000')) {
        throw semanticError(this, 0,
          'All sub queries in an UNION must have the same return column names');
      }
    }
    return { op: new UnionOp(parts.map((p) => p.op), query.all, fields), fields, returns: true };
  }

  private planSingle(query: SingleQuery, scope: Scope, openEnded: boolean): QueryPlan {
    const last = query.clauses[query.clauses.length - 1] as Clause;
    query.clauses.forEach((clause, i) => {
      if (clause.kind === 'return' && i < query.clauses.length - 1) {
        throw semanticError(this, clause.offset, 'RETURN can only be used at the end of the query');
      }
    });
    const concludes = last.kind === 'return' || isUpdateClause(last) || last.kind === 'subquery' ||
      last.kind === 'callProcedure';
    if (!concludes && !openEnded) {
      throw semanticError(this, last.offset, `Query cannot conclude with ${clauseName(last)} ` +
        '(must be a RETURN clause, an update clause, a unit subquery call, or a procedure call ' +
        'with no YIELD)');
    }
    return this.planClauses(query.clauses, new Argument(), scope);
  }

  private planClauses(clauses: Clause[], start: Operator, initial: Scope): QueryPlan {
    let op = start;
    let scope = initial;
    for (const clause of clauses) {
      if (clause.kind === 'return') {
        const planned = planProjection({ source: op, projection: clause.projection, where: null,
          scope, clause: 'RETURN', offset: clause.offset, drainAfterLimit: this.writes }, this);
        return { op: planned.op, fields: planned.fields, returns: true };
      }
      if (clause.kind === 'with') {
        const planned = planProjection({ source: op, projection: clause.projection,
          where: clause.where, scope, clause: 'WITH', offset: clause.offset,
          drainAfterLimit: this.writes }, this);
        op = planned.op;
        scope = planned.scope;
        continue;
      }
      op = this.planClause(clause, op, scope);
    }
    return { op, fields: [], returns: false };
  }

  private planClause(clause: Clause, op: Operator, scope: Scope): Operator {
    switch (clause.kind) {
      case 'match': return this.planMatch(clause, op, scope);
      case 'unwind':
        checkExpression(clause.expr, scope, this);
        this.declare(scope, clause.variable, clause.offset);
        return new UnwindOp(op, clause.expr, clause.variable);
      case 'subquery': return this.planSubquery(clause, op, scope);
      case 'callProcedure': {
        if (clause.args === null && clause !== this.standaloneCall) {
          throw semanticError(this, clause.offset, 'Procedure call inside a query does not ' +
            'support passing arguments implicitly. Pass arguments explicitly in parentheses ' +
            `after the procedure name for ${clause.name}`, 'SyntaxError');
        }
        for (const arg of clause.args ?? []) checkExpression(arg, scope, this);
        for (const y of clause.yields ?? []) this.declare(scope, y.alias, clause.offset);
        const call = new ProcedureCallOp(op, clause.name, clause.args, clause.yields);
        if (clause.where === null) return call;
        checkExpression(clause.where, scope, this);
        return new FilterOp(call, clause.where);
      }
      case 'loadCsv':
        checkExpression(clause.url, scope, this);
        this.declare(scope, clause.variable, clause.offset);
        return new LoadCsvOp(op, clause.url, clause.variable, clause.withHeaders,
          clause.fieldTerminator);
      default:
        this.writes = true;
        return planUpdate(clause, op, scope, this, (body, inner) => {
          let bodyOp: Operator = new Argument();
          for (const c of body) bodyOp = this.planClause(c, bodyOp, inner);
          return bodyOp;
        });
    }
  }

  declare(scope: Scope, name: string, offset: number, type: StaticType = 'any'): void {
    if (scope.has(name)) throw semanticError(this, offset, `Variable \`${name}\` already declared`);
    scope.set(name, type);
  }

  private planMatch(clause: Extract<Clause, { kind: 'match' }>, op: Operator,
    scope: Scope): Operator {
    const before = new Map(scope);
    const clauseRels = new Set<string>();
    for (const pattern of clause.patterns) {
      this.rejectParameterMaps(pattern, 'MATCH');
      this.bindPattern(pattern, scope, clauseRels);
    }
    if (clause.where !== null) checkExpression(clause.where, scope, this);
    const chains = shareLabels(clause.patterns.map(chainSpec));
    const hints = seekHints(clause.where);
    if (!clause.optional) {
      const match = new MatchOp(op, chains, hints, [...before.keys()]);
      return clause.where === null ? match : new FilterOp(match, clause.where);
    }
    let inner: Operator = new MatchOp(new Argument(), chains, hints, [...before.keys()]);
    if (clause.where !== null) inner = new FilterOp(inner, clause.where);
    return new OptionalOp(op, inner, [...scope.keys()].filter((name) => !before.has(name)));
  }

  /** Adds a pattern's variables to scope after checking its expressions. */
  bindPattern(pattern: PathPattern, scope: Scope, clauseRels: Set<string> = new Set()): void {
    this.bindVariable(scope, pattern.start.variable, 'node', pattern.start.offset);
    for (const step of pattern.steps) {
      if (step.kind === 'rel') {
        const rel = step.rel;
        if (rel.variable !== null && clauseRels.has(rel.variable)) {
          throw semanticError(this, rel.offset, `Cannot use the same relationship variable ` +
            `'${rel.variable}' for multiple relationships`, 'SyntaxError');
        }
        if (rel.variable !== null) clauseRels.add(rel.variable);
        this.bindVariable(scope, rel.variable, rel.length === null ? 'relationship' : 'list',
          rel.offset);
      }
      this.bindVariable(scope, step.node.variable, 'node', step.node.offset);
    }
    if (pattern.variable !== null) this.declare(scope, pattern.variable, pattern.offset, 'path');
    checkPatternExpressions(pattern, scope, this);
  }

  /** `MATCH (n $props)`: Neo4j only lets CREATE take a whole property map as a parameter. */
  rejectParameterMaps(pattern: PathPattern, clause: 'MATCH' | 'MERGE'): void {
    const parts = [pattern.start, ...pattern.steps.flatMap((s) => (s.kind === 'rel'
      ? [s.rel, s.node] : [s.node]))];
    for (const part of parts) {
      if (part.properties?.kind === 'param') {
        throw semanticError(this, part.properties.offset, `Parameter maps cannot be used in ` +
          `${clause} patterns (use a literal map instead, e.g. {id: $${part.properties.name}.id})`,
          'SyntaxError');
      }
    }
  }

  /** Binds a pattern variable, or checks that an existing binding can be one (Neo4j's rule). */
  private bindVariable(scope: Scope, name: string | null, type: StaticType, offset: number): void {
    if (name === null) return;
    const bound = scope.get(name);
    if (bound === undefined) {
      scope.set(name, type);
    } else if (bound !== type && bound !== 'any' && bound !== 'null') {
      throw semanticError(this, offset, `Type mismatch: ${name} defined with conflicting type ` +
        `${staticTypeName(bound)} (expected ${staticTypeName(type)})`, 'SyntaxError');
    }
  }

  private planSubquery(clause: Extract<Clause, { kind: 'subquery' }>, op: Operator,
    scope: Scope): Operator {
    const imported = clause.importAll ? [...scope.keys()]
      : clause.importing ?? leadingWithImports(clause.query, scope);
    for (const name of imported) {
      if (!scope.has(name)) throw semanticError(this, clause.offset,
        `Variable \`${name}\` not defined`);
    }
    const inner = this.planQuery(clause.query,
      new Map(imported.map((name) => [name, scope.get(name) ?? 'any'])));
    for (const field of inner.returns ? inner.fields : []) {
      if (scope.has(field)) {
        throw semanticError(this, clause.offset,
          `Variable \`${field}\` already declared in outer scope`);
      }
      scope.set(field, 'any');
    }
    return new SubqueryOp(op, inner.op, imported, inner.returns);
  }
}

/** `CALL { WITH a, b ... }`: the leading WITH of plain variables is the import list. */
function leadingWithImports(query: Query, scope: ReadonlyScope): string[] {
  const first = query.kind === 'single' ? query.clauses[0] : query.parts[0]?.clauses[0];
  if (first?.kind !== 'with') return [];
  if (first.projection.star) return [...scope.keys()];
  return first.projection.items.flatMap((item) =>
    (item.expr.kind === 'var' && scope.has(item.expr.name) ? [item.expr.name] : []));
}

function clauseName(clause: Clause): string {
  switch (clause.kind) {
    case 'match': return clause.optional ? 'OPTIONAL MATCH' : 'MATCH';
    case 'loadCsv': return 'LOAD CSV';
    case 'callProcedure': case 'subquery': return 'CALL';
    default: return clause.kind.toUpperCase();
  }
}

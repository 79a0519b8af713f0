/**
 * The typed syntax tree of a Cypher statement. Every node keeps the offset where it starts so
 * that semantic errors can point at the source the way syntax errors do.
 */
import type { Value } from '../graph/values.js';

// ---------------------------------------------------------------------------------- expressions

export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%' | '^'
  | 'AND' | 'OR' | 'XOR'
  | 'IN' | 'STARTS WITH' | 'ENDS WITH' | 'CONTAINS' | '=~';

export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Quantifier = 'all' | 'any' | 'none' | 'single';

export type Expr =
  | { kind: 'literal'; offset: number; value: Value }
  | { kind: 'param'; offset: number; name: string }
  | { kind: 'var'; offset: number; name: string }
  | { kind: 'prop'; offset: number; target: Expr; key: string }
  | { kind: 'index'; offset: number; target: Expr; index: Expr }
  | { kind: 'slice'; offset: number; target: Expr; from: Expr | null; to: Expr | null }
  | { kind: 'list'; offset: number; items: Expr[] }
  | { kind: 'map'; offset: number; entries: [string, Expr][] }
  | { kind: 'binary'; offset: number; op: BinaryOp; left: Expr; right: Expr }
  /** `a < b <= c` is `a < b AND b <= c`, with b evaluated once. */
  | { kind: 'compare'; offset: number; ops: CompareOp[]; operands: Expr[] }
  | { kind: 'not'; offset: number; operand: Expr }
  | { kind: 'negate'; offset: number; operand: Expr }
  | { kind: 'isNull'; offset: number; operand: Expr; negated: boolean }
  | { kind: 'isType'; offset: number; operand: Expr; typeName: string; negated: boolean }
  | { kind: 'hasLabels'; offset: number; target: Expr; labels: LabelExpr }
  | { kind: 'case'; offset: number; subject: Expr | null; whens: CaseWhen[];
      otherwise: Expr | null }
  | FunctionCall
  | { kind: 'countStar'; offset: number }
  | { kind: 'listComp'; offset: number; variable: string; source: Expr; where: Expr | null;
      map: Expr | null }
  | { kind: 'quantified'; offset: number; quantifier: Quantifier; variable: string; source: Expr;
      where: Expr }
  | { kind: 'reduce'; offset: number; accumulator: string; init: Expr; variable: string;
      source: Expr; body: Expr }
  | { kind: 'patternComp'; offset: number; pattern: PathPattern; where: Expr | null; map: Expr }
  /** A bare pattern used as a predicate (`WHERE (a)-->(b)`) or as a list of paths. */
  | { kind: 'pattern'; offset: number; pattern: PathPattern }
  | { kind: 'subquery'; offset: number; mode: 'exists' | 'count' | 'collect'; query: Query }
  | { kind: 'mapProjection'; offset: number; target: string; items: MapProjectionItem[] }
  | { kind: 'shortestPath'; offset: number; pattern: PathPattern };

export interface FunctionCall {
  kind: 'call';
  offset: number;
  /** Lower-case, dot-qualified: `date.truncate`. */
  name: string;
  /** As written, for messages. */
  displayName: string;
  args: Expr[];
  distinct: boolean;
}

export interface CaseWhen {
  when: Expr;
  then: Expr;
}

export type MapProjectionItem =
  | { kind: 'property'; key: string }
  | { kind: 'allProperties' }
  | { kind: 'variable'; name: string }
  | { kind: 'entry'; key: string; value: Expr };

// ---------------------------------------------------------------------------------- patterns

export type LabelExpr =
  | { kind: 'label'; name: string }
  | { kind: 'and'; items: LabelExpr[] }
  | { kind: 'or'; items: LabelExpr[] }
  | { kind: 'not'; item: LabelExpr }
  | { kind: 'wildcard' };

export interface NodePattern {
  offset: number;
  variable: string | null;
  labels: LabelExpr | null;
  /** A map literal or a parameter. */
  properties: Expr | null;
  where: Expr | null;
}

export type RelDirection = 'out' | 'in' | 'both';

export interface VarLength {
  min: number | null;
  max: number | null;
}

export interface RelPattern {
  offset: number;
  variable: string | null;
  /** Alternatives (`:A|B`); empty means any type. */
  types: string[];
  direction: RelDirection;
  properties: Expr | null;
  /** Non-null for `*`, `*2`, `*1..3`. */
  length: VarLength | null;
  where: Expr | null;
}

/** A quantified path pattern `((a)-[r]->(b)){1,3}` between two node patterns. */
export interface QuantifiedPattern {
  offset: number;
  inner: PathPattern;
  min: number;
  max: number | null;
}

export type PatternStep =
  | { kind: 'rel'; rel: RelPattern; node: NodePattern }
  | { kind: 'quantified'; group: QuantifiedPattern; node: NodePattern };

export interface PathPattern {
  offset: number;
  variable: string | null;
  shortest: 'single' | 'all' | null;
  start: NodePattern;
  steps: PatternStep[];
}

// ---------------------------------------------------------------------------------- clauses

export interface ReturnItem {
  expr: Expr;
  /** The column name: the alias, else the expression's source text. */
  name: string;
  aliased: boolean;
}

export interface SortItem {
  expr: Expr;
  descending: boolean;
}

export interface Projection {
  distinct: boolean;
  star: boolean;
  items: ReturnItem[];
  orderBy: SortItem[];
  skip: Expr | null;
  limit: Expr | null;
}

export type SetItem =
  | { kind: 'setProperty'; target: Expr; key: string; value: Expr }
  | { kind: 'setDynamicProperty'; target: Expr; key: Expr; value: Expr }
  | { kind: 'replaceProperties'; variable: string; value: Expr }
  | { kind: 'mergeProperties'; variable: string; value: Expr }
  | { kind: 'setLabels'; variable: string; labels: string[] };

export type RemoveItem =
  | { kind: 'removeProperty'; target: Expr; key: string }
  | { kind: 'removeLabels'; variable: string; labels: string[] };

export interface YieldItem {
  name: string;
  alias: string;
}

export type Clause =
  | { kind: 'match'; offset: number; optional: boolean; patterns: PathPattern[];
      where: Expr | null }
  | { kind: 'with'; offset: number; projection: Projection; where: Expr | null }
  | { kind: 'return'; offset: number; projection: Projection }
  | { kind: 'unwind'; offset: number; expr: Expr; variable: string }
  | { kind: 'create'; offset: number; patterns: PathPattern[] }
  | { kind: 'merge'; offset: number; pattern: PathPattern; onCreate: SetItem[]; onMatch: SetItem[] }
  | { kind: 'set'; offset: number; items: SetItem[] }
  | { kind: 'remove'; offset: number; items: RemoveItem[] }
  | { kind: 'delete'; offset: number; detach: boolean; exprs: Expr[] }
  | { kind: 'foreach'; offset: number; variable: string; source: Expr; body: Clause[] }
  | { kind: 'subquery'; offset: number; importing: string[] | null; importAll: boolean;
      query: Query }
  | { kind: 'callProcedure'; offset: number; name: string; args: Expr[] | null;
      yields: YieldItem[] | null; yieldStar: boolean; where: Expr | null }
  | { kind: 'loadCsv'; offset: number; withHeaders: boolean; url: Expr; variable: string;
      fieldTerminator: string | null };

export interface SingleQuery {
  kind: 'single';
  clauses: Clause[];
}

export interface UnionQuery {
  kind: 'union';
  all: boolean;
  parts: SingleQuery[];
}

export type Query = SingleQuery | UnionQuery;

// ---------------------------------------------------------------------------------- statements

export interface IndexTarget {
  entity: 'NODE' | 'RELATIONSHIP';
  variable: string;
  labelOrType: string;
  properties: string[];
}

export type ConstraintRequirement = 'UNIQUE' | 'NODE_KEY' | 'NOT_NULL' | 'REL_KEY';

export type SchemaCommand =
  | { kind: 'createIndex'; name: string | null; indexKind: 'RANGE' | 'TEXT'; ifNotExists: boolean;
      target: IndexTarget }
  | { kind: 'dropIndex'; name: string; ifExists: boolean }
  | { kind: 'createConstraint'; name: string | null; ifNotExists: boolean; target: IndexTarget;
      requirement: ConstraintRequirement }
  | { kind: 'dropConstraint'; name: string; ifExists: boolean };

export type ShowWhat = 'INDEXES' | 'CONSTRAINTS' | 'PROCEDURES' | 'FUNCTIONS';

export interface ShowCommand {
  kind: 'show';
  what: ShowWhat;
  yields: YieldItem[] | null;
  yieldStar: boolean;
  where: Expr | null;
  /** Clauses after YIELD (`RETURN ...`), run over the yielded rows. */
  rest: Clause[];
}

export type StatementBody =
  | { kind: 'query'; query: Query }
  | SchemaCommand
  | ShowCommand;

export interface Statement {
  text: string;
  mode: 'run' | 'explain' | 'profile';
  body: StatementBody;
}

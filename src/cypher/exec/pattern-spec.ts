/**
 * Patterns normalised for matching and creating: every node and relationship gets a name
 * (anonymous ones a hidden generated name), quantified relationships and the simple form of
 * quantified path patterns become variable-length relationships, and WHERE equalities on a
 * node's properties are collected so the matcher can start from an index seek.
 */
import { QuiverError } from '../../errors/quiver-error.js';
import type {
  Expr, LabelExpr, NodePattern, PathPattern, PatternStep, RelDirection, VarLength,
} from '../ast.js';
import { HIDDEN_PREFIX } from './state.js';

export interface NodeSpec {
  name: string;
  named: boolean;
  labels: LabelExpr | null;
  properties: Expr | null;
  where: Expr | null;
}

export interface RelSpec {
  name: string;
  named: boolean;
  types: string[];
  direction: RelDirection;
  properties: Expr | null;
  length: VarLength | null;
  where: Expr | null;
  /** Hidden variable holding the traversed segment of a variable-length relationship. */
  segment: string;
}

export interface ChainSpec {
  pathVariable: string | null;
  shortest: 'single' | 'all' | null;
  nodes: NodeSpec[];
  rels: RelSpec[];
}

/**
 * Property equalities `n.key = <expression>` and memberships `n.key IN <list expression>` found
 * in a WHERE clause: candidates for an index seek once the expression's variables are bound.
 */
export interface SeekHint {
  variable: string;
  key: string;
  value: Expr;
  /** IN: one seek per element of the list. */
  many: boolean;
}

const specCache = new WeakMap<PathPattern, ChainSpec>();
let anonymousCounter = 0;

function hiddenName(kind: string): string {
  anonymousCounter = (anonymousCounter + 1) % Number.MAX_SAFE_INTEGER;
  return `${HIDDEN_PREFIX}${kind}${anonymousCounter}`;
}

export function chainSpec(pattern: PathPattern): ChainSpec {
  const cached = specCache.get(pattern);
  if (cached !== undefined) return cached;
  const nodes: NodeSpec[] = [nodeSpec(pattern.start)];
  const rels: RelSpec[] = [];
  for (const step of pattern.steps) {
    rels.push(relSpecOfStep(step));
    nodes.push(nodeSpec(step.node));
  }
  const spec = { pathVariable: pattern.variable, shortest: pattern.shortest, nodes, rels };
  specCache.set(pattern, spec);
  return spec;
}

function nodeSpec(node: NodePattern): NodeSpec {
  return {
    name: node.variable ?? hiddenName('node'),
    named: node.variable !== null,
    labels: node.labels,
    properties: node.properties,
    where: node.where,
  };
}

function relSpecOfStep(step: PatternStep): RelSpec {
  if (step.kind === 'rel') {
    const rel = step.rel;
    return {
      name: rel.variable ?? hiddenName('rel'), named: rel.variable !== null, types: rel.types,
      direction: rel.direction, properties: rel.properties, length: rel.length, where: rel.where,
      segment: hiddenName('segment'),
    };
  }
  // ((x)-[:T]->(y)){m,n} with nothing named or constrained inside is a variable-length hop.
  const inner = step.group.inner;
  const only = inner.steps[0];
  const simple = inner.steps.length === 1 && only?.kind === 'rel' &&
    [inner.start, only.node].every((n) => n.variable === null && n.labels === null &&
      n.properties === null && n.where === null) &&
    only.rel.variable === null && only.rel.length === null && only.rel.where === null;
  if (!simple || only?.kind !== 'rel') {
    throw new QuiverError('SyntaxError',
      'Quantified path patterns are supported only around a single anonymous relationship, ' +
      'e.g. ((:A)-[:T]->()){1,3}; use a variable-length relationship instead');
  }
  return {
    name: hiddenName('rel'), named: false, types: only.rel.types, direction: only.rel.direction,
    properties: only.rel.properties, length: { min: step.group.min, max: step.group.max },
    where: null, segment: hiddenName('segment'),
  };
}

/** Splits a predicate into its AND-ed parts. */
export function conjuncts(expr: Expr | null): Expr[] {
  if (expr === null) return [];
  if (expr.kind === 'binary' && expr.op === 'AND') {
    return [...conjuncts(expr.left), ...conjuncts(expr.right)];
  }
  return [expr];
}

/** `n.key = value` and `n.key IN list`: usable for an index seek. */
export function seekHints(where: Expr | null): SeekHint[] {
  const hints: SeekHint[] = [];
  for (const part of conjuncts(where)) {
    if (part.kind === 'binary' && part.op === 'IN' && part.left.kind === 'prop' &&
      part.left.target.kind === 'var') {
      hints.push({ variable: part.left.target.name, key: part.left.key, value: part.right,
        many: true });
      continue;
    }
    if (part.kind !== 'compare' || part.ops.length !== 1 || part.ops[0] !== '=') continue;
    const [a, b] = part.operands;
    if (a === undefined || b === undefined) continue;
    for (const [side, other] of [[a, b], [b, a]] as const) {
      if (side.kind === 'prop' && side.target.kind === 'var') {
        hints.push({ variable: side.target.name, key: side.key, value: other, many: false });
      }
    }
  }
  return hints;
}

/**
 * Patterns normalised for matching and creating: every node and relationship gets a name
 * (anonymous ones a hidden generated name), quantified relationships and the simple form of
 * quantified path patterns become variable-length relationships, and WHERE equalities, ranges
 * and prefixes on a node's properties are collected so the matcher can start from an index seek.
 */
import { QuiverError } from '../../errors/quiver-error.js';
import type {
  CompareOp, Expr, LabelExpr, NodePattern, PathPattern, PatternStep, RelDirection, VarLength,
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

/** One side of a range predicate on a property: `n.key > value` is a lower bound. */
export interface HintBound {
  value: Expr;
  inclusive: boolean;
}

/**
 * Predicates on `n.key` found among a WHERE clause's AND-ed parts, candidates for an index seek
 * once their expressions' variables are bound: equalities `n.key = <expression>` and
 * memberships `n.key IN <list>`; ranges, every comparison of the key gathered in one hint (a
 * seek uses the first known bound of each side; the WHERE still checks them all); prefixes
 * `n.key STARTS WITH <expression>`.
 */
export type SeekHint =
  | { kind: 'equal'; variable: string; key: string; value: Expr;
    /** IN: one seek per element of the list. */
    many: boolean }
  | { kind: 'range'; variable: string; key: string; lowers: HintBound[]; uppers: HintBound[] }
  | { kind: 'prefix'; variable: string; key: string; value: Expr }
  /**
   * `A OR B` where each side has an equality seek: the match may run once per side with that
   * side's hints, each row kept by the first side whose predicate holds for it.
   */
  | { kind: 'either'; branches: OrBranch[] };

/** One side of an OR conjunct: its predicate and the seek hints it gives. */
export interface OrBranch {
  predicate: Expr;
  hints: SeekHint[];
}

/** No hints, one array for all: matchers remember choices per hints array. */
export const NO_HINTS: readonly SeekHint[] = [];

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

/** Splits a predicate into its OR-ed parts. */
function disjuncts(expr: Expr): Expr[] {
  return expr.kind === 'binary' && expr.op === 'OR'
    ? [...disjuncts(expr.left), ...disjuncts(expr.right)] : [expr];
}

/** The OR conjunct as branches, when every side has an equality to seek on; else null. */
function eitherHint(part: Expr): SeekHint | null {
  const sides = disjuncts(part);
  if (sides.length < 2) return null;
  const branches = sides.map((predicate) => ({ predicate, hints: seekHints(predicate) }));
  return branches.every((b) => b.hints.some((h) => h.kind === 'equal'))
    ? { kind: 'either', branches } : null;
}

/** `n.key` of a variable `n`, or null. */
function propertyOfVariable(expr: Expr): { variable: string; key: string } | null {
  return expr.kind === 'prop' && expr.target.kind === 'var'
    ? { variable: expr.target.name, key: expr.key } : null;
}

/** The range hint for `variable.key`, added to `hints` on first use. */
function rangeHint(hints: SeekHint[], variable: string, key: string):
  Extract<SeekHint, { kind: 'range' }> {
  for (const h of hints) {
    if (h.kind === 'range' && h.variable === variable && h.key === key) return h;
  }
  const hint: SeekHint = { kind: 'range', variable, key, lowers: [], uppers: [] };
  hints.push(hint);
  return hint;
}

/** `prop op other`: a bound of prop's range; with the property on the right, mirrored. */
function addBound(hints: SeekHint[], prop: Expr, op: CompareOp, other: Expr,
  mirrored: boolean): void {
  const target = propertyOfVariable(prop);
  if (target === null || op === '=' || op === '<>') return;
  const upper = (op === '<' || op === '<=') !== mirrored;
  const bound = { value: other, inclusive: op === '<=' || op === '>=' };
  const hint = rangeHint(hints, target.variable, target.key);
  (upper ? hint.uppers : hint.lowers).push(bound);
}

/** Each comparison of a chain (`10 < n.age <= 20` is two) that bounds a property. */
function compareHints(hints: SeekHint[], part: Extract<Expr, { kind: 'compare' }>): void {
  part.ops.forEach((op, i) => {
    const a = part.operands[i];
    const b = part.operands[i + 1];
    if (a === undefined || b === undefined) return;
    if (op === '=' && part.ops.length === 1) {
      for (const [side, other] of [[a, b], [b, a]] as const) {
        const target = propertyOfVariable(side);
        if (target !== null) hints.push({ kind: 'equal', ...target, value: other, many: false });
      }
      return;
    }
    addBound(hints, a, op, b, false);
    addBound(hints, b, op, a, true);
  });
}

/** Equalities, IN, comparisons and STARTS WITH on `n.key`: usable for an index seek. */
export function seekHints(where: Expr | null): SeekHint[] {
  const hints: SeekHint[] = [];
  for (const part of conjuncts(where)) {
    if (part.kind === 'compare') {
      compareHints(hints, part);
      continue;
    }
    if (part.kind !== 'binary') continue;
    if (part.op === 'OR') {
      const either = eitherHint(part);
      if (either !== null) hints.push(either);
      continue;
    }
    const target = propertyOfVariable(part.left);
    if (target === null) continue;
    if (part.op === 'IN') hints.push({ kind: 'equal', ...target, value: part.right, many: true });
    if (part.op === 'STARTS WITH') hints.push({ kind: 'prefix', ...target, value: part.right });
  }
  return hints;
}

/**
 * The chains of one MATCH with each named node's labels, from wherever the MATCH states them,
 * on every occurrence of the node: `(f)<--(post:Post), (post)-->(tag)` costs its second chain
 * from a Post, not from any node. The same variable is the same node, so the answers do not
 * change; the extra check is a label test per candidate.
 */
export function shareLabels(chains: readonly ChainSpec[]): ChainSpec[] {
  const labelsOf = new Map<string, LabelExpr[]>();
  for (const node of chains.flatMap((c) => c.nodes)) {
    if (!node.named || node.labels === null) continue;
    const seen = labelsOf.get(node.name) ?? [];
    if (!seen.includes(node.labels)) seen.push(node.labels);
    labelsOf.set(node.name, seen);
  }
  const labelled = (node: NodeSpec): NodeSpec => {
    const all = labelsOf.get(node.name);
    if (all === undefined || (all.length === 1 && all[0] === node.labels)) return node;
    const labels: LabelExpr = all.length === 1 ? all[0] as LabelExpr : { kind: 'and', items: all };
    return { ...node, labels };
  };
  return chains.map((chain) => chain.nodes.every((n) => labelled(n) === n) ? chain
    : { ...chain, nodes: chain.nodes.map(labelled) });
}

/**
 * Matching the path patterns of one MATCH against the graph, extending an input row. Each
 * chain starts from its most selective node (already bound, then an index seek, then the
 * smallest label, then all nodes) and expands right then left from there. Relationships are
 * unique across the whole MATCH, as Cypher requires.
 */
import { QuiverError } from '../../errors/quiver-error.js';
import type { Expr } from '../ast.js';
import { childExpressions } from '../expr-walk.js';
import type { NodeId, RelId } from '../../graph/types.js';
import {
  NodeRef, PathRef, RelRef, isCypherMap, type PropertyValue, type Value,
} from '../../graph/values.js';
import { cypherEquals } from '../values/compare.js';
import { typeName } from '../values/type-names.js';
import { evaluate, isTrue } from './evaluate.js';
import { labelsMatch, requiredLabels } from './label-match.js';
import type { ChainSpec, NodeSpec, RelSpec, SeekHint } from './pattern-spec.js';
import { shortestPaths } from './shortest-path.js';
import { extendRow, type ExecState, type Row } from './state.js';
import { expandVarLength } from './var-length.js';

export function* matchChains(chains: readonly ChainSpec[], hints: readonly SeekHint[], row: Row,
  state: ExecState, used: Set<RelId> = new Set()): Generator<Row> {
  const [first, ...rest] = chains;
  if (first === undefined) {
    yield row;
    return;
  }
  const matches = first.shortest === null ? matchChain(first, hints, row, state, used)
    : shortestPaths(first, row, state, used);
  for (const matched of matches) yield* matchChains(rest, hints, withPath(first, matched), state,
    used);
}

function withPath(chain: ChainSpec, row: Row): Row {
  if (chain.pathVariable === null || chain.shortest !== null) return row;
  return extendRow(row, chain.pathVariable, buildPath(chain, row));
}

export function buildPath(chain: ChainSpec, row: Row): PathRef {
  const nodes: NodeRef[] = [row.get(chain.nodes[0]?.name ?? '') as NodeRef];
  const rels: RelRef[] = [];
  chain.rels.forEach((rel, i) => {
    if (rel.length === null) {
      rels.push(row.get(rel.name) as RelRef);
      nodes.push(row.get(chain.nodes[i + 1]?.name ?? '') as NodeRef);
    } else {
      const segment = row.get(rel.segment) as PathRef;
      rels.push(...segment.rels);
      nodes.push(...segment.nodes.slice(1));
    }
  });
  return new PathRef(nodes, rels);
}

interface Step {
  rel: RelSpec;
  from: NodeSpec;
  to: NodeSpec;
  /** Walking the pattern right to left: the relationship's direction flips. */
  reversed: boolean;
}

function* matchChain(chain: ChainSpec, hints: readonly SeekHint[], row: Row, state: ExecState,
  used: Set<RelId>): Generator<Row> {
  const anchor = chooseAnchor(chain.nodes, hints, row, state);
  const anchorSpec = chain.nodes[anchor] as NodeSpec;
  const steps: Step[] = [];
  for (let i = anchor; i < chain.rels.length; i++) {
    steps.push({ rel: chain.rels[i] as RelSpec, from: chain.nodes[i] as NodeSpec,
      to: chain.nodes[i + 1] as NodeSpec, reversed: false });
  }
  for (let i = anchor - 1; i >= 0; i--) {
    steps.push({ rel: chain.rels[i] as RelSpec, from: chain.nodes[i + 1] as NodeSpec,
      to: chain.nodes[i] as NodeSpec, reversed: true });
  }
  for (const id of anchorCandidates(anchorSpec, hints, row, state)) {
    const bound = bindNode(anchorSpec, id, row, state);
    if (bound !== null) yield* expandSteps(steps, 0, bound, state, used);
  }
}

function* expandSteps(steps: Step[], index: number, row: Row, state: ExecState,
  used: Set<RelId>): Generator<Row> {
  const step = steps[index];
  if (step === undefined) {
    yield row;
    return;
  }
  const from = (row.get(step.from.name) as NodeRef).id;
  const direction = step.reversed ? flip(step.rel.direction) : step.rel.direction;
  if (step.rel.length !== null) {
    yield* expandVariable(steps, index, from, direction, row, state, used);
    return;
  }
  const boundRel = row.get(step.rel.name);
  for (const { rel, other } of state.graph.relationshipsOf(from, direction, step.rel.types)) {
    if (used.has(rel)) continue;
    if (boundRel !== undefined && !(boundRel instanceof RelRef && boundRel.id === rel)) continue;
    if (!relPropertiesMatch(step.rel, rel, row, state)) continue;
    let next = boundRel === undefined ? extendRow(row, step.rel.name, new RelRef(rel)) : row;
    if (!isTrue(step.rel.where, next, state)) continue;
    const withNode = bindNode(step.to, other, next, state);
    if (withNode === null) continue;
    next = withNode;
    used.add(rel);
    try {
      yield* expandSteps(steps, index + 1, next, state, used);
    } finally {
      used.delete(rel);
    }
  }
}

function* expandVariable(steps: Step[], index: number, from: NodeId,
  direction: 'out' | 'in' | 'both', row: Row, state: ExecState, used: Set<RelId>): Generator<Row> {
  const step = steps[index] as Step;
  const rel = step.rel;
  const spec = {
    direction, types: rel.types, min: rel.length?.min ?? 1, max: rel.length?.max ?? null,
    accept: (id: RelId) => relPropertiesMatch(rel, id, row, state),
  };
  for (const segment of expandVarLength(state, from, spec, used)) {
    const relIds = step.reversed ? [...segment.rels].reverse() : segment.rels;
    // The segment is kept in pattern order (left to right), whichever way it was walked.
    const orderedNodes = step.reversed ? [...segment.nodes].reverse().concat([from])
      : [from, ...segment.nodes];
    const relRefs = relIds.map((id) => new RelRef(id));
    const boundRel = row.get(rel.name);
    if (boundRel !== undefined && !sameRelList(boundRel, relRefs)) continue;
    let next = extendRow(row, rel.name, relRefs);
    next = extendRow(next, rel.segment, new PathRef(orderedNodes.map((id) => new NodeRef(id)),
      relRefs));
    const withNode = bindNode(step.to, segment.end, next, state);
    if (withNode === null) continue;
    yield* expandSteps(steps, index + 1, withNode, state, used);
  }
}

function sameRelList(bound: Value, rels: RelRef[]): boolean {
  return Array.isArray(bound) && bound.length === rels.length &&
    bound.every((r, i) => r instanceof RelRef && r.id === rels[i]?.id);
}

function flip(direction: 'out' | 'in' | 'both'): 'out' | 'in' | 'both' {
  return direction === 'out' ? 'in' : direction === 'in' ? 'out' : 'both';
}

/** Binds (or checks, if already bound) a node variable; null if the node does not qualify. */
export function bindNode(spec: NodeSpec, id: NodeId, row: Row, state: ExecState): Row | null {
  const existing = row.get(spec.name);
  if (existing !== undefined) {
    if (!(existing instanceof NodeRef) || existing.id !== id) return null;
  }
  if (!nodeQualifies(spec, id, row, state)) return null;
  const next = existing === undefined ? extendRow(row, spec.name, new NodeRef(id)) : row;
  return isTrue(spec.where, next, state) ? next : null;
}

function nodeQualifies(spec: NodeSpec, id: NodeId, row: Row, state: ExecState): boolean {
  const graph = state.graph;
  if (spec.labels !== null &&
    !labelsMatch(spec.labels, (l) => graph.hasLabel(id, l), graph.nodeLabels(id).length > 0)) {
    return false;
  }
  return propertiesMatch(spec.properties, (key) => graph.nodeProperty(id, key), row, state);
}

function relPropertiesMatch(spec: RelSpec, id: RelId, row: Row, state: ExecState): boolean {
  return propertiesMatch(spec.properties, (key) => state.graph.relProperty(id, key), row, state);
}

function propertiesMatch(expr: RelSpec['properties'], read: (key: string) => PropertyValue | null,
  row: Row, state: ExecState): boolean {
  if (expr === null) return true;
  const wanted = evaluate(expr, row, state);
  if (wanted === null) return false;
  if (!isCypherMap(wanted)) {
    throw new QuiverError('TypeError', `Expected a map of properties but was ${typeName(wanted)}`);
  }
  for (const [key, value] of wanted) {
    if (cypherEquals(read(key), value) !== true) return false;
  }
  return true;
}

/** Index of the node to start from. */
export function chooseAnchor(nodes: readonly NodeSpec[], hints: readonly SeekHint[], row: Row,
  state: ExecState): number {
  let best = 0;
  let bestCost = Infinity;
  nodes.forEach((node, i) => {
    const cost = anchorCost(node, hints, row, state);
    if (cost < bestCost) {
      best = i;
      bestCost = cost;
    }
  });
  return best;
}

function anchorCost(node: NodeSpec, hints: readonly SeekHint[], row: Row,
  state: ExecState): number {
  if (row.has(node.name)) return -1;
  const labels = requiredLabels(node.labels);
  const seekable = seekKeys(node, hints, row)
    .some(([key]) => labels.some((l) => state.graph.hasNodeIndex(l, key)));
  if (seekable) return 0;
  if (labels.length === 0) return state.graph.nodeCount() + 1;
  return Math.min(...labels.map((l) => state.graph.labelCount(l)));
}

/**
 * Keys whose value is known before the node is: literals, parameters and expressions over
 * variables the row already binds (`UNWIND $rows AS r MATCH (a:Person {id: r.src})`), from the
 * inline map and from WHERE equalities.
 */
function seekKeys(node: NodeSpec, hints: readonly SeekHint[], row: Row):
  [string, RelSpec['properties']][] {
  const keys: [string, RelSpec['properties']][] = [];
  if (node.properties?.kind === 'map') {
    for (const [key, value] of node.properties.entries) {
      if (knownBefore(value, row)) keys.push([key, value]);
    }
  }
  for (const hint of hints) if (hint.variable === node.name) keys.push([hint.key, hint.value]);
  return keys;
}

/** True when `expr` reads only parameters, literals and variables bound in `row`. */
function knownBefore(expr: Expr, row: Row): boolean {
  switch (expr.kind) {
    case 'literal': case 'param': return true;
    case 'var': return row.has(expr.name);
    case 'prop': case 'index': case 'list': case 'map': case 'binary':
      return childExpressions(expr).every((e) => knownBefore(e, row));
    default: return false;
  }
}

export function* anchorCandidates(node: NodeSpec, hints: readonly SeekHint[], row: Row,
  state: ExecState): Generator<NodeId> {
  const bound = row.get(node.name);
  if (bound !== undefined) {
    if (bound === null) return;
    if (!(bound instanceof NodeRef)) {
      throw new QuiverError('TypeError',
        `Type mismatch: expected Node but was ${typeName(bound)} for \`${node.name}\``);
    }
    yield bound.id;
    return;
  }
  const graph = state.graph;
  const labels = requiredLabels(node.labels);
  for (const [key, expr] of seekKeys(node, hints, row)) {
    for (const label of labels) {
      if (!graph.hasNodeIndex(label, key) || expr === null) continue;
      const value = evaluate(expr, row, state);
      if (value === null || isCypherMap(value)) return;
      const found = graph.seekNodes(label, key, value as PropertyValue);
      if (found !== null) {
        yield* found;
        return;
      }
    }
  }
  if (labels.length === 0) {
    yield* graph.allNodes();
    return;
  }
  let smallest = labels[0] as string;
  for (const label of labels) {
    if (graph.labelCount(label) < graph.labelCount(smallest)) smallest = label;
  }
  yield* graph.nodesByLabel(smallest);
}

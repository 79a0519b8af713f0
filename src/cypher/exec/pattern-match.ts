/**
 * Matching the path patterns of one MATCH against the graph, extending an input row. Each
 * chain starts from the node anchor-choice.ts finds cheapest (bound, index seek, label scan or
 * all nodes, costed with the expansions that follow) and expands right then left from there;
 * the chains are matched in the order join-order.ts finds cheapest. Relationships are unique
 * across the whole MATCH, as Cypher requires. Under PROFILE each step of a walk counts the rows
 * it lets through and is the step store reads count against while it works
 * (docs/decisions/0030-profile-counters.md); without PROFILE that is a null check per row.
 * A load runs a MATCH once per row, so its common shape costs no more than it must: a node an
 * index seek already proves is bound without being read again, and one node found at once is
 * handed back in a list, with no generator and no set of used relationships.
 */
import { assert } from '../../assert.js';
import { QuiverError } from '../../errors/quiver-error.js';
import {
  chooseAnchor, flip, seekValue, startNodes, walkOrder, type AnchorChoice, type SeekStart,
  type Start, type WalkStep,
} from './anchor-choice.js';
import type { Adjacent, NodeId, RelId } from '../../graph/types.js';
import {
  NodeRef, PathRef, RelRef, isCypherMap, type PropertyValue, type Value,
} from '../../graph/values.js';
import { cypherEquals } from '../values/compare.js';
import { typeName } from '../values/type-names.js';
import { evaluate, isTrue } from './evaluate.js';
import { labelsMatch } from './label-match.js';
import type { Expr } from '../ast.js';
import type { ChainSpec, NodeSpec, RelSpec, SeekHint } from './pattern-spec.js';
import { shortestPaths } from './shortest-path.js';
import { chainCounters, type ChainCounters } from './profiled-graph.js';
import { extendRow, type ExecState, type Row, type StepProfile } from './state.js';
import { expandVarLength } from './var-length.js';
import { memoJoinOrder } from './join-order.js';
import { orSplit, type SplitBranch } from './or-split.js';

type Step = Omit<WalkStep, 'rows'>;

/**
 * The rows `row` extends to. A list rather than a generator when the match is one node found
 * by at most one candidate (a unique seek: a load's `UNWIND $rows ... MATCH (a:Person {id:
 * r.src})`), since it runs once per input row; a set of used relationships only when the
 * pattern has a relationship to keep unique.
 */
export function matchChains(chains: readonly ChainSpec[], hints: readonly SeekHint[], row: Row,
  state: ExecState): Iterable<Row> {
  const relsUsed = hasRelationships(chains) ? new Set<RelId>() : NO_RELS;
  assert(NO_RELS.size === 0, 'a pattern without relationships marked one used');
  // Most patterns have no hints, so no OR to split: not asked per row.
  const branches = hints.length === 0 ? null : orSplit(chains, hints, row, state);
  if (branches !== null) return matchBranches(branches, row, state, relsUsed);
  return matchFrom(memoJoinOrder(chains, hints, row, state), 0, hints, row, state, relsUsed);
}

/** Shared by every match of chains with no relationship: nothing is ever added to it. */
const NO_RELS: Set<RelId> = new Set();
const NO_ROWS: readonly Row[] = [];

/** matchChains' answer for one node found at once: a list, read without an iterator. */
export function isRowList(rows: Iterable<Row>): rows is readonly Row[] {
  return Array.isArray(rows);
}

function hasRelationships(chains: readonly ChainSpec[]): boolean {
  for (const chain of chains) if (chain.rels.length > 0) return true;
  return false;
}

/** The union of the OR's sides: each row from the first side that claims it. */
function* matchBranches(branches: readonly SplitBranch[], row: Row, state: ExecState,
  used: Set<RelId>): Generator<Row> {
  for (let i = 0; i < branches.length; i++) {
    const branch = branches[i] as SplitBranch;
    for (const matched of matchFrom(branch.order, 0, branch.hints, row, state, used)) {
      if (!claims(branch, matched, state)) continue;
      if (branches.slice(0, i).some((earlier) => claims(earlier, matched, state))) continue;
      yield matched;
    }
  }
}

/**
 * A side claims a row its predicate holds for, and one it fails on: the MATCH's WHERE then
 * evaluates the same predicate and reports the error, as it would without the split.
 */
function claims(branch: SplitBranch, row: Row, state: ExecState): boolean {
  try {
    return isTrue(branch.predicate, row, state);
  } catch (e) {
    if (e instanceof QuiverError) return true;
    throw e;
  }
}

/** Chains `index` onwards matched in order; the last one's rows are handed back as they are. */
function matchFrom(chains: readonly ChainSpec[], index: number, hints: readonly SeekHint[],
  row: Row, state: ExecState, used: Set<RelId>): Iterable<Row> {
  const chain = chains[index];
  if (chain === undefined) return [row];
  const matches = matchWithPath(chain, hints, row, state, used);
  if (index + 1 === chains.length) return matches;
  return matchRest(chains, index + 1, hints, matches, state, used);
}

function* matchRest(chains: readonly ChainSpec[], index: number, hints: readonly SeekHint[],
  matches: Iterable<Row>, state: ExecState, used: Set<RelId>): Generator<Row> {
  for (const matched of matches) yield* matchFrom(chains, index, hints, matched, state, used);
}

function matchWithPath(chain: ChainSpec, hints: readonly SeekHint[], row: Row,
  state: ExecState, used: Set<RelId>): Iterable<Row> {
  if (chain.shortest !== null) return shortestPaths(chain, row, state, used);
  const matches = matchChain(chain, hints, row, state, used);
  return chain.pathVariable === null ? matches : withPaths(chain, chain.pathVariable, matches);
}

function* withPaths(chain: ChainSpec, pathVariable: string, rows: Iterable<Row>):
  Generator<Row> {
  for (const row of rows) yield extendRow(row, pathVariable, buildPath(chain, row));
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

/**
 * The anchor for this row. Without a bound node in the chain the choice depends only on which
 * variables the row has and on the hints (the sides of a split OR have their own), so it is
 * remembered per chain, hints and row shape for the execution.
 */
export function anchorFor(chain: ChainSpec, hints: readonly SeekHint[], row: Row,
  state: ExecState): AnchorChoice {
  if (bindsAny(chain, row)) return chooseAnchor(chain, hints, row, state);
  let byHints = state.memo.get(chain) as
    Map<readonly SeekHint[], Map<number, AnchorChoice>> | undefined;
  if (byHints === undefined) {
    byHints = new Map();
    state.memo.set(chain, byHints);
  }
  let byShape = byHints.get(hints);
  if (byShape === undefined) {
    byShape = new Map();
    byHints.set(hints, byShape);
  }
  let choice = byShape.get(row.size);
  if (choice === undefined) {
    choice = chooseAnchor(chain, hints, row, state);
    byShape.set(row.size, choice);
  }
  return choice;
}

function bindsAny(chain: ChainSpec, row: Row): boolean {
  for (const node of chain.nodes) if (row.has(node.name)) return true;
  return false;
}

/**
 * A chain's walk from each start it is walked from, made once: the steps are the same for
 * every row. Only those starts: every start's walk would be quadratic in the chain's length.
 */
const stepsMemo = new WeakMap<ChainSpec, Map<number, readonly Step[]>>();

function stepsFrom(chain: ChainSpec, index: number): readonly Step[] {
  assert(index < chain.nodes.length, 'a walk started past the last node of its chain');
  let byIndex = stepsMemo.get(chain);
  if (byIndex === undefined) {
    byIndex = new Map();
    stepsMemo.set(chain, byIndex);
  }
  let steps = byIndex.get(index);
  if (steps === undefined) {
    steps = walkOrder(chain, index);
    byIndex.set(index, steps);
  }
  return steps;
}

/**
 * PROFILE only: the counters of one chain walked for one row, `steps` in walk order (the
 * walk's start decides the order; the counters stay those of the pattern's positions).
 */
interface WalkProfile extends ChainCounters {
  readonly start: StepProfile;
  readonly steps: readonly StepProfile[];
}

function walkProfile(chain: ChainSpec, anchor: number, state: ExecState): WalkProfile | null {
  const found = chainCounters(chain, state.profiling);
  if (found === null) return null;
  const { nodes, rels } = found.counters;
  return { ...found, start: nodes[anchor] as StepProfile, steps: walkOrder(chain, anchor)
    .map((step) => rels[chain.rels.indexOf(step.rel)] as StepProfile) };
}

/** Where one walk of a chain starts: `ids` null when the walk finds them (under PROFILE). */
interface WalkStart {
  readonly choice: AnchorChoice;
  readonly ids: Iterable<NodeId> | null;
  /** The start's index seek proves each node fits the anchor's pattern (seekProves). */
  readonly proven: boolean;
}

function matchChain(chain: ChainSpec, hints: readonly SeekHint[], row: Row, state: ExecState,
  used: Set<RelId>): Iterable<Row> {
  const choice = anchorFor(chain, hints, row, state);
  const profile = state.profile === null ? null : walkProfile(chain, choice.index, state);
  if (choice.start.kind === 'rels') {
    const rows = walkTypeScan(chain, choice, row, state, used, profile);
    return profile === null ? rows : handingBack(rows, profile, state);
  }
  if (profile !== null) {
    const start = { choice, ids: null, proven: false };
    return handingBack(walkChain(chain, start, row, state, used, profile), profile, state);
  }
  const anchorSpec = chain.nodes[choice.index] as NodeSpec;
  // A one-value seek's value is evaluated once, for the seek and for seekProves.
  const seek = oneValueSeek(choice.start);
  const value = seek === null ? null : evaluate(seek.value, row, state);
  const ids = seek === null ? startNodes(anchorSpec, choice.start, row, state)
    : seekValue(seek, value, state);
  // Under PROFILE every read is counted (here: a chain PROFILE does not break down), so the
  // seek's nodes are read again as before rather than change what PROFILE reports.
  const proven = seek !== null && state.profile === null && seekProves(anchorSpec, seek, value);
  const few = chain.rels.length === 0 ? atMostOne(ids) : null;
  if (few !== null) {
    const id = few[0];
    if (id === undefined) return NO_ROWS;
    state.guard.tick();
    const bound = bindStart(anchorSpec, id, proven, row, state);
    return bound === null ? NO_ROWS : [bound];
  }
  return walkChain(chain, { choice, ids, proven }, row, state, used, null);
}

/** `ids` when it is a list of at most one node: the match then needs no generator. */
function atMostOne(ids: Iterable<NodeId>): readonly NodeId[] | null {
  return Array.isArray(ids) && ids.length <= 1 ? ids as readonly NodeId[] : null;
}

/**
 * True when every node `start` finds is known to fit `spec` without reading it again, as the
 * seek checked label and value itself: a single-value seek on the pattern's one label, no
 * inline WHERE, and no inline property but the seek's own, with a value the index compares as
 * Cypher does (a string, integer, boolean or float other than NaN; the index would find a NaN,
 * which Cypher calls equal to nothing, and keys lists and maps in ways to be checked again).
 * `value` is the seek's value in this row.
 */
function seekProves(spec: NodeSpec, start: SeekStart, value: Value): boolean {
  if (start.many || spec.where !== null) return false;
  const labels = spec.labels;
  if (labels === null || labels.kind !== 'label' || labels.name !== start.label) return false;
  const properties = spec.properties;
  if (properties === null) return true;
  if (properties.kind !== 'map' || properties.entries.length !== 1) return false;
  const entry = properties.entries[0] as [string, Expr];
  if (entry[0] !== start.key || entry[1] !== start.value) return false;
  switch (typeof value) {
    case 'string': case 'bigint': case 'boolean': return true;
    case 'number': return !Number.isNaN(value);
    default: return false;
  }
}

function oneValueSeek(start: Start): SeekStart | null {
  return start.kind === 'seek' && !start.many ? start : null;
}

/** The row with the walk's first node bound, or null when the node does not fit. */
function bindStart(spec: NodeSpec, id: NodeId, proven: boolean, row: Row,
  state: ExecState): Row | null {
  if (!proven) return bindNode(spec, id, row, state);
  assert(!row.has(spec.name), 'a seek start for a node the row already binds');
  return extendRow(row, spec.name, new NodeRef(id));
}

/**
 * PROFILE: the walk's rows, and the caller's step set again however the walk ends (a consumer
 * that stops early too): a step left set would take the reads of whatever runs next.
 */
function* handingBack(rows: Iterable<Row>, profile: WalkProfile, state: ExecState):
  Generator<Row> {
  try {
    yield* rows;
  } finally {
    state.profiling.step = profile.caller;
  }
}

function* walkChain(chain: ChainSpec, start: WalkStart, row: Row, state: ExecState,
  used: Set<RelId>, profile: WalkProfile | null): Generator<Row> {
  const choice = start.choice;
  const steps = stepsFrom(chain, choice.index);
  const anchorSpec = chain.nodes[choice.index] as NodeSpec;
  const single = steps.length === 1 && steps[0]?.rel.length === null ? steps[0] : null;
  // Nothing reads an anonymous relationship's variable unless a path is built from the row.
  const unread = single !== null && !single.rel.named && single.rel.where === null &&
    chain.pathVariable === null;
  if (profile !== null) state.profiling.step = profile.start;
  const ids = start.ids ?? startNodes(anchorSpec, choice.start, row, state);
  for (const id of ids) {
    state.guard.tick();
    const bound = bindStart(anchorSpec, id, start.proven, row, state);
    if (bound === null) continue;
    if (profile === null && single !== null) {
      // One fixed-length step: expanded here, as a generator per start node would cost more.
      const boundRel = bound.get(single.rel.name);
      for (const { rel, other } of adjacentOn(single, bound, state)) {
        state.guard.tick();
        const next = stepRow(single, { rel, other, boundRel, unread }, bound, state, used);
        if (next === null) continue;
        used.add(rel);
        try {
          yield next;
        } finally {
          used.delete(rel);
        }
      }
      continue;
    }
    if (profile === null) {
      if (steps.length === 0) yield bound;
      else yield* expandSteps(steps, 0, bound, state, used, null);
      continue;
    }
    profile.start.rows++;
    yield* expandSteps(steps, 0, bound, state, used, profile);
    state.profiling.step = profile.start;
  }
}

/**
 * A walk that starts with a type scan: each relationship of the types, in id order, binds the
 * anchor (its end on the anchor's side), and the walk's first step takes it alone.
 */
function* walkTypeScan(chain: ChainSpec, choice: AnchorChoice, row: Row, state: ExecState,
  used: Set<RelId>, profile: WalkProfile | null): Generator<Row> {
  const steps = stepsFrom(chain, choice.index);
  const first = steps[0] as Step;
  const anchorSpec = chain.nodes[choice.index] as NodeSpec;
  const outward = first.rel.direction === 'out';
  const unread = steps.length === 1 && !first.rel.named && first.rel.where === null &&
    chain.pathVariable === null;
  const counter = profile === null ? null : profile.steps[0] as StepProfile;
  if (counter !== null) state.profiling.step = counter;
  const graph = state.graph;
  for (const rel of graph.relationshipsOfTypes?.(first.rel.types) ?? []) {
    state.guard.tick();
    const start = graph.relStart(rel);
    const end = graph.relEnd(rel);
    const bound = bindNode(anchorSpec, outward ? start : end, row, state);
    if (bound === null) continue;
    const next = stepRow(first, { rel, other: outward ? end : start, boundRel: undefined,
      unread }, bound, state, used);
    if (next === null) continue;
    used.add(rel);
    try {
      if (counter !== null) counter.rows++;
      if (profile === null && steps.length === 1) yield next;
      else yield* expandSteps(steps, 1, next, state, used, profile);
    } finally {
      used.delete(rel);
    }
    if (counter !== null) state.profiling.step = counter;
  }
}

function* expandSteps(steps: readonly Step[], index: number, row: Row, state: ExecState,
  used: Set<RelId>, profile: WalkProfile | null): Generator<Row> {
  const step = steps[index];
  if (step === undefined) {
    // The row leaves the walk: what its consumer reads is not this chain's work.
    if (profile !== null) state.profiling.step = profile.caller;
    yield row;
    return;
  }
  if (step.rel.length !== null) {
    yield* expandVariable(steps, index, row, state, used, profile);
    return;
  }
  const boundRel = row.get(step.rel.name);
  const last = index + 1 === steps.length;
  const counter = profile === null ? null : profile.steps[index] as StepProfile;
  if (counter !== null) state.profiling.step = counter;
  for (const { rel, other } of adjacentOn(step, row, state)) {
    state.guard.tick();
    const next = stepRow(step, { rel, other, boundRel, unread: false }, row, state, used);
    if (next === null) continue;
    used.add(rel);
    try {
      if (counter === null) {
        if (last) yield next;
        else yield* expandSteps(steps, index + 1, next, state, used, null);
      } else {
        counter.rows++;
        yield* expandSteps(steps, index + 1, next, state, used, profile);
      }
    } finally {
      used.delete(rel);
    }
    if (counter !== null) state.profiling.step = counter;
  }
}

function adjacentOn(step: Step, row: Row, state: ExecState): Iterable<Adjacent> {
  const from = (row.get(step.from.name) as NodeRef).id;
  const direction = step.reversed ? flip(step.rel.direction) : step.rel.direction;
  return state.graph.relationshipsOf(from, direction, step.rel.types);
}

/**
 * `row` extended over relationship `rel` to node `other`, or null when they do not match.
 * `unread`: the relationship's variable is anonymous and no path is built, so it is not bound.
 */
function stepRow(step: Step, found: { readonly rel: RelId; readonly other: NodeId;
  readonly boundRel: Value | undefined; readonly unread: boolean }, row: Row, state: ExecState,
  used: Set<RelId>): Row | null {
  const { rel, boundRel } = found;
  if (used.has(rel)) return null;
  if (boundRel !== undefined && !(boundRel instanceof RelRef && boundRel.id === rel)) return null;
  if (!relPropertiesMatch(step.rel, rel, row, state)) return null;
  const next = boundRel !== undefined || found.unread ? row
    : extendRow(row, step.rel.name, new RelRef(rel));
  if (!isTrue(step.rel.where, next, state)) return null;
  return bindNode(step.to, found.other, next, state);
}

function* expandVariable(steps: readonly Step[], index: number, row: Row, state: ExecState,
  used: Set<RelId>, profile: WalkProfile | null): Generator<Row> {
  const step = steps[index] as Step;
  const rel = step.rel;
  const from = (row.get(step.from.name) as NodeRef).id;
  const direction = step.reversed ? flip(rel.direction) : rel.direction;
  const spec = {
    direction, types: rel.types, min: rel.length?.min ?? 1, max: rel.length?.max ?? null,
    accept: (id: RelId) => relPropertiesMatch(rel, id, row, state),
  };
  const counter = profile === null ? null : profile.steps[index] as StepProfile;
  if (counter !== null) state.profiling.step = counter;
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
    if (counter !== null) counter.rows++;
    yield* expandSteps(steps, index + 1, withNode, state, used, profile);
    if (counter !== null) state.profiling.step = counter;
  }
}

function sameRelList(bound: Value, rels: RelRef[]): boolean {
  return Array.isArray(bound) && bound.length === rels.length &&
    bound.every((r, i) => r instanceof RelRef && r.id === rels[i]?.id);
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

/** Closures are made only when needed: this runs once per candidate node. */
function nodeQualifies(spec: NodeSpec, id: NodeId, row: Row, state: ExecState): boolean {
  const graph = state.graph;
  const labels = spec.labels;
  if (labels !== null) {
    const ok = labels.kind === 'label' ? graph.hasLabel(id, labels.name)
      : labelsMatch(labels, (l) => graph.hasLabel(id, l), () => graph.nodeLabels(id).length > 0);
    if (!ok) return false;
  }
  if (spec.properties === null) return true;
  return propertiesMatch(spec.properties, (key) => graph.nodeProperty(id, key), row, state);
}

function relPropertiesMatch(spec: RelSpec, id: RelId, row: Row, state: ExecState): boolean {
  if (spec.properties === null) return true;
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

/**
 * Where a path pattern starts and which way it is walked, chosen by cost: every node of the
 * chain is costed as the starting point (a bound variable, an equality, range or prefix index
 * seek, a label scan or all nodes), and the rows each expansion then produces are estimated
 * from the graph's statistics (average degree per label, type and direction; the exact degree
 * of a bound node). A relationship of the chain may be the start too: a type scan reads every
 * relationship of its types in id order, binding both its ends at once, and the walk goes on
 * from its right end as if it had come over it (docs/decisions/0046-relationship-type-scan.md).
 * The cheapest start wins; the walk goes right from it, then left.
 */
import { AssertionFailed } from '../../assert.js';
import { QuiverError } from '../../errors/quiver-error.js';
import { isRangeBound, type RangeBound, type ValueRange } from '../../graph/ordered-index.js';
import type { GraphStatistics } from '../../graph/statistics.js';
import type { Direction, NodeId } from '../../graph/types.js';
import { NodeRef, isCypherMap, type PropertyValue, type Value } from '../../graph/values.js';
import type { Expr } from '../ast.js';
import { childExpressions } from '../expr-walk.js';
import { typeName } from '../values/type-names.js';
import { evaluate } from './evaluate.js';
import { requiredLabels } from './label-match.js';
import type { ChainSpec, HintBound, NodeSpec, RelSpec, SeekHint } from './pattern-spec.js';
import { extendRow, type ExecState, type Row } from './state.js';

/** A range or prefix seek's bounds, as expressions evaluated for each row. */
export type RangeSeek =
  | { kind: 'between'; lower: HintBound | null; upper: HintBound | null }
  | { kind: 'prefix'; value: Expr };

/** How a chain's first node is found. */
export type Start =
  | { kind: 'bound' }
  /**
   * `value`: what the key must equal (or, with `many`, be in), known before the node in rows
   * of the shape the start was chosen for, so each row evaluates it without a search.
   */
  | { kind: 'seek'; label: string; key: string; many: boolean; value: Expr }
  /** `fraction`: the share of the index's distinct values estimated to be in range. */
  | { kind: 'range'; label: string; key: string; seek: RangeSeek; fraction: number }
  | { kind: 'label'; label: string }
  | { kind: 'all' }
  /**
   * The relationships of `types` in id order: the anchor is the left node of the chain's
   * relationship at the same index, which the walk's first step then takes as scanned.
   */
  | { kind: 'rels'; types: readonly string[] };

export type SeekStart = Extract<Start, { kind: 'seek' }>;

export interface AnchorChoice {
  index: number;
  start: Start;
  /** Estimated rows the chain produces per input row. */
  estimatedRows: number;
  /** Estimated rows handled on the way: the start's plus every expansion's. */
  cost: number;
}

/** A property key whose value is known before the node is matched, and how to compute it. */
interface SeekKey {
  key: string;
  value: Expr;
  /** `n.key IN list`: one seek per element. */
  many: boolean;
}

/** Selectivity guesses where no statistic applies, as cost-based planners commonly use. */
const PROPERTY_SELECTIVITY = 0.1;
const PREDICATE_SELECTIVITY = 0.5;
/** Shares of an index a range and a prefix seek are guessed to return when the bounds vary. */
const RANGE_SELECTIVITY = 0.3;
const PREFIX_SELECTIVITY = 0.1;
/**
 * Type-column entries a type scan reads for the cost of one row handled: it reads the type of
 * every id in the range its types were given (RelColumns.typesIdRange), a sequential read of
 * an Int32Array. Costed as if that range were every relationship, which it may be.
 */
const TYPE_SCAN_ENTRIES_PER_ROW = 32;
/**
 * Starts whose walks are costed, of each kind: costing a walk reads the whole chain, so
 * costing every node of a chain of thousands (which only a generated query has) would take
 * time and memory quadratic in its length. Node starts are taken fewest rows first.
 */
const COSTED_STARTS_MAX = 16;
/** Variable-length expansions are estimated up to this many hops. */
const ESTIMATED_HOPS_MAX = 3;
/**
 * Counting a bound node's relationships stops here: past it the node is simply "large", and
 * counting a hub's thousands only to decide not to walk them would cost what it saves.
 */
const EXACT_DEGREE_MAX = 64;
const ESTIMATE_MAX = 1e15;
/** Exact degrees remembered per relationship pattern and execution. */
const DEGREE_MEMO_MAX = 100_000;
/**
 * Functions whose result a seek may compute once per input row: deterministic, and reading
 * only their arguments (`a.id = startNode(r).id`).
 */
const SEEKABLE_FUNCTIONS: ReadonlySet<string> = new Set(['startnode', 'endnode']);

export function flip(direction: Direction): Direction {
  return direction === 'out' ? 'in' : direction === 'in' ? 'out' : 'both';
}

/** The cheapest start of `chain` for this row; under naive planning always the first node. */
export function chooseAnchor(chain: ChainSpec, hints: readonly SeekHint[], row: Row,
  state: ExecState): AnchorChoice {
  const stats = state.statistics;
  if (state.naivePlanning) {
    const start = scanStart(chain.nodes[0] as NodeSpec, row, stats);
    const walked = walkCost(chain, 0, start, startRowsOf(start, stats), row, state);
    return { index: 0, start, estimatedRows: walked.rows, cost: walked.cost };
  }
  // Fewest start rows first: a walk costs at least its start's rows, so once a cheap start is
  // costed, starts with more rows than its whole cost need no walk costed (this runs per row
  // when a node of the chain is bound). Ties keep the leftmost start.
  const candidates = chain.nodes.map((node, index) => {
    const start = bestStart(node, hints, row, state, stats);
    return { node, index, start, rows: startRowsOf(start, stats) };
  }).sort((a, b) => a.rows - b.rows || a.index - b.index);
  let best: AnchorChoice | null = null;
  const costed = Math.min(candidates.length, COSTED_STARTS_MAX);
  for (let rank = 0; rank < costed; rank++) {
    const { node, index, start, rows } = candidates[rank] as (typeof candidates)[number];
    if (best !== null && rows > best.cost) break;
    const walked = walkCost(chain, index, start, rows,
      withSeekedNode(chain, node, start, hints, row, state), state);
    if (best === null || walked.cost < best.cost ||
      (walked.cost === best.cost && index < best.index)) {
      best = { index, start, estimatedRows: walked.rows, cost: walked.cost };
    }
  }
  // A type scan competes with scans: a seek or a bound node is never worse than reading every
  // relationship of a type. Its reads of the type column are costed as every relationship's,
  // so it is not costed at all when a start already costs less than that.
  if (candidates.some((c) => c.start.kind !== 'label' && c.start.kind !== 'all') ||
    (best !== null && best.cost <= stats.relationshipCount() / TYPE_SCAN_ENTRIES_PER_ROW)) {
    return best ?? { index: 0, start: { kind: 'all' }, estimatedRows: 0, cost: 0 };
  }
  for (let index = 0, costed = 0; index < chain.rels.length && costed < COSTED_STARTS_MAX;
    index++) {
    if (!typeScannable(chain, index, row, state)) continue;
    costed++;
    const start: Start = { kind: 'rels', types: (chain.rels[index] as RelSpec).types };
    const walked = walkCost(chain, index, start, startRowsOf(start, stats), row, state);
    if (best === null || walked.cost < best.cost) {
      best = { index, start, estimatedRows: walked.rows, cost: walked.cost };
    }
  }
  return best ?? { index: 0, start: { kind: 'all' }, estimatedRows: 0, cost: 0 };
}

/**
 * `row` with the node a single-value seek finds bound, when it finds exactly one and its value
 * is known in this row: the walk is then costed with that node's exact degree rather than its
 * label's average (one tag in a thousand posts, not the two of an average tag). A value read
 * from a variable that is only a placeholder while the join order is chosen is not known.
 */
function withSeekedNode(chain: ChainSpec, node: NodeSpec, start: Start,
  hints: readonly SeekHint[], row: Row, state: ExecState): Row {
  // Without a relationship there is no degree to cost: the seek waits for startNodes.
  if (chain.rels.length === 0 || start.kind !== 'seek' || start.many) return row;
  if (!hasValues(start.value, row)) return row;
  let found: NodeId | null = null;
  try {
    for (const id of seekOne(start, row, state)) {
      if (found !== null) return row;
      found = id;
    }
  } catch {
    // The same error is raised when the seek runs; the estimate alone need not fail.
    return row;
  }
  return found === null ? row : extendRow(row, node.name, new NodeRef(found));
}

/** True when every variable `expr` reads has a value in `row` (not a costing placeholder). */
function hasValues(expr: Expr, row: Row): boolean {
  if (expr.kind === 'var') return (row.get(expr.name) ?? null) !== null;
  return childExpressions(expr).every((e) => hasValues(e, row));
}

function scanStart(node: NodeSpec, row: Row, stats: GraphStatistics): Start {
  if (row.has(node.name)) return { kind: 'bound' };
  const labels = requiredLabels(node.labels);
  if (labels.length === 0) return { kind: 'all' };
  let smallest = labels[0] as string;
  for (const label of labels) {
    if (stats.labelCount(label) < stats.labelCount(smallest)) smallest = label;
  }
  return { kind: 'label', label: smallest };
}

function bestStart(node: NodeSpec, hints: readonly SeekHint[], row: Row, state: ExecState,
  stats: GraphStatistics): Start {
  const scan = scanStart(node, row, stats);
  if (scan.kind === 'bound') return scan;
  const starts: Start[] = [scan];
  const labels = requiredLabels(node.labels);
  for (const seek of seekKeys(node, hints, row)) {
    for (const label of labels) {
      if (state.graph.hasNodeIndex(label, seek.key)) {
        starts.push({ kind: 'seek', label, key: seek.key, many: seek.many, value: seek.value });
      }
    }
  }
  for (const { key, seek } of rangeSeeks(node, hints, row)) {
    for (const label of labels) {
      if (state.graph.hasNodeIndex(label, key)) {
        starts.push({ kind: 'range', label, key, seek,
          fraction: estimatedFraction(label, key, seek, state) });
      }
    }
  }
  let best: Start = scan;
  let bestRows = startRowsOf(scan, stats);
  for (const start of starts) {
    const rows = startRowsOf(start, stats);
    if (rows < bestRows) {
      best = start;
      bestRows = rows;
    }
  }
  return best;
}

/**
 * Whether relationship `index` of the chain can start the walk as a type scan: one hop, a
 * direction and types, neither end nor itself bound, and a reader that scans by type.
 */
function typeScannable(chain: ChainSpec, index: number, row: Row, state: ExecState): boolean {
  const rel = chain.rels[index] as RelSpec;
  return rel.length === null && rel.direction !== 'both' && rel.types.length > 0 &&
    !row.has(rel.name) && !row.has((chain.nodes[index] as NodeSpec).name) &&
    !row.has((chain.nodes[index + 1] as NodeSpec).name) &&
    state.graph.relationshipsOfTypes !== undefined;
}

function startRowsOf(start: Start, stats: GraphStatistics): number {
  switch (start.kind) {
    case 'rels': return stats.typeCount(start.types);
    case 'bound': return 1;
    case 'seek': return stats.seekRows(start.label, start.key) * (start.many ? 10 : 1);
    case 'range': return stats.labelCount(start.label) * start.fraction;
    case 'label': return stats.labelCount(start.label);
    case 'all': return stats.nodeCount();
  }
}

/** One expansion of a chain as it will be walked, and the rows estimated after it. */
export interface WalkStep {
  from: NodeSpec;
  rel: RelSpec;
  to: NodeSpec;
  /** Walking the pattern right to left: the relationship's direction flips. */
  reversed: boolean;
  rows: number;
}

/** The expansions of a chain started at `index`: rightwards first, then leftwards. */
export function walkOrder(chain: ChainSpec, index: number): Omit<WalkStep, 'rows'>[] {
  const steps: Omit<WalkStep, 'rows'>[] = [];
  for (let i = index; i < chain.rels.length; i++) {
    steps.push({ from: chain.nodes[i] as NodeSpec, rel: chain.rels[i] as RelSpec,
      to: chain.nodes[i + 1] as NodeSpec, reversed: false });
  }
  for (let i = index - 1; i >= 0; i--) {
    steps.push({ from: chain.nodes[i + 1] as NodeSpec, rel: chain.rels[i] as RelSpec,
      to: chain.nodes[i] as NodeSpec, reversed: true });
  }
  return steps;
}

/**
 * Work of walking the chain from `index` and the rows it ends with: the sum of the rows
 * entering each expansion, each step multiplying by its estimated degree and by the
 * selectivity of the node it reaches. A type scan's first step is the scan itself: as for an
 * expansion, its rows are those whose ends fit, and reading the type column is its own cost.
 * `trace` receives every step with its rows.
 */
function walkCost(chain: ChainSpec, index: number, start: Start, rows0: number, row: Row,
  state: ExecState, trace?: WalkStep[]): { cost: number; rows: number } {
  const stats = state.statistics;
  let rows = rows0;
  let cost = start.kind === 'rels' ? stats.relationshipCount() / TYPE_SCAN_ENTRIES_PER_ROW
    : rows0;
  for (const [i, step] of walkOrder(chain, index).entries()) {
    const direction = step.reversed ? flip(step.rel.direction) : step.rel.direction;
    if (i === 0 && start.kind === 'rels') {
      // The scan's own step: walkOrder starts rightwards, over relationship `index`. The rows
      // it handles are those whose ends have the labels; guessed filters only thin its output.
      const scanned = scannedSelectivity(step, stats);
      rows = rows0 * scanned.labels * scanned.guesses;
      cost += rows0 * scanned.labels;
    } else {
      rows = Math.min(ESTIMATE_MAX, rows * hopRows(step.from, step.rel, step.to, direction, row,
        state) * nodeSelectivity(step, direction, row, stats));
      cost += rows;
    }
    trace?.push({ ...step, rows });
  }
  return { cost, rows };
}

/**
 * The shares of a type scan's relationships whose ends both have the step's labels (measured
 * on the type's own relationships) and that then pass its properties and predicates (guessed).
 */
function scannedSelectivity(step: Omit<WalkStep, 'rows'>, stats: GraphStatistics):
  { labels: number; guesses: number } {
  const fromSide = step.rel.direction === 'out' ? 'start' : 'end';
  const labelShare = (node: NodeSpec, side: 'start' | 'end'): number => {
    let share = 1;
    for (const label of requiredLabels(node.labels)) {
      share = Math.min(share, stats.typeEndFraction(step.rel.types, side, label));
    }
    return share;
  };
  const relGuess = (step.rel.properties === null ? 1 : PROPERTY_SELECTIVITY) *
    (step.rel.where === null ? 1 : PREDICATE_SELECTIVITY);
  return {
    labels: labelShare(step.from, fromSide) *
      labelShare(step.to, fromSide === 'start' ? 'end' : 'start'),
    guesses: guessedSelectivity(step.from) * guessedSelectivity(step.to) * relGuess,
  };
}

/** EXPLAIN: how a single node pattern is found (shortestPath's ends), and how many rows. */
export function explainStart(node: NodeSpec, hints: readonly SeekHint[], row: Row,
  state: ExecState): { start: Start; rows: number } {
  const start = state.naivePlanning ? scanStart(node, row, state.statistics)
    : bestStart(node, hints, row, state, state.statistics);
  return { start, rows: startRowsOf(start, state.statistics) };
}

/** EXPLAIN: the chosen start, its estimated rows, and each expansion with its estimate. */
export function explainChain(chain: ChainSpec, hints: readonly SeekHint[], row: Row,
  state: ExecState): { choice: AnchorChoice; startRows: number; steps: WalkStep[] } {
  const choice = chooseAnchor(chain, hints, row, state);
  const startRows = startRowsOf(choice.start, state.statistics);
  const steps: WalkStep[] = [];
  walkCost(chain, choice.index, choice.start, startRows, row, state, steps);
  return { choice, startRows, steps };
}

/**
 * A bound node's degree for a relationship pattern, counted up to EXACT_DEGREE_MAX once per
 * execution: a choice made per row meets the same nodes again and again.
 */
function exactDegree(id: NodeId, direction: Direction, rel: RelSpec, state: ExecState): number {
  let byNode = state.memo.get(rel) as Map<number, number> | undefined;
  if (byNode === undefined) {
    byNode = new Map();
    state.memo.set(rel, byNode);
  }
  const key = id * 3 + (direction === 'out' ? 0 : direction === 'in' ? 1 : 2);
  let degree = byNode.get(key);
  if (degree === undefined) {
    if (byNode.size >= DEGREE_MEMO_MAX) byNode.clear();
    degree = state.statistics.degreeOf(id, direction, rel.types, EXACT_DEGREE_MAX);
    byNode.set(key, degree);
  }
  return degree;
}

/** Relationships one node yields for this step: exact for a bound node, else the average. */
function hopRows(from: NodeSpec, rel: RelSpec, to: NodeSpec, direction: Direction, row: Row,
  state: ExecState): number {
  const stats = state.statistics;
  const bound = row.get(from.name);
  const exact = bound instanceof NodeRef
    ? exactDegree(bound.id, direction, rel, state) : null;
  // Counting stopped at the cap: the node is at least that large, and likely above average.
  let degree = exact !== null && exact < EXACT_DEGREE_MAX ? exact : Math.max(exact ?? 0,
    stats.averageDegree(requiredLabels(from.labels)[0] ?? null, direction, rel.types));
  if (rel.properties !== null) degree *= PROPERTY_SELECTIVITY;
  if (rel.where !== null) degree *= PREDICATE_SELECTIVITY;
  if (rel.length === null) return degree;
  // Past the first hop the degree is that of the nodes the walk passes through, taken to be
  // like its far end (else its start): in a hierarchy walked up from a class, a class has
  // hundreds of members and a member no subclasses, so the first hop's degree raised to a
  // power would be wildly high.
  const through = requiredLabels(to.labels)[0] ?? requiredLabels(from.labels)[0] ?? null;
  let onward = stats.averageDegree(through, direction, rel.types);
  if (rel.properties !== null) onward *= PROPERTY_SELECTIVITY;
  const min = rel.length.min ?? 1;
  const max = Math.min(rel.length.max ?? ESTIMATED_HOPS_MAX, ESTIMATED_HOPS_MAX);
  let total = min === 0 ? 1 : 0;
  let reached = 1;
  for (let hops = 1; hops <= max; hops++) {
    reached *= hops === 1 ? degree : onward;
    if (hops >= min) total += reached;
  }
  return total;
}

/**
 * The fraction of the nodes a step reaches that qualify: for labels, the share measured on the
 * step's own relationships (a type often implies its end's label); for a bound node, one in
 * all; guesses for properties and predicates.
 */
function nodeSelectivity(step: Omit<WalkStep, 'rows'>, direction: Direction, row: Row,
  stats: GraphStatistics): number {
  const node = step.to;
  if (row.has(node.name)) return 1 / Math.max(1, stats.nodeCount());
  const fromLabel = requiredLabels(step.from.labels)[0] ?? null;
  let fraction = 1;
  for (const label of requiredLabels(node.labels)) {
    fraction = Math.min(fraction, step.rel.length === null
      ? stats.endLabelFraction(fromLabel, direction, step.rel.types, label)
      : stats.labelCount(label) / Math.max(1, stats.nodeCount()));
  }
  return fraction * guessedSelectivity(node);
}

/** The guessed share of nodes that pass a node pattern's properties and inline WHERE. */
function guessedSelectivity(node: NodeSpec): number {
  let fraction = 1;
  if (node.properties?.kind === 'map') {
    fraction *= PROPERTY_SELECTIVITY ** node.properties.entries.length;
  } else if (node.properties !== null) {
    fraction *= PROPERTY_SELECTIVITY;
  }
  if (node.where !== null) fraction *= PREDICATE_SELECTIVITY;
  return fraction;
}

/**
 * The range and prefix seeks usable for `node` in this row: per range hint, the first lower
 * and the first upper bound whose value is known before the node is.
 */
function rangeSeeks(node: NodeSpec, hints: readonly SeekHint[], row: Row):
  { key: string; seek: RangeSeek }[] {
  const seeks: { key: string; seek: RangeSeek }[] = [];
  for (const hint of hints) {
    if (hint.kind === 'either' || hint.variable !== node.name) continue;
    if (hint.kind === 'prefix' && knownBefore(hint.value, row)) {
      seeks.push({ key: hint.key, seek: { kind: 'prefix', value: hint.value } });
    } else if (hint.kind === 'range') {
      const lower = hint.lowers.find((b) => knownBefore(b.value, row)) ?? null;
      const upper = hint.uppers.find((b) => knownBefore(b.value, row)) ?? null;
      if (lower !== null || upper !== null) {
        seeks.push({ key: hint.key, seek: { kind: 'between', lower, upper } });
      }
    }
  }
  return seeks;
}

/**
 * The share of the index's distinct values in range, measured on the index when the bounds
 * are constants (literals, parameters); a guess when they depend on the row, so a plan made
 * once for all rows (or for EXPLAIN) does not rest on one row's values.
 */
function estimatedFraction(label: string, key: string, seek: RangeSeek,
  state: ExecState): number {
  const guess = seek.kind === 'prefix' ? PREFIX_SELECTIVITY : RANGE_SELECTIVITY;
  const exprs = seek.kind === 'prefix' ? [seek.value]
    : [seek.lower?.value, seek.upper?.value].filter((e) => e !== undefined);
  if (!exprs.every((e) => knownBefore(e, new Map()))) return guess;
  let range: ValueRange | 'empty' | 'scan';
  try {
    range = rangeOf(seek, new Map(), state);
  } catch {
    // The same error is raised when the seek runs; the estimate alone need not fail.
    return guess;
  }
  if (range === 'empty') return 0;
  if (range === 'scan') return 1;
  return state.graph.rangeFraction?.(label, key, range) ?? guess;
}

/**
 * The range a seek asks the index for in this row: 'empty' when a bound is null (the
 * comparison is null, so no row passes), 'scan' when a bound is of a type the index does not
 * order (the WHERE clause decides, node by node).
 */
function rangeOf(seek: RangeSeek, row: Row, state: ExecState): ValueRange | 'empty' | 'scan' {
  if (seek.kind === 'prefix') {
    const prefix = evaluate(seek.value, row, state);
    if (prefix === null) return 'empty';
    return typeof prefix === 'string' ? { kind: 'prefix', prefix } : 'scan';
  }
  const bound = (b: HintBound | null): RangeBound | null | 'empty' | 'scan' => {
    if (b === null) return null;
    const value = evaluate(b.value, row, state);
    if (value === null) return 'empty';
    return isRangeBound(value) ? { value, inclusive: b.inclusive } : 'scan';
  };
  const lower = bound(seek.lower);
  const upper = bound(seek.upper);
  if (lower === 'empty' || upper === 'empty') return 'empty';
  if (lower === 'scan' || upper === 'scan') return 'scan';
  return { kind: 'between', lower, upper };
}

/**
 * Keys whose value is known before the node is: literals, parameters and expressions over
 * variables the row already binds (`UNWIND $rows AS r MATCH (a:Person {id: r.src})`), from the
 * inline map and from WHERE equalities and IN predicates.
 */
function seekKeys(node: NodeSpec, hints: readonly SeekHint[], row: Row): SeekKey[] {
  const keys: SeekKey[] = [];
  if (node.properties?.kind === 'map') {
    for (const [key, value] of node.properties.entries) {
      if (knownBefore(value, row)) keys.push({ key, value, many: false });
    }
  }
  for (const hint of hints) {
    if (hint.kind === 'equal' && hint.variable === node.name && knownBefore(hint.value, row)) {
      keys.push({ key: hint.key, value: hint.value, many: hint.many });
    }
  }
  return keys;
}

/** True when `expr` reads only parameters, literals and variables bound in `row`. */
function knownBefore(expr: Expr, row: Row): boolean {
  switch (expr.kind) {
    case 'literal': case 'param': return true;
    case 'var': return row.has(expr.name);
    case 'call': return SEEKABLE_FUNCTIONS.has(expr.name) &&
      expr.args.every((e) => knownBefore(e, row));
    case 'prop': case 'index': case 'list': case 'map': case 'binary':
      return childExpressions(expr).every((e) => knownBefore(e, row));
    default: return false;
  }
}

/**
 * The nodes `start` yields for `node`: the bound one, an index seek's, a label's or all. A
 * plain function rather than a generator: it runs once per input row (a load's `UNWIND $rows
 * ... MATCH (a:Person {id: r.src})`), and a seek's answer is already a list.
 */
export function startNodes(node: NodeSpec, start: Start, row: Row, state: ExecState):
  Iterable<NodeId> {
  const graph = state.graph;
  switch (start.kind) {
    case 'bound': {
      const bound = row.get(node.name) ?? null;
      if (bound === null) return [];
      if (!(bound instanceof NodeRef)) {
        throw new QuiverError('TypeError',
          `Type mismatch: expected Node but was ${typeName(bound)} for \`${node.name}\``);
      }
      return [bound.id];
    }
    case 'seek': return start.many ? seekEach(start, row, state) : seekOne(start, row, state);
    case 'range': return rangeNodes(start, row, state);
    case 'label': return graph.nodesByLabel(start.label);
    case 'rels': throw new AssertionFailed('a type scan starts from relationships, not nodes');
    case 'all': break;
  }
  return graph.allNodes();
}

/** A reader without range seeks, or bounds the index cannot order, fall back to the label. */
function rangeNodes(start: Extract<Start, { kind: 'range' }>, row: Row, state: ExecState):
  Iterable<NodeId> {
  const range = rangeOf(start.seek, row, state);
  if (range === 'empty') return [];
  const found = range === 'scan' ? null
    : state.graph.seekNodesInRange?.(start.label, start.key, range) ?? null;
  return found ?? state.graph.nodesByLabel(start.label);
}

function seekOne(seek: SeekStart, row: Row, state: ExecState): Iterable<NodeId> {
  return seekValue(seek, evaluate(seek.value, row, state), state);
}

/**
 * `n.key = value`, `value` being the seek's expression evaluated in this row: the index's
 * answer as it is. Null and maps equal no property value.
 */
export function seekValue(seek: SeekStart, value: Value, state: ExecState): Iterable<NodeId> {
  if (value === null || isCypherMap(value)) return [];
  return state.graph.seekNodes(seek.label, seek.key, value as PropertyValue) ?? [];
}

/** `n.key IN list`: one seek per element, each node once. */
function* seekEach(seek: SeekStart, row: Row, state: ExecState): Generator<NodeId> {
  const { label, key } = seek;
  const value = evaluate(seek.value, row, state);
  if (value === null) return;
  if (!Array.isArray(value)) {
    // Not a list: no seek applies; the WHERE clause reports or rejects it as it would anyway.
    yield* state.graph.nodesByLabel(label);
    return;
  }
  const seen = value.length > 1 ? new Set<NodeId>() : null;
  for (const item of value) {
    if (item === null || isCypherMap(item)) continue;
    const found = state.graph.seekNodes(label, key, item as PropertyValue) ?? [];
    for (const id of found) {
      if (seen !== null) {
        if (seen.has(id)) continue;
        seen.add(id);
      }
      yield id;
    }
  }
}

/** Every candidate for a single node pattern: the cheapest way to find it. */
export function anchorCandidates(node: NodeSpec, hints: readonly SeekHint[], row: Row,
  state: ExecState): Iterable<NodeId> {
  const stats = state.statistics;
  const start = state.naivePlanning ? scanStart(node, row, stats)
    : bestStart(node, hints, row, state, stats);
  return startNodes(node, start, row, state);
}

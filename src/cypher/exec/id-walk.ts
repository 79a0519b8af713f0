/**
 * A MATCH of one chain of single hops (and its WHERE, when id-walk-filter.ts can test it) walked
 * over ids alone, for an operator that consumes every match at once (an aggregation): no row,
 * no node or relationship reference and no generator per match. It visits exactly the matches
 * pattern-match.ts would, in the same order: the same anchor choice, the walk order of
 * anchor-choice.ts, and each node's relationships in the order ReadView.relationshipsOf gives
 * them. It runs only on a committed version's ReadView without PROFILE; anything else (a write
 * transaction's own changes, a user's filtered graph, PROFILE's counters) takes the general
 * operators. Label tests and the properties the consumer reads may be read ahead into columns
 * (node-columns.ts). See docs/decisions/0041-grouped-aggregation.md.
 */
import { assert } from '../../assert.js';
import type { Direction, NodeId, RelId } from '../../graph/types.js';
import { ReadView } from '../../graph/read-view.js';
import type { NodeVersion } from '../../graph/store.js';
import { NodeRef, RelRef } from '../../graph/values.js';
import type { LabelExpr } from '../ast.js';
import { flip, walkOrder } from './anchor-choice.js';
import {
  labelWorthColumns, readAhead, visitsWorthReadingAhead, worthReadingAhead, type NodeColumns,
} from './node-columns.js';
import { labelsMatch, requiredLabels } from './label-match.js';
import { Argument, type Operator } from './operators/operator.js';
import { FilterOp, MatchOp } from './operators/read.js';
import { propertyTests, runFilter, type PropertyTest, type RunFilter } from './id-walk-filter.js';
import {
  keepMatches, nodeIdAt, selectMatch, type MatchRun, type MatchSink,
} from './match-run.js';
import { anchorFor } from './pattern-match.js';
import type { ChainSpec, NodeSpec } from './pattern-spec.js';
import type { ExecState, Row } from './state.js';

/** Longest chain walked this way: each hop checks the relationships before it for reuse. */
const WALK_HOPS_MAX = 8;
/**
 * Matches gathered before they are checked and handed on: a pass over many independent ids
 * keeps several cache misses in flight, where one match at a time waits for each in turn.
 */
const RUN_LENGTH_MAX = 256;

/** A MATCH, and the tests its WHERE comes down to, that this walk reproduces exactly. */
export interface WalkablePlan {
  readonly match: MatchOp;
  readonly chain: ChainSpec;
  readonly tests: readonly PropertyTest[];
}

const walkablePlans = new WeakMap<Operator, WalkablePlan | null>();

/** The plan when `op` is a MATCH, or a Filter of one, that can be walked; null otherwise. */
export function walkablePlan(op: Operator | null): WalkablePlan | null {
  if (op === null) return null;
  let plan = walkablePlans.get(op);
  if (plan === undefined) {
    plan = planOf(op);
    walkablePlans.set(op, plan);
  }
  return plan;
}

function planOf(op: Operator): WalkablePlan | null {
  const filter = op instanceof FilterOp ? op : null;
  const match = filter === null ? op : filter.source;
  const chain = walkableChain(match);
  if (chain === null || !(match instanceof MatchOp)) return null;
  // Seek hints come from the WHERE only; without one there are none.
  if (filter === null) return match.hints.length === 0 ? { match, chain, tests: [] } : null;
  const tests = propertyTests(filter.predicate, chain);
  return tests === null ? null : { match, chain, tests };
}

function walkableChain(op: Operator | null): ChainSpec | null {
  if (!(op instanceof MatchOp) || !(op.source instanceof Argument)) return null;
  if (op.chains.length !== 1 || op.boundBefore.length > 0) return null;
  const chain = op.chains[0] as ChainSpec;
  if (chain.shortest !== null || chain.pathVariable !== null) return null;
  if (chain.rels.length > WALK_HOPS_MAX) return null;
  const plainRels = chain.rels.every((r) => r.length === null && r.properties === null &&
    r.where === null);
  const plainNodes = chain.nodes.every((n) => n.properties === null && n.where === null);
  return plainRels && plainNodes ? chain : null;
}

/** The ReadView this execution may walk directly, or null (see the file comment). */
export function directView(state: ExecState, arg: Row): ReadView | null {
  if (state.profile !== null || arg.size > 0) return null;
  return state.graph instanceof ReadView ? state.graph : null;
}

/** The representative row of a match: every variable of the chain bound as the matcher would. */
export function matchRow(chain: ChainSpec, nodes: Int32Array, rels: Int32Array): Row {
  const row = new Map<string, NodeRef | RelRef>();
  chain.nodes.forEach((n, i) => row.set(n.name, new NodeRef(nodes[i] as NodeId)));
  chain.rels.forEach((r, i) => row.set(r.name, new RelRef(rels[i] as RelId)));
  return row;
}

/**
 * Whether a node, as the view sees it (null: not visible), fits a pattern node's labels; null
 * when the pattern names none.
 */
type LabelTest = ((node: NodeVersion | null) => boolean) | null;

function labelTest(view: ReadView, labels: LabelExpr | null): LabelTest {
  if (labels === null) return null;
  // Nodes share their label-set arrays: the answer for the last one seen is usually reusable.
  let lastSet: readonly number[] | null = null;
  let lastAnswer = false;
  return (node) => {
    const set = node?.labels;
    if (set === undefined) return false;
    if (set !== lastSet) {
      lastAnswer = labelsMatch(labels, (l) => {
        const labelId = view.labelId(l);
        return labelId !== undefined && set.includes(labelId);
      }, set.length > 0);
      lastSet = set;
    }
    return lastAnswer;
  };
}

/** One hop of the walk, in walk order. */
interface Hop {
  readonly fromIndex: number;
  readonly toIndex: number;
  readonly relIndex: number;
  readonly direction: Direction;
  readonly wanted: Set<number> | null;
  readonly fits: LabelTest;
  /**
   * Where the walk bound the reached node's variable before (the same variable twice in the
   * chain), which the reached node must then be; -1 when it is new.
   */
  readonly boundAt: number;
}

function hopsFrom(chain: ChainSpec, anchor: number, view: ReadView): Hop[] {
  const boundAt = new Map([[(chain.nodes[anchor] as NodeSpec).name, anchor]]);
  return walkOrder(chain, anchor).map((step) => {
    const toIndex = chain.nodes.indexOf(step.to);
    const hop = {
      fromIndex: chain.nodes.indexOf(step.from), toIndex, relIndex: chain.rels.indexOf(step.rel),
      direction: step.reversed ? flip(step.rel.direction) : step.rel.direction,
      wanted: view.typeIds(step.rel.types), fits: labelTest(view, step.to.labels),
      boundAt: boundAt.get(step.to.name) ?? -1,
    };
    if (!boundAt.has(step.to.name)) boundAt.set(step.to.name, toIndex);
    return hop;
  });
}

/**
 * Walks `input` (a walkablePlan) for this execution and hands every match it keeps to `sink`;
 * false, having done nothing, when the execution must take the general operators instead.
 */
export function walkIds(input: Operator | null, state: ExecState, arg: Row,
  sink: MatchSink): boolean {
  const plan = walkablePlan(input);
  const view = directView(state, arg);
  if (plan === null || view === null) return false;
  const { chain, match } = plan;
  const choice = anchorFor(chain, match.hints, arg, state);
  const start = choice.start;
  if (start.kind === 'rels') {
    walkTypeScan(plan, choice.index, { view, state, arg, sink }, start.types);
    return true;
  }
  if (start.kind !== 'label' && start.kind !== 'all') return false;
  const anchor = chain.nodes[choice.index] as NodeSpec;
  const hops = hopsFrom(chain, choice.index, view);
  const labelId = start.kind === 'label' ? view.labelId(start.label) : undefined;
  if (start.kind === 'label' && labelId === undefined) return true;
  const walkInfo = { chain, hops, view, state, sink, anchorIndex: choice.index };
  const anchors = labelId === undefined ? [] : view.nodeIdsOnceLabelled(labelId);
  const columns = labelId === undefined || start.kind !== 'label' ? null : {
    anchor: anchorColumns(walkInfo, labelId, start.label),
    far: farColumns(walkInfo, (candidateCount) => worthReadingAhead(view,
      { direction: (hops[0] as Hop).direction, anchors, candidateCount })),
  };
  if (columns?.anchor) sink.useColumns?.(columns.anchor);
  if (columns?.far) sink.useColumns?.(columns.far);
  const walk = new IdWalk(chain, choice.index, hops, { view, state, sink,
    filter: runFilter(plan.tests, view, state, arg), farFits: columns?.far?.fits ?? null,
    scanned: false });
  if (columns?.anchor) {
    // Read ahead: the nodes that fit, in the label scan's order.
    walk.scan(null, columns.anchor.ids);
  } else {
    // A label scan's ids may be stale: the anchor's label test reads each as of the view
    // (allNodes' are visible, and then the test may be null).
    walk.scan(labelTest(view, anchor.labels),
      labelId === undefined ? view.allNodes() : view.nodeIdsOnceLabelled(labelId));
  }
  return true;
}

/**
 * The walk from a type scan (anchor-choice.ts): the anchor is the end of each scanned
 * relationship on its side, tested by its label (or read ahead with its columns), and the
 * first hop takes that relationship alone; the rest is walked as from any start.
 */
function walkTypeScan(plan: WalkablePlan, anchorIndex: number,
  at: { readonly view: ReadView; readonly state: ExecState; readonly arg: Row;
    readonly sink: MatchSink }, types: readonly string[]): void {
  const { view, state, sink } = at;
  const { chain } = plan;
  const hops = hopsFrom(chain, anchorIndex, view);
  const first = hops[0] as Hop;
  if (first.wanted === null || first.wanted.size === 0) return;
  const walkInfo = { chain, hops, view, state, sink, anchorIndex };
  const anchor = chain.nodes[anchorIndex] as NodeSpec;
  const label = rarestLabel(view, anchor.labels);
  const scanned = state.statistics.typeCount(types);
  const columns = {
    anchor: label === null ? null : anchorColumns(walkInfo, label.id, label.name),
    far: farColumns(walkInfo,
      (candidateCount) => scanned >= visitsWorthReadingAhead(view, candidateCount)),
  };
  if (columns.anchor) sink.useColumns?.(columns.anchor);
  if (columns.far) sink.useColumns?.(columns.far);
  const walk = new IdWalk(chain, anchorIndex, hops, { view, state, sink,
    filter: runFilter(plan.tests, view, state, at.arg), farFits: columns.far?.fits ?? null,
    scanned: true });
  walk.scanRels(first, columns.anchor?.fits ?? labelTest(view, anchor.labels));
}

/** The required label of `labels` with the fewest nodes, or null when none is required. */
function rarestLabel(view: ReadView, labels: LabelExpr | null):
  { readonly id: number; readonly name: string; readonly count: number } | null {
  let rarest: { id: number; name: string; count: number } | null = null;
  for (const name of requiredLabels(labels)) {
    const id = view.labelId(name);
    const count = view.labelCount(name);
    if (id !== undefined && (rarest === null || count < rarest.count)) {
      rarest = { id, name, count };
    }
  }
  return rarest;
}

/** What the choice of columns to read ahead looks at. */
interface WalkInfo {
  readonly chain: ChainSpec;
  readonly hops: readonly Hop[];
  readonly view: ReadView;
  readonly state: ExecState;
  readonly sink: MatchSink;
  readonly anchorIndex: number;
}

/** The key ids of the properties the sink would read from columns of node `nodeIndex`. */
function columnKeyIds(walk: WalkInfo, nodeIndex: number): number[] {
  const keyIds: number[] = [];
  for (const key of walk.sink.columnKeys?.(nodeIndex) ?? []) {
    const keyId = walk.view.propertyKeyId(key);
    if (keyId !== undefined && !keyIds.includes(keyId)) keyIds.push(keyId);
  }
  return keyIds;
}

/**
 * Columns of the anchor's properties the sink reads, when it reads some: the walk visits every
 * node of the anchor's label, so reading them ahead, in the same order, costs no more.
 */
function anchorColumns(walk: WalkInfo, labelId: number, label: string): NodeColumns | null {
  const keyIds = columnKeyIds(walk, walk.anchorIndex);
  if (keyIds.length === 0 || !labelWorthColumns(walk.view, walk.view.labelCount(label))) {
    return null;
  }
  const fits = labelTest(walk.view, (walk.chain.nodes[walk.anchorIndex] as NodeSpec).labels);
  assert(fits !== null, 'a walk from a label scan tests the label');
  return readAhead(walk.view, walk.state, { nodeIndex: walk.anchorIndex, fits, keyIds,
    candidates: walk.view.nodeIdsOnceLabelled(labelId) });
}

/**
 * Columns read ahead for the far node of a walk of one hop (node-columns.ts), when the sink
 * wants columns, the node has a label to find its candidates by, and the walk visits enough
 * of them (`worth`, given how many candidates there are); null otherwise.
 */
function farColumns(walk: WalkInfo, worth: (candidateCount: number) => boolean):
  NodeColumns | null {
  const { view, sink } = walk;
  const hop = walk.hops[0];
  if (walk.hops.length !== 1 || hop === undefined || hop.fits === null || hop.boundAt >= 0 ||
    sink.columnKeys === undefined) return null;
  const rarest = rarestLabel(view, (walk.chain.nodes[hop.toIndex] as NodeSpec).labels);
  if (rarest === null || !worth(rarest.count)) return null;
  return readAhead(view, walk.state, { nodeIndex: hop.toIndex, fits: hop.fits,
    candidates: view.nodeIdsOnceLabelled(rarest.id), keyIds: columnKeyIds(walk, hop.toIndex) });
}

function newRun(nodes: Int32Array, rels: Int32Array,
  at: { readonly nodeIndex: number; readonly relIndex: number; readonly fromIndex: number }):
  MatchRun {
  return { nodes, rels, ...at, others: new Int32Array(RUN_LENGTH_MAX),
    relIds: new Int32Array(RUN_LENGTH_MAX), count: 0,
    fromIds: at.fromIndex < 0 ? null : new Int32Array(RUN_LENGTH_MAX) };
}

/**
 * The walk's state: the start nodes gathered, and one run per hop (the relationships of one
 * node gathered). All share `nodes` and `rels`: a hop's run sees the ids the hops before it
 * bound. A walk of one hop gathers the relationships of many start nodes in its one run
 * (MatchRun.fromIds), so that each run handed on is long even when every node has few.
 */
class IdWalk {
  private readonly starts: MatchRun;
  private readonly runs: MatchRun[];
  private readonly visitors: ((rel: RelId, other: NodeId) => void)[];
  /**
   * The node whose relationships are being gathered. Not read back from `nodes`: a run handed
   * on part way through them may have its matches written there (selectMatch).
   */
  private expanding: NodeId = -1;
  /** The nodes of the run being checked, as read in one pass (keepFitting). */
  private readonly versions = new Array<NodeVersion | null>(RUN_LENGTH_MAX).fill(null);

  constructor(chain: ChainSpec, anchorIndex: number, private readonly hops: readonly Hop[],
    private readonly context: { readonly view: ReadView; readonly state: ExecState;
      readonly sink: MatchSink; readonly filter: RunFilter | null;
      readonly farFits: Uint8Array | null;
      /** Starts come from scanRels: the first hop takes the relationship each was found by. */
      readonly scanned: boolean }) {
    assert(hops.length === chain.rels.length, 'a walk takes every hop of its chain');
    const nodes = new Int32Array(chain.nodes.length);
    const rels = new Int32Array(chain.rels.length);
    // A start scanned with its relationship keeps it (selectMatch binds it for the first hop).
    this.starts = newRun(nodes, rels, { nodeIndex: anchorIndex,
      relIndex: context.scanned ? (hops[0] as Hop).relIndex : -1, fromIndex: -1 });
    this.runs = hops.map((hop) => newRun(nodes, rels, { nodeIndex: hop.toIndex,
      relIndex: hop.relIndex, fromIndex: hops.length === 1 ? hop.fromIndex : -1 }));
    this.visitors = this.runs.map((run, level) => (rel, other) => {
      run.relIds[run.count] = rel;
      run.others[run.count] = other;
      if (run.fromIds !== null) run.fromIds[run.count] = this.expanding;
      if (++run.count === RUN_LENGTH_MAX) this.flush(level);
    });
  }

  scan(fits: LabelTest, ids: Iterable<NodeId>): void {
    const starts = this.starts;
    for (const id of ids) {
      this.context.state.guard.tick();
      starts.others[starts.count] = id;
      if (++starts.count === RUN_LENGTH_MAX) this.flushStarts(fits);
    }
    this.flushStarts(fits);
  }

  /**
   * Starts from every relationship of `first`'s types, in id order: each one's end on the
   * anchor's side, kept when it `fits` (a label test, or read-ahead columns' fit array).
   */
  scanRels(first: Hop, fits: LabelTest | Uint8Array): void {
    const starts = this.starts;
    const guard = this.context.state.guard;
    const outward = first.direction === 'out';
    assert(this.context.scanned, 'a walk scans relationships only when built to');
    this.context.view.forEachRelationshipOfTypes(first.wanted as Set<number>,
      (rel, start, end) => {
        guard.tick();
        starts.others[starts.count] = outward ? start : end;
        starts.relIds[starts.count] = rel;
        if (++starts.count === RUN_LENGTH_MAX) this.flushStarts(fits);
      });
    this.flushStarts(fits);
  }

  private flushStarts(fits: LabelTest | Uint8Array): void {
    const starts = this.starts;
    if (fits instanceof Uint8Array) {
      keepMatches(starts, (k) => fits[starts.others[k] as number] === 1);
    } else if (fits !== null) {
      keepFitting(starts, fits, this.context.view, this.versions);
    }
    if (this.hops.length === 0) {
      this.complete(starts);
    } else {
      for (let k = 0; k < starts.count; k++) {
        selectMatch(starts, k);
        this.expand(0);
      }
      if ((this.runs[0] as MatchRun).fromIds !== null) this.flush(0);
    }
    starts.count = 0;
  }

  private expand(level: number): void {
    const hop = this.hops[level] as Hop;
    const from = this.starts.nodes[hop.fromIndex] as NodeId;
    this.expanding = from;
    const visit = this.visitors[level] as (rel: RelId, other: NodeId) => void;
    const view = this.context.view;
    if (level === 0 && this.context.scanned) {
      const rel = this.starts.rels[hop.relIndex] as RelId;
      visit(rel, hop.direction === 'out' ? view.relEnd(rel) : view.relStart(rel));
    } else {
      view.forEachAdjacent(from, hop.direction, hop.wanted, visit);
    }
    if ((this.runs[level] as MatchRun).fromIds === null) this.flush(level);
  }

  /** Checks the gathered steps of hop `level` as pattern-match.ts's stepRow does; hands on. */
  private flush(level: number): void {
    const run = this.runs[level] as MatchRun;
    const hop = this.hops[level] as Hop;
    const guard = this.context.state.guard;
    if (level === 0 && hop.boundAt < 0) {
      // Nothing to check: no relationship bound before, no variable come back.
      for (let k = 0; k < run.count; k++) guard.tick();
    } else {
      keepMatches(run, (k) => {
        guard.tick();
        return this.unused(level, run.relIds[k] as RelId) &&
          (hop.boundAt < 0 || nodeIdAt(run, hop.boundAt, k) === run.others[k]);
      });
    }
    const farFits = level + 1 === this.hops.length ? this.context.farFits : null;
    if (farFits !== null) {
      keepMatches(run, (k) => farFits[run.others[k] as number] === 1);
    } else if (hop.fits !== null) {
      keepFitting(run, hop.fits, this.context.view, this.versions);
    }
    if (level + 1 === this.hops.length) {
      this.complete(run);
    } else {
      for (let k = 0; k < run.count; k++) {
        selectMatch(run, k);
        this.expand(level + 1);
      }
    }
    run.count = 0;
  }

  /** Matches of the whole chain: what the WHERE keeps goes to the sink. */
  private complete(run: MatchRun): void {
    this.context.filter?.(run);
    this.context.sink.add(run);
  }

  /** Relationships are unique within a match: `rel` is not one the hops before bound. */
  private unused(level: number, rel: RelId): boolean {
    for (let before = 0; before < level; before++) {
      if (this.starts.rels[(this.hops[before] as Hop).relIndex] === rel) return false;
    }
    return true;
  }
}

/**
 * Keeps the matches of `run` whose varying node fits. The nodes are all read first, in a loop
 * that does nothing else, so that many of their cache misses are in flight at once.
 */
function keepFitting(run: MatchRun, fits: (node: NodeVersion | null) => boolean,
  view: ReadView, versions: (NodeVersion | null)[]): void {
  for (let k = 0; k < run.count; k++) versions[k] = view.node(run.others[k] as NodeId);
  keepMatches(run, (k) => fits(versions[k] ?? null));
}

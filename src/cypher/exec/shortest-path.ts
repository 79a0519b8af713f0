/**
 * shortestPath / allShortestPaths by breadth-first search between the two end nodes. The search
 * keeps every parent of a node on the shortest level, so all shortest paths can be read back.
 */
import { QuiverError } from '../../errors/quiver-error.js';
import type { NodeId, RelId } from '../../graph/types.js';
import { NodeRef, PathRef, RelRef, type Value } from '../../graph/values.js';
import { anchorCandidates } from './anchor-choice.js';
import { bindNode } from './pattern-match.js';
import type { ChainSpec, NodeSpec, RelSpec } from './pattern-spec.js';
import { chainCounters } from './profiled-graph.js';
import {
  extendRow, type ExecState, type Profiling, type Row, type StepProfile,
} from './state.js';
import { evaluate } from './evaluate.js';
import { cypherEquals } from '../values/compare.js';
import { isCypherMap } from '../../graph/values.js';

/** Bound on how many shortest paths one pair of nodes may produce. */
export const shortestPathsPerPairMax = 100_000;

interface Parent {
  rel: RelId;
  prev: NodeId;
}

export function* shortestPaths(chain: ChainSpec, row: Row, state: ExecState,
  used: Set<RelId>): Generator<Row> {
  const rel = chain.rels[0];
  const [startSpec, endSpec] = chain.nodes as [NodeSpec, NodeSpec];
  if (chain.rels.length !== 1 || rel === undefined) {
    throw new QuiverError('SyntaxError',
      'shortestPath(...) requires a pattern containing a single relationship');
  }
  const profile = state.profile === null ? null : chainCounters(chain, state.profiling);
  // Under PROFILE: the two ends found, then the search between them.
  const first = profile?.counters.nodes[0] ?? null;
  const last = profile?.counters.nodes[1] ?? null;
  const found = profile?.counters.rels[0] ?? null;
  const profiling = state.profiling;
  try {
    enter(profiling, first);
    for (const s of anchorCandidates(startSpec, [], row, state)) {
      const withStart = bindNode(startSpec, s, row, state);
      if (withStart === null) continue;
      counted(profiling, first, last);
      for (const e of anchorCandidates(endSpec, [], withStart, state)) {
        const withEnd = bindNode(endSpec, e, withStart, state);
        if (withEnd === null) continue;
        counted(profiling, last, found);
        for (const path of search(state, s, e, rel, chain.shortest === 'all', used, withEnd)) {
          let next = extendRow(withEnd, rel.name, rel.length === null ? (path.rels[0] ?? null)
            : [...path.rels]);
          if (chain.pathVariable !== null) next = extendRow(next, chain.pathVariable, path);
          if (profile !== null) counted(profiling, found, profile.caller);
          yield next;
        }
        enter(profiling, last);
      }
      enter(profiling, first);
    }
  } finally {
    if (profile !== null) profiling.step = profile.caller;
  }
}

/** PROFILE: `step` (null when not profiling this walk) is working now. */
function enter(profiling: Profiling, step: StepProfile | null): void {
  if (step !== null) profiling.step = step;
}

/** PROFILE: `step` produced a row, and `next` takes over. */
function counted(profiling: Profiling, step: StepProfile | null, next: StepProfile | null): void {
  if (step === null) return;
  step.rows++;
  profiling.step = next;
}

function relAccepted(rel: RelSpec, id: RelId, row: Row, state: ExecState): boolean {
  if (rel.properties === null) return true;
  const wanted = evaluate(rel.properties, row, state);
  if (!isCypherMap(wanted)) return false;
  for (const [key, value] of wanted) {
    if (cypherEquals(state.graph.relProperty(id, key), value as Value) !== true) return false;
  }
  return true;
}

function search(state: ExecState, start: NodeId, end: NodeId, rel: RelSpec, all: boolean,
  used: Set<RelId>, row: Row): PathRef[] {
  const min = rel.length === null ? 1 : rel.length.min ?? 1;
  const max = rel.length === null ? 1 : rel.length.max;
  if (start === end) {
    return min === 0 ? [new PathRef([new NodeRef(start)], [])] : [];
  }
  if (!all && min <= 1) {
    const found = meetInMiddle({ state, start, end, rel, max, used, row });
    return found === null ? [] : [found];
  }
  const parents = new Map<NodeId, Parent[]>([[start, []]]);
  let frontier = [start];
  for (let depth = 1; frontier.length > 0 && (max === null || depth <= max); depth++) {
    const reached = new Map<NodeId, Parent[]>();
    for (const node of frontier) {
      for (const { rel: r, other } of state.graph.relationshipsOf(node, rel.direction, rel.types)) {
        if (used.has(r) || parents.has(other) || !relAccepted(rel, r, row, state)) continue;
        const list = reached.get(other) ?? [];
        if (all || list.length === 0) list.push({ rel: r, prev: node });
        reached.set(other, list);
      }
    }
    for (const [node, list] of reached) parents.set(node, list);
    if (reached.has(end)) return depth >= min ? readPaths(parents, start, end, all) : [];
    frontier = [...reached.keys()];
  }
  return [];
}

interface PairSearch {
  state: ExecState;
  start: NodeId;
  end: NodeId;
  rel: RelSpec;
  max: number | null;
  used: Set<RelId>;
  row: Row;
}

/** One side of a two-ended search: how each visited node was reached (rel -1 at the root). */
interface Side {
  parents: Map<NodeId, Parent>;
  frontier: NodeId[];
  direction: 'out' | 'in' | 'both';
}

/**
 * One shortest path by breadth-first search from both ends at once, always widening the side
 * with the smaller frontier: on a graph of average degree d, a path of length k costs about
 * 2·d^(k/2) expansions instead of d^k.
 */
function meetInMiddle(p: PairSearch): PathRef | null {
  const back = p.rel.direction === 'out' ? 'in' : p.rel.direction === 'in' ? 'out' : 'both';
  const forward: Side = { parents: new Map([[p.start, { rel: -1, prev: -1 }]]),
    frontier: [p.start], direction: p.rel.direction };
  const backward: Side = { parents: new Map([[p.end, { rel: -1, prev: -1 }]]),
    frontier: [p.end], direction: back };
  for (let length = 0; p.max === null || length < p.max; length++) {
    if (forward.frontier.length === 0 || backward.frontier.length === 0) return null;
    const fromStart = forward.frontier.length <= backward.frontier.length;
    const meeting = widen(p, fromStart ? forward : backward, fromStart ? backward : forward);
    if (meeting !== null) return joinHalves(forward, backward, meeting);
  }
  return null;
}

/** Expands one whole level of `side`; returns a node both sides reached, or null. */
function widen(p: PairSearch, side: Side, other: Side): NodeId | null {
  const next: NodeId[] = [];
  for (const node of side.frontier) {
    p.state.guard.tick();
    for (const { rel: r, other: to } of p.state.graph.relationshipsOf(node, side.direction,
      p.rel.types)) {
      if (side.parents.has(to) || p.used.has(r) || !relAccepted(p.rel, r, p.row, p.state)) {
        continue;
      }
      side.parents.set(to, { rel: r, prev: node });
      // Every node of the other side is at most one level deeper than this one's frontier, so
      // the first meeting in a level is as short as any other in it.
      if (other.parents.has(to)) return to;
      next.push(to);
    }
  }
  side.frontier = next;
  return null;
}

function joinHalves(forward: Side, backward: Side, meeting: NodeId): PathRef {
  const nodes: NodeId[] = [meeting];
  const rels: RelId[] = [];
  for (let at = forward.parents.get(meeting); at !== undefined && at.rel >= 0;
    at = forward.parents.get(at.prev)) {
    rels.unshift(at.rel);
    nodes.unshift(at.prev);
  }
  for (let at = backward.parents.get(meeting); at !== undefined && at.rel >= 0;
    at = backward.parents.get(at.prev)) {
    rels.push(at.rel);
    nodes.push(at.prev);
  }
  return new PathRef(nodes.map((id) => new NodeRef(id)), rels.map((id) => new RelRef(id)));
}

function readPaths(parents: Map<NodeId, Parent[]>, start: NodeId, end: NodeId,
  all: boolean): PathRef[] {
  const out: PathRef[] = [];
  const rels: RelId[] = [];
  const nodes: NodeId[] = [end];
  const walk = (node: NodeId): void => {
    if (node === start) {
      out.push(new PathRef([...nodes].reverse().map((id) => new NodeRef(id)),
        [...rels].reverse().map((id) => new RelRef(id))));
      if (out.length > shortestPathsPerPairMax) {
        throw new QuiverError('ArgumentError',
          `More than ${shortestPathsPerPairMax} shortest paths between two nodes`);
      }
      return;
    }
    for (const parent of parents.get(node) ?? []) {
      rels.push(parent.rel);
      nodes.push(parent.prev);
      walk(parent.prev);
      rels.pop();
      nodes.pop();
      if (!all && out.length > 0) return;
    }
  };
  walk(end);
  return out;
}

/**
 * Matches of a MATCH walked over ids (id-walk.ts), handed on a run at a time: ids in typed
 * arrays, no row per match.
 */
import type { NodeColumns } from './node-columns.js';

/**
 * Matches that differ only in their last step: match k has `others[k]` at chain.nodes
 * position `nodeIndex` and (unless `relIndex` is -1, a chain without relationships)
 * `relIds[k]` at chain.rels position `relIndex`; every other position holds the id in
 * `nodes` or `rels`, whose entries at the varying positions are not meaningful. A walk of one
 * hop gathers the matches of many start nodes in one run: then match k also has `fromIds[k]`
 * at chain.nodes position `fromIndex` (else -1, and `fromIds` null).
 */
export interface MatchRun {
  readonly nodes: Int32Array;
  readonly rels: Int32Array;
  readonly nodeIndex: number;
  readonly relIndex: number;
  readonly others: Int32Array;
  readonly relIds: Int32Array;
  readonly fromIndex: number;
  readonly fromIds: Int32Array | null;
  count: number;
}

/** Receives every match, in the matcher's order, a run at a time. */
export interface MatchSink {
  add(run: MatchRun): void;
  /**
   * The property keys of chain node `nodeIndex` the sink would rather read from columns made
   * ahead of the walk (node-columns.ts); absent when it reads none that way.
   */
  readonly columnKeys?: (nodeIndex: number) => readonly string[];
  /** Called once, before the first add, when the walk made such columns. */
  readonly useColumns?: (columns: NodeColumns) => void;
}

/** The id at chain.nodes position `index` in match `k` of `run`. */
export function nodeIdAt(run: MatchRun, index: number, k: number): number {
  if (index === run.nodeIndex) return run.others[k] as number;
  return (index === run.fromIndex ? run.fromIds?.[k] : run.nodes[index]) as number;
}

/** The id at chain.rels position `index` in match `k` of `run`. */
export function relIdAt(run: MatchRun, index: number, k: number): number {
  return (index === run.relIndex ? run.relIds[k] : run.rels[index]) as number;
}

/** Match `k` of `run` with its varying ids written into `run.nodes` and `run.rels`. */
export function selectMatch(run: MatchRun, k: number): void {
  run.nodes[run.nodeIndex] = run.others[k] as number;
  if (run.relIndex >= 0) run.rels[run.relIndex] = run.relIds[k] as number;
  if (run.fromIds !== null) run.nodes[run.fromIndex] = run.fromIds[k] as number;
}

/** Keeps, in order, the matches `k` of `run` for which `keep(k)` holds. */
export function keepMatches(run: MatchRun, keep: (k: number) => boolean): void {
  let kept = 0;
  for (let k = 0; k < run.count; k++) {
    if (!keep(k)) continue;
    if (run.relIndex >= 0) run.relIds[kept] = run.relIds[k] as number;
    if (run.fromIds !== null) run.fromIds[kept] = run.fromIds[k] as number;
    run.others[kept++] = run.others[k] as number;
  }
  run.count = kept;
}

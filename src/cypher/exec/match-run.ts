/**
 * Matches of a MATCH walked over ids (id-walk.ts), handed on a run at a time: ids in typed
 * arrays, no row per match.
 */

/**
 * Matches that differ only in their last step: match k has `others[k]` at chain.nodes
 * position `nodeIndex` and (unless `relIndex` is -1, a chain without relationships)
 * `relIds[k]` at chain.rels position `relIndex`; every other position holds the id in
 * `nodes` or `rels`, whose entries at the two varying positions are not meaningful.
 */
export interface MatchRun {
  readonly nodes: Int32Array;
  readonly rels: Int32Array;
  readonly nodeIndex: number;
  readonly relIndex: number;
  readonly others: Int32Array;
  readonly relIds: Int32Array;
  count: number;
}

/** Receives every match, in the matcher's order, a run at a time. */
export interface MatchSink {
  add(run: MatchRun): void;
}

/** Match `k` of `run` with its varying ids written into `run.nodes` and `run.rels`. */
export function selectMatch(run: MatchRun, k: number): void {
  run.nodes[run.nodeIndex] = run.others[k] as number;
  if (run.relIndex >= 0) run.rels[run.relIndex] = run.relIds[k] as number;
}

/** Keeps, in order, the matches `k` of `run` for which `keep(k)` holds. */
export function keepMatches(run: MatchRun, keep: (k: number) => boolean): void {
  let kept = 0;
  for (let k = 0; k < run.count; k++) {
    if (!keep(k)) continue;
    if (run.relIndex >= 0) run.relIds[kept] = run.relIds[k] as number;
    run.others[kept++] = run.others[k] as number;
  }
  run.count = kept;
}

/**
 * The cluster chart's data: commit rate and mean commit latency over the last minutes, derived
 * from the counters each member serves on /metrics. Counters only grow, so each round's point
 * is the growth since that member's previous reading; a member that restarted (its counter went
 * down) or was not read last round adds nothing to the round it comes back in.
 */
import { sumOf, type MetricSample } from './prometheus-text.js';

/** Transactions that committed, whatever the protocol (bolt, http). */
export const COMMITTED_METRIC = 'quiver_transactions_total';
/** Begin to commit; for the auto-commit queries most clients send, the commit's latency. */
export const DURATION_METRIC = 'quiver_transaction_duration_seconds';
/** The chart shows this much history; older points are dropped. */
export const CHART_WINDOW_MS = 5 * 60_000;
/** One point a refresh round: at one round a second, the window needs 300. */
export const CHART_POINTS_MAX = 300;

export interface CommitTotals {
  readonly committed: number;
  readonly durationSeconds: number;
  readonly finished: number;
}

export interface ChartPoint {
  readonly atMs: number;
  readonly commitsPerSecond: number;
  /** Null when no transaction finished in the interval. */
  readonly latencyMs: number | null;
}

export function commitTotals(samples: readonly MetricSample[]): CommitTotals {
  return {
    committed: sumOf(samples, COMMITTED_METRIC, { outcome: 'committed' }),
    durationSeconds: sumOf(samples, `${DURATION_METRIC}_sum`),
    finished: sumOf(samples, `${DURATION_METRIC}_count`),
  };
}

interface Reading {
  readonly atMs: number;
  readonly totals: CommitTotals;
}

export class CommitSeries {
  private readonly last = new Map<string, Reading>();
  private readonly kept: ChartPoint[] = [];

  /** Adds one round's readings (member id → totals); members absent now are forgotten. */
  record(atMs: number, totalsByMember: ReadonlyMap<string, CommitTotals>): void {
    let rate = 0;
    let durationSeconds = 0;
    let finished = 0;
    let compared = 0;
    for (const [member, totals] of totalsByMember) {
      const before = this.last.get(member);
      const elapsedMs = before === undefined ? 0 : atMs - before.atMs;
      if (before !== undefined && elapsedMs > 0 && totals.committed >= before.totals.committed &&
        totals.finished >= before.totals.finished) {
        rate += (totals.committed - before.totals.committed) / (elapsedMs / 1000);
        durationSeconds += totals.durationSeconds - before.totals.durationSeconds;
        finished += totals.finished - before.totals.finished;
        compared += 1;
      }
    }
    this.last.clear();
    for (const [member, totals] of totalsByMember) this.last.set(member, { atMs, totals });
    if (compared === 0) return;
    this.kept.push({ atMs, commitsPerSecond: rate,
      latencyMs: finished === 0 ? null : (durationSeconds / finished) * 1000 });
    while (this.kept.length > CHART_POINTS_MAX ||
      (this.kept[0] !== undefined && this.kept[0].atMs < atMs - CHART_WINDOW_MS)) {
      this.kept.shift();
    }
  }

  points(): readonly ChartPoint[] {
    return this.kept;
  }
}

import { describe, expect, it } from 'vitest';
import { niceCeiling, plotPoints } from '../../web/src/commit-chart.js';
import { CHART_POINTS_MAX, CHART_WINDOW_MS, CommitSeries, commitTotals,
  type CommitTotals } from '../../web/src/commit-series.js';
import { parseMetrics, sumOf } from '../../web/src/prometheus-text.js';

const EXPOSITION = `# HELP quiver_transactions_total Transactions finished, by outcome
# TYPE quiver_transactions_total counter
quiver_transactions_total{protocol="bolt",outcome="committed"} 40
quiver_transactions_total{protocol="http",outcome="committed"} 2
quiver_transactions_total{protocol="bolt",outcome="rolled_back"} 7
quiver_transaction_duration_seconds_bucket{le="+Inf",protocol="bolt"} 49
quiver_transaction_duration_seconds_sum{protocol="bolt"} 0.245
quiver_transaction_duration_seconds_count{protocol="bolt"} 49
odd_metric{path="a \\"quoted\\" \\\\ value"} 1.5 1700000000000
not a sample line
`;

function totals(committed: number, durationSeconds: number, finished: number): CommitTotals {
  return { committed, durationSeconds, finished };
}

describe('reading /metrics', () => {
  it('reads samples with their labels, escapes and special values', () => {
    const samples = parseMetrics(EXPOSITION);
    expect(samples).toHaveLength(7);
    expect(samples[3]).toEqual({ name: 'quiver_transaction_duration_seconds_bucket',
      labels: { le: '+Inf', protocol: 'bolt' }, value: 49 });
    expect(samples[6]?.labels).toEqual({ path: 'a "quoted" \\ value' });
    expect(sumOf(samples, 'quiver_transactions_total', { outcome: 'committed' })).toBe(42);
  });

  it('takes commits and transaction time over every protocol from one member', () => {
    expect(commitTotals(parseMetrics(EXPOSITION))).toEqual(totals(42, 0.245, 49));
  });
});

describe('the commit series', () => {
  it('sums the growth of every member per second, with the mean latency of the interval', () => {
    const series = new CommitSeries();
    series.record(0, new Map([['a', totals(10, 1, 10)], ['b', totals(0, 0, 0)]]));
    expect(series.points()).toEqual([]);
    series.record(2000, new Map([['a', totals(20, 1.3, 20)], ['b', totals(4, 0.02, 5)]]));
    const [point] = series.points();
    expect(point?.commitsPerSecond).toBe(7);
    expect(point?.latencyMs).toBeCloseTo(320 / 15, 6);
  });

  it('leaves out a member that restarted and one that was not read last round', () => {
    const series = new CommitSeries();
    series.record(0, new Map([['a', totals(100, 10, 100)]]));
    series.record(1000, new Map([['a', totals(3, 0.1, 3)], ['b', totals(50, 1, 50)]]));
    expect(series.points()).toEqual([]);
    series.record(2000, new Map([['a', totals(5, 0.1, 5)], ['b', totals(50, 1, 50)]]));
    expect(series.points()).toEqual([{ atMs: 2000, commitsPerSecond: 2, latencyMs: 0 }]);
  });

  it('has no latency for an interval in which nothing finished', () => {
    const series = new CommitSeries();
    series.record(0, new Map([['a', totals(1, 1, 1)]]));
    series.record(1000, new Map([['a', totals(1, 1, 1)]]));
    expect(series.points()).toEqual([{ atMs: 1000, commitsPerSecond: 0, latencyMs: null }]);
  });

  it('keeps only the window and at most its point limit', () => {
    const series = new CommitSeries();
    const rounds = CHART_POINTS_MAX + 50;
    for (let i = 0; i <= rounds; i += 1) series.record(i * 100, new Map([['a', totals(i, 0, i)]]));
    expect(series.points()).toHaveLength(CHART_POINTS_MAX);
    series.record(rounds * 100 + CHART_WINDOW_MS + 1, new Map([['a', totals(rounds + 1, 0, 1e6)]]));
    expect(series.points()).toHaveLength(1);
  });
});

describe('drawing the chart', () => {
  it('rounds the axis up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 0.3, 1, 1.2, 3, 7, 42, 180].map(niceCeiling)).toEqual([1, 0.5, 1, 2, 5, 10, 50,
      200]);
  });

  it('puts the newest point at the right edge and the oldest of the window at the axis', () => {
    const points = plotPoints([{ atMs: 1000, value: 0 }, { atMs: 1000 + CHART_WINDOW_MS,
      value: 10 }], 1000 + CHART_WINDOW_MS, 10).split(' ');
    expect(points).toEqual(['44.0,92.0', '360.0,8.0']);
  });
});

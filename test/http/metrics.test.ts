/**
 * /metrics text for the per-query counters and latency histograms: the Bolt path counts into
 * plain numbers handed over at scrape, and the histograms are QuiverDB's own, so check that the
 * exposition is what Prometheus (and prom-client's own format) expects.
 */
import { describe, expect, it } from 'vitest';
import type { StreamingResult, TransactionHandle } from '../../src/db/api.js';
import { QuiverMetrics } from '../../src/http/metrics.js';
import { meteredTransaction } from '../../src/server/metered-transaction.js';

/** A transaction whose every query returns one record; `failCommit` makes commit throw. */
function fakeTransaction(failCommit = false): TransactionHandle {
  const result = (): StreamingResult => {
    let sent = false;
    return {
      fields: ['x'],
      next: () => (sent ? null : (sent = true, [1n])),
      summary: () => { throw new Error('not used'); },
    };
  };
  return {
    id: 'tx',
    run: () => Promise.resolve(result()),
    commit: () => (failCommit ? Promise.reject(new Error('boom'))
      : Promise.resolve({ bookmark: 'b' })),
    rollback: () => Promise.resolve(),
  } as unknown as TransactionHandle;
}

async function runOne(metrics: QuiverMetrics, end: 'commit' | 'rollback' | 'fail'):
  Promise<void> {
  const tx = meteredTransaction(fakeTransaction(end === 'fail'), metrics, 'bolt');
  const result = await tx.run('RETURN 1');
  while (result.next() !== null);
  if (end === 'rollback') await tx.rollback();
  else await tx.commit().catch(() => undefined);
}

function line(text: string, prefix: string): string | undefined {
  return text.split('\n').find((l) => l.startsWith(prefix));
}

describe('query and transaction metrics', () => {
  it('counts Bolt queries and transactions by outcome, across scrapes', async () => {
    const metrics = new QuiverMetrics({ defaultMetrics: false });
    await runOne(metrics, 'commit');
    await runOne(metrics, 'commit');
    await runOne(metrics, 'rollback');
    await runOne(metrics, 'fail');
    let text = await metrics.registry.metrics();
    expect(line(text, 'quiver_queries_total{protocol="bolt",outcome="ok"}')).toMatch(/ 4$/);
    expect(line(text, 'quiver_transactions_total{protocol="bolt",outcome="committed"}'))
      .toMatch(/ 2$/);
    expect(line(text, 'quiver_transactions_total{protocol="bolt",outcome="rolled_back"}'))
      .toMatch(/ 1$/);
    expect(line(text, 'quiver_transactions_total{protocol="bolt",outcome="failed"}'))
      .toMatch(/ 1$/);
    await runOne(metrics, 'commit');
    text = await metrics.registry.metrics();
    expect(line(text, 'quiver_queries_total{protocol="bolt",outcome="ok"}')).toMatch(/ 5$/);
    expect(line(text, 'quiver_transactions_total{protocol="bolt",outcome="committed"}'))
      .toMatch(/ 3$/);
  });

  it('writes latency histograms with cumulative buckets, +Inf, sum and count', async () => {
    const metrics = new QuiverMetrics({ defaultMetrics: false });
    for (const seconds of [0.0005, 0.02, 0.02, 7, 100]) {
      metrics.queryDurationSeconds.observe({ protocol: 'http' }, seconds);
    }
    const text = await metrics.registry.metrics();
    expect(text).toContain('# TYPE quiver_query_duration_seconds histogram');
    const name = 'quiver_query_duration_seconds';
    const expected: [string, number][] = [['0.001', 1], ['0.005', 1], ['0.01', 1], ['0.05', 3],
      ['0.1', 3], ['0.5', 3], ['1', 3], ['5', 3], ['10', 4], ['60', 4], ['+Inf', 5]];
    for (const [le, n] of expected) {
      expect(text).toContain(`${name}_bucket{le="${le}",protocol="http"} ${n}\n`);
    }
    expect(text).toContain(`${name}_sum{protocol="http"} 107.0405\n`);
    expect(text).toContain(`${name}_count{protocol="http"} 5\n`);
    expect(line(text, 'quiver_transaction_duration_seconds_bucket')).toBeUndefined();
  });
});

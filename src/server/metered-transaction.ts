/**
 * Counts a protocol's transactions and queries into the Prometheus metrics: how many, how they
 * ended and how long they took. Wraps the handle so the Bolt layer needs no metrics code.
 */
import type { CommitResult, StreamingResult, TransactionHandle } from '../db/api.js';
import type { Value } from '../graph/values.js';
import type { QuiverMetrics } from '../http/metrics.js';

export function meteredTransaction(tx: TransactionHandle, metrics: QuiverMetrics,
  protocol: string): TransactionHandle {
  const startedMs = performance.now();
  const finish = (outcome: string): void => {
    metrics.transactions.inc({ protocol, outcome });
    metrics.transactionDurationSeconds.observe({ protocol }, (performance.now() - startedMs) / 1000);
  };
  return {
    id: tx.id,
    async run(query: string, params?: ReadonlyMap<string, Value>): Promise<StreamingResult> {
      const queryStartMs = performance.now();
      let result: StreamingResult;
      try {
        result = await tx.run(query, params);
      } catch (e) {
        metrics.queries.inc({ protocol, outcome: 'failed' });
        throw e;
      }
      return {
        fields: result.fields,
        summary: () => result.summary(),
        next: () => {
          try {
            const record = result.next();
            if (record === null) {
              metrics.queries.inc({ protocol, outcome: 'ok' });
              metrics.queryDurationSeconds.observe({ protocol },
                (performance.now() - queryStartMs) / 1000);
            }
            return record;
          } catch (e) {
            metrics.queries.inc({ protocol, outcome: 'failed' });
            throw e;
          }
        },
      };
    },
    async commit(): Promise<CommitResult> {
      try {
        const r = await tx.commit();
        finish('committed');
        return r;
      } catch (e) {
        finish('failed');
        throw e;
      }
    },
    async rollback(): Promise<void> {
      await tx.rollback();
      finish('rolled_back');
    },
  };
}

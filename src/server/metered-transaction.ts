/**
 * Counts a protocol's transactions and queries into the Prometheus metrics: how many, how they
 * ended and how long they took. Wraps the handle so the Bolt layer needs no metrics code.
 * Every query passes through here, so nothing is allocated per call that can be made once.
 */
import type {
  CommitResult, ResultSummary, StreamingResult, TransactionHandle,
} from '../db/api.js';
import type { Value } from '../graph/values.js';
import type { QuiverMetrics } from '../http/metrics.js';

/** The label sets of one protocol, made once: prom-client takes them by reference. */
interface Labels {
  readonly protocol: { protocol: string };
  readonly queryOk: { protocol: string; outcome: string };
  readonly queryFailed: { protocol: string; outcome: string };
  readonly committed: { protocol: string; outcome: string };
  readonly failed: { protocol: string; outcome: string };
  readonly rolledBack: { protocol: string; outcome: string };
}

const labelsByProtocol = new Map<string, Labels>();

function labelsFor(protocol: string): Labels {
  let labels = labelsByProtocol.get(protocol);
  if (labels === undefined) {
    labels = {
      protocol: { protocol },
      queryOk: { protocol, outcome: 'ok' },
      queryFailed: { protocol, outcome: 'failed' },
      committed: { protocol, outcome: 'committed' },
      failed: { protocol, outcome: 'failed' },
      rolledBack: { protocol, outcome: 'rolled_back' },
    };
    labelsByProtocol.set(protocol, labels);
  }
  return labels;
}

export function meteredTransaction(tx: TransactionHandle, metrics: QuiverMetrics,
  protocol: string): TransactionHandle {
  return new MeteredTransaction(tx, metrics, labelsFor(protocol));
}

class MeteredTransaction implements TransactionHandle {
  private readonly startedMs = performance.now();

  constructor(
    private readonly tx: TransactionHandle,
    private readonly metrics: QuiverMetrics,
    private readonly labels: Labels,
  ) {}

  get id(): string {
    return this.tx.id;
  }

  async run(query: string, params?: ReadonlyMap<string, Value>): Promise<StreamingResult> {
    const queryStartMs = performance.now();
    try {
      return new MeteredResult(await this.tx.run(query, params), this.metrics, this.labels,
        queryStartMs);
    } catch (e) {
      this.metrics.queries.inc(this.labels.queryFailed);
      throw e;
    }
  }

  async commit(): Promise<CommitResult> {
    try {
      const r = await this.tx.commit();
      this.finish(this.labels.committed);
      return r;
    } catch (e) {
      this.finish(this.labels.failed);
      throw e;
    }
  }

  async rollback(): Promise<void> {
    await this.tx.rollback();
    this.finish(this.labels.rolledBack);
  }

  private finish(outcome: { protocol: string; outcome: string }): void {
    this.metrics.transactions.inc(outcome);
    this.metrics.transactionDurationSeconds.observe(this.labels.protocol,
      (performance.now() - this.startedMs) / 1000);
  }
}

/** A result that counts its query once, when it ends or fails. */
class MeteredResult implements StreamingResult {
  readonly fields: readonly string[];

  constructor(
    private readonly result: StreamingResult,
    private readonly metrics: QuiverMetrics,
    private readonly labels: Labels,
    private readonly queryStartMs: number,
  ) {
    this.fields = result.fields;
  }

  summary(): ResultSummary {
    return this.result.summary();
  }

  next(): Value[] | null {
    let record: Value[] | null;
    try {
      record = this.result.next();
    } catch (e) {
      this.metrics.queries.inc(this.labels.queryFailed);
      throw e;
    }
    if (record === null) {
      this.metrics.queries.inc(this.labels.queryOk);
      this.metrics.queryDurationSeconds.observe(this.labels.protocol,
        (performance.now() - this.queryStartMs) / 1000);
    }
    return record;
  }
}

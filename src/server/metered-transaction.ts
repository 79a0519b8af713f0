/**
 * Counts a protocol's transactions and queries into the Prometheus metrics: how many, how they
 * ended and how long they took. Wraps the handle so the Bolt layer needs no metrics code.
 * Every query passes through here, so nothing is allocated per call that can be made once.
 */
import type {
  CommitResult, ResultSummary, StreamingResult, TransactionHandle,
} from '../db/api.js';
import type { Value } from '../graph/values.js';
import type { CounterCell, HistogramCell, QuiverMetrics } from '../http/metrics.js';

/** The metric cells of one protocol, looked up once: every query and commit bumps them. */
interface Cells {
  readonly queryOk: CounterCell;
  readonly queryFailed: CounterCell;
  readonly queryDurationSeconds: HistogramCell;
  readonly committed: CounterCell;
  readonly failed: CounterCell;
  readonly rolledBack: CounterCell;
  readonly transactionDurationSeconds: HistogramCell;
}

const cellsByMetrics = new WeakMap<QuiverMetrics, Map<string, Cells>>();

function cellsFor(metrics: QuiverMetrics, protocol: string): Cells {
  let byProtocol = cellsByMetrics.get(metrics);
  if (byProtocol === undefined) {
    byProtocol = new Map();
    cellsByMetrics.set(metrics, byProtocol);
  }
  let cells = byProtocol.get(protocol);
  if (cells === undefined) {
    const { queries, transactions } = metrics;
    cells = {
      queryOk: queries.cell({ protocol, outcome: 'ok' }),
      queryFailed: queries.cell({ protocol, outcome: 'failed' }),
      queryDurationSeconds: metrics.queryDurationSeconds.cell({ protocol }),
      committed: transactions.cell({ protocol, outcome: 'committed' }),
      failed: transactions.cell({ protocol, outcome: 'failed' }),
      rolledBack: transactions.cell({ protocol, outcome: 'rolled_back' }),
      transactionDurationSeconds: metrics.transactionDurationSeconds.cell({ protocol }),
    };
    byProtocol.set(protocol, cells);
  }
  return cells;
}

export function meteredTransaction(tx: TransactionHandle, metrics: QuiverMetrics,
  protocol: string): TransactionHandle {
  return new MeteredTransaction(tx, cellsFor(metrics, protocol));
}

class MeteredTransaction implements TransactionHandle {
  private readonly startedMs = performance.now();

  constructor(
    private readonly tx: TransactionHandle,
    private readonly cells: Cells,
  ) {}

  get id(): string {
    return this.tx.id;
  }

  async run(query: string, params?: ReadonlyMap<string, Value>): Promise<StreamingResult> {
    const queryStartMs = performance.now();
    try {
      return new MeteredResult(await this.tx.run(query, params), this.cells, queryStartMs);
    } catch (e) {
      this.cells.queryFailed.inc();
      throw e;
    }
  }

  async commit(): Promise<CommitResult> {
    try {
      const r = await this.tx.commit();
      this.finish(this.cells.committed);
      return r;
    } catch (e) {
      this.finish(this.cells.failed);
      throw e;
    }
  }

  async rollback(): Promise<void> {
    await this.tx.rollback();
    this.finish(this.cells.rolledBack);
  }

  private finish(outcome: CounterCell): void {
    outcome.inc();
    this.cells.transactionDurationSeconds.observe((performance.now() - this.startedMs) / 1000);
  }
}

/** A result that counts its query once, when it ends or fails. */
class MeteredResult implements StreamingResult {
  readonly fields: readonly string[];

  constructor(
    private readonly result: StreamingResult,
    private readonly cells: Cells,
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
      this.cells.queryFailed.inc();
      throw e;
    }
    if (record === null) {
      this.cells.queryOk.inc();
      this.cells.queryDurationSeconds.observe((performance.now() - this.queryStartMs) / 1000);
    }
    return record;
  }
}
